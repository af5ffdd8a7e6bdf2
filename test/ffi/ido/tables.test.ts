/**
 * Every method of the IDO tables (IDOManager, IDODownload, IEnumUnknown) called through the fake's
 * native vtables, and the two the service calls (IDODownloadStatusCallback::OnStatusChange,
 * IStream::Write) called by the fake on JS objects; reference, CoTaskMem and BSTR balance is
 * checked after every test (test/ffi/setup.ts).
 */
import {
  ComPtr, IEnumUnknown, IStream, IUnknown, Implementation, pointerSize, readPointer, takeVariant, withVariant, koffi,
  type Interface,
} from '../../../src/com';
import {
  CLSID_DeliveryOptimization, DODownloadProperty as P, DODownloadState, IDODownload, IDODownloadStatusCallback, IDOManager,
  IDO_INTERFACES, decodeDownloadStatus, type DownloadStatusWire,
} from '../../../src/ido';
import { createFakeService, fakeContent, type FakeService } from '../../../src/testing';

const URL = 'http://ido.test/file.bin';

async function manager(fake: FakeService): Promise<ComPtr<typeof IDOManager>> {
  const { hr, ptr } = await fake.runtime.createInstance(CLSID_DeliveryOptimization, IDOManager.iid);
  expect(hr).toBe(0);
  return ComPtr.own(ptr as bigint, IDOManager, fake.runtime);
}

async function createDownload(m: ComPtr<typeof IDOManager>): Promise<ComPtr<typeof IDODownload>> {
  const ptr = await m.invoke('CreateDownload');
  return ComPtr.own(ptr as bigint, IDODownload, m.runtime);
}

async function setString(d: ComPtr<typeof IDODownload>, id: P, text: string): Promise<void> {
  await withVariant(d.runtime, { type: 'bstr', value: text }, (v) => d.invoke('SetProperty', id, v));
}

/** A JS sink for both service-called interfaces, counting and recording what it got. */
function sinks() {
  const statuses: DownloadStatusWire[] = [];
  const chunks: Buffer[] = [];
  const callback = new Implementation<null, typeof IDODownloadStatusCallback>({
    iface: IDODownloadStatusCallback,
    methods: {
      OnStatusChange: (_s, download, status) => {
        expect(download).not.toBeNull();
        statuses.push(decodeDownloadStatus(Buffer.from(koffi().view(status!, 32))));
      },
    },
  }).create(null);
  const stream = new Implementation<null, typeof IStream>({
    iface: IStream,
    methods: {
      Write: (_s, pv, cb) => {
        chunks.push(Buffer.from(Buffer.from(koffi().view(pv!, cb)))); // a copy
        return cb;
      },
    },
  }).create(null);
  return { statuses, chunks, callback, stream };
}

async function waitState(d: ComPtr<typeof IDODownload>, state: DODownloadState): Promise<DownloadStatusWire> {
  for (let i = 0; i < 2000; i++) {
    const s = await d.invoke('GetStatus');
    if (s.state === state) return s;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`state ${DODownloadState[state]} not reached`);
}

test('the tables have the SDK slot counts (3 IUnknown slots + own methods)', () => {
  expect(IDO_INTERFACES.map((i: Interface) => [i.name, i.slotCount])).toEqual([
    ['IDOManager', 5], ['IDODownload', 10], ['IDODownloadStatusCallback', 4],
  ]);
  expect(IEnumUnknown.slotCount).toBe(7);
  expect(IStream.slotCount).toBe(14);
});

test('every IDO method through the native vtables: a streamed ranged download, properties, enumeration, abort', async () => {
  const fake = createFakeService({ flavour: 'ido', script: { [URL]: { kind: 'succeed', bytes: 4096, durationMs: 10 } } });
  const m = await manager(fake);
  const d = await createDownload(m);
  const { statuses, chunks, callback, stream } = sinks();

  await setString(d, P.Uri, URL);
  await setString(d, P.DisplayName, 'tables');
  await withVariant(d.runtime, { type: 'ui4', value: 2 }, (v) => d.invoke('SetProperty', P.CostPolicy, v));
  await withVariant(d.runtime, { type: 'bool', value: true }, (v) => d.invoke('SetProperty', P.ForegroundPriority, v));
  await withVariant(d.runtime, { type: 'ui8', value: 4096n }, (v) => d.invoke('SetProperty', P.TotalSizeBytes, v));
  await withVariant(d.runtime, { type: 'unknown', value: callback.ptr }, (v) => d.invoke('SetProperty', P.CallbackInterface, v));
  await withVariant(d.runtime, { type: 'unknown', value: stream.ptr }, (v) => d.invoke('SetProperty', P.StreamInterface, v));
  // The service keeps its own references; ours go now.
  callback.release();
  stream.release();

  const get = async (id: P) => {
    const variant = await d.invoke('GetProperty', id);
    return takeVariant(d.runtime, variant);
  };
  expect(await get(P.Uri)).toEqual({ type: 'bstr', value: URL });
  expect(await get(P.CostPolicy)).toEqual({ type: 'ui4', value: 2 });
  expect(await get(P.ForegroundPriority)).toEqual({ type: 'bool', value: true });
  expect(await get(P.TotalSizeBytes)).toEqual({ type: 'ui8', value: 4096n });
  const id = await get(P.Id);
  expect(id.type).toBe('bstr');
  const unknown = await get(P.CallbackInterface);
  expect(unknown.type).toBe('unknown');
  await ComPtr.own((unknown as { value: bigint }).value, IUnknown, d.runtime).release();

  // Two ranges; bytes arrive in range order.
  await d.invoke('Start', [{ offset: 100n, length: 50n }, { offset: 1000n, length: null }]);
  await waitState(d, DODownloadState.Transferred);
  const content = fakeContent(URL, 4096);
  expect(Buffer.concat(chunks)).toEqual(Buffer.concat([content.subarray(100, 150), content.subarray(1000)]));
  expect(statuses.some((s) => s.state === DODownloadState.Transferring)).toBe(true);
  expect(statuses[statuses.length - 1]).toMatchObject({ state: DODownloadState.Transferred, bytesTransferred: 50n + 3096n, bytesTotal: 4096n });

  // Enumerate: all, then by category; Skip / Reset / Clone.
  const enumPtr = await m.invoke('EnumDownloads', null);
  const e = ComPtr.own(enumPtr as bigint, IEnumUnknown, m.runtime);
  const slots = Buffer.alloc(4 * pointerSize());
  const fetched = await e.invoke('Next', 4, slots);
  expect(fetched).toBe(1);
  await ComPtr.own(readPointer(slots, 0) as bigint, IUnknown, m.runtime).release();
  await e.invoke('Reset');
  expect((await e.invokeRaw('Skip', 2)).hr).toBe(1); // S_FALSE: fewer than asked
  const clonePtr = await e.invoke('Clone');
  await ComPtr.own(clonePtr as bigint, IEnumUnknown, m.runtime).release();
  await e.release();
  const byUri = await m.invoke('EnumDownloads', { Property: P.Uri, Value: 'http://other.test/' });
  const none = ComPtr.own(byUri as bigint, IEnumUnknown, m.runtime);
  expect(await none.invoke('Next', 4, slots)).toBe(0);
  await none.release();

  await d.invoke('Pause'); // no-op in TRANSFERRED
  await d.invoke('Finalize');
  expect((await d.invoke('GetStatus')).state).toBe(DODownloadState.Finalized);
  expect((await d.invokeRaw('Abort')).hr).toBe(0x80d02013); // DO_E_INVALID_STATE: finalized
  await d.release();
  await m.release();
  await fake.settle();
  const stats = fake.stats();
  // Two set (ours, SysAllocString), two read (the fake's, freed by our VariantClear).
  expect(stats.bstr).toMatchObject({ allocs: 4, frees: 4, outstanding: 0 });
  expect(callback.alive).toBe(false);
  expect(stream.alive).toBe(false);
});

test('a plain UTF-16 buffer is not a BSTR: the fake refuses it and reports it', async () => {
  const fake = createFakeService({ flavour: 'ido' });
  fake.expectUnbalanced();
  const m = await manager(fake);
  const d = await createDownload(m);
  const text = Buffer.from('http://x.test/\0', 'utf16le');
  const variant = Buffer.alloc(24);
  variant.writeUInt16LE(8, 0);
  const padded = Buffer.concat([Buffer.from([0, 0, 0, 0]), text]); // a zero "length prefix"
  variant.writeBigUInt64LE(koffi().address(padded) + 4n, 8);
  expect((await d.invokeRaw('SetProperty', P.Uri, variant)).hr).toBe(0x80070057);
  await d.release();
  await m.release();
  await fake.settle();
  expect(() => fake.assertBalanced()).toThrow(/not a BSTR/);
});

test('flavours without IDO: E_NOINTERFACE on DO 1709-style, class not registered on BITS', async () => {
  const doFake = createFakeService({ flavour: 'delivery-optimization' });
  expect((await doFake.runtime.createInstance(CLSID_DeliveryOptimization, IDOManager.iid)).hr).toBe(0x80004002);
  const bits = createFakeService({ flavour: 'bits' });
  expect((await bits.runtime.createInstance(CLSID_DeliveryOptimization, IDOManager.iid)).hr).toBe(0x80040154);
});

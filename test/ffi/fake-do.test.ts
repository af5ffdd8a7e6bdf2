/**
 * The Delivery Optimization flavour: files come through IDeliveryOptimizationJob / Job2 (tear-offs
 * of the job), DO files answer IDeliveryOptimizationFile / File2 (tear-offs of the file), and
 * codes are DO_E_*.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  IBackgroundCopyError, IBackgroundCopyFile, IBackgroundCopyFile2, IBackgroundCopyJob, IBackgroundCopyJob3, IBackgroundCopyJob5,
  IBackgroundCopyManager, IDeliveryOptimizationFile, IDeliveryOptimizationFile2, IDeliveryOptimizationJob, IDeliveryOptimizationJob2,
  IEnumBackgroundCopyFiles, JobState,
} from '../../src/bits';
import { ComPtr, IUnknown, koffi, pointerSize, readPointer, UINT64_MAX, writePointer } from '../../src/com';
import { createFakeService, fakeContent, type FakeService, type FakeServiceOptions } from '../../src/testing';

const E_NOTIMPL = 0x80004001;
const E_NOINTERFACE = 0x80004002;
const E_INVALIDARG = 0x80070057;
const VT_BSTR = 8;
const VT_BOOL = 11;
const VT_UI8 = 21;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'do-fake-do-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function setup(options: FakeServiceOptions = {}): Promise<{ fake: FakeService; job: ComPtr<typeof IBackgroundCopyJob5>; done(): Promise<void> }> {
  const fake = createFakeService({ flavour: 'delivery-optimization', ...options });
  const { ptr } = await fake.runtime.createInstance(fake.clsid, IBackgroundCopyManager.iid);
  const manager = ComPtr.own(ptr as bigint, IBackgroundCopyManager, fake.runtime);
  const job = ComPtr.own((await manager.invoke('CreateJob', 'do job', 0))[1] as bigint, IBackgroundCopyJob5, fake.runtime);
  return { fake, job, done: async () => { await job.release(); await manager.release(); } };
}

function variant(vt: number, write: (b: Buffer) => void): Buffer {
  const b = Buffer.alloc(pointerSize() === 8 ? 24 : 16);
  b.writeUInt16LE(vt, 0);
  write(b);
  return b;
}

async function until(job: ComPtr<typeof IBackgroundCopyJob5>, s: JobState): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await job.invoke('GetState') === s) return;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`state ${JobState[s]} not reached`);
}

test('the BITS AddFile family answers E_NOTIMPL unless addFile is "supported"', async () => {
  const { job, done } = await setup();
  expect((await job.invokeRaw('AddFile', 'http://do.test/a', '/tmp/a')).hr).toBe(E_NOTIMPL);
  expect((await job.invokeRaw('AddFileSet', [{ RemoteName: 'http://do.test/a', LocalName: '/tmp/a' }])).hr).toBe(E_NOTIMPL);
  expect((await job.invokeRaw('AddFileWithRanges', 'http://do.test/a', '/tmp/a', [{ InitialOffset: 0n, Length: 1n }])).hr).toBe(E_NOTIMPL);
  await done();
  const supported = await setup({ addFile: 'supported' });
  expect((await supported.job.invokeRaw('AddFile', 'http://do.test/a', '/tmp/a')).hr).toBe(0);
  await supported.done();
});

test('the DO job interfaces are tear-offs whose IUnknown is the job; BITS has none', async () => {
  const { job, done } = await setup();
  const doJob = await job.query(IDeliveryOptimizationJob);
  const doJob2 = await job.query(IDeliveryOptimizationJob2);
  if (!doJob || !doJob2) throw new Error('missing DO interfaces');
  expect(doJob.ptr).not.toBe(job.ptr);
  for (const tearOff of [doJob, doJob2]) {
    for (const iface of [IUnknown, IBackgroundCopyJob, IBackgroundCopyJob3]) {
      const q = await tearOff.query(iface);
      expect(q?.ptr).toBe(job.ptr);
      await q?.release();
    }
  }
  const other = await doJob.query(IDeliveryOptimizationJob2);
  expect(other?.ptr).toBe(doJob2.ptr);
  await other?.release();
  await doJob.release();
  await doJob2.release();
  await done();

  const bits = createFakeService({ flavour: 'bits' });
  const { ptr } = await bits.runtime.createInstance(bits.clsid, IBackgroundCopyManager.iid);
  const m = ComPtr.own(ptr as bigint, IBackgroundCopyManager, bits.runtime);
  const bitsJob = ComPtr.own((await m.invoke('CreateJob', 'bits', 0))[1] as bigint, IBackgroundCopyJob, bits.runtime);
  expect(await bitsJob.query(IDeliveryOptimizationJob)).toBeNull();
  expect(await bitsJob.query(IDeliveryOptimizationJob2)).toBeNull();
  await bitsJob.release();
  await m.release();
});

test('IDeliveryOptimizationJob::AddFileWithRanges: checks, ranges, and the written slices', async () => {
  const { fake, job, done } = await setup();
  const doJob = await job.query(IDeliveryOptimizationJob);
  if (!doJob) throw new Error('no IDeliveryOptimizationJob');
  const url = 'http://do.test/ranged.bin';
  fake.script(url, { kind: 'succeed', bytes: 1000, durationMs: 5 });
  const local = path.join(dir, 'ranged.bin');
  expect((await doJob.invokeRaw('AddFileWithRanges', 'id', url, null, [], UINT64_MAX)).hr).toBe(E_INVALIDARG);
  expect((await doJob.invokeRaw('AddFileWithRanges', 'id', url, local, [{ InitialOffset: UINT64_MAX, Length: 1n }], UINT64_MAX)).hr).toBe(0x80d05010);
  expect((await doJob.invokeRaw('AddFileWithRanges', 'id', url, local, [{ InitialOffset: 10n, Length: 10n }, { InitialOffset: 0n, Length: 5n }], UINT64_MAX)).hr).toBe(0x80d05012);
  const ranges = [{ InitialOffset: 0n, Length: 10n }, { InitialOffset: 500n, Length: 20n }];
  await doJob.invoke('AddFileWithRanges', 'file-1', url, local, ranges, 1000n);
  expect(fake.jobs()[0]?.files[0]).toMatchObject({ fileId: 'file-1', bytesTotal: 1000n });

  const file = ComPtr.own(await firstFile(fake, job), IBackgroundCopyFile2, fake.runtime);
  expect(await file.invoke('GetFileRanges')).toEqual([{ offset: 0n, length: 10n }, { offset: 500n, length: 20n }]);
  await file.release();

  await job.invoke('Resume');
  await until(job, JobState.Transferred);
  expect((await job.invoke('GetProgress')).bytesTotal).toBe(30n);
  await job.invoke('Complete');
  const content = fakeContent(url, 1000);
  expect(fs.readFileSync(local)).toEqual(Buffer.concat([content.subarray(0, 10), content.subarray(500, 520)]));
  await doJob.release();
  await done();
});

async function firstFile(fake: FakeService, job: ComPtr<typeof IBackgroundCopyJob5>): Promise<bigint> {
  const e = ComPtr.own(await job.invoke('EnumFiles') as bigint, IEnumBackgroundCopyFiles, fake.runtime);
  const rgelt = Buffer.alloc(pointerSize());
  await e.invoke('Next', 1, rgelt);
  await e.release();
  return readPointer(rgelt) as bigint;
}

test('IDeliveryOptimizationJob2::AddFile: a file object for the riid; the local path comes through File2', async () => {
  const { fake, job, done } = await setup();
  const doJob2 = await job.query(IDeliveryOptimizationJob2);
  if (!doJob2) throw new Error('no IDeliveryOptimizationJob2');
  const url = 'http://do.test/sink.bin';
  expect(await doJob2.invokeRaw('AddFile', 'id', url, [], IBackgroundCopyJob.iid)).toMatchObject({ hr: E_NOINTERFACE, value: null });
  expect((await doJob2.invokeRaw('AddFile', 'id', 'ftp://x', [], IDeliveryOptimizationFile.iid)).hr).toBe(E_INVALIDARG);
  const doFilePtr = await doJob2.invoke('AddFile', 'content-42', url, [], IDeliveryOptimizationFile.iid);
  const doFile = ComPtr.own(doFilePtr as bigint, IDeliveryOptimizationFile, fake.runtime);

  const stats = await doFile.invoke('GetStats');
  expect(stats).toMatchObject({ fileId: 'content-42', sourceUrl: url, fileSize: null, totalBytesDownloaded: 0n, status: 3 });
  expect(fake.stats().coTaskMem.outstanding).toBe(0); // both strings freed by the decoder

  // Its IUnknown is the file, and the file answers the File and File2 interfaces.
  const file = await doFile.query(IBackgroundCopyFile);
  const unknown = await doFile.query(IUnknown);
  expect(unknown?.ptr).toBe(file?.ptr);
  await unknown?.release();
  const doFile2 = await doFile.query(IDeliveryOptimizationFile2);
  if (!file || !doFile2) throw new Error('missing interfaces');
  expect(await file.invoke('GetLocalName')).toEqual('');

  // No local path yet: the transfer fails with DO_E_LOCALPATH_NOT_SET.
  await job.invoke('Resume');
  await until(job, JobState.Error);
  const error = ComPtr.own(await job.invoke('GetError') as bigint, IBackgroundCopyError, fake.runtime);
  expect((await error.invoke('GetError'))[1] >>> 0).toBe(0x80d0200d);
  await error.release();

  const local = path.join(dir, 'sink.bin');
  const text = fake.runtime.coTaskMemAlloc((local.length + 1) * 2);
  koffi().encode(text, 'char16_t', local + '\0', local.length + 1);
  const bstr = variant(VT_BSTR, (b) => writePointer(b, text, 8));
  await doFile2.invoke('SetProperty', 4, bstr); // DownloadSinkFilePath
  fake.runtime.coTaskMemFree(text);
  expect(await file.invoke('GetLocalName')).toEqual(local);
  expect((await doFile2.invokeRaw('GetProperty', 4)).hr).toBe(E_NOTIMPL); // a BSTR answer needs SysAllocString

  await job.invoke('Resume');
  await until(job, JobState.Transferred);
  const after = await doFile.invoke('GetStats');
  expect(after).toMatchObject({ fileSize: 1024n, totalBytesDownloaded: 1024n, bytesFromHttp: 1024n, status: 1 });
  await job.invoke('Complete');
  expect(fs.readFileSync(local)).toEqual(fakeContent(url, 1024));
  for (const p of [doFile2, file, doFile, doJob2]) await p.release();
  await done();
});

test('IDeliveryOptimizationFile2 properties: VT_UI8 size, VT_BOOL integrity flag, write-only, unknown, final state', async () => {
  const { fake, job, done } = await setup();
  const doJob2 = await job.query(IDeliveryOptimizationJob2);
  if (!doJob2) throw new Error('no IDeliveryOptimizationJob2');
  const doFile2 = ComPtr.own(await doJob2.invoke('AddFile', 'f', 'http://do.test/p', [], IDeliveryOptimizationFile2.iid) as bigint, IDeliveryOptimizationFile2, fake.runtime);
  expect((await doFile2.invokeRaw('GetProperty', 6)).hr).toBe(0x80070490); // E_NOT_SET: size never set
  await doFile2.invoke('SetProperty', 6, variant(VT_UI8, (b) => b.writeBigUInt64LE(12345n, 8)));
  const size = await doFile2.invoke('GetProperty', 6);
  expect([size.readUInt16LE(0), size.readBigUInt64LE(8)]).toEqual([VT_UI8, 12345n]);
  const flag = await doFile2.invoke('GetProperty', 2);
  expect([flag.readUInt16LE(0), flag.readInt16LE(8)]).toEqual([VT_BOOL, 0]);
  await doFile2.invoke('SetProperty', 2, variant(VT_BOOL, (b) => b.writeInt16LE(-1, 8)));
  expect((await doFile2.invoke('GetProperty', 2)).readInt16LE(8)).toBe(-1);
  expect((await doFile2.invokeRaw('SetProperty', 2, variant(VT_UI8, () => undefined))).hr).toBe(E_INVALIDARG);
  expect((await doFile2.invokeRaw('GetProperty', 0)).hr).toBe(0x80d02015);
  expect((await doFile2.invokeRaw('GetProperty', 99)).hr).toBe(0x80d02011);
  expect((await doFile2.invokeRaw('SetProperty', 99, variant(VT_BOOL, () => undefined))).hr).toBe(0x80d02011);
  await job.invoke('Cancel');
  expect((await doFile2.invokeRaw('SetProperty', 2, variant(VT_BOOL, () => undefined))).hr).toBe(0x80d02013);
  await doFile2.release();
  await doJob2.release();
  await done();
});

test('IDeliveryOptimizationJob2 properties', async () => {
  const { job, done } = await setup();
  const doJob2 = await job.query(IDeliveryOptimizationJob2);
  if (!doJob2) throw new Error('no IDeliveryOptimizationJob2');
  expect(await doJob2.invokeRaw('GetProperty', 0)).toMatchObject({ hr: 0x80070490, value: null });
  expect((await doJob2.invokeRaw('GetProperty', 7)).hr).toBe(0x80d02011);
  expect((await doJob2.invokeRaw('SetProperty', 0, null)).hr).toBe(0x80d02012);
  expect((await doJob2.invokeRaw('SetProperty', 7, null)).hr).toBe(0x80d02011);
  await doJob2.release();
  await done();
});

test('BITS files have no DO interfaces', async () => {
  const fake = createFakeService();
  const { ptr } = await fake.runtime.createInstance(fake.clsid, IBackgroundCopyManager.iid);
  const m = ComPtr.own(ptr as bigint, IBackgroundCopyManager, fake.runtime);
  const job = ComPtr.own((await m.invoke('CreateJob', 'bits', 0))[1] as bigint, IBackgroundCopyJob5, fake.runtime);
  await job.invoke('AddFile', 'http://bits.test/a', '/tmp/a');
  const file = ComPtr.own(await firstFile(fake, job), IBackgroundCopyFile, fake.runtime);
  expect(await file.query(IDeliveryOptimizationFile)).toBeNull();
  expect(await file.query(IDeliveryOptimizationFile2)).toBeNull();
  await file.release();
  await job.release();
  await m.release();
});

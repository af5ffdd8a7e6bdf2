import { $, answer, ComPtr, copyBytes, defineInterface, Implementation, IUnknown, koffi, settleReleases, E_NOTIMPL } from '../../src/com';
import { libcRuntime } from '../support/libc-runtime';

const ITest = defineInterface('ITest', '11111111-2222-3333-4444-555555555555', IUnknown, {
  Add: [$.u32, $.u32, $.out.u32],
  Echo: [$.wstr, $.out.wstr],
  Fail: [],
  Big: [$.u64, $.out.u64],
});

const ITest2 = defineInterface('ITest2', '11111111-2222-3333-4444-555555555556', ITest, { Extra: [$.out.bool] });

function encodeWide(rt: ReturnType<typeof libcRuntime>, text: string): bigint {
  const k = koffi();
  const p = rt.coTaskMemAlloc((text.length + 1) * 2);
  k.encode(p, 'char16_t', text + '\0', text.length + 1);
  return p;
}

describe('COM core through real native vtables', () => {
  const rt = libcRuntime();
  const calls: string[] = [];
  const impl = new Implementation<{ n: number }, typeof ITest2>({
    iface: ITest2,
    onCall: (m) => calls.push(m),
    memory: () => ({ allocString: (text) => encodeWide(rt, text) }),
    methods: {
      Add: (_s, a, b) => a + b,
      Echo: (_s, text) => (text === null ? null : text.toUpperCase()),
      Fail: () => answer(E_NOTIMPL),
      Extra: () => false,
      Big: (_s, v) => v + 1n,
    },
  });

  test('slots are counted from the table, inheritance extends them', () => {
    expect(ITest.methods.Add.slot).toBe(3);
    expect(ITest.methods.Big.slot).toBe(6);
    expect(ITest2.methods.Extra.slot).toBe(7);
    expect(ITest2.slotCount).toBe(8);
    expect(ITest2.iids).toEqual([ITest2.iid, ITest.iid, IUnknown.iid]);
  });

  test('sync and async calls, out-parameters, CoTaskMem strings freed', async () => {
    const obj = impl.create({ n: 0 });
    const p = ComPtr.own(obj.ptr, ITest, rt);
    expect(p.invokeRawSync('Add', 2, 40).orThrow()).toBe(42);
    expect(await p.invoke('Add', 1, 2)).toEqual(3);
    const freesBefore = rt.frees;
    expect(await p.invoke('Echo', 'héllo')).toEqual('HÉLLO');
    expect(rt.frees).toBe(freesBefore + 1);
    expect(await p.invoke('Big', 0xfffffffffffffffen)).toEqual(0xffffffffffffffffn);
    await expect(p.invoke('Fail')).rejects.toMatchObject({ hresult: E_NOTIMPL });
    expect(await p.invokeRaw('Fail')).toMatchObject({ hr: E_NOTIMPL, value: undefined });
    await p.release();
    expect(obj.refCount).toBe(0);
    expect(() => p.ptr).toThrow(/released/);
  });

  test('QueryInterface: bases and self answered, others refused; refs balance', async () => {
    const obj = impl.create({ n: 0 });
    const p = ComPtr.own(obj.ptr, ITest, rt);
    const p2 = await p.query(ITest2);
    expect(p2).not.toBeNull();
    expect(obj.refCount).toBe(2);
    expect(await p2!.invoke('Extra')).toEqual(false);
    const none = await p.query(defineInterface('INope', '99999999-2222-3333-4444-555555555555', IUnknown, {}));
    expect(none).toBeNull();
    await p2!.release();
    await p.release();
    await p.release(); // idempotent
    await settleReleases();
    expect(obj.refCount).toBe(0);
    expect(obj.callsAfterRelease).toBe(0);
  });

  test('embedded NUL and wrong types never reach native code', async () => {
    const obj = impl.create({ n: 0 });
    const p = ComPtr.own(obj.ptr, ITest, rt);
    const before = calls.length;
    await expect(p.invoke('Echo', 'a\0b')).rejects.toThrow(TypeError);
    await expect(p.invoke('Add', -1, 2)).rejects.toThrow(/unsigned 32-bit/);
    await expect(p.invoke('Add', 1.5, 2)).rejects.toThrow(TypeError);
    expect(calls.length).toBe(before);
    await p.release();
  });

  test('a throwing handler returns its fallback HRESULT instead of crossing into native code', async () => {
    const errors: unknown[] = [];
    const thrower = new Implementation<null, typeof ITest>({
      iface: ITest,
      onError: (e) => errors.push(e),
      methods: { Fail: () => { throw new Error('boom'); } },
    });
    const obj = thrower.create(null);
    const p = ComPtr.own(obj.ptr, ITest, rt);
    expect((await p.invokeRaw('Fail')).hr).toBe(0x8000ffff);
    expect(errors).toHaveLength(1);
    await p.release();
  });

  test('the async queue bounds calls in flight', async () => {
    const obj = impl.create({ n: 0 });
    const p = ComPtr.own(obj.ptr, ITest, rt);
    const results = await Promise.all(Array.from({ length: 500 }, (_, i) => p.invoke('Add', i, 1)));
    expect(results).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(rt.queue.peakActive).toBeLessThanOrEqual(rt.queue.limit);
    await p.release();
  });
});

test('copyBytes copies: the bytes stay when native memory changes or is freed (GetReplyData, a client certificate hash)', () => {
  const rt = libcRuntime();
  const p = rt.coTaskMemAlloc(4);
  koffi().encode(p, 'uint32_t', 0x11223344);
  const copy = copyBytes(p, 4);
  koffi().encode(p, 'uint32_t', 0);
  rt.coTaskMemFree(p);
  expect(copy.readUInt32LE(0)).toBe(0x11223344);
});

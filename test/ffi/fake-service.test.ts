/**
 * The fake's runtime and manager, driven through raw ComPtr calls on its native vtables:
 * activation, CoTaskMem accounting, CreateJob / GetJob / EnumJobs / GetErrorDescription.
 */
import {
  CLSID_BackgroundCopyManager, CLSID_DeliveryOptimization, IBackgroundCopyJob, IBackgroundCopyManager, IEnumBackgroundCopyJobs, JobType,
} from '../../src/bits';
import { ComPtr, IUnknown, koffi, pointerSize, readPointer } from '../../src/com';
import { createFakeService, type FakeService } from '../../src/testing';

const E_NOTIMPL = 0x80004001;
const E_NOINTERFACE = 0x80004002;
const E_INVALIDARG = 0x80070057;
const REGDB_E_CLASSNOTREG = 0x80040154;
const S_FALSE = 1;

async function connect(fake: FakeService): Promise<ComPtr<typeof IBackgroundCopyManager>> {
  const { hr, ptr } = await fake.runtime.createInstance(fake.clsid, IBackgroundCopyManager.iid);
  expect(hr).toBe(0);
  return ComPtr.own(ptr as bigint, IBackgroundCopyManager, fake.runtime);
}

describe('the fake as a ServiceProvider', () => {
  test.each([
    ['bits', 'fake BITS', CLSID_BackgroundCopyManager],
    ['delivery-optimization', 'fake Delivery Optimization', CLSID_DeliveryOptimization],
  ] as const)('%s: kind, name, CLSID and runtime', (flavour, name, clsid) => {
    const fake = createFakeService({ flavour });
    expect(fake.kind).toBe(flavour);
    expect(fake.displayName).toBe(name);
    expect(fake.clsid).toBe(clsid);
    expect(fake.runtime.tornDown).toBe(false);
    expect(fake.runtime.describeApartment()).toBe('fake (no apartment)');
    expect(fake.runtime.queue.limit).toBe(64);
    fake.runtime.initialize();
    fake.runtime.initialize();
    expect(fake.stats().initializeCalls).toBe(2);
  });

  test('every fake has its own queue', () => {
    expect(createFakeService().runtime.queue).not.toBe(createFakeService().runtime.queue);
  });

  test('the default flavour is BITS', () => {
    expect(createFakeService().kind).toBe('bits');
  });

  test('misspelt method names in notImplemented / failures are refused', () => {
    expect(() => createFakeService({ notImplemented: ['IBackgroundCopyJob::GetTime'] })).toThrow(/not a method/);
    expect(() => createFakeService({ failures: { 'IUnknown::AddRef': 0x80004005 } })).toThrow(/not a method/);
    expect(() => createFakeService({ failures: { 'IBackgroundCopyJob::Resume': 0 } })).toThrow(/failure HRESULT/);
  });
});

describe('activation', () => {
  test('each createInstance is a new reference to the one manager', async () => {
    const fake = createFakeService();
    const a = await connect(fake);
    const b = await connect(fake);
    expect(a.ptr).toBe(b.ptr);
    const manager = fake.stats().objects[0];
    expect(manager).toMatchObject({ iface: 'IBackgroundCopyManager', refCount: 3, internalRefs: 1, clientRefs: 2 });
    await a.release();
    await b.release();
    await fake.settle();
    expect(fake.stats().objects[0]).toMatchObject({ refCount: 1, clientRefs: 0 });
    expect(fake.stats().activations).toBe(2);
  });

  test('IUnknown is answered too', async () => {
    const fake = createFakeService();
    const { hr, ptr } = await fake.runtime.createInstance(fake.clsid, IUnknown.iid);
    expect(hr).toBe(0);
    await ComPtr.own(ptr as bigint, IUnknown, fake.runtime).release();
  });

  test('another CLSID, or a class that is not registered: REGDB_E_CLASSNOTREG', async () => {
    const bits = createFakeService({ flavour: 'bits' });
    expect(await bits.runtime.createInstance(CLSID_DeliveryOptimization, IBackgroundCopyManager.iid)).toEqual({ hr: REGDB_E_CLASSNOTREG, ptr: null });
    const missing = createFakeService({ flavour: 'delivery-optimization', classRegistered: false });
    expect(await missing.runtime.createInstance(CLSID_DeliveryOptimization, IBackgroundCopyManager.iid)).toEqual({ hr: REGDB_E_CLASSNOTREG, ptr: null });
  });

  test('another IID: E_NOINTERFACE', async () => {
    const fake = createFakeService();
    expect(await fake.runtime.createInstance(fake.clsid, IBackgroundCopyJob.iid)).toEqual({ hr: E_NOINTERFACE, ptr: null });
  });

  test('setProxyBlanket is counted (ComPtr.own sets it); a refusing service answers E_NOINTERFACE', async () => {
    const fake = createFakeService();
    const m = await connect(fake);
    expect(fake.stats().proxyBlankets).toBe(1);
    expect(fake.runtime.setProxyBlanket(m.ptr)).toBe(0);
    expect(fake.stats().proxyBlankets).toBe(2);
    const refusing = createFakeService({ proxyBlanket: 'refuse' });
    expect(refusing.runtime.setProxyBlanket(m.ptr)).toBe(E_NOINTERFACE);
    await m.release();
  });
});

describe('CoTaskMem', () => {
  test('allocations and frees are counted by address', () => {
    const fake = createFakeService();
    const p = fake.runtime.coTaskMemAlloc(16);
    expect(fake.stats().coTaskMem).toEqual({ allocs: 1, frees: 0, outstanding: 1, invalidFrees: 0 });
    fake.runtime.coTaskMemFree(p);
    fake.runtime.coTaskMemFree(0n); // CoTaskMemFree(NULL): a no-op
    expect(fake.stats().coTaskMem).toEqual({ allocs: 1, frees: 1, outstanding: 0, invalidFrees: 0 });
  });

  test('a double free is caught (and never reaches free())', () => {
    const fake = createFakeService();
    const p = fake.runtime.coTaskMemAlloc(8);
    fake.runtime.coTaskMemFree(p);
    fake.runtime.coTaskMemFree(p);
    expect(fake.stats().coTaskMem.invalidFrees).toBe(1);
    expect(() => fake.assertBalanced()).toThrow(/CoTaskMemFree call\(s\) on a pointer not allocated/);
    fake.expectUnbalanced();
  });

  test('strings returned through out-parameters are CoTaskMem, freed by the caller', async () => {
    const fake = createFakeService();
    const m = await connect(fake);
    const [, jobPtr] = await m.invoke('CreateJob', 'strings', 0);
    const job = ComPtr.own(jobPtr as bigint, IBackgroundCopyJob, fake.runtime);
    expect(await job.invoke('GetDisplayName')).toEqual('strings');
    expect(fake.stats().coTaskMem).toMatchObject({ allocs: 1, frees: 1, outstanding: 0 });
    await job.release();
    await m.release();
  });
});

describe.each(['bits', 'delivery-optimization'] as const)('manager (%s)', (flavour) => {
  const notFound = flavour === 'bits' ? 0x80200001 : 0x80d02003;

  test('CreateJob: GUID and job; GetJob finds the same object; unknown GUIDs are not found', async () => {
    const fake = createFakeService({ flavour });
    const m = await connect(fake);
    const [id, ptr] = await m.invoke('CreateJob', 'first', 0);
    const job = ComPtr.own(ptr as bigint, IBackgroundCopyJob, fake.runtime);
    expect(await job.invoke('GetId')).toEqual(id);
    expect(await job.invoke('GetState')).toEqual(3); // SUSPENDED
    const again = await m.invoke('GetJob', id);
    expect(again).toBe(job.ptr);
    await ComPtr.own(again as bigint, IBackgroundCopyJob, fake.runtime).release();
    expect(await m.invokeRaw('GetJob', '00000000-1111-2222-3333-444444444444')).toMatchObject({ hr: notFound, value: null });
    await job.release();
    await m.release();
  });

  test('CreateJob validates name and type', async () => {
    const fake = createFakeService({ flavour });
    const m = await connect(fake);
    expect((await m.invokeRaw('CreateJob', 'n'.repeat(257), 0)).hr).toBe(E_INVALIDARG);
    expect((await m.invokeRaw('CreateJob', null, 0)).hr).toBe(E_INVALIDARG);
    expect((await m.invokeRaw('CreateJob', 'x', 3 as JobType)).hr).toBe(E_INVALIDARG);
    const upload = await m.invokeRaw('CreateJob', 'n'.repeat(256), 1);
    if (flavour === 'bits') {
      expect(upload.hr).toBe(0);
      await ComPtr.own(upload.value[1] as bigint, IBackgroundCopyJob, fake.runtime).release();
    } else {
      expect(upload.hr).toBe(E_INVALIDARG); // DO knows only download jobs
    }
    await m.release();
  });

  test('EnumJobs: the jobs that exist now; Next / Skip / Reset / Clone / GetCount', async () => {
    const fake = createFakeService({ flavour });
    const m = await connect(fake);
    const jobs = [];
    for (const name of ['a', 'b', 'c']) jobs.push(ComPtr.own((await m.invoke('CreateJob', name, 0))[1] as bigint, IBackgroundCopyJob, fake.runtime));
    expect((await m.invokeRaw('EnumJobs', 2)).hr).toBe(E_INVALIDARG);
    const enumPtr = await m.invoke('EnumJobs', 1);
    const e = ComPtr.own(enumPtr as bigint, IEnumBackgroundCopyJobs, fake.runtime);
    expect(await e.invoke('GetCount')).toEqual(3);
    // A later job is not in this snapshot.
    const late = ComPtr.own((await m.invoke('CreateJob', 'late', 0))[1] as bigint, IBackgroundCopyJob, fake.runtime);
    expect(await e.invoke('GetCount')).toEqual(3);

    const rgelt = Buffer.alloc(4 * pointerSize());
    const next = await e.invokeRaw('Next', 4, rgelt);
    expect(next).toMatchObject({ hr: S_FALSE, value: 3 });
    const got = [0, 1, 2].map((i) => readPointer(rgelt, i * pointerSize()) as bigint);
    expect(got).toEqual(jobs.map((j) => j.ptr));
    for (const p of got) await ComPtr.own(p, IBackgroundCopyJob, fake.runtime).release();

    expect((await e.invokeRaw('Next', 1, rgelt)).value).toBe(0);
    expect(await e.invokeRaw('Reset')).toMatchObject({ hr: 0, value: undefined });
    expect((await e.invokeRaw('Skip', 2)).hr).toBe(0);
    const clonePtr = await e.invoke('Clone');
    const clone = ComPtr.own(clonePtr as bigint, IEnumBackgroundCopyJobs, fake.runtime);
    expect((await e.invokeRaw('Skip', 5)).hr).toBe(S_FALSE);
    const one = Buffer.alloc(pointerSize());
    expect(await clone.invokeRaw('Next', 1, one)).toMatchObject({ hr: 0, value: 1 });
    expect(readPointer(one)).toBe(jobs[2]?.ptr);
    await ComPtr.own(readPointer(one) as bigint, IBackgroundCopyJob, fake.runtime).release();

    for (const p of [clone, e, late, ...jobs, m]) await p.release();
  });

  test('Next with NULL pceltFetched is allowed for one element only', async () => {
    const fake = createFakeService({ flavour });
    const m = await connect(fake);
    const job = ComPtr.own((await m.invoke('CreateJob', 'solo', 0))[1] as bigint, IBackgroundCopyJob, fake.runtime);
    const e = ComPtr.own(await m.invoke('EnumJobs', 0) as bigint, IEnumBackgroundCopyJobs, fake.runtime);
    // Call Next through the raw function so pceltFetched can be NULL.
    const next = IEnumBackgroundCopyJobs.methods.Next;
    const k = koffi();
    const vtable = k.decode(e.ptr, 'void *') as bigint;
    const fn = k.decode(k.decode(vtable, next.slot * pointerSize(), 'void *'), k.proto('int32_t (void *, uint32_t, void *, void *)'));
    const out = Buffer.alloc(2 * pointerSize());
    expect((fn(e.ptr, 2, out, null) as number) >>> 0).toBe(E_INVALIDARG);
    expect((fn(e.ptr, 1, out, null) as number) >>> 0).toBe(0);
    await ComPtr.own(readPointer(out) as bigint, IBackgroundCopyJob, fake.runtime).release();
    for (const p of [e, job, m]) await p.release();
  });

  test('GetErrorDescription: English text for a few codes, 0x80070717 for others', async () => {
    const fake = createFakeService({ flavour });
    const m = await connect(fake);
    expect(await m.invoke('GetErrorDescription', 0x80190194 | 0, 0x409)).toEqual('The server returned HTTP status 404 (Not Found).');
    expect(await m.invoke('GetErrorDescription', notFound | 0, 0x409)).toMatch(/not found/);
    expect(await m.invokeRaw('GetErrorDescription', 0x12345678, 0x409)).toMatchObject({ hr: 0x80070717, value: null });
    await m.release();
    expect(fake.stats().coTaskMem.outstanding).toBe(0);
  });

  test('notImplemented: GetErrorDescription answers E_NOTIMPL like Wine', async () => {
    const fake = createFakeService({ flavour, notImplemented: ['IBackgroundCopyManager::GetErrorDescription'] });
    const m = await connect(fake);
    expect(await m.invokeRaw('GetErrorDescription', 0x80190194 | 0, 0x409)).toMatchObject({ hr: E_NOTIMPL, value: null });
    expect(fake.stats().coTaskMem.allocs).toBe(0);
    await m.release();
  });
});

describe('WINE_LIKE_OPTIONS', () => {
  test('answers what Wine 8 answered in the testbed', async () => {
    const { WINE_LIKE_OPTIONS } = await import('../../src/testing');
    const { IBackgroundCopyJob4, IBackgroundCopyJob5 } = await import('../../src/bits');
    const fake = createFakeService(WINE_LIKE_OPTIONS);
    const m = await connect(fake);
    expect((await m.invokeRaw('GetErrorDescription', 0x80190194 | 0, 0x409)).hr).toBe(E_NOTIMPL);
    const job = ComPtr.own((await m.invoke('CreateJob', 'wine', 0))[1] as bigint, IBackgroundCopyJob, fake.runtime);
    for (const name of ['Suspend', 'GetTimes', 'GetOwner', 'GetPriority', 'GetErrorCount', 'GetProxySettings', 'TakeOwnership'] as const) {
      expect((await job.invokeRaw(name)).hr).toBe(E_NOTIMPL);
    }
    expect(await job.query(IBackgroundCopyJob5)).toBeNull();
    const j4 = await job.query(IBackgroundCopyJob4);
    expect(j4).not.toBeNull();
    await j4?.release();
    expect(await job.invoke('GetNotifyFlags')).toEqual(3);
    await job.release();
    await m.release();
  });
});

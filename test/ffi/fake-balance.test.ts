/**
 * The central check itself: it must fail on every kind of imbalance (shown here by calling it
 * directly, not through afterEach), pass once things are released, and let a leak test opt out.
 */
import { IBackgroundCopyFile, IBackgroundCopyFile2, IBackgroundCopyJob, IBackgroundCopyJob3, IBackgroundCopyManager, IEnumBackgroundCopyFiles } from '../../src/bits';
import { $, ComPtr, defineInterface, IUnknown, pointerSize, readPointer } from '../../src/com';
import { createFakeService, takeCreatedFakes, verifyFakes, type FakeService } from '../../src/testing';

async function managerOf(fake: FakeService): Promise<ComPtr<typeof IBackgroundCopyManager>> {
  const { ptr } = await fake.runtime.createInstance(fake.clsid, IBackgroundCopyManager.iid);
  return ComPtr.own(ptr as bigint, IBackgroundCopyManager, fake.runtime);
}

test('a leaked job is reported by name, and the check passes once it is released', async () => {
  const fake = createFakeService();
  const m = await managerOf(fake);
  const [, ptr] = await m.invoke('CreateJob', 'leaky', 0);
  const job = ComPtr.own(ptr as bigint, IBackgroundCopyJob, fake.runtime);
  await m.release();
  await fake.settle();
  expect(() => fake.assertBalanced()).toThrow(/job 'leaky' .*1 client reference\(s\) never released \(refCount 2, of which the fake holds 1\)/);
  expect(fake.stats().objects.find((o) => o.iface === 'IBackgroundCopyJob')).toMatchObject({ refCount: 2, internalRefs: 1, clientRefs: 1 });
  await job.release();
  await fake.settle();
  expect(() => fake.assertBalanced()).not.toThrow();
});

test('a leaked enumerator is reported; the items it holds are not blamed', async () => {
  const fake = createFakeService();
  const m = await managerOf(fake);
  const job = ComPtr.own((await m.invoke('CreateJob', 'j', 0))[1] as bigint, IBackgroundCopyJob, fake.runtime);
  await job.invoke('AddFile', 'http://leak.test/a', '/tmp/a');
  const e = ComPtr.own(await job.invoke('EnumFiles') as bigint, IEnumBackgroundCopyFiles, fake.runtime);
  await job.release();
  await m.release();
  await fake.settle();
  let message = '';
  try {
    fake.assertBalanced();
  } catch (error) {
    message = (error as Error).message;
  }
  expect(message).toMatch(/IEnumBackgroundCopyFiles over 1 item\(s\)/);
  expect(message).not.toMatch(/file http:\/\/leak.test/);
  await e.release();
  await fake.settle();
  fake.assertBalanced();
});

/** IBackgroundCopyFile2 with GetFileRanges' raw out-parameters: the array pointer reaches the test, which can leak it. */
const RawRangesFile = defineInterface('IBackgroundCopyFile2', IBackgroundCopyFile2.iid, IBackgroundCopyFile, {
  GetFileRanges: [$.out.u32, $.out.mem],
  SetRemoteName: [$.wstr],
});

test('CoTaskMem handed out and never freed is reported', async () => {
  const fake = createFakeService();
  const m = await managerOf(fake);
  const job = ComPtr.own((await m.invoke('CreateJob', 'j', 0))[1] as bigint, IBackgroundCopyJob3, fake.runtime);
  await job.invoke('AddFileWithRanges', 'http://leak.test/r', '/tmp/r', [{ InitialOffset: 0n, Length: 4n }]);
  const e = ComPtr.own(await job.invoke('EnumFiles') as bigint, IEnumBackgroundCopyFiles, fake.runtime);
  const rgelt = Buffer.alloc(pointerSize());
  await e.invoke('Next', 1, rgelt);
  const file = ComPtr.own(readPointer(rgelt) as bigint, RawRangesFile, fake.runtime);
  const [, ranges] = await file.invoke('GetFileRanges'); // the array is ours to free
  for (const p of [file, e, job, m]) await p.release();
  await fake.settle();
  expect(() => fake.assertBalanced()).toThrow(/1 CoTaskMem block\(s\) handed to the client were never freed \(allocs 1, frees 0\)/);
  fake.runtime.coTaskMemFree(ranges as bigint);
  fake.assertBalanced();
});

/** IBackgroundCopyFile2 whose ranges decoder always throws (a malformed array, say). */
const FailingRangesFile = defineInterface('IBackgroundCopyFile2', IBackgroundCopyFile2.iid, IBackgroundCopyFile, {
  GetFileRanges: [$.out.array((): never => { throw new RangeError('bad ranges'); })],
  SetRemoteName: [$.wstr],
});

test('$.out.array frees the ranges array exactly once: when decoded, and when decoding throws', async () => {
  const fake = createFakeService();
  const m = await managerOf(fake);
  const job = ComPtr.own((await m.invoke('CreateJob', 'j', 0))[1] as bigint, IBackgroundCopyJob3, fake.runtime);
  await job.invoke('AddFileWithRanges', 'http://ranges.test/r', '/tmp/r', [{ InitialOffset: 0n, Length: 4n }, { InitialOffset: 8n, Length: 2n }]);
  const e = ComPtr.own(await job.invoke('EnumFiles') as bigint, IEnumBackgroundCopyFiles, fake.runtime);
  const rgelt = Buffer.alloc(pointerSize());
  await e.invoke('Next', 1, rgelt);
  const ptr = readPointer(rgelt) as bigint;
  const file = ComPtr.own(ptr, IBackgroundCopyFile2, fake.runtime);
  expect(await file.invoke('GetFileRanges')).toEqual([{ offset: 0n, length: 4n }, { offset: 8n, length: 2n }]);
  const failing = ComPtr.borrow(ptr, FailingRangesFile, fake.runtime);
  await expect(failing.invoke('GetFileRanges')).rejects.toThrow('bad ranges');
  for (const p of [file, e, job, m]) await p.release();
  await fake.settle();
  fake.assertBalanced(); // two arrays handed out, two freed
});

test('a call after the final Release is counted, refused, and reported', async () => {
  const fake = createFakeService();
  const m = await managerOf(fake);
  const job = ComPtr.own((await m.invoke('CreateJob', 'j', 0))[1] as bigint, IBackgroundCopyJob, fake.runtime);
  await job.invoke('Cancel'); // the manager lets go: the client's reference is the last one
  const raw = job.ptr;
  await job.release();
  await fake.settle();
  expect(fake.stats().objects.find((o) => o.iface === 'IBackgroundCopyJob')?.refCount).toBe(0);
  const dangling = ComPtr.borrow(raw, IBackgroundCopyJob, fake.runtime);
  expect((await dangling.invokeRaw('GetState')).hr).toBe(0x8000ffff);
  expect(await dangling.query(IUnknown)).toBeNull(); // never resurrected by QueryInterface
  expect(() => fake.assertBalanced()).toThrow(/2 call\(s\) after its final Release/);
  await m.release();
  fake.expectUnbalanced();
});

test('an over-release by the client is reported', async () => {
  const fake = createFakeService();
  const m = await managerOf(fake);
  const job = ComPtr.own((await m.invoke('CreateJob', 'j', 0))[1] as bigint, IBackgroundCopyJob, fake.runtime);
  const extra = ComPtr.own(job.ptr, IBackgroundCopyJob, fake.runtime); // a reference nobody got
  await job.release();
  await extra.release();
  await m.release();
  await fake.settle();
  expect(() => fake.assertBalanced()).toThrow(/released to zero while the fake still held 1 reference\(s\)/);
  fake.expectUnbalanced();
});

test('verifyFakes fails on a leak, disposes every fake anyway, and skips disposed ones later', async () => {
  const leaky = createFakeService();
  const clean = createFakeService({ flavour: 'delivery-optimization' });
  const m = await managerOf(leaky);
  const created = takeCreatedFakes();
  expect(created).toEqual([leaky, clean]);
  await expect(verifyFakes(created)).rejects.toThrow(/fake BITS is not balanced:\n {2}- the BITS manager \[IBackgroundCopyManager #1\]: 1 client reference/);
  expect(leaky.disposed).toBe(true);
  expect(clean.disposed).toBe(true);
  expect(leaky.runtime.tornDown).toBe(true);
  await expect(verifyFakes(created)).resolves.toBeUndefined();
  // After dispose the library releases nothing through the torn-down runtime.
  await m.release();
  expect(takeCreatedFakes()).toEqual([]);
});

test('expectUnbalanced opts a deliberate leak out of the central check', async () => {
  const fake = createFakeService();
  await managerOf(fake); // never released
  fake.expectUnbalanced();
  const created = takeCreatedFakes();
  await expect(verifyFakes(created)).resolves.toBeUndefined();
  expect(fake.disposed).toBe(true);
});

test('after dispose, leaked objects answer RPC_E_DISCONNECTED instead of touching freed memory', async () => {
  const fake = createFakeService();
  const m = await managerOf(fake);
  const job = ComPtr.own((await m.invoke('CreateJob', 'j', 0))[1] as bigint, IBackgroundCopyJob, fake.runtime);
  fake.dispose();
  expect(job.invokeRawSync('GetState').hr).toBe(0x80010108);
  expect(await fake.runtime.createInstance(fake.clsid, IBackgroundCopyManager.iid)).toEqual({ hr: 0x80010108, ptr: null });
  fake.dispose(); // idempotent
  await job.release();
  await m.release();
});

test('dispose frees dead objects and stops transfers', async () => {
  const fake = createFakeService({ script: { 'http://hang.test/x': { kind: 'hang' } } });
  const m = await managerOf(fake);
  const job = ComPtr.own((await m.invoke('CreateJob', 'j', 0))[1] as bigint, IBackgroundCopyJob, fake.runtime);
  await job.invoke('AddFile', 'http://hang.test/x', '/tmp/x');
  await job.invoke('Resume');
  await job.release();
  await m.release();
  await fake.settle();
  fake.assertBalanced();
  fake.dispose();
  expect(fake.stats().liveObjects).toBe(0);
});

/**
 * Late results of calls that timed out (issue 15, item 7): the call rejects with RPC_E_TIMEOUT,
 * the native call goes on, and when it succeeds after all, what it handed out is given back: an
 * interface pointer is released, a string freed, and a job the caller never saw is cancelled.
 * ffi tier: the fake answers on the JS main thread, so keeping that thread busy past the bound
 * makes the call time out first (1 s bound, 1.2 s busy) and succeed right after.
 */
import { BackgroundCopyManager, ServiceUnavailableError } from '../../../src';
import { lateResults, nativeCallsInFlight } from '../../../src/com';
import { createFakeService } from '../../../src/testing';

function busy(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

/** Until the timed-out native calls have really returned (the queue forgot them at the timeout). */
async function nativeCallsDone(): Promise<void> {
  while (nativeCallsInFlight() > 0) await new Promise((resolve) => setImmediate(resolve));
}

async function connectBounded() {
  const fake = createFakeService({ flavour: 'bits' });
  const unbounded = await BackgroundCopyManager.connect({ service: fake });
  // 1 s: the bound applies to every call of the manager, set-up included (a loaded machine).
  const bounded = await BackgroundCopyManager.connect({ service: fake, callTimeoutMs: 1_000 });
  return { fake, unbounded, bounded };
}

test('createJob that times out while the service creates the job: the job is cancelled and released', async () => {
  const { fake, unbounded, bounded } = await connectBounded();
  const before = lateResults.late;
  const creating = bounded.createJob('late job');
  busy(1_200);
  const error = await creating.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ServiceUnavailableError);
  expect((error as ServiceUnavailableError).hresult).toBe(0x8001011f);
  await nativeCallsDone();
  await fake.settle();
  expect(lateResults.late).toBe(before + 1);
  // The service created it, then was told to cancel it: it keeps no orphan.
  expect(fake.calledMethods().has('IBackgroundCopyJob::Cancel')).toBe(true);
  expect(fake.jobs().filter((j) => j.displayName === 'late job')).toEqual([]);
  await Promise.all([bounded.close(), unbounded.close()]);
  await fake.settle();
  fake.assertBalanced();
});

test('a late string is freed and a late interface pointer released', async () => {
  const { fake, unbounded, bounded } = await connectBounded();
  // The job through the bounded manager's runtime: its calls are bounded too.
  const job = await bounded.createJob('late getters');
  const before = { ...lateResults };
  const name = job.getDisplayName();
  const files = job.files();
  busy(1_200);
  await expect(name).rejects.toBeInstanceOf(ServiceUnavailableError);
  await expect(files).rejects.toBeInstanceOf(ServiceUnavailableError);
  await nativeCallsDone();
  await fake.settle();
  expect(lateResults.late - before.late).toBe(2);
  expect(lateResults.released - before.released).toBe(1); // the IEnumBackgroundCopyFiles
  await job.cancel();
  await job.close();
  await Promise.all([bounded.close(), unbounded.close()]);
  await fake.settle();
  // Every reference and every CoTaskMem string given back.
  fake.assertBalanced();
});

// An enumerator's Next writes AddRef'd elements into an array the caller allocated, not into an
// out-parameter: before, a Next that timed out and then succeeded left every element referenced.
test.each([
  ['IEnumBackgroundCopyJobs::Next', 'manager.jobs()'],
  ['IEnumBackgroundCopyFiles::Next', 'job.files()'],
] as const)('a late %s (%s): every element it handed out is released', async (method, what) => {
  // The delay waits on the calling pool thread, then the fake answers: late, but a success. Only the
  // Next of the listing is delayed: addFile's duplicate-path check enumerates the files once per
  // call into a job that has some (the 2nd and 3rd addFile here, not the 1st).
  const nth = what === 'manager.jobs()' ? 1 : 3;
  const fake = createFakeService({ flavour: 'bits', faults: { [method]: { kind: 'delay', ms: 1_500, nth } } });
  const unbounded = await BackgroundCopyManager.connect({ service: fake });
  const job = await unbounded.createJob('late enumerator');
  for (let i = 0; i < 3; i++) await job.addFile(`http://127.0.0.1:9/late-${i}.bin`, `/tmp/late-${i}.bin`);
  const job2 = await unbounded.createJob('late enumerator 2');
  const bounded = await BackgroundCopyManager.connect({ service: fake, callTimeoutMs: 1_000 });
  const boundedJob = await bounded.getJob(job.id);
  const before = { ...lateResults };
  const listing = what === 'manager.jobs()' ? bounded.jobs() : boundedJob.files();
  const error = await listing.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ServiceUnavailableError);
  expect((error as ServiceUnavailableError).hresult).toBe(0x8001011f);
  await nativeCallsDone();
  await fake.settle();
  expect(lateResults.late - before.late).toBe(1);
  // Two jobs or three files, each AddRef'd by the late Next.
  expect(lateResults.released - before.released).toBe(what === 'manager.jobs()' ? 2 : 3);
  await boundedJob.close();
  for (const j of [job, job2]) await j.cancel().then(() => j.close());
  await Promise.all([bounded.close(), unbounded.close()]);
  await fake.settle();
  fake.assertBalanced();
});

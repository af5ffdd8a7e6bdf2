/**
 * Every duration has a range, checked before use (issue 15, item 5), and one manager's call
 * bound never changes another's. ffi tier (fake service).
 */
import { BackgroundCopyManager, DOManager, ServiceUnavailableError } from '../../../src';
import { createFakeService } from '../../../src/testing';
import { connectFake, localPath } from '../../support/fake-env';

const TOO_LONG = 2 ** 31; // Node's timers overflow to 1 ms past 2^31 - 1

test('connect({ callTimeoutMs }) outside 0 … 2^31-1 is a RangeError before anything reaches the service', async () => {
  for (const callTimeoutMs of [TOO_LONG, -1, 1.5, Infinity]) {
    const fake = createFakeService();
    await expect(BackgroundCopyManager.connect({ service: fake, callTimeoutMs })).rejects.toMatchObject({ name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
    expect(fake.nativeCalls).toBe(0);
  }
});

test('waitForCompletion / watch / download: pollIntervalMs and timeoutMs outside their range are RangeErrors', async () => {
  const { fake, manager } = await connectFake();
  const job = await manager.createJob('bounds');
  await expect(job.waitForCompletion({ pollIntervalMs: TOO_LONG })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
  await expect(job.waitForCompletion({ pollIntervalMs: 0 })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
  await expect(job.waitForCompletion({ timeoutMs: TOO_LONG })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
  await expect(job.watch({ pollIntervalMs: TOO_LONG })[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
  const jobsBefore = fake.jobs().length;
  // download checks before it creates a job.
  await expect(manager.download('http://example.test/x', localPath('bounds.bin'), { pollIntervalMs: TOO_LONG })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
  expect(fake.jobs()).toHaveLength(jobsBefore);
  await job.cancel();
  job.dispose();
  manager.dispose();
});

test("one manager's callTimeoutMs does not bound another manager's calls", async () => {
  const fake = createFakeService();
  const unbounded = await BackgroundCopyManager.connect({ service: fake });
  const bounded = await BackgroundCopyManager.connect({ service: fake, callTimeoutMs: 1_000 });
  const a = await unbounded.createJob('unbounded');
  const b = await bounded.createJob('bounded');
  const calls = [a.getState(), b.getState()];
  // The fake answers on this thread: keep it busy past the 1 s bound (not less: set-up calls of
  // the bounded manager must fit in it on a loaded machine).
  const until = Date.now() + 1_200;
  while (Date.now() < until);
  const [ra, rb] = await Promise.allSettled(calls);
  expect(ra.status).toBe('fulfilled');
  expect(rb).toMatchObject({ status: 'rejected', reason: expect.any(ServiceUnavailableError) });
  expect((rb as PromiseRejectedResult).reason.hresult).toBe(0x8001011f);
  await fake.runtime.queue.idle();
  for (const j of [a, b]) j.dispose();
  unbounded.dispose();
  bounded.dispose();
});

test('DOManager.connect({ callTimeoutMs }) has the same range, checked before anything reaches the service', async () => {
  for (const callTimeoutMs of [TOO_LONG, -1, 1.5, Infinity]) {
    const fake = createFakeService({ flavour: 'ido' });
    await expect(DOManager.connect({ service: fake, callTimeoutMs })).rejects.toMatchObject({ name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
    expect(fake.nativeCalls).toBe(0);
  }
});

test("a DOManager's callTimeoutMs bounds its own calls only, not a BITS-style manager's on the same service", async () => {
  const fake = createFakeService({ flavour: 'ido' });
  const unbounded = await BackgroundCopyManager.connect({ service: fake });
  const bounded = await DOManager.connect({ service: fake, callTimeoutMs: 1_000 });
  const job = await unbounded.createJob('unbounded');
  const download = await bounded.createDownload({ uri: 'http://ido.test/bounds.bin', localPath: localPath('ido-bounds.bin') });
  const calls = [job.getState(), download.status()];
  // The fake answers on this thread: keep it busy past the 1 s bound.
  const until = Date.now() + 1_200;
  while (Date.now() < until);
  const [ra, rb] = await Promise.allSettled(calls);
  expect(ra.status).toBe('fulfilled');
  expect(rb).toMatchObject({ status: 'rejected', reason: expect.any(ServiceUnavailableError) });
  await fake.runtime.queue.idle();
  await download.abort().catch(() => undefined);
  await download.close();
  await job.cancel();
  job.dispose();
  unbounded.dispose();
  await bounded.close();
});

test('DODownload.waitForCompletion: pollIntervalMs and timeoutMs have the range of every other wait (issue 23)', async () => {
  const fake = createFakeService({ flavour: 'ido' });
  const manager = await DOManager.connect({ service: fake });
  const download = await manager.createDownload({ uri: 'http://ido.test/wait-bounds.bin', localPath: localPath('ido-wait-bounds.bin') });
  // An aborted signal: a value that passed the check would end in AbortError, not hang the test.
  const signal = AbortSignal.abort();
  try {
    for (const options of [
      { pollIntervalMs: TOO_LONG }, { pollIntervalMs: 2 ** 32 - 1 }, { pollIntervalMs: 0 },
      { timeoutMs: TOO_LONG }, { timeoutMs: 2 ** 32 - 1 }, { timeoutMs: -1 },
    ]) {
      await expect(download.waitForCompletion({ ...options, signal })).rejects.toMatchObject({ name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
    }
    // The largest values pass the check (and the signal ends the wait).
    await expect(download.waitForCompletion({ pollIntervalMs: TOO_LONG - 1, timeoutMs: TOO_LONG - 1, signal })).rejects.toMatchObject({ name: 'AbortError' });
  } finally {
    await download.abort();
    await download.close();
    await manager.close();
  }
});

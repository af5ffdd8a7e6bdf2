import { AbortError, JobFailedError, JobState, ObjectDisposedError } from '../../../src';
import { callbackImplementation } from '../../../src/api/notifications';
import { settleReleases } from '../../../src/com';
import { connectFake, localPath } from '../../support/fake-env';
import { until } from '../../support/wait';

function once<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

test("'transferred' arrives through the JS-implemented IBackgroundCopyCallback", async () => {
  const { fake, manager } = await connectFake({ flavour: 'bits' });
  const job = await manager.createJob('events');
  const transferred = once();
  job.on('transferred', () => transferred.resolve());
  await job.notificationsReady();
  expect(fake.jobs()[0].hasNotifyInterface).toBe(true);
  expect(fake.jobs()[0].notifyFlags & 1).toBe(1);
  await job.addFile('http://example.test/e', localPath('e.bin'));
  await job.resume();
  await transferred.promise;
  expect(await job.getState()).toBe(JobState.Transferred);
  await job.complete();
  job.dispose();
  manager.dispose();
});

test("'error' delivers a JobFailedError with the JobError read from the callback's error object", async () => {
  const url = 'http://example.test/503';
  const { manager } = await connectFake({ flavour: 'bits', script: { [url]: { kind: 'fail', hresult: 0x801901f7 } } });
  const job = await manager.createJob('error event');
  const got = once<Error>();
  job.on('error', (e) => got.resolve(e as Error));
  await job.notificationsReady();
  await job.addFile(url, localPath('503.bin'));
  await job.resume();
  const error = await got.promise;
  expect(error).toBeInstanceOf(JobFailedError);
  expect((error as JobFailedError).jobError).toMatchObject({ hresult: 0x801901f7, code: 'BG_E_HTTP_ERROR_503' });
  await job.cancel();
  job.dispose();
  manager.dispose();
});

test('a listener that throws is contained: COM gets S_OK, the error goes to the error listeners', async () => {
  const { fake, manager } = await connectFake({ flavour: 'bits' });
  const job = await manager.createJob('throwing listener');
  const reported = once<Error>();
  job.on('transferred', () => {
    throw new Error('listener bug');
  });
  const second = once();
  job.on('transferred', () => second.resolve());
  job.on('error', (e) => reported.resolve(e as Error));
  await job.notificationsReady();
  await job.addFile('http://example.test/t', localPath('t.bin'));
  await job.resume();
  expect((await reported.promise).message).toBe('listener bug');
  await second.promise; // the other listener still ran
  await fake.settle(); // the answer travels back from the fake's callback thread
  const stats = fake.stats();
  expect(stats.notifications.delivered.get('JobTransferred')).toBe(1);
  expect(stats.notifications.failed).toBe(0); // the callback answered S_OK
  await job.complete();
  job.dispose();
  manager.dispose();
});

test('with no JobError notification (Wine), the wait still rejects by polling', async () => {
  const url = 'http://example.test/404';
  const { manager } = await connectFake({ flavour: 'bits', sendJobError: false, script: { [url]: { kind: 'fail', hresult: 0x80190194 } } });
  const job = await manager.createJob('poll');
  const events: unknown[] = [];
  job.on('error', (e) => events.push(e));
  await job.notificationsReady();
  await job.addFile(url, localPath('poll.bin'));
  await job.resume();
  await expect(job.waitForCompletion({ pollIntervalMs: 5 })).rejects.toBeInstanceOf(JobFailedError);
  expect(events).toHaveLength(0);
  await job.cancel();
  job.dispose();
  manager.dispose();
});

test('an AbortSignal ends the wait with AbortError; download() cancels its job', async () => {
  const url = 'http://example.test/hang';
  const { fake, manager } = await connectFake({ flavour: 'bits', script: { [url]: { kind: 'hang' } } });
  const controller = new AbortController();
  const pending = manager.download(url, localPath('hang.bin'), {
    signal: controller.signal,
    pollIntervalMs: 5,
    onProgress: (s) => {
      if (s.state === JobState.Transferring) controller.abort();
    },
  });
  await expect(pending).rejects.toBeInstanceOf(AbortError);
  expect(fake.jobs().every((j) => j.state === JobState.Cancelled)).toBe(true);
  manager.dispose();
});

test('watch() yields snapshots until the job is transferred', async () => {
  const url = 'http://example.test/w';
  const { manager } = await connectFake({ flavour: 'delivery-optimization', addFile: 'supported', script: { [url]: { kind: 'succeed', bytes: 4096, durationMs: 40 } } });
  const job = await manager.createJob('watch');
  await job.addFile(url, localPath('w.bin'));
  await job.resume();
  const states: JobState[] = [];
  for await (const s of job.watch({ pollIntervalMs: 3 })) states.push(s.state);
  expect(states[states.length - 1]).toBe(JobState.Transferred);
  expect(states).not.toContain(JobState.Connecting); // DO never reports CONNECTING
  await job.complete();
  job.dispose();
  manager.dispose();
});

test('download() one-shot: success and failure', async () => {
  const ok = 'http://example.test/ok';
  const bad = 'http://example.test/bad';
  const { manager } = await connectFake({ flavour: 'bits', script: { [ok]: { kind: 'succeed', bytes: 2048 }, [bad]: { kind: 'fail', hresult: 0x80190194 } } });
  const result = await manager.download(ok, localPath('ok.bin'), { pollIntervalMs: 5 });
  expect(result).toMatchObject({ bytesTransferred: 2048n, completion: { code: 'S_OK' } });
  await expect(manager.download(bad, localPath('bad.bin'), { pollIntervalMs: 5 })).rejects.toMatchObject({ name: 'JobFailedError', jobError: { code: 'BG_E_HTTP_ERROR_404' } });
  manager.dispose();
});

test('dispose(): use afterwards throws ObjectDisposedError; the callback object is let go', async () => {
  const { manager } = await connectFake({ flavour: 'bits' });
  const job = await manager.createJob('dispose');
  const liveBefore = callbackImplementation.liveCount;
  job.on('modification', () => undefined);
  await job.notificationsReady();
  expect(callbackImplementation.liveCount).toBe(liveBefore + 1);
  await job.cancel();
  job.dispose();
  job.dispose(); // twice is fine
  await expect(job.getState()).rejects.toBeInstanceOf(ObjectDisposedError);
  expect(() => job.on('transferred', () => undefined)).toThrow(ObjectDisposedError);
  manager.dispose();
  await expect(manager.createJob('x')).rejects.toBeInstanceOf(ObjectDisposedError);
  // The fake released its reference when the job ended; ours went with dispose().
  await until(() => callbackImplementation.liveCount === liveBefore, 'every callback object of this test to be released');
  expect(callbackImplementation.liveCount).toBe(liveBefore);
});

test('close() unregisters from the service and resolves once every Release returned; dispose() makes no call', async () => {
  const { fake, manager } = await connectFake({ flavour: 'bits' });
  const closing = await manager.createJob('close');
  closing.on('transferred', () => undefined);
  await closing.notificationsReady();
  expect(fake.jobs()[0].hasNotifyInterface).toBe(true);
  await closing.close();
  expect(fake.jobs()[0].hasNotifyInterface).toBe(false);
  await expect(closing.getState()).rejects.toBeInstanceOf(ObjectDisposedError);

  const disposing = await manager.createJob('dispose');
  disposing.on('transferred', () => undefined);
  await disposing.notificationsReady();
  const calls = fake.nativeCalls;
  disposing.dispose();
  expect(fake.nativeCalls).toBe(calls); // nothing synchronous, no SetNotifyInterface(NULL) queued
  const again = await manager.getJob(disposing.id);
  await again.cancel();
  await again.close();
  await closing.close(); // idempotent
  await manager.close();
});

test('waitForCompletion({ timeoutMs }) gives up with TimeoutError and leaves the job alone', async () => {
  const url = 'http://example.test/never';
  const { manager } = await connectFake({ flavour: 'bits', script: { [url]: { kind: 'hang' } } });
  const job = await manager.createJob('timeout');
  await job.addFile(url, localPath('never.bin'));
  await job.resume();
  const t0 = Date.now();
  const error = await job.waitForCompletion({ pollIntervalMs: 1000, timeoutMs: 50 }).catch((e: unknown) => e);
  expect(error).toMatchObject({ name: 'TimeoutError', code: 'ERR_TIMEOUT' });
  expect(Date.now() - t0).toBeLessThan(900); // the deadline cut the 1 s poll short
  expect(await job.getState()).toBe(JobState.Transferring);
  await job.cancel();
  await job.close();
  await manager.close();
});

test('adding listeners of another kind at once swaps callback objects without any call on a released one', async () => {
  const { fake, manager } = await connectFake({ flavour: 'bits', defaultBehaviour: { kind: 'hang' } });
  const before = new Set(callbackImplementation.objects());
  const job = await manager.createJob('swap');
  job.on('transferred', () => undefined);
  job.on('error', () => undefined); // a second registration while the first is still on its way
  job.on('modification', () => undefined);
  await job.notificationsReady();
  await job.addFile('http://example.test/swap', localPath('swap.bin'));
  await job.resume();
  // Every registration and every Release has reached the fake; then exactly one object is left.
  await fake.settle();
  await settleReleases();
  const mine = callbackImplementation.objects().filter((o) => !before.has(o));
  expect(mine.length).toBeGreaterThanOrEqual(2);
  expect(mine.map((o) => o.callsAfterRelease)).toEqual(mine.map(() => 0));
  expect(mine.filter((o) => o.alive)).toHaveLength(1); // the one the service holds now
  expect(fake.jobs()[0].notifyFlags & 0xb).toBe(0xb);
  await job.cancel();
  await job.close();
  await manager.close();
});

describe('issue 9 #2: events are not lost', () => {
  /** Resolves true when `promise` settles within `ms` (a guard: a lost event must not hang the test). */
  function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      promise.then(() => true),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms))),
    ]).finally(() => clearTimeout(timer));
  }

  test("on('transferred') then resume() without waiting for the registration: 50 tiny jobs in a row, 50 events", async () => {
    const url = 'http://example.test/tiny';
    const { manager } = await connectFake({ flavour: 'delivery-optimization', timing: { connectMs: 0, progressSteps: 1 }, script: { [url]: { kind: 'succeed', bytes: 16 } } });
    let heard = 0;
    for (let i = 0; i < 50; i++) {
      const job = await manager.createJob(`tiny ${i}`);
      await job.addFile(url, localPath(`tiny-${i}.bin`));
      const transferred = once();
      job.on('transferred', () => transferred.resolve());
      await job.resume();
      await job.waitForCompletion({ pollIntervalMs: 2 });
      if (await within(transferred.promise, 2000)) heard++;
      await job.complete();
      job.dispose();
    }
    expect(heard).toBe(50);
    manager.dispose();
  });

  test('a listener added to a job already TRANSFERRED hears it once (the service does not say it again)', async () => {
    const url = 'http://example.test/done';
    const { manager } = await connectFake({ flavour: 'bits', script: { [url]: { kind: 'succeed', bytes: 8 } } });
    const job = await manager.createJob('late listener');
    await job.addFile(url, localPath('late.bin'));
    await job.resume();
    await job.waitForCompletion({ pollIntervalMs: 2 });
    let first = 0;
    const firstHeard = once();
    job.on('transferred', () => {
      first++;
      firstHeard.resolve();
    });
    expect(await within(firstHeard.promise, 2000)).toBe(true);
    // A second listener makes the library look again; the first one is not told twice.
    const second = once();
    job.on('transferred', () => second.resolve());
    expect(await within(second.promise, 2000)).toBe(true);
    expect(first).toBe(1);
    await job.complete();
    job.dispose();
    manager.dispose();
  });

  test("a listener added to a job already in ERROR gets the JobFailedError once", async () => {
    const url = 'http://example.test/404';
    const { manager } = await connectFake({ flavour: 'bits', script: { [url]: { kind: 'fail', hresult: 0x80190194 } } });
    const job = await manager.createJob('late error listener');
    await job.addFile(url, localPath('late-404.bin'));
    await job.resume();
    await expect(job.waitForCompletion({ pollIntervalMs: 2 })).rejects.toBeInstanceOf(JobFailedError);
    const errors: Error[] = [];
    const firstHeard = once();
    job.on('error', (e) => {
      errors.push(e as Error);
      firstHeard.resolve();
    });
    expect(await within(firstHeard.promise, 2000)).toBe(true);
    const second = once();
    job.on('error', () => second.resolve());
    expect(await within(second.promise, 2000)).toBe(true);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(JobFailedError);
    expect((errors[0] as JobFailedError).jobError).toMatchObject({ code: 'BG_E_HTTP_ERROR_404' });
    await job.cancel();
    // close(): also waits for a JobError notification still being read (its error object released).
    await job.close();
    manager.dispose();
  });

  test('close() right after on(\'error\') on a job in ERROR waits for the replay still reading the error', async () => {
    // No JobError notification: the listener hears of the ERROR from the replay alone, whose read of
    // the error object is slowed down; close() must not let go while it holds the error and its file.
    // Before: the fake found the IBackgroundCopyError and its IBackgroundCopyFile still referenced.
    const url = 'http://example.test/404-replay';
    const { fake, manager } = await connectFake({
      flavour: 'bits',
      sendJobError: false,
      script: { [url]: { kind: 'fail', hresult: 0x80190194 } },
      faults: { 'IBackgroundCopyError::GetErrorDescription': { kind: 'delay', ms: 300 } },
    });
    const job = await manager.createJob('replay read');
    await job.addFile(url, localPath('replay-404.bin'));
    await job.resume();
    await until(async () => (await job.getState()) === JobState.Error, 'the job in ERROR');
    job.on('error', () => undefined);
    await job.close();
    manager.dispose();
    await settleReleases();
    expect(fake.calledMethods().has('IBackgroundCopyError::GetErrorDescription')).toBe(true);
    fake.assertBalanced();
  });
});

/**
 * Notifications through the JS-implemented IBackgroundCopyCallback, waiting, and aborting.
 * Wine sends JobTransferred only (never JobError or JobModification), so waiting must poll.
 * Every service call made while a callback object is registered must leave the JS main thread;
 * a blocking one would deadlock (testbed.md section 4): each call here is bounded by a timeout.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { AbortError, InvalidStateError, JobFailedError, JobState, NotifyFlags, type BackgroundCopyJob, type JobStatus } from '../../src';
import { CANCELLABLE_SIZE, expectedSha256, JOB_PREFIX, listJobs, onWine, pollUntil, sha256File, sleep, stateAfterCancel, useWineEnv, withTimeout } from './helpers';

const env = useWineEnv();

/** Resolves with the time the event arrived; rejects after `ms`. */
function nextEvent(job: BackgroundCopyJob, event: 'transferred' | 'error' | 'modification', ms: number): Promise<number> {
  return withTimeout(
    new Promise<number>((resolve) => {
      const listener = (): void => {
        job.off(event, listener);
        resolve(Date.now());
      };
      job.on(event, listener);
    }),
    ms,
    `the '${event}' event`,
  );
}

describe('notifications', () => {
  test("a 'transferred' event arrives through the JS callback object (no polling by the test)", async () => {
    const job = await env.createJob('transferred event');
    const localPath = env.localPath('event.bin');
    await job.addFile(env.http.url('/bytes/200000?seed=8'), localPath);
    const arrived = nextEvent(job, 'transferred', 15_000);
    await withTimeout(job.notificationsReady(), 10_000, 'notificationsReady');
    expect((await job.getNotifyFlags()) & NotifyFlags.JobTransferred).toBe(NotifyFlags.JobTransferred);
    const resumedAt = Date.now();
    await job.resume();
    const at = await arrived;
    expect(at).toBeGreaterThanOrEqual(resumedAt);
    expect(await job.getState()).toBe(JobState.Transferred);
    await job.complete();
    expect(sha256File(localPath)).toBe(expectedSha256(200000, 8));
  });

  test("complete() called from inside the 'transferred' listener works", async () => {
    const job = await env.createJob('complete in callback');
    const localPath = env.localPath('in-callback.bin');
    await job.addFile(env.http.url('/bytes/4096?seed=12'), localPath);
    const completed = withTimeout(
      new Promise<string>((resolve, reject) => {
        job.on('transferred', () => {
          job.complete().then((r) => resolve(r.code), reject);
        });
      }),
      15_000,
      'complete() from the listener',
    );
    await job.notificationsReady();
    await job.resume();
    expect(await completed).toBe('S_OK');
    expect(await job.getState()).toBe(JobState.Acknowledged);
    expect(sha256File(localPath)).toBe(expectedSha256(4096, 12));
  });

  test('with notifications registered, 20 different calls in a row all complete (no deadlock)', async () => {
    const job = await env.createJob('no deadlock');
    job.on('transferred', () => undefined);
    job.on('error', () => undefined);
    job.on('modification', () => undefined);
    await withTimeout(job.notificationsReady(), 10_000, 'notificationsReady');
    const localPath = env.localPath('calls.bin');
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['getState', () => job.getState()],
      ['getProgress', () => job.getProgress()],
      ['getType', () => job.getType()],
      ['getDisplayName', () => job.getDisplayName()],
      ['setDescription', () => job.setDescription('deadlock check')],
      ['getDescription', () => job.getDescription()],
      ['setPriority', () => job.setPriority(2)],
      ['getNotifyFlags', () => job.getNotifyFlags()],
      ['getMinimumRetryDelay', () => job.getMinimumRetryDelay()],
      ['setMinimumRetryDelay', () => job.setMinimumRetryDelay(30)],
      ['getNoProgressTimeout', () => job.getNoProgressTimeout()],
      ['setNoProgressTimeout', () => job.setNoProgressTimeout(900)],
      ['getError', () => job.getError()],
      ['status', () => job.status()],
      ['addFile', () => job.addFile(env.http.url('/bytes/65536?seed=21'), localPath)],
      ['files', async () => (await job.files()).map((f) => f.dispose()).length],
      ['getCustomHeaders', () => job.getCustomHeaders()],
      ['jobs', async () => (await env.manager.jobs()).map((j) => j.dispose()).length],
      ['getJob', async () => (await env.manager.getJob(job.id)).dispose()],
      ['resume', () => job.resume()],
      ['waitForCompletion', () => job.waitForCompletion({ pollIntervalMs: 10 })],
      ['complete', () => job.complete()],
    ];
    const results: Record<string, unknown> = {};
    for (const [name, call] of calls) results[name] = await withTimeout(call(), 10_000, name);
    expect(calls.length).toBeGreaterThanOrEqual(20);
    expect(results.getDisplayName).toBe('do-wine-test: no deadlock');
    expect(results.getDescription).toBe('deadlock check');
    expect(results.getNotifyFlags).toBe(NotifyFlags.JobTransferred | NotifyFlags.JobError | NotifyFlags.JobModification);
    expect(results.files).toBe(1);
    expect((results.waitForCompletion as JobStatus).state).toBe(JobState.Transferred);
    expect(results.complete).toMatchObject({ code: 'S_OK' });
    expect(sha256File(localPath)).toBe(expectedSha256(65536, 21));
  });

  test("on() for a completed job: notificationsReady() rejects with InvalidStateError (BG_E_INVALID_STATE), which the 'error' listeners receive too", async () => {
    const { job } = await env.runJob('on after complete', env.http.url('/bytes/10'));
    await job.complete();
    const errors: Array<Error | undefined> = [];
    job.on('error', (e) => errors.push(e));
    job.on('transferred', () => undefined);
    const e = await withTimeout(job.notificationsReady(), 10_000, 'notificationsReady').then(() => 'resolved', (x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidStateError);
    expect(e).toMatchObject({ hresult: 0x80200002, operation: 'IBackgroundCopyJob::SetNotifyInterface' });
    await pollUntil(async () => errors.length, (n) => n >= 1, 5_000);
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors[0]).toBeInstanceOf(InvalidStateError);
  });

  test('dispose() with notifications registered does not hang; the job can be found and cancelled afterwards', async () => {
    const job = await env.createJob('dispose with callback');
    job.on('transferred', () => undefined);
    await withTimeout(job.notificationsReady(), 10_000, 'notificationsReady');
    job.dispose();
    const again = env.janitor.track(await withTimeout(env.manager.getJob(job.id), 10_000, 'getJob'));
    expect(await withTimeout(again.getState(), 10_000, 'getState')).toBe(JobState.Suspended);
    expect((await withTimeout(again.cancel(), 10_000, 'cancel')).code).toBe('S_OK');
  });
});

describe('process exit', () => {
  // LIBRARY BUG (fails until fixed): dispose() of a job with notifications starts
  // SetNotifyInterface(NULL) and the Releases in the background, with nothing to await. A
  // process.exit() right after it never returns under Wine: node.exe hangs at exit.
  test('process.exit() right after dispose() of a job with notifications exits (child node.exe, 30 s limit)', async () => {
    const root = path.resolve(__dirname, '..', '..');
    const out = env.localPath('child-out.txt');
    const script = env.localPath('child.js');
    fs.writeFileSync(
      script,
      `require(${JSON.stringify(require.resolve('ts-node/register/transpile-only'))});
const fs = require('fs');
const { BackgroundCopyManager } = require(${JSON.stringify(path.join(root, 'src'))});
(async () => {
  const m = await BackgroundCopyManager.connect({ service: 'bits' });
  const job = await m.createJob(${JSON.stringify(`${JOB_PREFIX}: child exit`)});
  fs.writeFileSync(${JSON.stringify(out)}, job.id + '\\n');
  job.on('transferred', () => undefined);
  await job.notificationsReady();
  job.dispose();
  m.dispose();
  fs.appendFileSync(${JSON.stringify(out)}, 'exiting\\n');
  process.exit(7);
})().catch((e) => { fs.appendFileSync(${JSON.stringify(out)}, 'error ' + e.stack + '\\n'); process.exit(3); });
`,
    );
    const child = spawn(process.execPath, [script], { cwd: root, stdio: 'ignore', env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' } });
    const result = await new Promise<{ code: number | null; timedOut: boolean }>((resolve) => {
      const timer = setTimeout(() => {
        child.kill();
        resolve({ code: null, timedOut: true });
        // Loading src through ts-node under Wine takes 10–12 s by itself (measured, 2-core machine under
        // load), before the child does anything: the limit must leave room for that, a hang still shows.
      }, 30_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, timedOut: false });
      });
    });
    const lines = fs.existsSync(out) ? fs.readFileSync(out, 'utf8').split('\n') : [];
    // clean up the child's job
    if (/^[0-9a-f-]{36}$/.test(lines[0] ?? '')) {
      const job = await env.manager.getJob(lines[0]).catch(() => null);
      if (job) env.janitor.track(job);
    }
    expect(lines).toContain('exiting');
    expect(result).toEqual({ code: 7, timedOut: false });
  }, 45_000);
});

describe('waitForCompletion', () => {
  test("resolves on success with a 'transferred' listener registered, which fires once", async () => {
    const job = await env.createJob('wait success');
    let transferred = 0;
    job.on('transferred', () => void transferred++);
    await job.notificationsReady();
    await job.addFile(env.http.url('/bytes/300000?seed=31'), env.localPath());
    await job.resume();
    // A long poll interval: the notification must wake the wait well before it.
    const started = Date.now();
    const status = await job.waitForCompletion({ pollIntervalMs: 5_000 });
    expect(status.state).toBe(JobState.Transferred);
    expect(Date.now() - started).toBeLessThan(4_000);
    await pollUntil(async () => transferred, (n) => n >= 1, 5_000);
    expect(transferred).toBe(1);
  });

  test("Wine: rejects with JobFailedError on ERROR found by polling, while no 'error' event arrives (Windows: JobError is sent too)", async () => {
    const job = await env.createJob('wait error');
    const errors: Array<Error | undefined> = [];
    job.on('error', (e) => errors.push(e));
    await job.notificationsReady();
    expect((await job.getNotifyFlags()) & NotifyFlags.JobError).toBe(NotifyFlags.JobError);
    const url = env.http.url('/status/404?wait=1');
    await job.addFile(url, env.localPath());
    await job.resume();
    const e = (await job.waitForCompletion({ pollIntervalMs: 20 }).catch((x: unknown) => x)) as JobFailedError;
    expect(e).toBeInstanceOf(JobFailedError);
    expect(e).toMatchObject({ state: JobState.Error, stateName: 'ERROR', jobId: job.id });
    expect(e.jobError).toMatchObject({ hresult: 0x80190194, contextName: 'REMOTE_FILE' });
    // Wine never sends JobError (testbed.md §4). Checked after one more round trip to the service,
    // not after a sleep: absence cannot be waited for, and the count is exact either way.
    await job.getState();
    if (onWine) expect(errors).toHaveLength(0);
    else expect(errors.length).toBeLessThanOrEqual(1);
  });

  test('rejects with JobFailedError (state CANCELLED, no jobError) when the job is cancelled while waiting', async () => {
    // A job that never started: Wine's Cancel of a *transferring* job has a crash hazard (helpers.ts).
    const job = await env.createJob('wait cancelled');
    await job.addFile(env.http.url('/bytes/10'), env.localPath());
    const waiting = job.waitForCompletion({ pollIntervalMs: 10 }).catch((x: unknown) => x);
    await sleep(60);
    expect(await job.cancel()).toMatchObject({ hresult: expect.any(Number) });
    const e = await withTimeout(waiting, 5_000, 'waitForCompletion after cancel');
    expect(e).toBeInstanceOf(JobFailedError);
    expect(e).toMatchObject({ state: JobState.Cancelled, stateName: 'CANCELLED', jobError: null, jobId: job.id });
  });

  test('an AbortSignal stops waitForCompletion with AbortError and leaves the job transferring', async () => {
    const job = await env.createJob('wait abort');
    await job.addFile(env.cancellableUrl(), env.localPath()); // the janitor cancels it: see CANCELLABLE_SIZE (helpers.ts)
    await job.resume();
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('enough')), 150);
    const e = await job.waitForCompletion({ signal: ac.signal, pollIntervalMs: 1_000 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AbortError);
    expect(e).toMatchObject({ name: 'AbortError', code: 'ABORT_ERR' });
    expect([JobState.Connecting, JobState.Transferring]).toContain(await job.getState());
  });
});

describe('download() with an AbortSignal', () => {
  test('aborting a 128 MiB transfer after its first progress → AbortError, the job is cancelled (getJob: NOT_FOUND), no file', async () => {
    const localPath = env.localPath('big.bin');
    const displayName = `${JOB_PREFIX}: abort 128 MiB`;
    const url = env.cancellableUrl(); // see helpers.ts
    env.restartServiceAfterTest(); // download() cancels a transfer: see CANCELLABLE_SIZE (helpers.ts)
    const ac = new AbortController();
    let jobId: string | undefined;
    let abortedAt: bigint | undefined;
    const seen: JobStatus[] = [];
    let finding: Promise<void> | undefined;
    const e = await env.manager
      .download(url, localPath, {
        signal: ac.signal,
        pollIntervalMs: 10,
        displayName,
        onProgress: (s) => {
          seen.push(s);
          if (finding === undefined && s.progress.bytesTransferred > 0n) {
            abortedAt = s.progress.bytesTransferred;
            // Learn the job's id (wrappers released at once, so that download()'s own Cancel +
            // dispose leaves no reference behind), then abort.
            finding = (async () => {
              const listed = await env.manager.jobs();
              try {
                for (const j of listed) if ((await j.getDisplayName().catch(() => '')) === displayName) jobId = j.id;
              } finally {
                listed.forEach((j) => j.dispose());
              }
              ac.abort();
            })();
          }
        },
      })
      .catch((x: unknown) => x);
    await finding;
    expect(e).toBeInstanceOf(AbortError);
    expect(e).toMatchObject({ name: 'AbortError', code: 'ABORT_ERR' });
    // No wall-clock bound (it failed at 12–30 s on the loaded 2-core machine): that the abort cut the
    // transfer short is shown by the bytes seen at the abort and by no TRANSFERRED state below.
    expect(abortedAt).toBeDefined();
    expect(abortedAt! < BigInt(CANCELLABLE_SIZE)).toBe(true);
    expect(seen.every((s) => s.state !== JobState.Transferred)).toBe(true);
    expect(fs.existsSync(localPath)).toBe(false);

    expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
    const after = await stateAfterCancel(env.manager, jobId!);
    if (onWine) expect(after).toBe('NOT_FOUND');
    else expect([JobState.Cancelled, 'NOT_FOUND']).toContain(after);

    // The server saw the transfer (how far it got depends on when Wine's worker sees the cancel).
    expect(env.http.requests.filter((r) => r.url === '/files/cancellable.bin').length).toBeGreaterThanOrEqual(1);
  });

  test('an already aborted signal rejects download() before any job is created', async () => {
    const ac = new AbortController();
    ac.abort();
    const before = (await listJobs(env)).map((j) => j.id);
    const e = await env.manager.download(env.http.url('/bytes/10'), env.localPath(), { signal: ac.signal }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AbortError);
    const after = (await listJobs(env)).map((j) => j.id);
    expect(after.filter((id) => !before.includes(id))).toEqual([]);
  });
});

/**
 * Connecting, and successful transfers through the library against the real BITS service
 * (Wine 8's out-of-process qmgr under Wine; the real one on Windows).
 */
import * as fs from 'fs';
import {
  AuthScheme, AuthTarget, BackgroundCopyJob, BackgroundCopyManager, ClassNotRegisteredError, JobState, JobType, stateName, type JobStatus,
} from '../../src';
import { expectedSha256, onWine, sha256File, useWineEnv, wineOnly } from './helpers';

const env = useWineEnv();

describe('connect', () => {
  test('connects to BITS and gets a manager that lists jobs', async () => {
    const m = await BackgroundCopyManager.connect({ service: 'bits' });
    try {
      expect(m.service.kind).toBe('bits');
      expect(m.service.displayName).toBe('BITS');
      const listed = await m.jobs();
      expect(Array.isArray(listed)).toBe(true);
      listed.forEach((j) => j.dispose());
    } finally {
      m.dispose();
    }
  });

  wineOnly('Delivery Optimization → ClassNotRegisteredError 0x80040154 naming the Windows version (Wine has no DO)', async () => {
    const error = await BackgroundCopyManager.connect({ service: 'delivery-optimization' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClassNotRegisteredError);
    const e = error as ClassNotRegisteredError;
    expect(e.hresult).toBe(0x80040154);
    expect(e.code).toBe('REGDB_E_CLASSNOTREG');
    expect(e.service).toBe('Delivery Optimization');
    expect(e.message).toContain('Windows 10 version 1709');
    expect(e.message).toContain('CoCreateInstance(Delivery Optimization)');
  });

  wineOnly('the default service is Delivery Optimization (also ClassNotRegisteredError on Wine)', async () => {
    await expect(BackgroundCopyManager.connect()).rejects.toBeInstanceOf(ClassNotRegisteredError);
  });
});

describe('successful transfers', () => {
  test('create → addFiles (AddFileSet) → resume → complete: 3 files of different sizes, bytes checked by sha256', async () => {
    const sizes = [1, 100_000, 1024 * 1024 + 3];
    const specs = sizes.map((n, i) => ({
      remoteUrl: env.http.url(`/bytes/${n}?seed=${i + 11}`),
      localPath: env.localPath(`multi-${n}.bin`),
      n,
      seed: i + 11,
    }));
    const job = await env.createJob('three files');
    expect(await job.getState()).toBe(JobState.Suspended);
    expect(await job.getType()).toBe(JobType.Download);

    await job.addFiles(specs.map(({ remoteUrl, localPath }) => ({ remoteUrl, localPath })));
    const before = await job.getProgress();
    expect(before.filesTotal).toBe(3);
    expect(before.filesTransferred).toBe(0);
    expect(before.bytesTransferred).toBe(0n);

    await job.resume();
    const status = await job.waitForCompletion({ pollIntervalMs: 20 });
    expect(status.state).toBe(JobState.Transferred);
    expect(status.progress.filesTransferred).toBe(3);
    expect(status.progress.bytesTransferred).toBe(BigInt(sizes.reduce((a, b) => a + b, 0)));
    // Before Complete the data is in temporary files: the local names do not exist yet.
    for (const s of specs) expect(fs.existsSync(s.localPath)).toBe(false);

    const done = await job.complete();
    expect(done).toEqual({ hresult: 0, code: 'S_OK', partial: false, unableToDeleteFiles: false });
    expect(await job.getState()).toBe(JobState.Acknowledged);
    for (const s of specs) {
      expect(fs.statSync(s.localPath).size).toBe(s.n);
      expect(sha256File(s.localPath)).toBe(expectedSha256(s.n, s.seed));
    }
    for (const s of specs) {
      expect(env.http.requests).toContainEqual(expect.objectContaining({ method: 'GET', url: new URL(s.remoteUrl).pathname + new URL(s.remoteUrl).search }));
    }
  });

  test('progress: Wine: job bytesTotal stays null (BG_SIZE_UNKNOWN) even after Complete; each file has its total (Windows: the job gets the sum)', async () => {
    const n = 256 * 1024;
    const job = await env.createJob('progress');
    const fresh = await job.getProgress();
    expect(fresh).toEqual({ bytesTotal: 0n, bytesTransferred: 0n, filesTotal: 0, filesTransferred: 0 });
    const localPath = env.localPath('progress.bin');
    await job.addFile(env.http.url(`/bytes/${n}?seed=5`), localPath);
    const added = await job.getProgress();
    expect(added.filesTotal).toBe(1);
    if (onWine) expect(added.bytesTotal).toBeNull();

    const [file] = await job.files();
    const unstarted = await file.getProgress();
    expect(unstarted).toEqual({ bytesTotal: null, bytesTransferred: 0n, completed: false });

    await job.resume();
    const status = await job.waitForCompletion({ pollIntervalMs: 20 });
    if (onWine) expect(status.progress.bytesTotal).toBeNull();
    else expect(status.progress.bytesTotal).toBe(BigInt(n));
    expect(status.progress.bytesTransferred).toBe(BigInt(n));

    expect(await file.getProgress()).toEqual({ bytesTotal: BigInt(n), bytesTransferred: BigInt(n), completed: true });
    await job.complete();
    const after = await job.getProgress();
    if (onWine) expect(after.bytesTotal).toBeNull();
    expect(after).toMatchObject({ bytesTransferred: BigInt(n), filesTotal: 1, filesTransferred: 1 });
    expect(sha256File(localPath)).toBe(expectedSha256(n, 5));
    file.dispose();
  });

  test('waitForCompletion reports progress snapshots through onProgress, ending in TRANSFERRED', async () => {
    const n = 2 * 1024 * 1024;
    const job = await env.createJob('onProgress');
    await job.addFile(env.http.url(`/slow/${n / 1024}?ms=20&chunk=256&seed=3`), env.localPath('slow.bin'));
    await job.resume();
    const seen: JobStatus[] = [];
    const final = await job.waitForCompletion({ pollIntervalMs: 10, onProgress: (s) => seen.push(s) });
    expect(final.state).toBe(JobState.Transferred);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen[seen.length - 1].state).toBe(JobState.Transferred);
    expect(seen.some((s) => s.state === JobState.Transferring && s.progress.bytesTransferred > 0n && s.progress.bytesTransferred < BigInt(n))).toBe(true);
    // snapshots never go backwards
    for (let i = 1; i < seen.length; i++) expect(seen[i].progress.bytesTransferred >= seen[i - 1].progress.bytesTransferred).toBe(true);
    await job.complete();
  });

  test('watch() yields distinct snapshots and stops at TRANSFERRED', async () => {
    const job = await env.createJob('watch');
    await job.addFile(env.http.url('/slow/512?ms=20&chunk=64&seed=9'), env.localPath('watch.bin'));
    await job.resume();
    const states: string[] = [];
    let last: JobStatus | undefined;
    for await (const s of job.watch({ pollIntervalMs: 10 })) {
      states.push(stateName(s.state));
      last = s;
    }
    expect(states[states.length - 1]).toBe('TRANSFERRED');
    expect(last?.progress.bytesTransferred).toBe(512n * 1024n);
    expect(states).toContain('TRANSFERRING');
    await job.complete();
  });

  test('download() one-shot: resolves with the job id, bytes and S_OK; the file is right; the job is ACKNOWLEDGED', async () => {
    const n = 1024 * 1024;
    const localPath = env.localPath('oneshot.bin');
    const progress: JobStatus[] = [];
    const result = await env.manager.download(env.http.url(`/bytes/${n}?seed=77`), localPath, {
      pollIntervalMs: 20,
      displayName: 'do-wine-test: download()',
      onProgress: (s) => progress.push(s),
    });
    expect(result.localPath).toBe(localPath);
    expect(result.bytesTransferred).toBe(BigInt(n));
    expect(result.completion).toEqual({ hresult: 0, code: 'S_OK', partial: false, unableToDeleteFiles: false });
    expect(result.jobId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(sha256File(localPath)).toBe(expectedSha256(n, 77));
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[progress.length - 1].state).toBe(JobState.Transferred);
    // Wine keeps ACKNOWLEDGED jobs in its list for a while (Windows drops them: JobNotFoundError).
    const again = await env.manager.getJob(result.jobId).catch((e: unknown) => e as Error);
    if (again instanceof BackgroundCopyJob) {
      env.janitor.track(again);
      expect(await again.getState()).toBe(JobState.Acknowledged);
    } else {
      expect(again).toMatchObject({ code: 'BG_E_NOT_FOUND' });
    }
  });

  wineOnly('Wine: HTTP 403 and 500 count as success, the error body becomes the file (Windows: ERROR with 0x80190193 / 0x801901F4)', async () => {
    for (const status of [403, 500]) {
      const localPath = env.localPath(`status-${status}.bin`);
      const result = await env.manager.download(env.http.url(`/status/${status}`), localPath, { pollIntervalMs: 20 });
      expect(result.completion.code).toBe('S_OK');
      expect(fs.readFileSync(localPath, 'utf8')).toBe(`status ${status}\n`);
      expect(result.bytesTransferred).toBe(BigInt(`status ${status}\n`.length));
    }
  });

  wineOnly('Wine: setCredentials(Basic) lets a 401-protected URL download; the server saw the Authorization header', async () => {
    const job = await env.createJob('credentials');
    const localPath = env.localPath('auth.bin');
    await job.setCredentials({ target: AuthTarget.Server, scheme: AuthScheme.Basic, userName: 'user', password: 'pass' });
    await job.addFile(env.http.url('/auth/bytes/4096?seed=6'), localPath);
    await job.resume();
    const status = await job.waitForCompletion({ pollIntervalMs: 20 });
    expect(status.state).toBe(JobState.Transferred);
    await job.complete();
    expect(sha256File(localPath)).toBe(expectedSha256(4096, 6));
    const authorized = env.http.requests.filter((r) => r.url === '/auth/bytes/4096?seed=6' && r.status === 200);
    expect(authorized.length).toBeGreaterThanOrEqual(1);
    expect(authorized[0].authorization).toBe(`Basic ${Buffer.from('user:pass').toString('base64')}`);
  });

  test('a file without Content-Length (chunked) downloads completely', async () => {
    const localPath = env.localPath('nolength.bin');
    const result = await env.manager.download(env.http.url('/nolength/300?seed=4'), localPath, { pollIntervalMs: 20 });
    expect(result.completion.code).toBe('S_OK');
    expect(sha256File(localPath)).toBe(expectedSha256(300 * 1024, 4));
  });
});

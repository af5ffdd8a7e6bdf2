/**
 * Failed transfers: HTTP errors, connection failures, and what the library reports for them.
 * Wine detects HTTP errors itself (only 400, 401, 404, 407, 414, 501, 503, 504, 505 map to
 * errors), never retries, never sends JobError, and its error-description methods fail.
 */
import * as fs from 'fs';
import {
  describeHResult, ErrorContext, HttpError, JobFailedError, JobNotFoundError, JobState, type BackgroundCopyJob,
} from '../../src';
import { BG_S_PARTIAL_COMPLETE, closedPort, onWine, settle, useWineEnv, wineOnly } from './helpers';

const env = useWineEnv();

const HTTP_CASES = [
  { status: 404, hresult: 0x80190194, hex: '0x80190194', code: 'BG_E_HTTP_ERROR_404' },
  { status: 401, hresult: 0x80190191, hex: '0x80190191', code: 'BG_E_HTTP_ERROR_401' },
  { status: 503, hresult: 0x801901f7, hex: '0x801901F7', code: 'BG_E_HTTP_ERROR_503' },
] as const;

describe('HTTP errors → state ERROR and a JobError', () => {
  test.each(HTTP_CASES)('HTTP $status → ERROR, getError() = $code ($hex), REMOTE_FILE, with the file URL and local path', async ({ status, hresult, hex, code }) => {
    expect(`0x${hresult.toString(16).toUpperCase()}`).toBe(hex);
    const url = env.http.url(`/status/${status}`);
    const { job, localPath, state } = await env.runJob(`http ${status}`, url);
    expect(state).toBe(JobState.Error);

    const error = await job.getError();
    expect(error).not.toBeNull();
    expect(error).toMatchObject({
      hresult,
      code,
      context: ErrorContext.RemoteFile,
      contextName: 'REMOTE_FILE',
    });
    expect(error?.file?.remoteUrl).toBe(url);
    expect(error?.file?.localPath).toBe(localPath);
    expect(error?.file?.progress?.completed).toBe(false);
    expect(error?.file?.progress?.bytesTransferred).toBe(0n);
    // Wine: the file's total is the Content-Length of the error body ("status NNN\n")
    if (onWine) expect(error?.file?.progress?.bytesTotal).toBe(BigInt(`status ${status}\n`.length));
    // Nothing reaches the local path on failure.
    expect(fs.existsSync(localPath)).toBe(false);

    const exception = error?.toException();
    expect(exception).toBeInstanceOf(HttpError);
    expect((exception as HttpError).status).toBe(status);
    expect(exception?.hresult).toBe(hresult);
    expect(exception?.message).toContain(`Transfer of ${url} failed: ${code}`);
  });

  wineOnly("Wine: the error's description methods fail (0x800706F4) → description, contextDescription and protocol are null and our message is used (Windows: the service's text)", async () => {
    const { job } = await env.runJob('descriptions', env.http.url('/status/404'));
    const error = await job.getError();
    expect(error?.description).toBeNull();
    expect(error?.contextDescription).toBeNull();
    expect(error?.protocol).toBeNull();
    expect(error?.message).toBe(describeHResult(0x80190194).message);
    expect(error?.message).toMatch(/404/);
  });

  test('status() in ERROR carries the same JobError', async () => {
    const url = env.http.url('/status/404');
    const { job } = await env.runJob('status in error', url);
    const status = await job.status();
    expect(status.state).toBe(JobState.Error);
    expect(status.error?.hresult).toBe(0x80190194);
    expect(status.error?.file?.remoteUrl).toBe(url);
  });

  test('getError() outside ERROR returns null (BG_E_ERROR_INFORMATION_UNAVAILABLE is not thrown)', async () => {
    const job = await env.createJob('no error yet');
    expect(await job.getError()).toBeNull();
    await job.addFile(env.http.url('/bytes/10'), env.localPath());
    expect(await job.getError()).toBeNull();
  });

  wineOnly('Wine: a /auth 401 with WWW-Authenticate Basic is an ERROR 0x80190191 too (no credentials set)', async () => {
    const { job, state } = await env.runJob('auth', env.http.url('/auth/bytes/100'));
    expect(state).toBe(JobState.Error);
    expect((await job.getError())?.hresult).toBe(0x80190191);
  });
});

describe('connection failures', () => {
  wineOnly('Wine: connection refused → ERROR at once, and getError() returns null without throwing (Windows: TRANSIENT_ERROR and a BG_E_* / WinHTTP error object)', async () => {
    const port = await closedPort();
    const { job, state } = await env.runJob('refused', `http://127.0.0.1:${port}/x.bin`);
    expect(state).toBe(JobState.Error);
    await expect(job.getError()).resolves.toBeNull();
    const status = await job.status();
    expect(status.state).toBe(JobState.Error);
    expect(status.error).toBeNull();
  });

  wineOnly('Wine: waitForCompletion rejects with JobFailedError (state ERROR, jobError null) for a refused connection', async () => {
    const port = await closedPort();
    const job = await env.createJob('refused wait');
    await job.addFile(`http://127.0.0.1:${port}/y.bin`, env.localPath());
    await job.resume();
    const error = await job.waitForCompletion({ pollIntervalMs: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error).toMatchObject({ code: 'ERR_JOB_FAILED', jobId: job.id, state: JobState.Error, stateName: 'ERROR', jobError: null });
    expect((error as Error).message).toContain('the service gave no error information');
  });
});

describe('after ERROR', () => {
  wineOnly('Wine: resume() after ERROR retries once (new request) and ends in ERROR again', async () => {
    const { job } = await env.runJob('retry', env.http.url('/status/404?retry=1'));
    const before = env.http.requests.filter((r) => r.url === '/status/404?retry=1').length;
    expect(before).toBeGreaterThanOrEqual(1);
    await job.resume();
    expect(await settle(job)).toBe(JobState.Error);
    const after = env.http.requests.filter((r) => r.url === '/status/404?retry=1').length;
    expect(after).toBeGreaterThan(before);
    expect((await job.getError())?.hresult).toBe(0x80190194);
  });

  wineOnly('Wine: complete() in ERROR → BG_S_PARTIAL_COMPLETE, partial: true, state ACKNOWLEDGED, no file', async () => {
    const { job, localPath } = await env.runJob('complete in error', env.http.url('/status/503'));
    const result = await job.complete();
    expect(result).toEqual({ hresult: BG_S_PARTIAL_COMPLETE, code: 'BG_S_PARTIAL_COMPLETE', partial: true, unableToDeleteFiles: false });
    expect(await job.getState()).toBe(JobState.Acknowledged);
    expect(fs.existsSync(localPath)).toBe(false);
  });

  test('waitForCompletion rejects with JobFailedError carrying the JobError (404)', async () => {
    const url = env.http.url('/status/404');
    const { job } = await env.runJob('wait 404', url);
    const error = (await job.waitForCompletion({ pollIntervalMs: 10 }).catch((e: unknown) => e)) as JobFailedError;
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error.state).toBe(JobState.Error);
    expect(error.jobId).toBe(job.id);
    expect(error.jobError).toMatchObject({ hresult: 0x80190194, code: 'BG_E_HTTP_ERROR_404', contextName: 'REMOTE_FILE' });
    expect(error.message).toContain('BG_E_HTTP_ERROR_404 (0x80190194) [REMOTE_FILE]');
  });
});

describe('download() failure', () => {
  test('rejects with JobFailedError (404), cancels its job, and leaves no file', async () => {
    const localPath = env.localPath('fails.bin');
    const url = env.http.url('/status/404?download=1');
    const error = (await env.manager.download(url, localPath, { pollIntervalMs: 10, displayName: 'do-wine-test: download 404' }).catch((e: unknown) => e)) as JobFailedError;
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error.jobError).toMatchObject({ hresult: 0x80190194, code: 'BG_E_HTTP_ERROR_404' });
    expect(fs.existsSync(localPath)).toBe(false);
    // The job was cancelled: Wine still finds it for a moment (CANCELLED), Windows does not.
    let job: BackgroundCopyJob | undefined;
    try {
      job = env.janitor.track(await env.manager.getJob(error.jobId));
      expect(await job.getState()).toBe(JobState.Cancelled);
    } catch (e) {
      expect(e).toBeInstanceOf(JobNotFoundError);
    }
  });
});

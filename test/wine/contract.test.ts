/**
 * The service's contract as its documentation states it, checked against the real BITS service
 * (issue 9): what download() promises, truncated bodies, remote names, events.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DestinationFolderError, JobState, TruncatedTransferError, type BackgroundCopyJob } from '../../src';
import { onWine, settle, useWineEnv, wineOnly } from './helpers';

const env = useWineEnv();

describe('download() resolves only when every file is under its final name', () => {
  wineOnly('issue 20: destination folder does not exist → DestinationFolderError before any transfer: no job, no request to the server (before: 4 KiB transferred, then IncompleteDownloadError)', async () => {
    const localPath = path.join(env.dir, 'no-such-folder', 'setup.exe');
    const url = env.http.url('/bytes/4096?seed=21');
    const jobsBefore = (await env.manager.jobs()).length;
    const requestsBefore = env.http.requests.length;
    const error = await env.manager.download(url, localPath, { pollIntervalMs: 10, displayName: 'do-wine-test: missing folder' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DestinationFolderError);
    const e = error as DestinationFolderError;
    expect(e).toMatchObject({ code: 'ERR_DESTINATION_FOLDER_MISSING', problem: 'missing', localPath, folder: path.dirname(localPath) });
    expect(e.message).toContain(localPath);
    expect(e.message).toContain('destination folder does not exist');
    expect(e.message).toContain('Nothing was transferred');
    expect(env.http.requests.length).toBe(requestsBefore);
    const jobsAfter = await env.manager.jobs();
    expect(jobsAfter.length).toBe(jobsBefore);
    for (const job of jobsAfter) job.dispose();
    expect(fs.existsSync(localPath)).toBe(false);
  });
});

describe('truncated bodies are failures, not successes', () => {
  wineOnly('Wine: a server that declares 1 MiB and sends 512 KiB → TRANSFERRED; waitForCompletion rejects with TruncatedTransferError (524288 of 1048576)', async () => {
    const url = env.http.url('/truncated/1048576?send=524288&seed=3');
    const job = await env.createJob('truncated wait');
    await job.addFile(url, env.localPath('truncated.bin'));
    await job.resume();
    const error = await job.waitForCompletion({ pollIntervalMs: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TruncatedTransferError);
    const e = error as TruncatedTransferError;
    expect(e.files).toEqual([expect.objectContaining({ remoteUrl: url, bytesTransferred: 524288n, bytesTotal: 1048576n })]);
    expect(e.message).toContain('524288 of 1048576 bytes');
    // the job is left as it is
    expect(await job.getState()).toBe(JobState.Transferred);
  });

  wineOnly('Wine: download() of a body cut short rejects with TruncatedTransferError and leaves no file', async () => {
    const localPath = env.localPath('truncated-download.bin');
    const error = await env.manager
      .download(env.http.url('/truncated/1048576?send=524288&seed=4'), localPath, { pollIntervalMs: 10, displayName: 'do-wine-test: truncated' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    if (error instanceof TruncatedTransferError) expect(error.files[0].bytesTransferred).toBe(524288n);
    expect(fs.existsSync(localPath)).toBe(false);
  });
});

/** Resolves true when `promise` settles within `ms` (a guard: a lost event must not hang the test). */
function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]).finally(() => clearTimeout(timer));
}

function heard(job: BackgroundCopyJob, event: 'transferred'): { count: () => number; first: Promise<void> } {
  let n = 0;
  let resolve!: () => void;
  const first = new Promise<void>((r) => (resolve = r));
  job.on(event, () => {
    n++;
    resolve();
  });
  return { count: () => n, first };
}

describe('events reach listeners registered before the call that causes them', () => {
  test("on('transferred') then resume() at once, 50 tiny jobs in a row: 50 events (before: 1 KiB lost 3 of 3)", async () => {
    let events = 0;
    const lost: number[] = [];
    for (let i = 0; i < 50; i++) {
      const job = await env.createJob(`tiny ${i}`);
      await job.addFile(env.http.url(`/bytes/1024?seed=${i}`), env.localPath(`tiny-${i}.bin`));
      const listener = heard(job, 'transferred');
      await job.resume();
      expect(await settle(job)).toBe(JobState.Transferred);
      if (await within(listener.first, 3000)) events++;
      else lost.push(i);
      await job.complete();
      job.dispose();
    }
    expect(lost).toEqual([]);
    expect(events).toBe(50);
  });

  test('a listener added to a job already TRANSFERRED hears it once', async () => {
    const job = await env.createJob('late listener');
    await job.addFile(env.http.url('/bytes/512?seed=8'), env.localPath('late.bin'));
    await job.resume();
    expect(await settle(job)).toBe(JobState.Transferred);
    const first = heard(job, 'transferred');
    expect(await within(first.first, 3000)).toBe(true);
    const second = heard(job, 'transferred');
    expect(await within(second.first, 3000)).toBe(true);
    expect(first.count()).toBe(1);
    await job.complete();
  });
});

describe('remote names BITS documents (BG_FILE_INFO: UNC, drive paths, file://) are accepted', () => {
  for (const form of ['drive path', 'file:// URL'] as const) {
    test(`a ${form} transfers with identical bytes (before: "uses the scheme z", thrown before the service was called)`, async () => {
      const source = path.join(env.dir, `source-${form === 'drive path' ? 'drive' : 'url'}.txt`);
      fs.writeFileSync(source, `remote name as a ${form}\n`.repeat(100));
      const remote = form === 'drive path' ? source : `file://${source}`;
      const localPath = env.localPath('copied.txt');
      const result = await env.manager.download(remote, localPath, { pollIntervalMs: 10, displayName: `do-wine-test: ${form}` });
      expect(result.completion.code).toBe('S_OK');
      expect(fs.readFileSync(localPath)).toEqual(fs.readFileSync(source));
    });
  }

  test('\\\\.\\ and \\\\?\\ remote names are refused before the service sees them (Wine copied a local file for them)', async () => {
    const job = await env.createJob('namespace remote');
    for (const remote of ['\\\\?\\C:\\windows\\win.ini', '\\\\.\\C:\\windows\\win.ini']) {
      await expect(job.addFile(remote, env.localPath('ns.bin'))).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    }
    expect((await job.getProgress()).filesTotal).toBe(0);
  });
});

describe('local paths that would land elsewhere are refused', () => {
  test('device paths, a trailing dot or space, the same path twice: ERR_INVALID_ARG_VALUE, the job stays empty (before: S_OK, one file lost)', async () => {
    const job = await env.createJob('bad local paths');
    const url = env.http.url('/bytes/64?seed=2');
    for (const local of ['\\\\.\\NUL', '\\\\.\\pipe\\x', '\\\\.\\PhysicalDrive0', `${env.dir}\\file.`, `${env.dir}\\file `]) {
      await expect(job.addFile(url, local)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    }
    const same = env.localPath('same.bin');
    await expect(job.addFiles([{ remoteUrl: url, localPath: same }, { remoteUrl: `${url}&x=2`, localPath: same }])).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    expect((await job.getProgress()).filesTotal).toBe(0);
    await job.addFile(url, same);
    await expect(job.addFile(`${url}&x=3`, same.toUpperCase())).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    expect((await job.getProgress()).filesTotal).toBe(1);
  });
});

describe('messages say what happened', () => {
  test('resume() on a TRANSFERRED job names the state, not "the job has no files"', async () => {
    const job = await env.createJob('resume transferred');
    await job.addFile(env.http.url('/bytes/256?seed=5'), env.localPath('rt.bin'));
    await job.resume();
    expect(await settle(job)).toBe(JobState.Transferred);
    const error = await job.resume().then(() => null, (e: unknown) => e as Error);
    // Wine answers BG_E_EMPTY ("no files"); Windows may accept the Resume (nothing to do).
    if (onWine) expect(error).not.toBeNull();
    if (error) {
      expect(error.message).toContain('The job is TRANSFERRED');
      expect(error.message).toContain('complete()');
    }
    await job.complete();
  });

  wineOnly("Wine: a Win32 code outside our tables gets Windows' own text (FormatMessageW)", async () => {
    const { systemMessage } = await import('../../src/com/system-message');
    const text = systemMessage(0x80070001);
    expect(typeof text).toBe('string');
    expect((text ?? '').length).toBeGreaterThan(3);
    const { HResultError } = await import('../../src/errors');
    const { setSystemMessageSource } = await import('../../src/diagnostics');
    setSystemMessageSource(systemMessage);
    try {
      expect(new HResultError(0x80070001).message).toContain(text as string);
    } finally {
      setSystemMessageSource(null);
    }
  });
});

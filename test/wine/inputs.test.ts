/**
 * Issue 26 against Wine's real BITS: the library refuses remote names with control characters or
 * whitespace, local paths that name a folder and local paths over MAX_PATH before the service sees
 * them (the job keeps no file); and, through the raw vtable (no validation), what the service
 * itself answers for the same input. Wine's AddFile answers S_OK to all of them: dlls/qmgr/job.c
 * has "We should return E_INVALIDARG in these cases. FIXME: Check for valid filenames and supported
 * protocols". Windows documents E_INVALIDARG for "The local or remote file name is not valid"
 * (IBackgroundCopyJob::AddFile), with BG_FILE_INFO's rules: "The URL must contain only legal URL
 * characters; no escape processing is performed", "The path is limited to MAX_PATH".
 * Measured on Wine 8: after Resume, Wine's WinHTTP sends CR LF, TAB, a space and C1 characters
 * %-encoded (no header is injected), and the local names that are folders or too long transfer.
 */
import * as path from 'path';
import { BITS_MAX_LOCAL_PATH } from '../../src/api/validate';
import { IBackgroundCopyJob, IBackgroundCopyManager } from '../../src/bits';
import { ComPtr, type ComRuntime } from '../../src/com';
import { JOB_PREFIX, settle, useWineEnv, waitingForWindows, wineOnly } from './helpers';
import { JobState } from '../../src';

const env = useWineEnv();
const hex = (hr: number) => `0x${(hr >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;

type Input = [what: string, remote: () => string, local: () => string, argument: string, rule: RegExp];

const INPUTS: Input[] = [
  ['CR LF in the URL (header injection)', () => env.http.url('/bytes/1\r\nX-Injected: 1'), () => env.localPath(), 'file.remoteUrl', /carriage return/],
  ['a raw space in the URL', () => env.http.url('/bytes/1?a b'), () => env.localPath(), 'file.remoteUrl', /encode it as %20/],
  ['a TAB in the URL', () => `${env.http.url('/bytes/1')}\t`, () => env.localPath(), 'file.remoteUrl', /a TAB U\+0009/],
  ['a C1 control (U+0085) in the URL', () => env.http.url('/bytes/1?\u0085'), () => env.localPath(), 'file.remoteUrl', /U\+0085/],
  ['C:\\ as the local path', () => env.http.url('/bytes/1'), () => 'C:\\', 'file.localPath', /ends in a path separator/],
  ['a local path ending in \\', () => env.http.url('/bytes/1'), () => `${env.dir}\\`, 'file.localPath', /ends in a path separator/],
  ['an existing folder as the local path', () => env.http.url('/bytes/1'), () => env.dir, 'file.localPath', /names an existing folder/],
  [`a local path of ${BITS_MAX_LOCAL_PATH + 40} characters`, () => env.http.url('/bytes/1'), () => path.join(env.dir, 'x'.repeat(BITS_MAX_LOCAL_PATH + 40 - env.dir.length - 1)), 'file.localPath', /at most 260 characters/],
  ['a local path of 32,000 characters', () => env.http.url('/bytes/1'), () => path.join(env.dir, `${'y\\'.repeat(16_000 - env.dir.length)}z`), 'file.localPath', /at most 260 characters/],
];

describe('the library refuses them before the service sees them', () => {
  test.each(INPUTS)('%s → ERR_INVALID_ARG_VALUE naming the argument; the job has no file', async (_what, remote, local, argument, rule) => {
    const job = await env.createJob('inputs refused');
    const error = await job.addFile(remote(), local()).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    expect((error as Error).message.startsWith(`The argument "${argument}" `)).toBe(true);
    expect((error as Error).message).toMatch(rule);
    const files = await job.files();
    files.forEach((f) => f.dispose());
    expect(files).toHaveLength(0);
  });
});

/** A raw job (no library checks) per input: AddFile's HRESULT, then Resume and the state the job settles in (and its error). */
async function serviceAnswers(): Promise<Record<string, string>> {
  const rt: ComRuntime = env.manager.service.runtime;
  const { hr: activated, ptr } = await rt.createInstance(env.manager.service.clsid, IBackgroundCopyManager.iid);
  expect(hex(activated)).toBe('0x00000000');
  rt.setProxyBlanket(ptr as bigint);
  const manager = ComPtr.own(ptr as bigint, IBackgroundCopyManager, rt);
  const answers: Record<string, string> = {};
  try {
    for (const [what, remote, local] of INPUTS) {
      const [id, jobPtr] = await manager.invoke('CreateJob', `${JOB_PREFIX}: raw AddFile`, 0);
      const job = ComPtr.own(jobPtr as bigint, IBackgroundCopyJob, rt);
      const tracked = env.janitor.track(await env.manager.getJob(id)); // cancelled at the end
      try {
        const added = hex((await job.invokeRaw('AddFile', remote(), local())).hr);
        if (added !== '0x00000000') {
          answers[what] = added; // refused (Windows, as documented): nothing to resume
          continue;
        }
        await tracked.resume();
        const state = await settle(tracked, 30_000);
        const error = state === JobState.Error ? await tracked.getError() : null;
        answers[what] = `${added} ${JobState[state]}${error ? ` ${hex(error.hresult)} ${error.contextName}` : ''}`;
      } finally {
        await job.release();
      }
    }
  } finally {
    await manager.release();
  }
  return answers;
}

/** What Wine 8 did with each input given raw (measured): AddFile's HRESULT, then the state Resume led to. */
const WINE_ANSWERS: Record<string, string> = {
  'CR LF in the URL (header injection)': '0x00000000 Error 0x80190194 REMOTE_FILE',
  'a raw space in the URL': '0x00000000 Transferred',
  'a TAB in the URL': '0x00000000 Error 0x80190194 REMOTE_FILE',
  'a C1 control (U+0085) in the URL': '0x00000000 Transferred',
  'C:\\ as the local path': '0x00000000 Transferred',
  'a local path ending in \\': '0x00000000 Transferred',
  'an existing folder as the local path': '0x00000000 Transferred',
  [`a local path of ${BITS_MAX_LOCAL_PATH + 40} characters`]: '0x00000000 Transferred',
  'a local path of 32,000 characters': '0x00000000 Transferred',
};

wineOnly("Wine's own AddFile (raw vtable, no validation) answers S_OK to every one of them (dlls/qmgr: FIXME, no check); its WinHTTP then sends CR LF, TAB, space and C1 %-encoded, so no header is injected", async () => {
  const answers = await serviceAnswers();
  expect(answers).toEqual(WINE_ANSWERS);
  const seen = env.http.requests.filter((r) => r.url.startsWith('/bytes/1')).map((r) => r.url);
  expect(seen).toEqual(expect.arrayContaining(['/bytes/1%0D%0AX-Injected:%201', '/bytes/1?a%20b', '/bytes/1%09', '/bytes/1?%C2%85']));
  expect(env.http.requests.filter((r) => r.headers['x-injected'] !== undefined)).toEqual([]);
}, 240_000);

waitingForWindows("Windows' own AddFile (raw vtable) answers E_INVALIDARG for a URL with CR LF or a raw space and a local path over MAX_PATH (IBackgroundCopyJob::AddFile, BG_FILE_INFO)", async () => {
  const answers = await serviceAnswers();
  for (const what of ['CR LF in the URL (header injection)', 'a raw space in the URL', `a local path of ${BITS_MAX_LOCAL_PATH + 40} characters`]) {
    expect([what, answers[what]]).toEqual([what, '0x80070057']);
  }
}, 120_000);

/**
 * Issue 26: the inputs that used to reach the service unchecked. Remote names with control
 * characters or whitespace (BG_FILE_INFO: "only legal URL characters; no escape processing is
 * performed"), local paths that name a folder, BITS local paths over MAX_PATH. Each is refused with
 * ERR_INVALID_ARG_VALUE naming the argument, shows no secret, and makes no native call on the fake.
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { BackgroundCopyManager, DOManager, download, type BackgroundCopyJob } from '../../../src';
import { BITS_MAX_LOCAL_PATH } from '../../../src/api/validate';
import { createFakeService } from '../../../src/testing';

const dir = mkdtempSync(join(tmpdir(), 'inputs-'));
const URL_OK = 'http://127.0.0.1:1/file.bin';
const LOCAL_OK = join(dir, 'file.bin');
/** A path of `length` characters in `dir` (its folder need not exist: only the length is looked at). */
const pathOfLength = (length: number): string => join(dir, 'x'.repeat(length - dir.length - 1));

interface Case {
  readonly name: string;
  /** The argument the message must name. */
  readonly argument: string;
  readonly message: RegExp;
  readonly run: (m: BackgroundCopyManager, j: BackgroundCopyJob) => Promise<unknown>;
}

const remote = (name: string, url: string, message: RegExp): Case[] => [
  { name: `addFile: ${name}`, argument: 'file.remoteUrl', message, run: (_m, j) => j.addFile(url, LOCAL_OK) },
  { name: `addFiles: ${name}`, argument: 'files[1].remoteUrl', message, run: (_m, j) => j.addFiles([{ remoteUrl: URL_OK, localPath: LOCAL_OK }, { remoteUrl: url, localPath: join(dir, 'b.bin') }]) },
  { name: `download: ${name}`, argument: 'url', message, run: (m) => m.download(url, LOCAL_OK) },
];

const local = (name: string, path: string, message: RegExp): Case[] => [
  { name: `addFile: ${name}`, argument: 'file.localPath', message, run: (_m, j) => j.addFile(URL_OK, path) },
  { name: `addFiles: ${name}`, argument: 'files[0].localPath', message, run: (_m, j) => j.addFiles([{ remoteUrl: URL_OK, localPath: path }]) },
  { name: `download: ${name}`, argument: 'localPath', message, run: (m) => m.download(URL_OK, path) },
];

const CONTROL = /a URL holds no control characters or whitespace \(BITS sends the URL as given, BG_FILE_INFO\)/;
const SEPARATOR = /ends in a path separator, so it names a folder, not a file/;
const MAX_PATH = /at most 260 characters \(MAX_PATH, BG_FILE_INFO; the \\\\\?\\ long-path form is not supported by BITS\)/;

const cases: Case[] = [
  ...remote('CR LF (header injection)', 'http://host/a\r\nX-Injected: 1', /carriage return \(CR\) U\+000D at index 13/),
  ...remote('a raw space', 'http://host/a b.bin', /a space U\+0020 at index 13: a URL cannot hold a raw space .*encode it as %20/),
  ...remote('a leading space (the WHATWG parser would strip it)', ' http://host/a.bin', /a space U\+0020 at index 0/),
  ...remote('a TAB', 'http://host/a\tb', /a TAB U\+0009/),
  ...remote('a lone LF', 'http://host/a\nb', /a line feed \(LF\) U\+000A/),
  ...remote('U+0001', 'http://host/a\u0001b', CONTROL),
  ...remote('DEL', 'http://host/a\u007fb', /U\+007F.*\(%7F\)/),
  ...remote('a C1 control (U+0085)', 'http://host/a\u0085b', /U\+0085.*\(%C2%85\)/),
  ...remote('CR in a file:// URL', 'file://server/share/a\rb', /U\+000D/),
  ...remote('a TAB in a UNC remote path', '\\\\server\\share\\a\tb', /./),
  ...local('C:\\ (a drive root)', 'C:\\', SEPARATOR),
  ...local('C:\\dl\\ (a folder)', 'C:\\dl\\', SEPARATOR),
  ...local('C:/dl/ (forward slashes)', 'C:/dl/', SEPARATOR),
  ...local('\\\\server\\share\\dir\\', '\\\\server\\share\\dir\\', SEPARATOR),
  ...local('/ (POSIX root)', '/', SEPARATOR),
  ...local('a POSIX folder with a trailing /', `${dir}/`, SEPARATOR),
  ...local('an existing folder', dir, /names an existing folder, not a file/),
  ...local(`a Windows path of ${BITS_MAX_LOCAL_PATH + 1} characters`, `C:\\${'a'.repeat(BITS_MAX_LOCAL_PATH - 2)}`, MAX_PATH),
  ...local('a Windows path of 32,000 characters', `C:\\${'a\\'.repeat(16_000)}b`, MAX_PATH),
  ...local(`a POSIX path of ${BITS_MAX_LOCAL_PATH + 1} characters`, pathOfLength(BITS_MAX_LOCAL_PATH + 1), MAX_PATH),
  ...local('a \\\\?\\ long path (BG_FILE_INFO: "Do not include the \\\\? prefix")', `\\\\?\\C:\\${'a'.repeat(300)}`, /namespace/),
  { name: 'replaceRemotePrefix: CR LF in oldPrefix', argument: 'oldPrefix', message: /carriage return/, run: (_m, j) => j.replaceRemotePrefix('http://old\r\n', 'http://new') },
  { name: 'replaceRemotePrefix: a raw space in newPrefix', argument: 'newPrefix', message: /encode it as %20/, run: (_m, j) => j.replaceRemotePrefix('http://old', 'http://new host') },
  { name: 'replaceRemotePrefix: a TAB in a UNC newPrefix', argument: 'newPrefix', message: /a remote path holds no control characters/, run: (_m, j) => j.replaceRemotePrefix('\\\\old\\share', '\\\\new\\sh\tare') },
];

describe.each(['bits', 'delivery-optimization'] as const)('%s: refused before native code', (flavour) => {
  let fake: ReturnType<typeof createFakeService>;
  let manager: BackgroundCopyManager;
  let job: BackgroundCopyJob;

  beforeEach(async () => {
    fake = createFakeService({ flavour });
    manager = await BackgroundCopyManager.connect({ service: fake });
    job = await manager.createJob('inputs');
  });

  afterEach(async () => {
    await job.cancel().catch(() => undefined);
    job.dispose();
    manager.dispose();
  });

  // Remote paths (UNC) are BITS' only: under DO they are refused for that reason, which is tested elsewhere.
  const applicable = cases.filter((c) => flavour === 'bits' || !/UNC remote path|file:\/\//.test(c.name));

  test.each(applicable.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = fake.nativeCalls;
    const error = await c.run(manager, job).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    const { message } = error as Error;
    expect(message.startsWith(`The argument "${c.argument}" `)).toBe(true);
    expect(message).toMatch(c.message);
    expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/); // shown escaped, never raw
    expect(fake.nativeCalls).toBe(before);
  });

  test(`a local path of exactly ${BITS_MAX_LOCAL_PATH} characters is accepted (the limit, not one less)`, async () => {
    const path = pathOfLength(BITS_MAX_LOCAL_PATH);
    expect(path).toHaveLength(BITS_MAX_LOCAL_PATH);
    await expect(job.addFile(URL_OK, path)).resolves.toBeUndefined();
  });

  test('%-encoded controls and spaces are accepted: the URL is sent as given', async () => {
    await expect(job.addFile('http://host/a%20b%0D%0A.bin', LOCAL_OK)).resolves.toBeUndefined();
  });

  test('no secret in the message: userinfo is hidden even when it holds a space or a control character', async () => {
    for (const url of ['http://user:hunter2@host/a b', 'http://user:hun ter2@host/a', 'http://us\ter:hunter2@host/a', 'https://user:hunter2@host/a\r\n']) {
      const error = await job.addFile(url, LOCAL_OK).then(() => undefined, (e: unknown) => e);
      expect(error).toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
      expect((error as Error).message).not.toMatch(/hunter2|hun|ter2/);
      expect((error as Error).message).toContain('***@host');
    }
  });
});

test('setRemoteName: a raw space is refused before SetRemoteName', async () => {
  const fake = createFakeService({ flavour: 'bits' });
  const manager = await BackgroundCopyManager.connect({ service: fake });
  const job = await manager.createJob('inputs setRemoteName');
  try {
    await job.addFile(URL_OK, LOCAL_OK);
    const [file] = await job.files();
    const before = fake.nativeCalls;
    await expect(file.setRemoteName('http://host/a b')).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE', message: expect.stringMatching(/^The argument "url" .*%20/) });
    expect(fake.nativeCalls).toBe(before);
    file.dispose();
  } finally {
    await job.cancel();
    job.dispose();
    manager.dispose();
  }
});

describe('the IDO API and download()', () => {
  test('createDownload({ uri }) with CR LF → ERR_INVALID_ARG_VALUE naming options.uri, no download created', async () => {
    const fake = createFakeService({ flavour: 'ido' });
    const manager = await DOManager.connect({ service: fake });
    try {
      await expect(manager.createDownload({ uri: 'http://host/a\r\nX: 1', localPath: LOCAL_OK })).rejects.toMatchObject({
        code: 'ERR_INVALID_ARG_VALUE', message: expect.stringMatching(/^The argument "options\.uri" contains a carriage return/),
      });
      await expect(manager.createDownload({ uri: URL_OK, localPath: `${dir}/` })).rejects.toMatchObject({
        code: 'ERR_INVALID_ARG_VALUE', message: expect.stringMatching(/^The argument "options\.localPath" ends in a path separator/),
      });
      expect(fake.idoDownloads()).toEqual([]);
    } finally {
      await manager.close();
    }
  });

  test('download(): a raw space in the URL and a folder as destination are refused before any activation', async () => {
    const fake = createFakeService({ flavour: 'ido' });
    await expect(download('http://host/a b', LOCAL_OK, { service: fake })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE', message: expect.stringMatching(/^The argument "url" .*%20/) });
    await expect(download(URL_OK, dir, { service: fake })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE', message: expect.stringMatching(/^The argument "destination" names an existing folder/) });
    expect(fake.stats().activations).toBe(0);
  });

  test("download({ api: 'bits-style' }): a destination over MAX_PATH is refused before any activation; IDO documents no such limit", async () => {
    const bitsStyle = createFakeService({ flavour: 'delivery-optimization' });
    await expect(download(URL_OK, pathOfLength(BITS_MAX_LOCAL_PATH + 1), { service: bitsStyle, api: 'bits-style' })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_VALUE', message: expect.stringMatching(/^The argument "destination" is 261 characters long/),
    });
    expect(bitsStyle.stats().activations).toBe(0);
  });
});

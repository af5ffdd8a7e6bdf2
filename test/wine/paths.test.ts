/**
 * Windows paths as destinations: long paths (`\\?\` and > 260 characters), UNC, names outside
 * ASCII and outside the BMP, read-only destinations, a destination on another volume than the
 * temp folder. Run under Wine where Wine can answer (measured there), `waitingForWindows` where
 * only Windows can (SMB shares, MAX_PATH, ACLs, the read-only attribute). The documented rule for
 * local names: BG_FILE_INFO (learn.microsoft.com/windows/win32/api/bits/ns-bits-bg_file_info):
 * "The path is limited to MAX_PATH, not including the null terminator … use UNC paths (for
 * example, \\server\share\path\file). Do not include the \\? prefix in the path."
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DestinationFolderError } from '../../src';
import { expectedSha256 } from '../fixtures/http-server';
import { JOB_PREFIX, listJobs, onWine, sha256File, useWineEnv, waitingForWindows, wineOnly } from './helpers';
import { mapWineDrive, unmapWineDrive } from './wine-drive';

const env = useWineEnv();
const MAX_PATH = 260;

/** A download of /bytes/<size>?seed=<seed> into `dest` through the manager: the error, or null once the bytes are right. */
async function downloadInto(dest: string, seed: number, what: string, size = 65536): Promise<unknown> {
  try {
    await env.manager.download(env.http.url(`/bytes/${size}?seed=${seed}`), dest, { displayName: `${JOB_PREFIX}: paths ${what}` });
  } catch (e) {
    return e;
  }
  expect(sha256File(dest)).toBe(expectedSha256(size, seed));
  return null;
}

/** A folder inside the test folder whose full path is longer than `length` characters. */
function deepFolder(length: number): string {
  let folder = path.join(env.dir, 'long');
  while (folder.length <= length) folder = path.join(folder, 'd'.repeat(40));
  fs.mkdirSync(folder, { recursive: true });
  return folder;
}

describe('long paths', () => {
  test.each([
    ['\\\\?\\ + a drive path', () => `\\\\?\\${env.localPath('ns.bin')}`],
    ['\\\\?\\UNC\\server\\share', () => '\\\\?\\UNC\\server\\share\\ns.bin'],
  ])('a %s local path is refused on purpose (README: the library refuses \\\\?\\ paths; BG_FILE_INFO: "Do not include the \\\\? prefix") → ERR_INVALID_ARG_VALUE, no file reaches the job', async (_what, local) => {
    const job = await env.createJob('namespace path');
    const e = await job.addFile(env.http.url('/bytes/1'), local()).then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(TypeError);
    expect(e).toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    expect((e as Error).message).toMatch(/namespace/);
    const files = await job.files();
    files.forEach((f) => f.dispose());
    expect(files).toHaveLength(0);
  });

  // Issue 26: the library checks MAX_PATH itself (Wine's service would take the path and download to
  // it; Windows' refuses it). Wine's own answer, through the raw vtable: test/wine/inputs.test.ts.
  test(`a local path longer than MAX_PATH (${MAX_PATH}) is refused before a job exists (BG_FILE_INFO "The path is limited to MAX_PATH"): ERR_INVALID_ARG_VALUE`, async () => {
    const dest = path.join(deepFolder(MAX_PATH + 20), 'long.bin');
    expect(dest.length).toBeGreaterThan(MAX_PATH);
    const e = await downloadInto(dest, 41, 'long');
    expect(e).toBeInstanceOf(TypeError);
    expect(e).toMatchObject({ code: 'ERR_INVALID_ARG_VALUE', message: expect.stringContaining(`at most ${MAX_PATH} characters`) });
    expect(fs.existsSync(dest)).toBe(false);
    const names = await Promise.all((await listJobs(env)).map((j) => j.getDisplayName().catch(() => '')));
    expect(names).not.toContain(`${JOB_PREFIX}: paths long`);
  }, 60_000);
});

describe('UNC destinations', () => {
  wineOnly('Wine: a UNC destination (\\\\localhost\\C$\\…) names no share, so download() refuses it with DestinationFolderError ERR_DESTINATION_FOLDER_MISSING before a job exists (Windows: the admin share works)', async () => {
    const dest = '\\\\localhost\\C$\\windows\\temp\\do-unc.bin';
    const displayName = `${JOB_PREFIX}: paths unc wine`;
    const e = await env.manager.download(env.http.url('/bytes/1024?seed=43'), dest, { displayName }).then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(DestinationFolderError);
    expect(e).toMatchObject({ code: 'ERR_DESTINATION_FOLDER_MISSING', folder: '\\\\localhost\\C$\\windows\\temp' });
    const names = await Promise.all((await listJobs(env)).map((j) => j.getDisplayName().catch(() => '')));
    expect(names).not.toContain(displayName);
  });

  waitingForWindows('a UNC destination (\\\\localhost\\<drive>$\\<temp folder>) downloads with the right bytes (BG_FILE_INFO: "use UNC paths (for example, \\\\server\\share\\path\\file)")', async () => {
    const local = env.localPath('unc.bin');
    const unc = `\\\\localhost\\${local[0]}$${local.slice(2)}`;
    expect(await downloadInto(unc, 44, 'unc')).toBeNull();
    expect(sha256File(local)).toBe(expectedSha256(65536, 44));
  }, 120_000);
});

describe('names outside ASCII', () => {
  test.each([
    ['Latin-1 and CJK', 'ünïcødé-日本語.bin'],
    ['outside the BMP (UTF-16 surrogate pairs)', 'emoji-\u{1F600}-\u{10348}.bin'],
  ])('a file name with %s downloads under exactly that name', async (_what, name) => {
    const folder = path.join(env.dir, 'ñ-\u{1F4C1}');
    fs.mkdirSync(folder, { recursive: true });
    const dest = path.join(folder, name);
    expect(await downloadInto(dest, 45, name)).toBeNull();
    expect(fs.readdirSync(folder)).toContain(name);
  }, 60_000);
});

describe('read-only destinations', () => {
  wineOnly('Wine: a destination file with the read-only attribute is replaced by the download (Windows: it is not, see the next test)', async () => {
    const dest = env.localPath('readonly.bin');
    fs.writeFileSync(dest, 'old');
    fs.chmodSync(dest, 0o444);
    expect(await downloadInto(dest, 46, 'read-only file')).toBeNull();
  }, 60_000);

  waitingForWindows('a destination file with the read-only attribute is not replaced: download() rejects with a typed error and the old content stays (Complete cannot rename over a read-only file)', async () => {
    const dest = env.localPath('readonly.bin');
    fs.writeFileSync(dest, 'old');
    fs.chmodSync(dest, 0o444);
    try {
      const e = await downloadInto(dest, 47, 'read-only file');
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).name).not.toBe('Error');
      expect(fs.readFileSync(dest, 'utf8')).toBe('old');
    } finally {
      fs.chmodSync(dest, 0o644);
    }
  }, 120_000);

  waitingForWindows('a destination folder whose ACL denies writing: download() rejects with a typed error and no file (BG_FILE_INFO: "The user must have permission to write to the local directory")', async () => {
    const folder = path.join(env.dir, 'denied');
    fs.mkdirSync(folder);
    execFileSync('icacls', [folder, '/deny', '*S-1-1-0:(OI)(CI)(W)']);
    try {
      const dest = path.join(folder, 'denied.bin');
      const e = await downloadInto(dest, 48, 'denied folder');
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).name).not.toBe('Error');
      expect(fs.existsSync(dest)).toBe(false);
    } finally {
      execFileSync('icacls', [folder, '/remove:d', '*S-1-1-0']);
    }
  }, 120_000);
});

describe('a destination on another volume than the temp folder', () => {
  const letter = 'Y';
  let volume: string | undefined;
  afterAll(() => {
    if (volume && onWine) unmapWineDrive(letter);
    if (volume) fs.rmSync(volume, { recursive: true, force: true });
  });

  /** Wine: Y: mapped to a new folder (dosdevices); Windows: the first other fixed drive there is. */
  function otherVolumeFolder(): string {
    const tempDrive = os.tmpdir()[0].toUpperCase();
    if (onWine) {
      volume = fs.mkdtempSync('Z:\\tmp\\do-volume-');
      mapWineDrive(letter, volume);
      return `${letter}:\\`;
    }
    const other = 'CDEFGHIJKLMNOPQRSTUVWXYZ'.split('').find((d) => d !== tempDrive && fs.existsSync(`${d}:\\`));
    if (!other) throw new Error(`this Windows machine has no volume besides ${tempDrive}: (the temp folder's); the test needs one`);
    volume = fs.mkdtempSync(`${other}:\\do-volume-`);
    return volume;
  }

  test('the file arrives with the right bytes and no BITS temp file (BIT*.tmp) is left beside it', async () => {
    const folder = otherVolumeFolder();
    expect(folder[0].toUpperCase()).not.toBe(os.tmpdir()[0].toUpperCase());
    const dest = path.join(folder, 'other-volume.bin');
    expect(await downloadInto(dest, 49, 'other volume', 1048576)).toBeNull();
    expect(fs.readdirSync(folder).filter((n) => /^BIT.*\.tmp$/i.test(n))).toEqual([]);
  }, 60_000);
});

/**
 * Issue 20, errors for newcomers, on the fake: a Windows path on Linux is refused where it is
 * given, and a missing destination folder before anything is created or transferred.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BackgroundCopyManager, DestinationFolderError, download } from '../../../src';
import { createFakeService, type FakeService } from '../../../src/testing';
import { skipOnWindows } from '../../support/platform';

const URL = 'http://newcomer.test/setup.exe';
const README_PATH = 'C:\\Downloads\\setup.exe';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'do-newcomer-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Calls that would create, fill or start anything on the fake. */
function transferCalls(fake: FakeService): Record<string, number> {
  const calls = fake.stats().calls;
  const names = ['IBackgroundCopyManager::CreateJob', 'IBackgroundCopyJob::AddFile', 'IBackgroundCopyJob::AddFileSet', 'IBackgroundCopyJob::Resume', 'IDOManager::CreateDownload', 'IDODownload::Start'];
  return Object.fromEntries(names.map((n) => [n, calls.get(n) ?? 0]));
}
const NONE = {
  'IBackgroundCopyManager::CreateJob': 0, 'IBackgroundCopyJob::AddFile': 0, 'IBackgroundCopyJob::AddFileSet': 0, 'IBackgroundCopyJob::Resume': 0,
  'IDOManager::CreateDownload': 0, 'IDODownload::Start': 0,
};

skipOnWindows('a Windows path is a path of this machine on Windows').describe.each(['bits', 'delivery-optimization'] as const)('the README\'s Windows path on the %s fake (Linux)', (flavour) => {
  test('download() refuses it before native code, saying why and what to give instead', async () => {
    const fake = createFakeService({ flavour });
    const manager = await BackgroundCopyManager.connect({ service: fake });
    const error = await manager.download(URL, README_PATH).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
    const message = (error as Error).message;
    expect(message).toContain('C:\\\\Downloads\\\\setup.exe');
    expect(message).toContain('is a Windows path');
    expect(message).toContain(`writes files on this machine (${process.platform})`);
    expect(message).toContain('os.tmpdir()');
    expect(transferCalls(fake)).toEqual(NONE);
    manager.dispose();
    fake.dispose();
  });

  test('addFile() on a job refuses it too; a path of this machine is taken', async () => {
    const fake = createFakeService({ flavour });
    const manager = await BackgroundCopyManager.connect({ service: fake });
    const job = await manager.createJob('paths');
    await expect(job.addFile(URL, README_PATH)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE', message: expect.stringContaining('is a Windows path') });
    await job.addFile(URL, path.join(dir, `${flavour}-ok.bin`));
    expect(fake.jobs()[0].files.map((f) => f.localName)).toEqual([path.join(dir, `${flavour}-ok.bin`)]);
    await job.cancel();
    job.dispose();
    manager.dispose();
    fake.dispose();
  });
});

describe('a destination folder that is missing is found before anything is created or transferred', () => {
  const cases = [
    ['missing', () => path.join(dir, 'no-such-folder', 'setup.exe'), 'ERR_DESTINATION_FOLDER_MISSING', 'destination folder does not exist'],
    ['a file', () => {
      fs.writeFileSync(path.join(dir, 'plain-file'), 'x');
      return path.join(dir, 'plain-file', 'setup.exe');
    }, 'ERR_DESTINATION_FOLDER_NOT_A_DIRECTORY', 'is a file, not a folder'],
  ] as const;

  test.each(cases)('manager.download(), folder %s: DestinationFolderError, no job, no Resume', async (_what, target, code, words) => {
    const fake = createFakeService({ flavour: 'bits' });
    const manager = await BackgroundCopyManager.connect({ service: fake });
    const localPath = target();
    const error = await manager.download(URL, localPath, { pollIntervalMs: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DestinationFolderError);
    expect(error).toMatchObject({ code, localPath, folder: path.dirname(localPath) });
    expect((error as Error).message).toContain(words);
    expect((error as Error).message).toContain('Nothing was transferred');
    expect(transferCalls(fake)).toEqual(NONE);
    expect(fake.jobs()).toEqual([]);
    manager.dispose();
    fake.dispose();
  });

  test.each(['bits', 'ido'] as const)('download() with api %s: DestinationFolderError before any activation', async (api) => {
    const fake = createFakeService({ flavour: api === 'ido' ? 'ido' : 'bits' });
    const localPath = path.join(dir, 'absent', 'x.bin');
    const error = await download(URL, localPath, { service: fake, api, pollIntervalMs: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DestinationFolderError);
    expect(error).toMatchObject({ code: 'ERR_DESTINATION_FOLDER_MISSING', localPath });
    expect(fake.stats().activations).toBe(0);
    expect(transferCalls(fake)).toEqual(NONE);
    fake.dispose();
  });

  (process.getuid?.() === 0 ? test.skip : skipOnWindows('POSIX file modes: Windows guards folders with ACLs').test)('a folder this user cannot write (POSIX): ERR_DESTINATION_FOLDER_NOT_WRITABLE', async () => {
    const fake = createFakeService({ flavour: 'bits' });
    const manager = await BackgroundCopyManager.connect({ service: fake });
    const locked = path.join(dir, 'locked');
    fs.mkdirSync(locked, { mode: 0o555 });
    try {
      const error = await manager.download(URL, path.join(locked, 'x.bin')).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'DestinationFolderError', code: 'ERR_DESTINATION_FOLDER_NOT_WRITABLE', problem: 'not-writable' });
      expect(transferCalls(fake)).toEqual(NONE);
    } finally {
      fs.chmodSync(locked, 0o755);
      manager.dispose();
      fake.dispose();
    }
  });
});

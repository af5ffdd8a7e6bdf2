/**
 * Acceptance: bad input is refused with a Node-style error BEFORE any native call. The fake counts
 * every call that reaches one of its native vtables; the count must not move.
 */
import { BackgroundCopyManager, JobPropertyId, ProxyUsage, type BackgroundCopyJob } from '../../src';
import { createFakeService } from '../../src/testing';

const URL_OK = 'http://127.0.0.1:1/file.bin';
const ABS = '/tmp/delivery-optimization-bad-input.bin';
const WIN = 'C:\\Downloads\\file.bin';

type Case = [name: string, run: (m: BackgroundCopyManager, j: BackgroundCopyJob) => unknown];

const cases: Case[] = [
  ['createJob: number as name', (m) => m.createJob(123 as never)],
  ['createJob: empty name', (m) => m.createJob('')],
  ['createJob: 257-character name', (m) => m.createJob('a'.repeat(257))],
  ['createJob: NUL in name', (m) => m.createJob('a\0b')],
  ['createJob: unknown type', (m) => m.createJob('x', { type: 7 as never })],
  ['createJob: fractional type', (m) => m.createJob('x', { type: 1.5 as never })],
  ['createJob: negative priority', (m) => m.createJob('x', { priority: -1 as never })],
  ['createJob: string priority', (m) => m.createJob('x', { priority: '2' as never })],
  ['createJob: 1,025-character description', (m) => m.createJob('x', { description: 'd'.repeat(1025) })],
  ['createJob: NUL in description', (m) => m.createJob('x', { description: 'a\0' })],
  ['createJob: options is null', (m) => m.createJob('x', null as never)],
  ['getJob: not a GUID', (m) => m.getJob('not-a-guid')],
  ['getJob: number', (m) => m.getJob(42 as never)],
  ['getJob: unbalanced brace', (m) => m.getJob('{4991d34b-80a1-4291-83b6-3328366b9097')],
  ['jobs: allUsers is a string', (m) => m.jobs({ allUsers: 'yes' as never })],
  ['getErrorDescription: fractional HRESULT', (m) => m.getErrorDescription(1.5)],
  ['getErrorDescription: negative language', (m) => m.getErrorDescription(0x80190194, -1)],
  ['download: ftp URL', (m) => m.download('ftp://x/y', ABS)],
  ['download: relative path', (m) => m.download(URL_OK, 'relative.bin')],
  ['download: signal is not an AbortSignal', (m) => m.download(URL_OK, ABS, { signal: {} as never })],
  ['download: onProgress is not a function', (m) => m.download(URL_OK, ABS, { onProgress: 5 as never })],
  ['addFile: ftp URL', (_m, j) => j.addFile('ftp://x/y', ABS)],
  ['addFile: not a URL', (_m, j) => j.addFile('not a url', ABS)],
  ['addFile: empty URL', (_m, j) => j.addFile('', ABS)],
  ['addFile: \\\\.\\ device as remote name', (_m, j) => j.addFile('\\\\.\\PhysicalDrive0', ABS)],
  ['addFile: \\\\?\\ remote name', (_m, j) => j.addFile('\\\\?\\C:\\Windows\\win.ini', ABS)],
  ['addFile: file:// URL into \\\\.\\', (_m, j) => j.addFile('file://./PhysicalDrive0', ABS)],
  ['addFile: local path \\\\.\\NUL', (_m, j) => j.addFile(URL_OK, '\\\\.\\NUL')],
  ['addFile: local path \\\\.\\pipe\\x', (_m, j) => j.addFile(URL_OK, '\\\\.\\pipe\\x')],
  ['addFile: local path \\\\.\\PhysicalDrive0', (_m, j) => j.addFile(URL_OK, '\\\\.\\PhysicalDrive0')],
  ['addFile: local path \\\\?\\C:\\x', (_m, j) => j.addFile(URL_OK, '\\\\?\\C:\\x.bin')],
  ['addFile: device name NUL.txt in a folder', (_m, j) => j.addFile(URL_OK, 'C:\\Downloads\\NUL.txt')],
  ['addFile: local name ending in a dot', (_m, j) => j.addFile(URL_OK, 'C:\\Downloads\\file.')],
  ['addFile: local name ending in a space', (_m, j) => j.addFile(URL_OK, 'C:\\Downloads\\file ')],
  ['addFile: folder name ending in a dot', (_m, j) => j.addFile(URL_OK, 'C:\\Downloads.\\file.bin')],
  ['addFiles: the same local path twice (case differs)', (_m, j) => j.addFiles([{ remoteUrl: URL_OK, localPath: WIN }, { remoteUrl: `${URL_OK}?2`, localPath: WIN.toUpperCase() }])],
  ['addFiles: an entry that is not an object', (_m, j) => j.addFiles([null as never])],
  ['addFileWithRanges: overlapping ranges', (_m, j) => j.addFileWithRanges(URL_OK, ABS, [{ offset: 0n, length: 10n }, { offset: 5n, length: 10n }])],
  ['addFileWithRanges: descending ranges', (_m, j) => j.addFileWithRanges(URL_OK, ABS, [{ offset: 100n, length: 1n }, { offset: 0n, length: 1n }])],
  ['addFileWithRanges: no ranges', (_m, j) => j.addFileWithRanges(URL_OK, ABS, [])],
  ['addFileWithRanges: an empty range', (_m, j) => j.addFileWithRanges(URL_OK, ABS, [{ offset: 0n, length: 0n }])],
  ['addFileWithRanges: ranges is not an array', (_m, j) => j.addFileWithRanges(URL_OK, ABS, 'x' as never)],
  ['addFileWithRanges: a range to the end that is not last', (_m, j) => j.addFileWithRanges(URL_OK, ABS, [{ offset: 0n, length: null }, { offset: 10n, length: 1n }])],
  ['addFileWithRanges: offset BG_LENGTH_TO_EOF', (_m, j) => j.addFileWithRanges(URL_OK, ABS, [{ offset: 2n ** 64n - 1n, length: 1n }])],
  ['addFile: relative Windows path', (_m, j) => j.addFile(URL_OK, 'relative\\x.bin')],
  ['addFile: drive-relative path', (_m, j) => j.addFile(URL_OK, 'C:relative')],
  ['addFile: empty path', (_m, j) => j.addFile(URL_OK, '')],
  ['addFile: NUL in path', (_m, j) => j.addFile(URL_OK, 'C:\\a\0b')],
  ['addFile: NUL in URL', (_m, j) => j.addFile(`${URL_OK}\0`, WIN)],
  ['addFile: pipe character in path', (_m, j) => j.addFile(URL_OK, 'C:\\a|b')],
  ['addFile: URL over 2,200 characters', (_m, j) => j.addFile(`http://x/${'a'.repeat(2300)}`, ABS)],
  ['addFile: null URL', (_m, j) => j.addFile(null as never, ABS)],
  ['addFiles: empty array', (_m, j) => j.addFiles([])],
  ['addFiles: not an array', (_m, j) => j.addFiles('x' as never)],
  ['addFiles: one relative path', (_m, j) => j.addFiles([{ remoteUrl: URL_OK, localPath: ABS }, { remoteUrl: URL_OK, localPath: 'rel' }])],
  ['setDisplayName: empty', (_m, j) => j.setDisplayName('')],
  ['setDisplayName: 300 characters', (_m, j) => j.setDisplayName('a'.repeat(300))],
  ['setDescription: 1,025 characters', (_m, j) => j.setDescription('x'.repeat(1025))],
  ['setPriority: 4', (_m, j) => j.setPriority(4 as never)],
  ['setPriority: NaN', (_m, j) => j.setPriority(NaN as never)],
  ['setNotifyFlags: unknown bit 0x40', (_m, j) => j.setNotifyFlags(0x40)],
  ['setNotifyFlags: negative', (_m, j) => j.setNotifyFlags(-1)],
  ['setMinimumRetryDelay: negative', (_m, j) => j.setMinimumRetryDelay(-5)],
  ['setMinimumRetryDelay: fractional', (_m, j) => j.setMinimumRetryDelay(1.5)],
  ['setNoProgressTimeout: 2^32', (_m, j) => j.setNoProgressTimeout(2 ** 32)],
  ['setProxySettings: unknown usage', (_m, j) => j.setProxySettings({ usage: 9 as never, proxyList: null, bypassList: null })],
  ['setProxySettings: NUL in proxy list', (_m, j) => j.setProxySettings({ usage: ProxyUsage.Override, proxyList: 'p\0', bypassList: null })],
  ['setProxySettings: null', (_m, j) => j.setProxySettings(null as never)],
  ['getError: negative language', (_m, j) => j.getError(-1)],
  ['setCredentials: unknown target', (_m, j) => j.setCredentials({ target: 3 as never, scheme: 1, userName: 'u', password: 'p' })],
  ['setCredentials: unknown scheme', (_m, j) => j.setCredentials({ target: 1, scheme: 9 as never, userName: 'u', password: 'p' })],
  ['setCredentials: NUL in user name', (_m, j) => j.setCredentials({ target: 1, scheme: 1, userName: 'u\0', password: 'p' })],
  ['setCredentials: NUL in password', (_m, j) => j.setCredentials({ target: 1, scheme: 1, userName: 'u', password: 'p\0' })],
  ['setProperty: unknown id', (_m, j) => j.setProperty(99 as never, 1)],
  ['setProperty: CLSID that is not a GUID', (_m, j) => j.setProperty(JobPropertyId.NotificationClsid, 'nope')],
  ['setProperty: negative cost flags', (_m, j) => j.setProperty(JobPropertyId.CostFlags, -1)],
  ['setFileAclFlags: unknown bit', (_m, j) => j.setFileAclFlags(0x10)],
  ['setPeerCachingFlags: unknown bit', (_m, j) => j.setPeerCachingFlags(8)],
  ['addFileWithRanges: negative offset', (_m, j) => j.addFileWithRanges(URL_OK, ABS, [{ offset: -1n, length: 1n }])],
  ['setClientCertificateById: 19-byte hash', (_m, j) => j.setClientCertificateById(0, 'MY', Buffer.alloc(19))],
  ['setClientCertificateByName: empty store', (_m, j) => j.setClientCertificateByName(0, '', null)],
  ['waitForCompletion: negative poll interval', (_m, j) => j.waitForCompletion({ pollIntervalMs: -1 })],
  ['on: unknown event', (_m, j) => j.on('bogus' as never, () => undefined)],
  ['on: listener is not a function', (_m, j) => j.on('transferred', 'nope' as never)],
  ['replaceRemotePrefix: empty prefix', (_m, j) => j.replaceRemotePrefix('', 'x')],
  ['setMaximumDownloadTime: fractional', (_m, j) => j.setMaximumDownloadTime(1.2)],
  ['setReplyFileName: relative path', (_m, j) => j.setReplyFileName('reply.bin')],
];

const NODE_CODES = ['ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE', 'ERR_OUT_OF_RANGE'];

describe('bad input never reaches native code', () => {
  for (const flavour of ['bits', 'delivery-optimization'] as const) {
    describe(flavour, () => {
      let manager: BackgroundCopyManager;
      let job: BackgroundCopyJob;
      let fake: ReturnType<typeof createFakeService>;

      beforeEach(async () => {
        fake = createFakeService({ flavour });
        manager = await BackgroundCopyManager.connect({ service: fake });
        job = await manager.createJob('bad input');
      });

      afterEach(async () => {
        await job.cancel().catch(() => undefined);
        job.dispose();
        manager.dispose();
      });

      test.each(cases)('%s', async (_name, run) => {
        const before = fake.nativeCalls;
        let error: unknown;
        try {
          await run(manager, job);
        } catch (e) {
          error = e;
        }
        expect(error).toBeDefined();
        expect(error instanceof TypeError || error instanceof RangeError).toBe(true);
        expect(NODE_CODES).toContain((error as { code?: string }).code);
        expect(fake.nativeCalls).toBe(before);
      });
    });
  }
});

/** The idiomatic IDO API (DOManager / DODownload) on the fake's 'ido' flavour; balance checked after each test. */
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createHash } from 'crypto';
import {
  ClassNotRegisteredError, DODownloadCostPolicy, DODownloadProperty as P, DODownloadState, DOManager, HttpError, InvalidStateError,
  DownloadFailedError, PropertyNotSetError, ReadOnlyPropertyError, UnknownPropertyError, WriteOnlyPropertyError, type DODownloadStatus,
} from '../../../src';
import { createFakeService, fakeContent } from '../../../src/testing';

/** Deep-equality of large Buffers is slow in Jest: compare digests. */
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

const dir = mkdtempSync(join(tmpdir(), 'ido-api-'));

/**
 * What `await using` does (Node 20 has no Symbol.asyncDispose): everything `use`d is closed, newest
 * first, when the test body ends, before the after-test balance check.
 */
function scoped(body: (use: <T extends { close(): Promise<void> }>(r: T) => T) => Promise<void>): () => Promise<void> {
  return async () => {
    const opened: Array<{ close(): Promise<void> }> = [];
    try {
      await body((r) => {
        opened.push(r);
        return r;
      });
    } finally {
      for (const r of opened.reverse()) await r.close();
    }
  };
}
const URL = 'http://ido.test/a.bin';

test('create with properties, start, status events, wait, finalize: the file is on disk', scoped(async (use) => {
  const fake = createFakeService({ flavour: 'ido', script: { [URL]: { kind: 'succeed', bytes: 10_000, durationMs: 40 } } });
  const manager = use(await DOManager.connect({ service: fake }));
  const path = join(dir, 'a.bin');
  const download = use(await manager.createDownload({
    uri: URL, localPath: path, displayName: 'api', costPolicy: DODownloadCostPolicy.Standard, foreground: true,
    noProgressTimeoutSeconds: 600, callbackFrequency: { seconds: 2 }, totalSizeBytes: 10_000n, httpCustomHeaders: { 'X-Test': 'yes' },
  }));
  expect(download.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(await download.getProperty(P.DisplayName)).toBe('api');
  expect(await download.getProperty(P.ForegroundPriority)).toBe(true);
  expect(await download.getProperty(P.TotalSizeBytes)).toBe(10_000n);
  expect(await download.getProperty(P.CallbackFreqSeconds)).toBe(2);
  expect(await download.getProperty(P.HttpCustomHeaders)).toBe('X-Test: yes\r\n');
  const seen: DODownloadStatus[] = [];
  download.on('status', (s) => seen.push(s));
  await download.callbackReady();
  await download.start();
  const final = await download.waitForCompletion({ pollIntervalMs: 1000 });
  expect(final).toMatchObject({ state: DODownloadState.Transferred, bytesTotal: 10_000n, bytesTransferred: 10_000n, error: null });
  await download.finalize();
  expect(sha256(readFileSync(path))).toBe(sha256(fakeContent(URL, 10_000)));
  expect(seen.some((s) => s.state === DODownloadState.Transferring && s.bytesTransferred > 0n)).toBe(true);
  expect(seen.map((s) => s.state)).toContain(DODownloadState.Transferred);
  expect((await download.status()).state).toBe(DODownloadState.Finalized);
  await expect(download.abort()).rejects.toBeInstanceOf(InvalidStateError);
}));

test('property errors are typed: write-only, not set, read-only, unknown; bad values never reach the service', scoped(async (use) => {
  const fake = createFakeService({ flavour: 'ido' });
  const manager = use(await DOManager.connect({ service: fake }));
  const download = use(await manager.createDownload({ uri: URL, localPath: join(dir, 'p.bin'), decryptionInfo: { KeyData: 'secret' } }));
  await expect(download.getProperty(P.DecryptionInfo)).rejects.toBeInstanceOf(WriteOnlyPropertyError);
  await expect(download.getProperty(P.HttpStatusCode)).rejects.toBeInstanceOf(PropertyNotSetError);
  await expect(download.setProperty(P.Id as never, 'x' as never)).rejects.toBeInstanceOf(ReadOnlyPropertyError);
  const calls = fake.nativeCalls;
  await expect(download.setProperty(P.CostPolicy, -1 as never)).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
  await expect(download.setProperty(P.Uri, 42 as never)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
  await expect(download.getProperty(30 as never)).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
  await expect(download.getProperty(P.StreamInterface as never)).rejects.toThrow(/managed by DODownload/);
  await expect(download.setProperty(P.HttpCustomHeaders, 'Authorization: hunter2\0' as never)).rejects.toThrow(/\[redacted\]/);
  await expect(manager.createDownload({})).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
  expect(fake.nativeCalls).toBe(calls);
  await download.abort();
}));

test('a property the running Windows does not know: UnknownPropertyError', scoped(async (use) => {
  const fake = createFakeService({ flavour: 'ido', failures: { 'IDODownload::GetProperty': 0x80d02011 } });
  const manager = use(await DOManager.connect({ service: fake }));
  // Reading the new download's Id is the first GetProperty: the download is aborted and released.
  await expect(manager.createDownload({ uri: URL, localPath: join(dir, 'u.bin') })).rejects.toBeInstanceOf(UnknownPropertyError);
  expect(fake.stats().objects.filter((o) => o.iface === 'IDODownload').map((o) => o.clientRefs)).toEqual([0]);
}));

test('a failing download: status carries typed errors, waiting rejects with DownloadFailedError', scoped(async (use) => {
  const failing = 'http://ido.test/404';
  const fake = createFakeService({ flavour: 'ido', script: { [failing]: { kind: 'fail', hresult: 0x80190194, afterMs: 5 } } });
  const manager = use(await DOManager.connect({ service: fake }));
  const download = use(await manager.createDownload({ uri: failing, localPath: join(dir, 'f.bin') }));
  await download.start();
  const error = await download.waitForCompletion({ pollIntervalMs: 1000 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DownloadFailedError);
  expect((error as DownloadFailedError).jobError?.code).toBe('BG_E_HTTP_ERROR_404');
  const status = await download.status();
  expect(status.state).toBe(DODownloadState.Paused);
  expect((error as DownloadFailedError).state).toBe(DODownloadState.Paused);
  expect((error as DownloadFailedError).stateName).toBe('PAUSED');
  expect(status.error).toBeInstanceOf(HttpError);
  expect(status.isTransientError).toBe(false);
  await download.abort();
}));

test('a transient pause is waited out; it shows as isTransientError', scoped(async (use) => {
  const url = 'http://ido.test/transient';
  const fake = createFakeService({
    flavour: 'ido', timing: { retryDelayMs: 60 },
    script: { [url]: { kind: 'transient', hresult: 0x80d03805, afterMs: 5, then: { kind: 'succeed', bytes: 2048, durationMs: 10 } } },
  });
  const manager = use(await DOManager.connect({ service: fake }));
  const download = use(await manager.createDownload({ uri: url, localPath: join(dir, 't.bin') }));
  const seen: DODownloadStatus[] = [];
  await download.start();
  const final = await download.waitForCompletion({ pollIntervalMs: 5, onProgress: (s) => seen.push(s) });
  expect(final.state).toBe(DODownloadState.Transferred);
  const transient = seen.find((s) => s.isTransientError);
  expect(transient?.extendedError?.code).toBe('DO_E_BLOCKED_BY_NO_NETWORK');
  await download.finalize();
}));

test('pause and resume; enumerate by category; abort', scoped(async (use) => {
  const slow = 'http://ido.test/slow';
  const fake = createFakeService({ flavour: 'ido', script: { [slow]: { kind: 'succeed', bytes: 4096, durationMs: 400 } } });
  const manager = use(await DOManager.connect({ service: fake }));
  const a = use(await manager.createDownload({ uri: slow, localPath: join(dir, 's.bin'), displayName: 'slow one' }));
  const b = use(await manager.createDownload({ uri: URL, localPath: join(dir, 'b.bin') }));
  await a.start();
  await a.pause();
  expect((await a.status()).state).toBe(DODownloadState.Paused);
  const all = await manager.downloads();
  expect(all.map((d) => d.id).sort()).toEqual([a.id, b.id].sort());
  all.forEach((d) => d.dispose());
  const byName = await manager.downloads({ property: P.DisplayName, value: 'slow one' });
  expect(byName.map((d) => d.id)).toEqual([a.id]);
  await byName[0].close();
  await a.start();
  await a.waitForCompletion({ pollIntervalMs: 20 });
  await a.finalize();
  await b.abort();
  expect((await b.status()).state).toBe(DODownloadState.Aborted);
  await expect(b.waitForCompletion()).rejects.toMatchObject({ name: 'DownloadFailedError', state: DODownloadState.Aborted, stateName: 'ABORTED' });
  expect(await manager.downloads()).toEqual([]);
}));

test('no IDO API: ClassNotRegisteredError naming the Windows version', scoped(async (use) => {
  for (const flavour of ['bits', 'delivery-optimization'] as const) {
    const fake = createFakeService({ flavour });
    const error = await DOManager.connect({ service: fake }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClassNotRegisteredError);
    expect((error as Error).message).toMatch(/Windows 10 version 1809/);
  }
}));

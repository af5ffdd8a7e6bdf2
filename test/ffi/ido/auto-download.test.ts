/** `download()`: IDO first, then the BITS-style DO API, then BITS, saying which it used (fake providers). */
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createHash } from 'crypto';
import { Writable } from 'stream';
import { ClassNotRegisteredError, DownloadFailedError, TransferFailedError, download, type DownloadApi, type DownloadProgress } from '../../../src';
import { createFakeService, fakeContent } from '../../../src/testing';

/** Deep-equality of large Buffers is slow in Jest: compare digests. */
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

const dir = mkdtempSync(join(tmpdir(), 'ido-auto-'));
const URL = 'http://auto.test/file.bin';
const script = { [URL]: { kind: 'succeed' as const, bytes: 5000, durationMs: 10 } };

function sink(): { writable: Writable; bytes(): Buffer } {
  const chunks: Buffer[] = [];
  return {
    writable: new Writable({ write(chunk: Buffer, _e, done) { chunks.push(chunk); done(); } }),
    bytes: () => Buffer.concat(chunks),
  };
}

test.each([
  ['ido', 'ido', []],
  ['delivery-optimization', 'bits-style', ['ido']],
  ['bits', 'bits', ['ido', 'bits-style']],
] as const)('a %s service: auto uses %s, after finding %j unavailable', async (flavour, expected, skipped) => {
  const fake = createFakeService({ flavour, script });
  const path = join(dir, `${flavour}.bin`);
  const fallbacks: DownloadApi[] = [];
  const progress: DownloadProgress[] = [];
  const result = await download(URL, path, {
    service: fake, pollIntervalMs: 5, onFallback: (api) => fallbacks.push(api), onProgress: (p) => progress.push(p),
  });
  expect(result.api).toBe(expected);
  expect(result.unavailable.map((u) => u.api)).toEqual(skipped);
  expect(result.unavailable.every((u) => u.reason instanceof ClassNotRegisteredError)).toBe(true);
  expect(fallbacks).toEqual(skipped);
  expect(result.bytesTransferred).toBe(5000n);
  expect(sha256(readFileSync(path))).toBe(sha256(fakeContent(URL, 5000)));
  expect(progress.every((p) => p.api === expected)).toBe(true);
});

test.each(['ido', 'delivery-optimization', 'bits'] as const)('into a Writable on a %s service: every byte, in order', async (flavour) => {
  const fake = createFakeService({ flavour, script });
  const out = sink();
  const result = await download(URL, out.writable, { service: fake, pollIntervalMs: 5 });
  expect(result.localPath).toBeNull();
  expect(sha256(out.bytes())).toBe(sha256(fakeContent(URL, 5000)));
});

test('one API asked for and missing: ClassNotRegisteredError, nothing else tried', async () => {
  const fake = createFakeService({ flavour: 'bits', script });
  await expect(download(URL, join(dir, 'x.bin'), { service: fake, api: 'ido' })).rejects.toBeInstanceOf(ClassNotRegisteredError);
  expect(fake.stats().activations).toBe(1);
});

test('a failure on an available API is reported, not retried on the next API', async () => {
  const failing = 'http://auto.test/404';
  const fake = createFakeService({ flavour: 'ido', script: { [failing]: { kind: 'fail', hresult: 0x80190194, afterMs: 2 } } });
  const error = await download(failing, join(dir, 'f.bin'), { service: fake, pollIntervalMs: 5 }).catch((e: unknown) => e);
  // The Delivery Optimization API failed: its error, with its own state enum; both APIs' errors are TransferFailedErrors.
  expect(error).toBeInstanceOf(DownloadFailedError);
  expect(error).toBeInstanceOf(TransferFailedError);
  expect(fake.stats().activations).toBe(1);
  expect(fake.idoDownloads()).toEqual([]); // aborted
});

test('bad input is refused before any activation', async () => {
  const fake = createFakeService({ flavour: 'ido' });
  await expect(download('ftp://x/y', join(dir, 'y.bin'), { service: fake })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
  await expect(download(URL, 'relative.bin', { service: fake })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
  await expect(download(URL, join(dir, 'z.bin'), { service: fake, api: 'fast' as never })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
  expect(fake.stats().activations).toBe(0);
});

test('every option is checked once, up front: a bad displayName or pollIntervalMs is refused before any activation', async () => {
  const fake = createFakeService({ flavour: 'ido', script });
  await expect(download(URL, join(dir, 'd.bin'), { service: fake, displayName: 'x'.repeat(300) })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
  await expect(download(URL, join(dir, 'd.bin'), { service: fake, displayName: 7 as never })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
  await expect(download(URL, join(dir, 'd.bin'), { service: fake, pollIntervalMs: 0 })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
  await expect(download(URL, join(dir, 'd.bin'), { service: fake, pollIntervalMs: '5' as never })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
  expect(fake.stats().activations).toBe(0);
});

test('the default display name (bits, where the fake shows it) shows no credential of the URL', async () => {
  const secretUrl = 'http://user:hunter2-secret@auto.test/file.bin';
  const fake = createFakeService({ flavour: 'bits', script: { [secretUrl]: script[URL] } });
  const names: string[] = [];
  await download(secretUrl, join(dir, 's-bits.bin'), { service: fake, pollIntervalMs: 5, onProgress: () => names.push(...fake.jobs().map((j) => j.displayName)) });
  expect(names.length).toBeGreaterThan(0);
  expect(names.join('\n')).not.toContain('hunter2');
});

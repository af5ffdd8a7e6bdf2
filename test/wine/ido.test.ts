/**
 * The IDO API where there is no Delivery Optimization (Wine): activation fails with
 * ClassNotRegisteredError naming the Windows version needed, `download({ api: 'auto' })` falls back
 * to BITS with a real download, and the CLI's `--api ido` exits with the class-not-registered error.
 * On real Windows with DO these expectations do not hold: the tests are Wine-only.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Writable } from 'stream';
import { ClassNotRegisteredError, DOManager, download } from '../../src';
import { run } from '../../src/cli/main';
import { expectedSha256, startHttpFixture, type HttpFixture } from '../fixtures/http-server';
import { makeTempDir, sha256File, wineOnly } from './helpers';

let srv: HttpFixture;
let dir: string;
beforeAll(async () => {
  srv = await startHttpFixture();
  dir = makeTempDir('do-ido-');
});
afterAll(async () => {
  await srv?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

wineOnly('Wine: DOManager.connect() rejects with ClassNotRegisteredError naming the Windows version (Windows 11: connects)', async () => {
  const error = await DOManager.connect().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ClassNotRegisteredError);
  expect((error as ClassNotRegisteredError).code).toBe('REGDB_E_CLASSNOTREG');
  expect((error as Error).message).toMatch(/IDO API.*Windows 10 version 1809/);
});

wineOnly('Wine: download() with api auto finds IDO and the BITS-style API unavailable and downloads with BITS', async () => {
  const dest = path.join(dir, 'auto.bin');
  const result = await download(srv.url('/bytes/1048576?seed=21'), dest, { pollIntervalMs: 50 });
  expect(result.api).toBe('bits');
  expect(result.unavailable.map((u) => [u.api, (u.reason as ClassNotRegisteredError).code])).toEqual([
    ['ido', 'REGDB_E_CLASSNOTREG'], ['bits-style', 'REGDB_E_CLASSNOTREG'],
  ]);
  expect(result.bytesTransferred).toBe(1048576n);
  expect(sha256File(dest)).toBe(expectedSha256(1048576, 21));
}, 60_000);

wineOnly('Wine: download() into a Writable falls back to BITS through a temporary file; the bytes are right', async () => {
  const hash = crypto.createHash('sha256');
  const sink = new Writable({ write(chunk: Buffer, _e, done) { hash.update(chunk); done(); } });
  const result = await download(srv.url('/bytes/262144?seed=22'), sink, { pollIntervalMs: 50 });
  expect(result.api).toBe('bits');
  expect(result.localPath).toBeNull();
  expect(hash.digest('hex')).toBe(expectedSha256(262144, 22));
}, 60_000);

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    pollIntervalMs: 50,
    stdout: { write: (s: string) => { stdout += typeof s === 'string' ? s : Buffer.from(s).toString('latin1'); return true; } },
    stderr: { write: (s: string) => { stderr += s; return true; } },
  });
  return { code, stdout, stderr };
}

wineOnly('Wine: the CLI with --api ido exits with the class-not-registered error and the Windows version needed', async () => {
  const r = await cli(['download', srv.url('/bytes/1024?seed=23'), path.join(dir, 'ido.bin'), '--api', 'ido', '--progress=none']);
  expect(r.code).toBe(3); // not supported here
  expect(r.stderr).toMatch(/error: .*IDO API.*Windows 10 version 1809/);
  expect(fs.existsSync(path.join(dir, 'ido.bin'))).toBe(false);
});

wineOnly('Wine: the CLI with --api auto says it fell back, and downloads with BITS', async () => {
  const dest = path.join(dir, 'cli-auto.bin');
  const r = await cli(['download', srv.url('/bytes/524288?seed=24'), dest, '--api', 'auto', '--progress=none']);
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/IDO API.*not available/);
  expect(r.stdout).toMatch(/with BITS to .*cli-auto\.bin/);
  expect(sha256File(dest)).toBe(expectedSha256(524288, 24));
}, 60_000);

wineOnly('Wine: list/show/cancel/watch --api ido exit 3 with "not available" and the Windows version (--json: ClassNotRegisteredError)', async () => {
  const id = '0fe5563c-2db5-466d-bb2f-8d0850ff99e4';
  for (const argv of [['list', '--api', 'ido'], ['show', id, '--api', 'ido'], ['cancel', id, '--api', 'ido'], ['watch', id, '--api', 'ido']]) {
    const r = await cli(argv);
    expect([argv, r.code]).toEqual([argv, 3]);
    expect(r.stderr).toMatch(/error: .*IDO API is not available.*Windows 10 version 1809/);
  }
  const json = await cli(['list', '--api', 'ido', '--json']);
  expect(JSON.parse(json.stdout).error).toMatchObject({ name: 'ClassNotRegisteredError', code: 'REGDB_E_CLASSNOTREG', exitCode: 3 });
});

wineOnly('Wine: list --api all lists BITS and names the two Delivery Optimization APIs as not available', async () => {
  const r = await cli(['list', '--api', 'all', '--json']);
  expect(r.code).toBe(0);
  const doc = JSON.parse(r.stdout) as { service: string; jobs: Array<{ api: string }>; unavailable: Array<{ api: string; code: string }> };
  expect(doc.service).toBe('all');
  expect(doc.unavailable).toEqual([{ api: 'bits-style', code: 'REGDB_E_CLASSNOTREG' }, { api: 'ido', code: 'REGDB_E_CLASSNOTREG' }]);
  expect(doc.jobs.every((j) => j.api === 'bits')).toBe(true);
});

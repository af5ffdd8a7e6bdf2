/** `download --api …` and `-o -` on the fake (in-process `run()`); balance checked after each test. */
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createHash } from 'crypto';
import { run } from '../../../src/cli/main';
import { createFakeService, fakeContent, type FakeService } from '../../../src/testing';

/** Deep-equality of large Buffers is slow in Jest: compare digests. */
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

const dir = mkdtempSync(join(tmpdir(), 'ido-cli-'));
const URL = 'http://cli.test/data.bin';
const script = { [URL]: { kind: 'succeed' as const, bytes: 300_000, durationMs: 20 } };

async function cli(argv: string[], fake: FakeService): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  const out: Buffer[] = [];
  let stderr = '';
  const code = await run(argv, {
    service: fake,
    pollIntervalMs: 5,
    stdout: { write: (s: string | Buffer) => { out.push(Buffer.from(s)); return true; } },
    stderr: { write: (s: string) => { stderr += s; return true; } },
  });
  return { code, stdout: Buffer.concat(out), stderr };
}

test('-o - with --api ido: the bytes on stdout, the messages on stderr', async () => {
  const fake = createFakeService({ flavour: 'ido', script });
  const r = await cli(['download', URL, '-o', '-', '--api', 'ido', '--progress=none'], fake);
  expect(r.code).toBe(0);
  expect(sha256(r.stdout)).toBe(sha256(fakeContent(URL, 300_000)));
  expect(r.stderr).toMatch(/Downloaded .* with Delivery Optimization's IDO API \(IDOManager\) to stdout/);
});

test('-o - on BITS: through a temporary file, same bytes', async () => {
  const fake = createFakeService({ flavour: 'bits', script });
  const r = await cli(['download', URL, '-o', '-', '--api', 'auto', '--progress=none'], fake);
  expect(r.code).toBe(0);
  expect(sha256(r.stdout)).toBe(sha256(fakeContent(URL, 300_000)));
  expect(r.stderr).toMatch(/IDO API \(IDOManager\) is not available here/);
  expect(r.stderr).toMatch(/BITS-style API is not available here/);
});

test('--api auto to a file says which API it used; --json has it too', async () => {
  const fake = createFakeService({ flavour: 'delivery-optimization', script });
  const dest = join(dir, 'auto.bin');
  const r = await cli(['download', URL, dest, '--api', 'auto', '--json'], fake);
  expect(r.code).toBe(0);
  const doc = JSON.parse(r.stdout.toString());
  expect(doc).toMatchObject({ ok: true, api: 'bits-style', unavailable: [{ api: 'ido', code: 'E_NOINTERFACE' }], bytesTransferred: '300000' });
  expect(sha256(readFileSync(dest))).toBe(sha256(fakeContent(URL, 300_000)));
});

test('--api ido where there is none: exit 3, the error names the Windows version needed', async () => {
  const fake = createFakeService({ flavour: 'bits', script });
  const r = await cli(['download', URL, join(dir, 'no.bin'), '--api', 'ido'], fake);
  expect(r.code).toBe(3);
  expect(r.stderr).toMatch(/error: .*IDO API.*Windows 10 version 1809/);
  expect(r.stderr).toMatch(/hint: `--api auto`/);
});

test('usage errors: two destinations, none, --json with -o -, --bits against --api ido', async () => {
  const fake = createFakeService({ flavour: 'ido', script });
  for (const argv of [
    ['download', URL, join(dir, 'a'), '-o', join(dir, 'b')],
    ['download', URL],
    ['download', URL, '-o', '-', '--json'],
    ['download', URL, join(dir, 'c'), '--bits', '--api', 'ido'],
  ]) {
    const r = await cli(argv, fake);
    expect([r.code, argv]).toEqual([2, argv]);
  }
  expect(fake.stats().activations).toBe(0);
});

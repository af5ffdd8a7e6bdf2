/**
 * Credentials never leave the process in clear (issue 15, item 4): a download whose URL has
 * user:password and whose job has an Authorization header shows neither in the job's display
 * name (what the service lists to every process), nor in any output of the library or the CLI
 * (messages, inspect, JSON, stdout, stderr, --json). ffi tier: the fake records what the
 * service got. The Wine tier checks the real service's job list (test/wine/secrets.test.ts).
 */
import { inspect } from 'util';
import { BackgroundCopyManager, JobFailedError } from '../../../src';
import { createFakeService } from '../../../src/testing';
import { cli, fakeFixture } from '../../unit/cli/helpers';
import { localPath } from '../../support/fake-env';

const PASSWORD = 'Pa55-hunter2';
const TOKEN = 'tok-9f8e7d6c5b';
const OK_URL = `http://alice:${PASSWORD}@fake.test/ok.bin`;
const FAIL_URL = `http://alice:${PASSWORD}@fake.test/missing.bin?sig=${TOKEN}`;
const HANG_URL = `http://alice:${PASSWORD}@fake.test/hang.bin?sig=${TOKEN}`;
const HEADERS = `Authorization: Bearer ${TOKEN}\r\nX-Trace: 1`;

/** Every text that a person or a log could see of `value`. */
function shown(value: unknown): string[] {
  if (value instanceof Error) return [String(value), value.stack ?? '', inspect(value, { depth: 8, showHidden: true }), JSON.stringify(value)];
  return [typeof value === 'string' ? value : inspect(value, { depth: 8 })];
}

function expectNoSecret(texts: readonly string[]): void {
  for (const text of texts) {
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(TOKEN);
  }
}

const script = {
  [OK_URL]: { kind: 'succeed', bytes: 100, durationMs: 5 },
  [FAIL_URL]: { kind: 'fail', hresult: 0x80190194 },
  [HANG_URL]: { kind: 'hang' },
} as const;

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

/** The display name and remote URL the fake service holds for the first job with a file. */
async function jobAsServiceSeesIt(fake: ReturnType<typeof createFakeService>): Promise<{ displayName: string; description: string; remoteName: string }> {
  await until(() => fake.jobs().some((j) => j.files.length > 0));
  const job = fake.jobs().find((j) => j.files.length > 0)!;
  return { displayName: job.displayName, description: job.description ?? '', remoteName: job.files[0].remoteName };
}

test('API: download() names the job without the credentials; its error, inspect and JSON show none', async () => {
  const fake = createFakeService({ flavour: 'bits', script });
  const manager = await BackgroundCopyManager.connect({ service: fake });
  await manager.download(OK_URL, localPath('secret-ok.bin'), { pollIntervalMs: 2 });
  const controller = new AbortController();
  const hanging = manager.download(HANG_URL, localPath('secret-hang.bin'), { pollIntervalMs: 2, signal: controller.signal }).catch((e: unknown) => e);
  const seen = await jobAsServiceSeesIt(fake);
  controller.abort();
  // The service got the real URL (so the check is not vacuous) ...
  expect(seen.remoteName).toBe(HANG_URL);
  // ... but the name it lists to every process carries no credential.
  expectNoSecret([seen.displayName, seen.description]);
  expect(seen.displayName).toContain('fake.test/hang.bin');
  const failure = await manager.download(FAIL_URL, localPath('secret-fail.bin'), { pollIntervalMs: 2 }).catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(JobFailedError);
  expectNoSecret([...shown(failure), ...shown(await hanging)]);
  expect(inspect(failure, { depth: 8 })).toContain('***@fake.test/missing.bin');
  await manager.close();
});

test('API: argument errors and service errors about headers and URLs do not echo them', async () => {
  const fake = createFakeService({ flavour: 'bits', failures: { 'IBackgroundCopyJobHttpOptions::SetCustomHeaders': 0x80070057 } });
  const manager = await BackgroundCopyManager.connect({ service: fake });
  const job = await manager.createJob('headers');
  const errors = await Promise.all([
    job.setCustomHeaders(`${HEADERS}\0`).catch((e: unknown) => e),
    job.setCustomHeaders(HEADERS).catch((e: unknown) => e),
    manager.download(`ftp://alice:${PASSWORD}@fake.test/x`, localPath('x.bin')).catch((e: unknown) => e),
    job.addFile(`http://alice:${PASSWORD}@`, localPath('y.bin')).catch((e: unknown) => e),
    job.setProxySettings({ usage: 2 /* OVERRIDE */, proxyList: `alice:${PASSWORD}@proxy:8080 \0`, bypassList: null }).catch((e: unknown) => e),
  ]);
  for (const error of errors) expect(error).toBeInstanceOf(Error);
  expectNoSecret(errors.flatMap(shown));
  await job.cancel();
  job.dispose();
  manager.dispose();
});

test('CLI: stdout, stderr and --json of a download with credentials show none, on success and on failure', async () => {
  const f = fakeFixture({ script });
  try {
    const controller = new AbortController();
    const hanging = cli(['download', HANG_URL, f.file('h.bin'), '--bits', '--progress=plain'], { connect: f.connect, signal: controller.signal });
    const seen = await jobAsServiceSeesIt(f.fake);
    controller.abort();
    expect(seen.remoteName).toBe(HANG_URL);
    expectNoSecret([seen.displayName, seen.description]);
    const runs = [
      await hanging,
      await cli(['download', OK_URL, f.file('a.bin'), '--bits', '--progress=plain'], { connect: f.connect }),
      await cli(['download', OK_URL, f.file('b.bin'), '--bits', '--json'], { connect: f.connect }),
      await cli(['download', FAIL_URL, f.file('c.bin'), '--bits', '--progress=plain'], { connect: f.connect }),
      await cli(['download', FAIL_URL, f.file('d.bin'), '--bits', '--json'], { connect: f.connect }),
      await cli(['download', `ftp://alice:${PASSWORD}@fake.test/x`, f.file('e.bin'), '--bits'], { connect: f.connect }),
    ];
    expect(runs.map((r) => r.code)).toEqual([expect.any(Number), 0, 0, expect.any(Number), expect.any(Number), expect.any(Number)]);
    expect(runs[1].stderr).toContain('fake.test/ok.bin');
    expectNoSecret(runs.flatMap((r) => [r.stdout, r.stderr]));
  } finally {
    await f.done();
  }
});

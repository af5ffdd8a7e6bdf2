/**
 * Credentials never reach the service's job list (issue 15, item 4, acceptance 3): a download
 * whose URL has user:password and a token in its query, through the API and through the CLI,
 * while Wine's BITS holds the job. Every job the service lists to this user (any process could
 * list them) is read: display name and description carry neither secret. The CLI's stdout, stderr
 * and --json are checked too (the ffi tier checks the rest: test/ffi/reliability/secrets.test.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { BackgroundCopyManager } from '../../src';
import { run } from '../../src/cli/main';
import { startHttpFixture, type HttpFixture } from '../fixtures/http-server';
import { makeTempDir } from './helpers';

const PASSWORD = 'Pa55-wine-hunter2';
const TOKEN = 'tok-wine-1a2b3c';

let srv: HttpFixture;
let dir: string;
let manager: BackgroundCopyManager;
beforeAll(async () => {
  srv = await startHttpFixture();
  dir = makeTempDir('do-wine-secrets-');
  manager = await BackgroundCopyManager.connect({ service: 'bits' });
});
afterAll(async () => {
  await manager?.close();
  await srv?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** http://user:password@127.0.0.1:port/slow/…?…&sig=token: a transfer that lasts a few seconds. */
function secretUrl(seed: number): string {
  const url = new URL(srv.url(`/slow/512?ms=100&chunk=16&seed=${seed}&sig=${TOKEN}`));
  url.username = 'alice';
  url.password = PASSWORD;
  return url.toString();
}

/** Display names and descriptions of every job the service lists, once one of ours is there. */
async function serviceJobTexts(marker: string): Promise<string[]> {
  for (;;) {
    const jobs = await manager.jobs();
    try {
      const texts = await Promise.all(jobs.map(async (j) => `${await j.getDisplayName()} | ${await j.getDescription().catch(() => '')}`));
      if (texts.some((t) => t.includes(marker))) return texts;
    } finally {
      jobs.forEach((j) => j.dispose());
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function expectNoSecret(texts: readonly string[]): void {
  for (const text of texts) {
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(TOKEN);
  }
}

test('API download(): the job the service lists carries no credential', async () => {
  const controller = new AbortController();
  const download = manager.download(secretUrl(1), path.join(dir, 'api.bin'), { signal: controller.signal, pollIntervalMs: 50 }).catch((e: unknown) => e);
  const texts = await serviceJobTexts('seed=1');
  controller.abort();
  const error = await download;
  expectNoSecret(texts);
  expectNoSecret([String(error), JSON.stringify(error)]);
}, 60_000);

test('CLI download: the service job list, stdout, stderr and --json carry no credential', async () => {
  let stdout = '';
  let stderr = '';
  const controller = new AbortController();
  const cli = run(['download', secretUrl(2), path.join(dir, 'cli.bin'), '--bits', '--json'], {
    signal: controller.signal,
    pollIntervalMs: 50,
    stdout: { write: (s: string) => { stdout += s; return true; } },
    stderr: { write: (s: string) => { stderr += s; return true; } },
  });
  const texts = await serviceJobTexts('seed=2');
  controller.abort();
  await cli;
  expectNoSecret([...texts, stdout, stderr]);
  // Then one that completes, with plain progress on stderr.
  const done = await (async () => {
    let out = '';
    let err = '';
    const code = await run(['download', secretUrl(3).replace('ms=100', 'ms=1'), path.join(dir, 'cli3.bin'), '--bits', '--progress=plain'], {
      pollIntervalMs: 50,
      stdout: { write: (s: string) => { out += s; return true; } },
      stderr: { write: (s: string) => { err += s; return true; } },
    });
    return { code, out, err };
  })();
  expectNoSecret([done.out, done.err]);
  expect(done.err).toContain('127.0.0.1');
}, 90_000);

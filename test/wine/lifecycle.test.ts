/**
 * Issue 21: a job outlives the CLI process. Each step is its own Windows node process running the
 * real CLI (bin/delivery-optimization.js), against Wine's BITS (or Windows'): `create` (with its
 * file: CreateJob + AddFile in one process), `resume` in a second, the transfer goes on while no CLI
 * process runs, `complete` in a third. `download --async` returns at once and `resume --wait`
 * completes the job later.
 *
 * Under Wine the BITS service lives as long as the wineserver (docs/testing.md): this test file's
 * own node.exe is a Wine process for the whole file, so the wineserver (and the service with its
 * jobs) stays up between the CLI processes without `wineserver -p`.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { JobState, JobType } from '../../src';
import { expectedSha256, JOB_PREFIX, pollUntil, settle, sha256File, useWineEnv, wineOnly } from './helpers';

const env = useWineEnv();
const bin = path.resolve(__dirname, '../../bin/delivery-optimization.js');

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Date.now() when stdout first had a line, and when the process ended. */
  readonly firstLineAt: number | null;
  readonly exitedAt: number;
}

/** One CLI process (Windows node, like a user's shell runs it). */
function cliProcess(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let firstLineAt: number | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (firstLineAt === null && stdout.includes('\n')) firstLineAt = Date.now();
    });
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill(), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, firstLineAt, exitedAt: Date.now() });
    });
  });
}

/** The job as this test process sees it (the test is not a CLI process). */
async function jobState(id: string): Promise<{ state: JobState; bytes: bigint }> {
  const job = env.janitor.release(await env.manager.getJob(id));
  try {
    const s = await job.status();
    return { state: s.state, bytes: s.progress.bytesTransferred };
  } finally {
    job.dispose();
  }
}

/** Cancels a job a test left behind (after a failed expectation). */
async function cancelIfThere(id: string | null): Promise<void> {
  if (id === null) return;
  await cliProcess(['cancel', id, '--bits']).catch(() => undefined);
}

test('create (+ its file) in one process, resume in a second, the job transfers with no CLI process running, complete in a third: the file is right', async () => {
  const name = `${JOB_PREFIX}: life ${process.pid}`;
  const dest = env.localPath('life.bin');
  // 2 MiB in 32 KiB chunks every 200 ms: about 13 s, longer than the second process takes to exit.
  const url = env.http.url('/slow/2048?ms=200&chunk=32&seed=21');
  let id: string | null = null;
  try {
    const created = await cliProcess(['create', url, dest, '--bits', '--name', name, '--json']);
    expect(created.code).toBe(0);
    const doc = JSON.parse(created.stdout) as { jobId: string; state: string; files: Array<{ url: string; localPath: string }> };
    id = doc.jobId;
    expect(doc).toMatchObject({ state: 'SUSPENDED', files: [{ url, localPath: dest }] });
    expect((await jobState(id)).state).toBe(JobState.Suspended);

    // By name (a wildcard that matches only this job), as a user would.
    const resumed = await cliProcess(['resume', `${JOB_PREFIX}: life ${process.pid}*`, '--bits']);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toBe(`Resumed job ${id}.\n`);

    // No CLI process runs now: the service goes on by itself.
    const atExit = await jobState(id);
    expect(atExit.state).not.toBe(JobState.Transferred);
    expect(atExit.state).not.toBe(JobState.Suspended);
    const transferred = await pollUntil(() => jobState(id as string), (s) => s.state === JobState.Transferred || s.state === JobState.Error, 60_000, 100);
    expect(transferred).toEqual({ state: JobState.Transferred, bytes: 2048n * 1024n });
    expect(fs.existsSync(dest)).toBe(false);

    const completed = await cliProcess(['complete', id, '--bits']);
    expect(completed.code).toBe(0);
    expect(completed.stdout).toBe(`Completed job ${id}.\n`);
    id = null;
    expect(sha256File(dest)).toBe(expectedSha256(2048 * 1024, 21));
  } finally {
    await cancelIfThere(id);
  }
}, 300_000);

test('download --async returns within 2 s of making the job; the job completes later through resume --wait', async () => {
  const dest = env.localPath('async.bin');
  const url = env.http.url('/slow/1024?ms=100&chunk=32&seed=22');
  let id: string | null = null;
  try {
    const queued = await cliProcess(['download', url, dest, '--bits', '--async', '--name', `${JOB_PREFIX}: async ${process.pid}`]);
    expect({ code: queued.code, stdout: queued.stdout }).toEqual({ code: 0, stdout: expect.stringMatching(/^[0-9a-f-]{36}\n$/) });
    id = queued.stdout.trim();
    // The id is printed once the job exists and runs; from then on the process only ends.
    expect(queued.firstLineAt).not.toBeNull();
    expect(queued.exitedAt - (queued.firstLineAt as number)).toBeLessThan(2000);
    expect([JobState.Queued, JobState.Connecting, JobState.Transferring, JobState.Transferred]).toContain((await jobState(id)).state);

    const waited = await cliProcess(['resume', id, '--wait', '--bits', '--json']);
    expect(waited.code).toBe(0);
    expect(JSON.parse(waited.stdout)).toMatchObject({ jobId: id, state: 'ACKNOWLEDGED', bytesTransferred: String(1024 * 1024) });
    id = null;
    expect(sha256File(dest)).toBe(expectedSha256(1024 * 1024, 22));
  } finally {
    await cancelIfThere(id);
  }
}, 300_000);

wineOnly("Wine's BITS does not upload: an upload job sends a GET (the job ends in ERROR with the server's answer to it, BG_E_HTTP_ERROR_404 here)", async () => {
  const src = env.localPath('wine-up.txt');
  fs.writeFileSync(src, 'hello');
  const upload = env.janitor.track(await env.manager.createJob(`${JOB_PREFIX}: upload ${process.pid}`, { type: JobType.Upload }));
  expect(await upload.getType()).toBe(JobType.Upload);
  const url = env.http.url(`/upload/${process.pid}.txt`);
  await upload.addFile(url, src);
  await upload.resume();
  const state = await settle(upload);
  expect(state).toBe(JobState.Error);
  expect((await upload.getError())?.code).toBe('BG_E_HTTP_ERROR_404');
  // What reached the server: GETs (never BITS_POST, the upload protocol's method).
  const methods = env.http.requests.filter((r) => r.url.startsWith(`/upload/${process.pid}.txt`)).map((r) => r.method);
  expect(methods.length).toBeGreaterThan(0);
  expect(methods).toContain('GET');
  expect(methods.filter((m) => m !== 'GET' && m !== 'HEAD')).toEqual([]);
});

wineOnly('so the CLI refuses upload and upload-reply on Wine before any job exists (exit 3, E_NOTIMPL), and the file stays as it was', async () => {
  const src = env.localPath('up.txt');
  fs.writeFileSync(src, 'hello');
  const before = env.http.requests.length;
  for (const command of ['upload', 'upload-reply'] as const) {
    const r = await cliProcess([command, src, env.http.url('/upload/up.txt'), '--bits', '--json']);
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout) as { ok: boolean; error: { name: string; hex: string; message: string } };
    expect(doc).toMatchObject({ ok: false, error: { name: 'NotImplementedError', hex: '0x80004001' } });
    expect(doc.error.message).toContain(`${command} under Wine failed: E_NOTIMPL (0x80004001): Wine's BITS does not upload: it would send a GET for the URL and write the answer over the file to send. Nothing was created.`);
    expect(r.stderr).toMatch(/^hint: BITS does not implement this call/m);
  }
  const created = await cliProcess(['create', '--type', 'upload', env.http.url('/upload/up.txt'), src, '--bits']);
  expect(created.code).toBe(3);
  expect(env.http.requests.length).toBe(before);
  expect(fs.readFileSync(src, 'utf8')).toBe('hello');
}, 300_000);

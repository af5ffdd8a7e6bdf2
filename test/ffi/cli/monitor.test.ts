/**
 * `monitor` (issue 21, item 5): on 50 jobs it shows one screen, redrawn each refresh, and SIGINT ends
 * it with every job as it was (state, state history, bytes). The CLI runs in a child process (its
 * `main`, against the fake, which reports its jobs before the monitor starts and when the child exits).
 * Off a terminal it prints a line per job that appears, changes or goes.
 */
import { spawn } from 'child_process';
import * as path from 'path';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { BackgroundCopyManager } from '../../../src';
import { run } from '../../../src/cli/main';
import { createFakeService } from '../../../src/testing';
import { skipOnWindows } from '../../support/platform';

const root = path.resolve(__dirname, '..', '..', '..');
const ROWS = 30;

const child = `
const { BackgroundCopyManager } = require('./src');
const { createFakeService } = require('./src/testing');
const { main } = require('./src/cli/main');
const dir = require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'monitor-'));
const fake = createFakeService({ flavour: 'bits', defaultBehaviour: { kind: 'hang' } });
const facts = () => JSON.stringify(fake.jobs().map((j) => [j.id, j.displayName, j.stateHistory, j.files.map((f) => String(f.bytesTransferred))]));
(async () => {
  const m = await BackgroundCopyManager.connect({ service: fake });
  const done = [];
  for (let i = 0; i < 50; i++) {
    const job = await m.createJob('monitor-' + i);
    const url = 'http://fake.test/' + i + '.bin';
    // a third each: SUSPENDED, TRANSFERRING (hangs), TRANSFERRED (not completed)
    if (i % 3 === 2) fake.script(url, { kind: 'succeed', bytes: 2048, durationMs: 5 });
    await job.addFile(url, dir + '/' + i + '.bin');
    if (i % 3 !== 0) await job.resume();
    if (i % 3 === 2) done.push(job.waitForCompletion({ pollIntervalMs: 5 }).then(() => job.dispose()));
    else job.dispose();
  }
  await Promise.all(done);
  await m.close();
  process.stdout.write('before: ' + facts() + '\\n');
  process.on('exit', () => process.stdout.write('\\nafter: ' + facts() + '\\nenums: ' + (fake.stats().calls.get('IBackgroundCopyManager::EnumJobs') || 0) + '\\n'));
  const terminal = { isTTY: true, rows: ${ROWS}, columns: 100, write: (s) => process.stdout.write(s) };
  main(['monitor', '--bits', '--refresh', '100ms'], { connect: () => BackgroundCopyManager.connect({ service: fake }), stdout: terminal, canRedraw: () => true });
})();
`;

interface Outcome { code: number | null; signal: string | null; stdout: string; stderr: string; framesAtSignal: number }

/** Runs the monitor until it has drawn `frames` screens, then sends SIGINT. */
function monitorUntil(frames: number): Promise<Outcome> {
  const proc = spawn(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), '-e', child], {
    cwd: root, env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json') }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let framesAtSignal = -1;
  proc.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    const drawn = stdout.split('\x1b[H').length - 1;
    if (framesAtSignal < 0 && drawn >= frames) {
      framesAtSignal = drawn;
      proc.kill('SIGINT');
    }
  });
  proc.stderr.on('data', (c: Buffer) => void (stderr += c.toString()));
  const watchdog = setTimeout(() => proc.kill('SIGKILL'), 90_000);
  return new Promise((resolve) => proc.on('close', (code, signal) => {
    clearTimeout(watchdog);
    resolve({ code, signal, stdout, stderr, framesAtSignal });
  }));
}

jest.setTimeout(120_000);

skipOnWindows('a signal sent by another process is no Ctrl-C on Windows: the child is killed before its handler runs').test('monitor on 50 jobs: one screen, redrawn; SIGINT ends it with exit 0 and every job unchanged', async () => {
  const r = await monitorUntil(3);
  expect(r.stderr).not.toMatch(/error/i);
  expect({ code: r.code, signal: r.signal }).toEqual({ code: 0, signal: null });
  expect(r.stderr).toContain('Interrupted (SIGINT)');
  expect(r.stderr).toContain('Monitor stopped; no job was touched.');

  const before = /^before: (.*)$/m.exec(r.stdout)![1];
  const after = /^after: (.*)$/m.exec(r.stdout)![1];
  const jobs = JSON.parse(before) as Array<[string, string, number[], string[]]>;
  expect(jobs).toHaveLength(50);
  expect(new Set(jobs.map(([, , history]) => history[history.length - 1])).size).toBe(3); // three different states
  expect(JSON.parse(after)).toEqual(jobs);
  expect(Number(/^enums: (\d+)$/m.exec(r.stdout)![1])).toBeGreaterThanOrEqual(3);

  // Each frame: home, at most ROWS lines, no newline after the last one (it would scroll), the rest cleared.
  const frames = r.stdout.split('\x1b[H').slice(1, r.framesAtSignal).map((f) => f.slice(0, f.indexOf('\x1b[J')));
  expect(frames.length).toBeGreaterThanOrEqual(2);
  for (const frame of frames) {
    const lines = frame.split('\n');
    expect(lines).toHaveLength(ROWS);
    expect(lines[0]).toMatch(/BITS jobs \(current user\): 50 at \d\d:\d\d:\d\d, every 0\.1 s/);
    expect(lines[1]).toMatch(/^ID\s+STATE\s+BYTES\s+FILES\s+NAME/);
    expect(lines[ROWS - 1]).toMatch(/^… and 23 more/);
    for (const line of lines) expect(line.replace(/\x1b\[K$/, '').length).toBeLessThan(100);
    expect(frame).toMatch(/SUSPENDED/);
    expect(frame).toMatch(/TRANSFERRED/);
  }
});

test('off a terminal: a line per job when it shows, changes or goes; Ctrl-C (the signal) ends it with 0', async () => {
  const fake = createFakeService({ flavour: 'bits', defaultBehaviour: { kind: 'hang' } });
  const dir = mkdtempSync(path.join(tmpdir(), 'monitor-lines-'));
  const m = await BackgroundCopyManager.connect({ service: fake });
  const keep = await m.createJob('stays');
  await keep.addFile('http://fake.test/keep.bin', path.join(dir, 'keep.bin'));
  const goes = await m.createJob('goes');
  await goes.addFile('http://fake.test/goes.bin', path.join(dir, 'goes.bin'));

  let stdout = '';
  let stderr = '';
  const controller = new AbortController();
  let reads = 0;
  // The test's own steps, between the monitor's reads: before the 2nd a job is renamed, before the 3rd one
  // is cancelled, and Ctrl-C comes during the 4th.
  const connect = async () => {
    const manager = await BackgroundCopyManager.connect({ service: fake });
    const jobs = manager.jobs.bind(manager);
    manager.jobs = async (o) => {
      reads++;
      if (reads === 2) await keep.setDisplayName('renamed');
      if (reads === 3) await goes.cancel();
      if (reads === 4) controller.abort();
      return jobs(o);
    };
    return manager;
  };
  const code = await run(['monitor', '--bits', '--refresh', '100ms'], {
    connect,
    signal: controller.signal,
    stdout: { write: (s: string) => void (stdout += s) },
    stderr: { write: (s: string) => void (stderr += s) },
    canRedraw: () => false,
  });
  keep.dispose();
  goes.dispose();
  await m.close();
  expect(code).toBe(0);
  expect(stderr).toMatch(/^Monitoring fake BITS jobs \(current user\) every 0\.1 s/);
  const lines = stdout.trimEnd().split('\n').map((l) => l.replace(/^\S+Z {2}/, ''));
  expect(lines.map((l) => l.replace(/\s+/g, ' '))).toEqual([
    `${keep.id} SUSPENDED 0 B / ? 0/1 stays`,
    `${goes.id} SUSPENDED 0 B / ? 0/1 goes`,
    `${keep.id} SUSPENDED 0 B / ? 0/1 renamed`,
    `${goes.id} GONE`,
  ]);
  expect(fake.jobs().map((j) => j.id)).toEqual([keep.id]);
});

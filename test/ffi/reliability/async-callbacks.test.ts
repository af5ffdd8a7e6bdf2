/**
 * Async listeners and an async onProgress that reject are contained (issue 15, item 9): the
 * rejection goes to the job's 'error' listeners (or a DeliveryOptimizationWarning), never to
 * the unhandled-rejection rule, which ends the process by default. Run in a child process, so
 * that the default rule applies as in a user's program.
 */
import { execFile } from 'child_process';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..', '..');
const script = `
const { BackgroundCopyManager } = require('./src');
const { createFakeService } = require('./src/testing');
const url = 'http://fake.test/async.bin';
const warnings = [];
process.on('warning', (w) => warnings.push(w.message));
(async () => {
  const fake = createFakeService({ flavour: 'bits', script: { [url]: { kind: 'succeed', bytes: 100, durationMs: 20 } }, writeFiles: false });
  const m = await BackgroundCopyManager.connect({ service: fake });
  const errors = [];
  const a = await m.createJob('async listener');
  a.on('transferred', async () => { throw new Error('async listener failed'); });
  a.on('error', (e) => errors.push(e.message));
  const b = await m.createJob('async error listener');
  b.on('transferred', async () => { throw new Error('async listener of b failed'); });
  b.on('error', async () => { throw new Error('async error listener failed'); });
  for (const job of [a, b]) {
    await job.notificationsReady();
    await job.addFile(url, require('os').tmpdir() + '/async-' + process.pid + job.id + '.bin');
    await job.resume();
    await job.waitForCompletion({ pollIntervalMs: 5, onProgress: async () => { throw new Error('async onProgress failed'); } });
  }
  while (!errors.length || !warnings.some((w) => w.includes('async error listener failed'))) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setImmediate(r));
  for (const job of [a, b]) { await job.cancel(); job.dispose(); }
  await m.close();
  fake.dispose();
  console.log(JSON.stringify({ errors, warnings }));
})();
`;

jest.setTimeout(60_000);

test('rejecting async listeners and onProgress do not end the process', async () => {
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), '-e', script], {
      cwd: root, env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json') }, timeout: 50_000,
    }, (_error, out, err) => resolve({ code: child.exitCode, stdout: out, stderr: err }));
  });
  expect(stderr).not.toMatch(/unhandled|UnhandledPromiseRejection/i);
  expect(code).toBe(0);
  const { errors, warnings } = JSON.parse(stdout.trim().split('\n').pop() as string) as { errors: string[]; warnings: string[] };
  expect(errors).toContain('async listener failed');
  expect(warnings.some((w) => w.includes('async error listener failed'))).toBe(true);
  expect(warnings.some((w) => w.includes('async onProgress failed'))).toBe(true);
});

const doScript = `
const { DOManager } = require('./src');
const { createFakeService } = require('./src/testing');
const url = 'http://ido.test/async.bin';
const warnings = [];
process.on('warning', (w) => warnings.push(w.message));
(async () => {
  const fake = createFakeService({ flavour: 'ido', script: { [url]: { kind: 'succeed', bytes: 100, durationMs: 20 } }, writeFiles: false });
  const m = await DOManager.connect({ service: fake });
  const d = await m.createDownload({ uri: url, localPath: require('os').tmpdir() + '/do-async-' + process.pid + '.bin' });
  await d.start();
  await d.waitForCompletion({ pollIntervalMs: 5, onProgress: async () => { throw new Error('async DO onProgress failed'); } });
  while (!warnings.some((w) => w.includes('async DO onProgress failed'))) await new Promise((r) => setTimeout(r, 5));
  await d.abort();
  await d.close();
  await m.close();
  fake.dispose();
  console.log(JSON.stringify({ warnings }));
})();
`;

test("a DO download's async onProgress that rejects is a warning, not an unhandled rejection (issue 23)", async () => {
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), '-e', doScript], {
      cwd: root, env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json') }, timeout: 50_000,
    }, (_error, out, err) => resolve({ code: child.exitCode, stdout: out, stderr: err }));
  });
  expect(stderr).not.toMatch(/unhandled|UnhandledPromiseRejection/i);
  expect(code).toBe(0);
  const { warnings } = JSON.parse(stdout.trim().split('\n').pop() as string) as { warnings: string[] };
  expect(warnings.some((w) => w.includes('onProgress failed: async DO onProgress failed'))).toBe(true);
});

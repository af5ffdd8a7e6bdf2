/**
 * The CLI treats SIGTERM and SIGHUP like a first Ctrl-C (issue 15, item 10): a download in
 * progress cancels its job, says so and exits with 130; it does not die with the job left
 * TRANSFERRING. The CLI runs in a child process (its `main`, against the fake, which reports
 * its jobs' states when the child exits).
 */
import { spawn } from 'child_process';
import * as path from 'path';
import { skipOnWindows } from '../../support/platform';

const root = path.resolve(__dirname, '..', '..', '..');
const child = `
const { BackgroundCopyManager } = require('./src');
const { createFakeService } = require('./src/testing');
const { main } = require('./src/cli/main');
const fake = createFakeService({ flavour: 'bits', defaultBehaviour: { kind: 'hang' } });
process.on('exit', () => process.stdout.write('jobs: ' + JSON.stringify(fake.jobs().map((j) => j.state)) + '\\n'));
main(['download', 'http://fake.test/big.bin', require('os').tmpdir() + '/signals-' + process.pid + '.bin', '--bits', '--progress=plain'],
  { connect: () => BackgroundCopyManager.connect({ service: fake }), pollIntervalMs: 10 });
`;

function runUntilJobThenSignal(signal: NodeJS.Signals): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  const proc = spawn(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), '-e', child], {
    cwd: root, env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json') }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let sent = false;
  proc.stdout.on('data', (c: Buffer) => void (stdout += c.toString()));
  proc.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
    // The job exists and is followed: now stop the CLI the way a service manager would.
    if (!sent && /TRANSFERRING/.test(stderr)) {
      sent = true;
      proc.kill(signal);
    }
  });
  const watchdog = setTimeout(() => proc.kill('SIGKILL'), 60_000);
  return new Promise((resolve) => proc.on('close', (code, sig) => {
    clearTimeout(watchdog);
    resolve({ code, signal: sig, stdout, stderr });
  }));
}

jest.setTimeout(90_000);

skipOnWindows('Windows has no SIGTERM or SIGHUP: kill() ends the child at once').test.each(['SIGTERM', 'SIGHUP'] as const)('%s during a download cancels the job and exits with 130', async (signal) => {
  const r = await runUntilJobThenSignal(signal);
  expect(r.stderr).toContain(`Interrupted (${signal})`);
  expect(r.stderr).toMatch(/Cancelled job [0-9a-f-]{36}\./);
  expect({ code: r.code, signal: r.signal }).toEqual({ code: 130, signal: null });
  // The fake removes cancelled jobs: nothing is left behind, TRANSFERRING or otherwise.
  expect(r.stdout).toContain('jobs: []');
});

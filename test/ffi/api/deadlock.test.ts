/**
 * Why the library never calls the service synchronously on the JS main thread (docs/architecture.md):
 * with the fake's callbacks coming from a native thread, as an RPC thread's do, a synchronous call
 * that the service holds until a pending callback returns can never return, because the callback
 * needs the main thread. The same scenario through the public API completes. Each runs in a child
 * process under a watchdog (a deadlocked main thread cannot be rescued from inside).
 */
import { spawn } from 'child_process';
import * as path from 'path';
import { nativeWaitsHere } from '../../support/native-wait-platforms';

const SCRIPT = path.join(__dirname, '../../support/deadlock-scenario.ts');

/** Runs the scenario; kills it `watchdogMs` after it reported the callback in flight. */
function run(mode: 'sync' | 'api', watchdogMs: number): Promise<{ out: string; err: string; code: number | null; killedByWatchdog: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', SCRIPT, mode], {
      cwd: path.join(__dirname, '../../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let killedByWatchdog = false;
    let watchdog: NodeJS.Timeout | undefined;
    // A bound on start-up too (ts-node on a loaded machine), so the test cannot hang.
    const startup = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!watchdog && out.includes('callback in flight')) {
        watchdog = setTimeout(() => {
          killedByWatchdog = true;
          child.kill('SIGKILL');
        }, watchdogMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(startup);
      if (watchdog) clearTimeout(watchdog);
      resolve({ out, err, code, killedByWatchdog });
    });
  });
}

const native = nativeWaitsHere ? describe : describe.skip;

native('a synchronous call with a callback pending', () => {
  test('deadlocks on the main thread (caught by the watchdog); through the public API the same scenario completes', async () => {
    const [sync, api] = await Promise.all([run('sync', 3000), run('api', 30_000)]);
    // Synchronous: the callback was in flight, the call never returned, the watchdog killed it.
    expect(sync.out).toContain('callback in flight');
    expect(sync.out).not.toContain('returned');
    expect(sync.killedByWatchdog).toBe(true);
    // Public API: returned, and the process ended balanced and on its own.
    expect(api.err).toBe('');
    expect(api.out).toContain('callback in flight');
    expect(api.out).toMatch(/returned state=/);
    expect(api.out).toContain('done');
    expect(api.killedByWatchdog).toBe(false);
    expect(api.code).toBe(0);
  }, 90_000);
});

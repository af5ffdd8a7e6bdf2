/** Runs `exit-scenario.ts` in a child process and measures how long the child takes to end. */
import { spawn } from 'child_process';
import * as path from 'path';

export interface ScenarioResult {
  readonly service: string;
  readonly operation: string;
  readonly ending: string;
  readonly condition: string;
  /** From the child's `ending` line to its exit; null when it never printed it. */
  readonly ms: number | null;
  /** Killed by the watchdog: the process did not end by itself. */
  readonly hung: boolean;
  readonly code: number | null;
  /** Native calls in flight when the child ended itself. */
  readonly inFlight: number | null;
  readonly output: string;
}

const root = path.resolve(__dirname, '..', '..');
const scenario = path.join(__dirname, 'exit-scenario.ts');

export function runExitScenario(
  service: string, operation: string, ending: string, condition: string,
  options: { watchdogMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<ScenarioResult> {
  // The cached transpiler: a scenario is a fresh process each time, and ts-node transpiled src/ anew in each.
  const child = spawn(process.execPath, ['-r', path.join(__dirname, 'ts-register-cached.js'), scenario, service, operation, ending, condition], {
    cwd: root,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let endingAt: number | null = null;
  let inFlight: number | null = null;
  let hung = false;
  let watchdog: NodeJS.Timeout | undefined;
  // The watchdog is short from the ending line on (set-up may take long under Wine).
  const arm = (ms: number) => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, ms);
  };
  arm(90_000);
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    const m = /^ending (\d+)$/m.exec(output);
    if (m && endingAt === null) {
      endingAt = performance.now();
      inFlight = Number(m[1]);
      arm(options.watchdogMs ?? 10_000);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(watchdog);
      const ms = endingAt === null ? null : Math.round(performance.now() - endingAt);
      resolve({ service, operation, ending, condition, ms, hung, code, inFlight, output });
    });
  });
}

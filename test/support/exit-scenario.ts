/**
 * One exit-safety scenario, run in a child process by the exit-safety tests and by
 * `scripts/exit-safety.js`:
 *
 *   node -r ./test/support/ts-register-cached.js test/support/exit-scenario.ts <service> <operation> <ending> <condition>
 *
 * service: fake | bits (Wine or Windows); operation: see OPERATIONS; ending: exit | throw | reject;
 * condition: healthy | killed (the service dies while the operation is in flight: BITS's process
 * is killed, the fake disposed) | frozen (the service stops answering before the operation starts:
 * SIGSTOP on BITS's process, hang faults on the fake).
 *
 * It sets up, starts the operation, waits until a native call of it is in flight, prints
 * `ending <native calls in flight>` and ends the process the chosen way. The parent measures from
 * that line to the process's end.
 */
import * as os from 'os';
import * as path from 'path';
import { BackgroundCopyManager, type BackgroundCopyJob } from '../../src';
import { nativeCallsInFlight } from '../../src/com';
import { createFakeService, type FakeService } from '../../src/testing';

export const SERVICES = ['fake', 'bits'] as const;
export const ENDINGS = ['exit', 'throw', 'reject'] as const;
export const CONDITIONS = ['healthy', 'killed', 'frozen'] as const;

interface Env {
  readonly manager: BackgroundCopyManager;
  readonly jobs: BackgroundCopyJob[];
  readonly fake: FakeService | null;
  readonly url: string;
  readonly dir: string;
}

/** Each operation starts something that may be in flight when the process ends. */
export const OPERATIONS: Record<string, (env: Env) => void> = {
  /** 20 concurrent property reads. */
  calls: (env) => env.jobs.forEach((j) => void j.getState().catch(() => undefined)),
  /** Every job released (Release calls, one at a time). */
  releases: (env) => env.jobs.forEach((j) => j.dispose()),
  /** Listener registrations (SetNotifyInterface, during which the service calls back). */
  registrations: (env) => env.jobs.forEach((j) => j.on('transferred', () => undefined)),
  /** waitForCompletion on jobs that never finish. */
  waits: (env) => env.jobs.forEach((j) => void j.waitForCompletion({ pollIntervalMs: 5 }).catch(() => undefined)),
  /** manager.download() from the start. */
  download: (env) => void env.manager.download(env.url, path.join(env.dir, `exit-${process.pid}.bin`), { pollIntervalMs: 5 }).catch(() => undefined),
  /** Manager close with jobs open (releases, unregistrations). */
  close: (env) => void env.manager.close().catch(() => undefined),
};

function end(ending: string): void {
  if (ending === 'exit') process.exit(0);
  else if (ending === 'throw') setImmediate(() => { throw new Error('exit-safety: uncaught exception'); });
  else void Promise.reject(new Error('exit-safety: unhandled rejection'));
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const limit = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > limit) return false;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return true;
}

async function main(): Promise<void> {
  const [service, operation, ending, condition] = process.argv.slice(2);
  const start = OPERATIONS[operation];
  if (!SERVICES.includes(service as never) || !start || !ENDINGS.includes(ending as never) || !CONDITIONS.includes(condition as never)) {
    throw new Error(`usage: exit-scenario <${SERVICES.join('|')}> <${Object.keys(OPERATIONS).join('|')}> <${ENDINGS.join('|')}> <${CONDITIONS.join('|')}>`);
  }
  // A frozen fake never answers the calls the operations make (its hang fault waits natively).
  const hang = { kind: 'hang', maxMs: 60_000 } as const;
  const frozen = { 'IBackgroundCopyJob::GetState': hang, 'IBackgroundCopyJob::SetNotifyInterface': hang, 'IBackgroundCopyJob::SetNotifyFlags': hang, 'IBackgroundCopyJob::Cancel': hang };
  const fake = service === 'fake' ? createFakeService({ flavour: 'bits', defaultBehaviour: { kind: 'hang' }, faults: condition === 'frozen' ? frozen : {} }) : null;
  const manager = await BackgroundCopyManager.connect({ service: fake ?? 'bits' });
  const jobs: BackgroundCopyJob[] = [];
  const url = process.env.EXIT_SCENARIO_URL ?? 'http://127.0.0.1:9/exit-safety.bin';
  const dir = os.tmpdir();
  for (let i = 0; i < (operation === 'download' ? 0 : 20); i++) {
    const job = await manager.createJob(`exit-safety ${operation} ${i}`);
    if (operation === 'waits') {
      await job.addFile(url, path.join(dir, `exit-safety-${process.pid}-${i}.bin`));
      await job.resume();
    }
    jobs.push(job);
  }
  const control = service === 'bits' && condition !== 'healthy' ? await import('../wine/service-faults') : null;
  if (condition === 'frozen') control?.freezeBits();
  process.stdout.write('ready\n');
  start({ manager, jobs, fake, url, dir });
  // As a program would: end right after starting (the calls above are in flight by now) ...
  await null;
  // ... or, for operations whose first native call comes after some awaits (a job's calls are sent in
  // program order, so on()'s registration waits its turn; close() first settles what is pending), once
  // it is in flight: a scenario with nothing in flight would only test Node's own exit.
  await until(() => nativeCallsInFlight() > 0, 5_000);
  if (condition === 'killed') {
    if (fake) fake.dispose();
    else control?.killBits();
  }
  process.stdout.write(`ending ${nativeCallsInFlight()}\n`);
  end(ending);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stdout.write(`setup failed: ${String(error instanceof Error ? error.stack : error)}\n`);
    process.exit(3);
  });
}

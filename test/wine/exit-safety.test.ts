/**
 * Exit safety against Wine's BITS (issue 15, items 1 and 2): with native calls in flight,
 * `process.exit()` and an uncaught exception end node.exe within 1 s, also when the service is
 * frozen (SIGSTOP) or killed. Each case runs test/support/exit-scenario.ts in a child node.exe;
 * the whole matrix is `node scripts/exit-safety.js`. Before the exit guard, the registration cases
 * hung (the service's QueryInterface of our sink waited for the exiting main thread) and the
 * frozen cases hung until the service ran again: exit joined the pool threads stuck in the calls.
 */
import { runExitScenario, type ScenarioResult } from '../support/run-exit-scenario';
import { ensureBitsUsable } from './service-control';
import { restoreBits } from './service-faults';

const CASES: Array<[operation: string, ending: string, condition: 'healthy' | 'killed' | 'frozen']> = [
  ['registrations', 'exit', 'healthy'],
  ['registrations', 'throw', 'healthy'],
  ['calls', 'exit', 'frozen'],
  ['releases', 'reject', 'frozen'],
  ['calls', 'exit', 'killed'],
];

jest.setTimeout(120_000);

beforeAll(async () => {
  await ensureBitsUsable();
});

test.each(CASES)('%s in flight, %s, service %s: node.exe ends within 1 s', async (operation, ending, condition) => {
  let r: ScenarioResult;
  try {
    r = await runExitScenario('bits', operation, ending, condition);
  } finally {
    await restoreBits(condition, 'exit-safety');
  }
  console.log(`[exit-safety] ${JSON.stringify({ operation, ending, condition, ms: r.ms, inFlight: r.inFlight, hung: r.hung })}`);
  if (r.ms === null) throw new Error(`the scenario did not start:\n${r.output}`);
  expect(r.inFlight).toBeGreaterThan(0);
  expect({ hung: r.hung, code: r.code }).toEqual({ hung: false, code: ending === 'exit' ? 0 : 1 });
  expect(r.ms).toBeLessThanOrEqual(1_000);
});

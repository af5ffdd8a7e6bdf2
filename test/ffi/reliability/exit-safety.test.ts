/**
 * Exit safety on the fake (issue 15, items 3 and the exit-safety suite): whatever is in flight,
 * `process.exit()`, an uncaught exception and an unhandled rejection end the process within 1 s.
 * Each case runs `test/support/exit-scenario.ts` in a child process (the full matrix, with Wine's
 * service, is `scripts/exit-safety.js`). Before the exit guard, every one of these hung until the
 * watchdog killed the child: the main thread joined a pool thread waiting in koffi for the main
 * thread (a call into a fake object).
 */
import { CONDITIONS, OPERATIONS } from '../../support/exit-scenario';
import { runExitScenario, type ScenarioResult } from '../../support/run-exit-scenario';

/**
 * The fake half of the table in docs/reliability.md (scripts/exit-safety.js runs the same cells):
 * every operation × process.exit() / an uncaught exception × the fake healthy, killed (disposed)
 * and frozen (hang faults); an unhandled rejection takes the uncaught-exception path, two cells of it.
 */
const CASES: Array<[operation: string, ending: string, condition: string]> = [
  ...CONDITIONS.flatMap((condition) => Object.keys(OPERATIONS).flatMap((operation) => ['exit', 'throw'].map((ending) => [operation, ending, condition] as [string, string, string]))),
  ['waits', 'reject', 'healthy'],
  ['registrations', 'reject', 'frozen'],
];

jest.setTimeout(600_000);

let results: ScenarioResult[];
beforeAll(async () => {
  // Two at a time (2-core machines); the children share one transpile cache (ts-register-cached.js).
  results = [];
  for (let i = 0; i < CASES.length; i += 2) {
    results.push(...(await Promise.all(CASES.slice(i, i + 2).map(([op, ending, condition]) => runExitScenario('fake', op, ending, condition)))));
  }
});

test.each(CASES.map((c, i) => [...c, i] as const))('%s in flight, %s, service %s: the process ends within 1 s', (operation, ending, condition, i) => {
  const r = results[i];
  expect({ operation: r.operation, ending: r.ending, condition: r.condition }).toEqual({ operation, ending, condition });
  if (r.ms === null) throw new Error(`the scenario did not start:\n${r.output}`);
  // Something was in flight: otherwise the case proves nothing.
  expect(r.inFlight).toBeGreaterThan(0);
  expect({ hung: r.hung, code: r.code }).toEqual({ hung: false, code: ending === 'exit' ? 0 : 1 });
  expect(r.ms).toBeLessThanOrEqual(1_000);
  // A fatal error is still printed, as Node prints it.
  if (ending === 'throw') expect(r.output).toContain('Error: exit-safety: uncaught exception');
  if (ending === 'reject') expect(r.output).toContain('Error: exit-safety: unhandled rejection');
});

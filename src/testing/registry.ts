/**
 * Every fake created and not yet collected, so a Jest `afterEach` can check them all (test/ffi/setup.ts)
 * without each test having to remember.
 */
import type { FakeService } from './fake-service';

const created: FakeService[] = [];

/** @internal Called by createFakeService. */
export function recordCreatedFake(fake: FakeService): void {
  created.push(fake);
}

/** The fakes created since the last call (and forgets them). */
export function takeCreatedFakes(): FakeService[] {
  return created.splice(0);
}

/**
 * Settles, checks and disposes each fake (skipping disposed ones and, for the check only, those
 * that called `expectUnbalanced()`). Every fake is disposed even when a check fails; the failures
 * are thrown together at the end.
 */
export async function verifyFakes(fakes: readonly FakeService[]): Promise<void> {
  const failures: string[] = [];
  for (const fake of fakes) {
    if (fake.disposed) continue;
    try {
      await fake.settle();
      if (!fake.expectsUnbalanced) fake.assertBalanced();
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    } finally {
      fake.dispose();
    }
  }
  if (failures.length > 0) throw new Error(failures.join('\n\n'));
}

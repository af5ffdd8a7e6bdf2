/**
 * Every fake created and not yet disposed, so a Jest `afterEach` can check them all (test/ffi/setup.ts)
 * without each test having to remember. A disposed fake has nothing left to check: it leaves the
 * registry at once, so a loop that creates and disposes fakes holds none of them.
 */
import type { FakeService } from './fake-service';

const created = new Set<FakeService>();

/** @internal Called by createFakeService. */
export function recordCreatedFake(fake: FakeService): void {
  created.add(fake);
}

/** @internal Called by `FakeService.dispose()`. */
export function forgetCreatedFake(fake: FakeService): void {
  created.delete(fake);
}

/** The fakes created since the last call and not disposed yet (and forgets them). */
export function takeCreatedFakes(): FakeService[] {
  const fakes = [...created];
  created.clear();
  return fakes;
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

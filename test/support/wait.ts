/** Condition-driven waits for tests: no sleep-then-assert. */

/**
 * Resolves as soon as `condition()` holds (checked every few ms, on the event loop); rejects with
 * `what` after `timeoutMs`, so a condition that never comes fails the test instead of hanging it.
 */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

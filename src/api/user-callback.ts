/**
 * Calling code the user gave us (listeners, onProgress). A callback may be an async function: its
 * rejection would otherwise be an unhandled rejection, which ends the process by default. Both
 * a throw and a rejection go to `report`, which must not throw.
 */
export function callUserCallback<A extends unknown[]>(fn: (...args: A) => unknown, args: A, report: (error: Error) => void): void {
  const toError = (reason: unknown) => (reason instanceof Error ? reason : new Error(String(reason)));
  let result: unknown;
  try {
    result = fn(...args);
  } catch (error) {
    report(toError(error));
    return;
  }
  if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
    Promise.resolve(result as PromiseLike<unknown>).then(undefined, (reason: unknown) => report(toError(reason)));
  }
}

/** Where a failing callback goes when nobody listens for errors: a process warning, as Node does. */
export function warnCallbackFailed(what: string, error: Error): void {
  process.emitWarning(`${what}: ${error.message}`, { type: 'DeliveryOptimizationWarning', detail: error.stack });
}

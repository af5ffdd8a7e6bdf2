/**
 * Releases still running, so that a process can wait for them before it exits. Its own module,
 * with no dependencies: the CLI waits on it after every command without loading the COM layer
 * (bench:startup).
 */
const pendingReleases = new Set<Promise<unknown>>();

/** Remembers a release until it settles, for `settleReleases`. */
export function track<T>(promise: Promise<T>): Promise<T> {
  pendingReleases.add(promise);
  const forget = () => pendingReleases.delete(promise);
  promise.then(forget, forget);
  return promise;
}

/** Resolves when every release started so far has completed. */
export async function settleReleases(): Promise<void> {
  while (pendingReleases.size > 0) await Promise.allSettled([...pendingReleases]);
}

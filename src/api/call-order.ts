/**
 * Program order for the calls made on one job. Every call leaves the JS thread on a worker, so two
 * calls started one after the other without awaiting the first (`job.on(...)` registering in the
 * background, then `job.resume()`) can reach the service in the other order, and an event of the
 * second is lost because the registration of the first is not in place yet.
 *
 * Rule: calls that change the job ("writes") run one at a time, in the order they were made; a
 * read waits for the writes made before it, and reads run side by side.
 */
export type CallKind = 'read' | 'write';

/** Methods that only read (GetState, GetProgress, EnumFiles, QueryInterface …). */
const READ = /^(Get|Enum|Query|Is)/;

export function callKind(method: string): CallKind {
  return READ.test(method) ? 'read' : 'write';
}

export class CallOrder {
  /** Settles when the last write made so far has returned. */
  #tail: Promise<void> = Promise.resolve();
  #writesPending = 0;

  run<T>(kind: CallKind, call: () => Promise<T>): Promise<T> {
    if (kind === 'read' && this.#writesPending === 0) return call();
    const result = this.#tail.then(call);
    if (kind === 'write') {
      this.#writesPending++;
      this.#tail = result.then(
        () => void this.#writesPending--,
        () => void this.#writesPending--,
      );
    }
    return result;
  }
}

/**
 * Schedules koffi asynchronous calls.
 *
 * - Bounds the calls in flight: koffi throws "Too many asynchronous calls are running" past its
 *   `max_async_calls`; callers here never see that: extra calls wait in a FIFO.
 * - Bounds how long a call may take (`timeoutMs`, per queue or per call): a service that stopped answering must not hold
 *   a place forever. A timed-out call rejects at once; its native call still runs to its end (a
 *   thread cannot be cancelled), so its arguments are kept alive until then and it still counts
 *   against koffi's own cap.
 * - Runs some calls alone (`exclusive`): Wine's combase crashes when proxies are released while
 *   other calls run on the same proxies; Release goes through here one at a time, with nothing
 *   else in flight. Exclusive calls are rare (one per disposed pointer), so this costs little.
 */
import { nativeCallEnded, nativeCallStarted } from './exit-guard';

export type NativeCallback<T> = (error: unknown, result: T) => void;

export interface RunOptions<T = unknown> {
  /** Run with nothing else in flight. */
  readonly exclusive?: boolean;
  /** Objects the native call reads (argument buffers): kept alive until it really ends. */
  readonly keepAlive?: unknown;
  /** This call's bound in ms (0 = none); default: the queue's `timeoutMs`. */
  readonly timeoutMs?: number;
  /**
   * Told how a call that timed out ended after all (its result reached nobody): the place to give
   * back what it produced. Must not throw.
   */
  readonly onLate?: (error: unknown, result: T) => void;
}

/** A call that took longer than the queue's `timeoutMs`. */
export class CallTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`The call did not return within ${timeoutMs} ms`);
    this.name = 'CallTimeoutError';
  }
}

interface Waiting {
  readonly exclusive: boolean;
  readonly begin: () => void;
}

export class AsyncCallQueue {
  #active = 0;
  #exclusiveActive = false;
  readonly #waiting: Waiting[] = [];
  readonly #idleWaiters: Array<() => void> = [];
  /** Arguments of calls still running natively (timed out ones included). */
  readonly #alive = new Set<unknown>();
  /** Highest number of calls seen in flight at once, for tests and benchmarks. */
  peakActive = 0;
  /** Calls that timed out; their native call may still be running. */
  timedOut = 0;
  /** Default bound of a call, in ms; 0 = no limit. Each call may set its own (`RunOptions.timeoutMs`). */
  timeoutMs: number;

  constructor(readonly limit: number, options: { timeoutMs?: number } = {}) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
    this.timeoutMs = options.timeoutMs ?? 0;
  }

  get active(): number {
    return this.#active;
  }

  get queued(): number {
    return this.#waiting.length;
  }

  /** Argument sets kept alive for native calls still running (timed-out ones included). */
  get argumentsHeld(): number {
    return this.#alive.size;
  }

  /** Runs `start` (which begins one native async call) when a place is free. */
  run<T>(start: (done: NativeCallback<T>) => void, options: RunOptions<T> = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const begin = () => {
        this.#active++;
        if (options.exclusive) this.#exclusiveActive = true;
        if (this.#active > this.peakActive) this.peakActive = this.#active;
        const token = {};
        this.#alive.add(options.keepAlive ?? token);
        let settled = false;
        let timer: NodeJS.Timeout | undefined;
        const finish = () => {
          if (settled) return false;
          settled = true;
          if (timer) clearTimeout(timer);
          this.#release(options.exclusive === true);
          return true;
        };
        const limit = options.timeoutMs ?? this.timeoutMs;
        if (limit > 0) {
          timer = setTimeout(() => {
            if (!finish()) return;
            this.timedOut++;
            reject(new CallTimeoutError(limit));
          }, limit);
          timer.unref?.();
        }
        // Counted until the native call really returns, timed out or not (see exit-guard.ts).
        nativeCallStarted();
        try {
          start((error, result) => {
            nativeCallEnded();
            this.#alive.delete(options.keepAlive ?? token);
            if (!finish()) {
              options.onLate?.(error, result);
              return;
            }
            if (error) reject(error);
            else resolve(result);
          });
        } catch (error) {
          nativeCallEnded();
          this.#alive.delete(options.keepAlive ?? token);
          if (finish()) reject(error);
        }
      };
      const entry = { exclusive: options.exclusive === true, begin };
      if (this.#canStart(entry.exclusive) && this.#waiting.length === 0) begin();
      else this.#waiting.push(entry);
    });
  }

  /** Resolves when nothing is in flight or waiting. */
  idle(): Promise<void> {
    if (this.#active === 0 && this.#waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #canStart(exclusive: boolean): boolean {
    if (this.#exclusiveActive) return false;
    return exclusive ? this.#active === 0 : this.#active < this.limit;
  }

  #release(exclusive: boolean): void {
    this.#active--;
    if (exclusive) this.#exclusiveActive = false;
    // FIFO: an exclusive call at the head waits for the others to drain and holds back later ones.
    while (this.#waiting.length > 0 && this.#canStart(this.#waiting[0].exclusive)) {
      (this.#waiting.shift() as Waiting).begin();
    }
    if (this.#active === 0 && this.#waiting.length === 0) this.#idleWaiters.splice(0).forEach((resolve) => resolve());
  }
}

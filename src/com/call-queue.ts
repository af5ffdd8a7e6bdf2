/**
 * Bounds the number of koffi asynchronous calls in flight. koffi throws "Too many asynchronous
 * calls are running" past its `max_async_calls`; callers here never see that: extra calls wait in
 * a FIFO and start as earlier ones finish.
 */
export type NativeCallback<T> = (error: unknown, result: T) => void;

export class AsyncCallQueue {
  #active = 0;
  readonly #waiting: Array<() => void> = [];
  readonly #idleWaiters: Array<() => void> = [];
  /** Highest number of calls seen in flight at once, for tests and benchmarks. */
  peakActive = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
  }

  get active(): number {
    return this.#active;
  }

  get queued(): number {
    return this.#waiting.length;
  }

  /** Runs `start` (which begins one native async call) when a place is free. */
  run<T>(start: (done: NativeCallback<T>) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const begin = () => {
        this.#active++;
        if (this.#active > this.peakActive) this.peakActive = this.#active;
        try {
          start((error, result) => {
            this.#finish();
            if (error) reject(error);
            else resolve(result);
          });
        } catch (error) {
          this.#finish();
          reject(error);
        }
      };
      if (this.#active < this.limit) begin();
      else this.#waiting.push(begin);
    });
  }

  /** Resolves when nothing is in flight or waiting. */
  idle(): Promise<void> {
    if (this.#active === 0 && this.#waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #finish(): void {
    this.#active--;
    const next = this.#waiting.shift();
    if (next) next();
    else if (this.#active === 0) this.#idleWaiters.splice(0).forEach((resolve) => resolve());
  }
}

/** The fake's timers: real `setTimeout`s on the main thread, all stopped by `dispose()`. */

export class TimerSet {
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #stopped = false;

  /** `onError` hears about exceptions thrown by a timer's body (they must not escape into Node). */
  constructor(private readonly onError: (what: string, error: unknown) => void) {}

  /** Timers scheduled and not yet run. */
  get pending(): number {
    return this.#timers.size;
  }

  schedule(ms: number, what: string, body: () => void): void {
    if (this.#stopped) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (this.#stopped) return;
      try {
        body();
      } catch (error) {
        this.onError(what, error);
      }
    }, ms);
    this.#timers.add(timer);
  }

  /** Clears every timer; later `schedule` calls do nothing. */
  stop(): void {
    this.#stopped = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }
}

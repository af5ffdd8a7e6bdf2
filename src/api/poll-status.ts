/**
 * The one polling loop behind every wait: `job.watch()`, `job.waitForCompletion()` and
 * `DODownload.waitForCompletion()`. Pushed events (BITS notifications, DO status callbacks) wake
 * it early; polling guarantees progress (services drop events under load; Wine never sends JobError).
 * One validation, one progress-callback rule, one pacer, one pause/wake/abort/deadline.
 */
import { AbortError, TimeoutError } from '../errors';
import { untilAborted } from './abortable';
import { PollPacer, type PaceSample } from './poll-pacing';
import { callUserCallback, warnCallbackFailed } from './user-callback';
import { validateAbortSignal, validateDuration, validateFunction, validateOptionsObject } from './validate';

/** What the loop polls: a job or a download, seen through its status. */
export interface PollSubject<S> {
  /** Reads one status (a service call). */
  read(): Promise<S>;
  /** Calls `wake` on each pushed event until the returned function is called. */
  wake(wake: () => void): () => void;
  /** True when `b` tells nothing new after `a` (such a status is not reported again). */
  same(a: S, b: S): boolean;
  /** What the pacer needs of a status. */
  pace(status: S): PaceSample;
}

/** Wait options once checked (`checkWaitOptions`): they travel inward as this type. */
export interface CheckedWaitOptions<S> {
  signal?: AbortSignal;
  /** undefined: adaptive (PollPacer). */
  pollIntervalMs?: number;
  onProgress?: (status: S) => void;
  /** Absolute time (Date.now()) after which waiting gives up; Infinity for none. */
  deadline: number;
  timeoutMs?: number;
}

/** Checks wait options once, at the public boundary (durations 0 … 2^31-1 ms, a period at least 1). */
export function checkWaitOptions<S>(options: unknown): CheckedWaitOptions<S> {
  const o = validateOptionsObject(options, 'options', ['signal', 'pollIntervalMs', 'onProgress', 'timeoutMs']);
  const pollIntervalMs = o.pollIntervalMs === undefined ? undefined : validateDuration(o.pollIntervalMs, 'options.pollIntervalMs', { min: 1 });
  const onProgress = o.onProgress === undefined ? undefined : validateFunction<(s: S) => void>(o.onProgress, 'options.onProgress');
  const timeoutMs = o.timeoutMs === undefined ? undefined : validateDuration(o.timeoutMs, 'options.timeoutMs');
  return {
    signal: validateAbortSignal(o.signal, 'options.signal'),
    pollIntervalMs,
    onProgress,
    timeoutMs,
    deadline: timeoutMs === undefined ? Infinity : Date.now() + timeoutMs,
  };
}

/**
 * Calls onProgress. A throw ends the wait (the caller's own code failed, synchronously); an async
 * onProgress that rejects is reported as a warning, never an unhandled rejection.
 */
export function callProgress<S>(onProgress: (s: S) => unknown, status: S): void {
  const result = onProgress(status);
  if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
    callUserCallback(() => result, [], (error) => warnCallbackFailed('onProgress failed', error));
  }
}

/** Sleeps until the period ends, a pushed event arrives, or the signal aborts. */
function pause(wake: PollSubject<unknown>['wake'], ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    // An abort during the last read already happened: 'abort' will not fire again.
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      stopWaking();
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const stopWaking = wake(done);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Reads the status until the consumer stops (break/return/throw in its `for await`), yielding each
 * status that differs from the one before (and calling `onProgress` with it). `operation` names
 * the wait in errors: `<operation> was aborted` (AbortError), TimeoutError past the deadline.
 */
export async function* pollStatus<S>(subject: PollSubject<S>, options: CheckedWaitOptions<S>, operation: string): AsyncGenerator<S, void, undefined> {
  const { signal, pollIntervalMs, onProgress, deadline, timeoutMs } = options;
  const pacer = new PollPacer(pollIntervalMs).start();
  const aborted = () => new AbortError(`${operation} was aborted`, { cause: signal?.reason });
  let last: S | null = null;
  try {
    for (;;) {
      if (signal?.aborted) throw aborted();
      if (Date.now() >= deadline) throw new TimeoutError({ operation, timeoutMs });
      const status = await untilAborted(subject.read(), signal, aborted);
      if (last === null || !subject.same(last, status)) {
        last = status;
        if (onProgress) callProgress(onProgress, status);
        yield status;
      }
      await pause(subject.wake, Math.min(pacer.next(subject.pace(status), Date.now()), Math.max(1, deadline - Date.now())), signal);
    }
  } finally {
    pacer.stop();
  }
}

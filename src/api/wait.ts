/**
 * Waiting for a job: notifications wake the loop early, polling GetState guarantees progress
 * (Wine never sends JobError; DO and BITS drop notifications under load or after a restart).
 */
import type { JobProgress } from '../bits';
// The enums alone: the CLI's `explain` imports this module and must not load the COM layer.
import { isFinishedState, JobState } from '../bits/enums';
import { AbortError, JobFailedError, TimeoutError } from '../errors';
import { untilAborted } from './abortable';
import { callUserCallback, warnCallbackFailed } from './user-callback';
import type { JobError } from './job-error';
import type { JobEvents } from './job-events';
import { PollPacer } from './poll-pacing';
import { validateAbortSignal, validateDuration, validateFunction, validateOptionsObject } from './validate';

/** One snapshot of a job: state, progress and, in an error state, the error. */
export interface JobStatus {
  /** The state, as a number (see `stateName` for the word). */
  readonly state: JobState;
  /** The state's readable name, `'TRANSFERRING'`, `'TRANSIENT_ERROR'` … (what `stateName(state)` returns). */
  readonly stateName: string;
  /** Bytes and files transferred, and the totals when known. */
  readonly progress: JobProgress;
  /** Read only in ERROR and TRANSIENT_ERROR; null when the service has no error object. */
  readonly error: JobError | null;
}

/** Options of `waitForCompletion`. */
export interface WaitOptions {
  /** Aborting stops the wait with AbortError (the job is left as it is). */
  readonly signal?: AbortSignal;
  /**
   * Polling period, 1 to 2^31-1 ms. Default: adaptive, 500 ms growing to 1 s (longer when many jobs
   * are waited on at once), shorter near the end (src/api/poll-pacing.ts). Notifications wake the
   * wait earlier.
   */
  readonly pollIntervalMs?: number;
  /** Called with each snapshot that differs from the previous one. */
  readonly onProgress?: (status: JobStatus) => void;
  /** Gives up with TimeoutError after this long, 0 to 2^31-1 ms (the job is left as it is). Default: no limit. */
  readonly timeoutMs?: number;
}

/** Options of `watch`. */
export interface WatchOptions {
  /** Aborting ends the iteration (the job is left as it is). */
  readonly signal?: AbortSignal;
  /** Polling period, 1 to 2^31-1 ms; default adaptive, as for `WaitOptions`. */
  readonly pollIntervalMs?: number;
}

/** What waiting needs from a job (kept small so it can be tested on its own). */
export interface Watchable {
  readonly id: string;
  status(): Promise<JobStatus>;
}

function sameStatus(a: JobStatus | null, b: JobStatus): boolean {
  return !!a && a.state === b.state && a.progress.bytesTransferred === b.progress.bytesTransferred &&
    a.progress.filesTransferred === b.progress.filesTransferred && a.progress.bytesTotal === b.progress.bytesTotal;
}

/** Wait and watch options once checked (`checkWaitOptions`): they travel inward as this type. */
export interface CheckedWaitOptions {
  signal?: AbortSignal;
  /** undefined: adaptive (PollPacer). */
  pollIntervalMs?: number;
  onProgress?: (s: JobStatus) => void;
  /** Absolute time (Date.now()) after which waiting gives up; Infinity for none. */
  deadline: number;
  timeoutMs?: number;
}

/** Checks WaitOptions / WatchOptions once, at the public boundary. */
export function checkWaitOptions(options: unknown): CheckedWaitOptions {
  const o = validateOptionsObject(options, 'options', ['signal', 'pollIntervalMs', 'onProgress', 'timeoutMs']);
  const pollIntervalMs = o.pollIntervalMs === undefined ? undefined : validateDuration(o.pollIntervalMs, 'options.pollIntervalMs', { min: 1 });
  const onProgress = o.onProgress === undefined ? undefined : validateFunction<(s: JobStatus) => void>(o.onProgress, 'options.onProgress');
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
 * Calls onProgress. A throw ends the wait (as before: the caller's own code failed, synchronously);
 * an async onProgress that rejects is reported as a warning, never an unhandled rejection.
 */
function callProgress(onProgress: (s: JobStatus) => unknown, status: JobStatus): void {
  const result = onProgress(status);
  if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
    callUserCallback(() => result, [], (error) => warnCallbackFailed('onProgress failed', error));
  }
}

function checkDeadline(o: CheckedWaitOptions, what: string): void {
  if (Date.now() >= o.deadline) throw new TimeoutError({ operation: what, timeoutMs: o.timeoutMs });
}

/** Sleeps until the period ends, a notification arrives, or the signal aborts. */
function pause(events: JobEvents, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    // An abort during the last status() call already happened: 'abort' will not fire again.
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      stopWaking();
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const stopWaking = events.wake(done);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function* watchJob(job: Watchable, events: JobEvents, options: WatchOptions): AsyncGenerator<JobStatus> {
  // Checked on the first next(), as a generator does: `watch()` itself never throws for its options.
  const { signal, pollIntervalMs } = checkWaitOptions(options);
  const pacer = new PollPacer(pollIntervalMs).start();
  let last: JobStatus | null = null;
  try {
    for (;;) {
      const aborted = () => new AbortError(`Watching job ${job.id} was aborted`, { cause: signal?.reason });
      if (signal?.aborted) throw aborted();
      const status = await untilAborted(job.status(), signal, aborted);
      if (!sameStatus(last, status)) {
        last = status;
        yield status;
      }
      if (isFinishedState(status.state)) return;
      await pause(events, pacer.next(status, Date.now()), signal);
    }
  } finally {
    pacer.stop();
  }
}

export async function waitForCompletion(job: Watchable, events: JobEvents, checked: CheckedWaitOptions): Promise<JobStatus> {
  const { signal, pollIntervalMs, onProgress } = checked;
  const pacer = new PollPacer(pollIntervalMs).start();
  let last: JobStatus | null = null;
  try {
    for (;;) {
      const aborted = () => new AbortError(`Waiting for job ${job.id} was aborted`, { cause: signal?.reason });
      if (signal?.aborted) throw aborted();
      checkDeadline(checked, `Waiting for job ${job.id}`);
      const status = await untilAborted(job.status(), signal, aborted);
      if (onProgress && !sameStatus(last, status)) callProgress(onProgress, status);
      last = status;
      switch (status.state) {
        case JobState.Transferred:
        case JobState.Acknowledged:
          return status;
        case JobState.Error:
        case JobState.Cancelled:
          throw new JobFailedError({ jobId: job.id, state: status.state, jobError: status.error ?? undefined });
        default:
          await pause(events, Math.min(pacer.next(status, Date.now()), Math.max(1, checked.deadline - Date.now())), signal);
      }
    }
  } finally {
    pacer.stop();
  }
}

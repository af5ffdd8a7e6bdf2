/**
 * Waiting for a job: the shared polling loop (poll-status.ts) with a job's status, notifications
 * as its wake-ups, and a job's end states.
 */
import type { JobProgress } from '../bits';
// The enums alone: the CLI's `explain` imports this module and must not load the COM layer.
import { isFinishedState, JobState } from '../bits/enums';
import type { JobError } from './job-error';
import type { FinishableFile } from './finish';
import { jobFailedError } from './job-failure';
import type { JobEvents } from './job-events';
import { jobPaceSample } from './poll-pacing';
import { checkWaitOptions as checkPollOptions, pollStatus, type CheckedWaitOptions as CheckedPollOptions, type PollSubject } from './poll-status';

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
  /** The job's files, read for the failure's message when the service gave no error object. */
  files?(): Promise<FinishableFile[]>;
}

function sameStatus(a: JobStatus, b: JobStatus): boolean {
  return a.state === b.state && a.progress.bytesTransferred === b.progress.bytesTransferred &&
    a.progress.filesTransferred === b.progress.filesTransferred && a.progress.bytesTotal === b.progress.bytesTotal;
}

/** Wait and watch options once checked (`checkWaitOptions`): they travel inward as this type. */
export type CheckedWaitOptions = CheckedPollOptions<JobStatus>;

/** Checks WaitOptions / WatchOptions once, at the public boundary. */
export function checkWaitOptions(options: unknown): CheckedWaitOptions {
  return checkPollOptions<JobStatus>(options);
}

function subject(job: Watchable, events: JobEvents): PollSubject<JobStatus> {
  return { read: () => job.status(), wake: (fn) => events.wake(fn), same: sameStatus, pace: jobPaceSample };
}

export async function* watchJob(job: Watchable, events: JobEvents, options: WatchOptions): AsyncGenerator<JobStatus> {
  // Checked on the first next(), as a generator does: `watch()` itself never throws for its options.
  const { signal, pollIntervalMs } = checkWaitOptions(options);
  for await (const status of pollStatus(subject(job, events), { signal, pollIntervalMs, deadline: Infinity }, `Watching job ${job.id}`)) {
    yield status;
    if (isFinishedState(status.state)) return;
  }
}

export async function waitForCompletion(job: Watchable, events: JobEvents, checked: CheckedWaitOptions): Promise<JobStatus> {
  for await (const status of pollStatus(subject(job, events), checked, `Waiting for job ${job.id}`)) {
    switch (status.state) {
      case JobState.Transferred:
      case JobState.Acknowledged:
        return status;
      case JobState.Error:
      case JobState.Cancelled:
        throw await jobFailedError(job, status);
    }
  }
  /* istanbul ignore next: the loop ends only by a return or a throw */
  throw new Error('unreachable');
}

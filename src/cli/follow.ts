/**
 * Polls a job until it reaches a state it cannot leave by itself, feeding the progress reporter.
 * Polling only: Wine never sends JobError, and the bar wants regular samples anyway.
 */
import { JobState, type JobProgress } from '../bits';
import { stateName, type JobStatus } from '../api';
import { untilAborted } from '../api/abortable';
import { AbortError } from '../errors';
import type { ProgressReporter } from './progress';
import type { CliFile, CliJob } from './service';
import { effectiveTotal, isFinishedState, readFiles } from './snapshot';

export interface FollowOptions {
  readonly signal: AbortSignal;
  readonly pollIntervalMs: number;
  readonly reporter: ProgressReporter;
  /** Called with each status whose state differs from the previous one (watch prints these). */
  readonly onState?: (status: JobStatus, total: bigint | null) => void;
}

export interface FollowResult {
  readonly status: JobStatus;
  /** The total shown (the job's, or the files' sum). */
  readonly total: bigint | null;
}

/** Resolves after `ms`, or at once when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

async function totalOf(progress: JobProgress, files: readonly CliFile[]): Promise<bigint | null> {
  if (progress.bytesTotal !== null) return progress.bytesTotal;
  return effectiveTotal(progress, await readFiles(files));
}

/** Throws AbortError when the signal aborts; the caller decides what happens to the job. */
export async function followJob(job: CliJob, options: FollowOptions): Promise<FollowResult> {
  const { signal, pollIntervalMs, reporter, onState } = options;
  // Read once: the file list of a running job does not change under us.
  const files = await job.files();
  let lastState: JobState | null = null;
  try {
    for (;;) {
      const aborted = () => new AbortError(`Following job ${job.id} was interrupted`, { cause: signal.reason });
      if (signal.aborted) throw aborted();
      const status = await untilAborted(job.status(), signal, aborted);
      const total = await totalOf(status.progress, files);
      const note = status.state === JobState.TransientError && status.error ? status.error.code : undefined;
      reporter.update({ state: stateName(status.state), transferred: status.progress.bytesTransferred, total, note });
      if (status.state !== lastState) {
        lastState = status.state;
        onState?.(status, total);
      }
      if (isFinishedState(status.state)) return { status, total };
      await sleep(pollIntervalMs, signal);
    }
  } finally {
    for (const f of files) f.dispose();
  }
}

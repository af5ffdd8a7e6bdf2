/**
 * Follows a job until it reaches a state it cannot leave by itself, feeding the progress reporter.
 */
import { JobState, type JobProgress } from '../bits';
import { stateName, type JobStatus } from '../api';
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

async function totalOf(progress: JobProgress, files: readonly CliFile[]): Promise<bigint | null> {
  if (progress.bytesTotal !== null) return progress.bytesTotal;
  return effectiveTotal(progress, await readFiles(files));
}

/**
 * Follows the job with the API's `watch()` (a snapshot whenever something changed, until a state
 * the job cannot leave by itself). Throws AbortError when the signal aborts; the caller decides
 * what happens to the job.
 */
export async function followJob(job: CliJob, options: FollowOptions): Promise<FollowResult> {
  const { signal, pollIntervalMs, reporter, onState } = options;
  const interrupted = () => new AbortError(`Following job ${job.id} was interrupted`, { cause: signal.reason });
  if (signal.aborted) throw interrupted();
  // Read once: the file list of a running job does not change under us.
  const files = await job.files();
  let lastState: JobState | null = null;
  let last: FollowResult | null = null;
  try {
    for await (const status of job.watch({ signal, pollIntervalMs })) {
      const total = await totalOf(status.progress, files);
      const note = status.state === JobState.TransientError && status.error ? status.error.code : undefined;
      reporter.update({ state: stateName(status.state), transferred: status.progress.bytesTransferred, total, note });
      if (status.state !== lastState) {
        lastState = status.state;
        onState?.(status, total);
      }
      last = { status, total };
    }
  } catch (error) {
    throw signal.aborted ? interrupted() : error;
  } finally {
    for (const f of files) f.dispose();
  }
  // watch() ends only after yielding a finished state.
  if (last === null || !isFinishedState(last.status.state)) throw interrupted();
  return last;
}

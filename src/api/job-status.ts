/** What a job reports: a status snapshot, its error, what Complete or Cancel returned, why Resume failed. */
import { ComPtr, type CallResult, type ComRuntime } from '../com';
import { IBackgroundCopyError, IBackgroundCopyJob, JobState, stateName, type JobProgress } from '../bits';
import { describeHResult, hresultIs } from '../errors';
import type { Calls } from './calls';
import { readJobError, type JobError } from './job-error';
import type { JobStatus } from './wait';

/** What Complete or Cancel reported: a success code is not always S_OK. */
export interface FinishResult {
  /** The success HRESULT the call returned. */
  readonly hresult: number;
  /** `S_OK`, `BG_S_PARTIAL_COMPLETE` or `BG_S_UNABLE_TO_DELETE_FILES`. */
  readonly code: string;
  /** Complete kept only the files that were fully transferred. */
  readonly partial: boolean;
  /** Some temporary files could not be deleted. */
  readonly unableToDeleteFiles: boolean;
}

/** The FinishResult of Complete or Cancel; a failure throws. */
export function finishResult(result: CallResult<void>): FinishResult {
  result.orThrow();
  const hr = result.hr;
  return {
    hresult: hr,
    code: hr === 0 ? 'S_OK' : describeHResult(hr).name,
    partial: hresultIs(hr, 'BG_S_PARTIAL_COMPLETE'),
    unableToDeleteFiles: hresultIs(hr, 'BG_S_UNABLE_TO_DELETE_FILES'),
  };
}

/** Every file and every known byte transferred. */
function progressComplete(p: JobProgress): boolean {
  return p.filesTransferred === p.filesTotal && (p.bytesTotal === null || p.bytesTransferred === p.bytesTotal);
}

/**
 * One snapshot. State and progress are read in parallel (two worker threads, one wait); the error
 * only in ERROR / TRANSIENT_ERROR. A final transfer state with progress short of it means the
 * progress was read before the job got there: only then is it read again, after the state.
 */
export async function readStatus(calls: Calls, readError: () => Promise<JobError | null>): Promise<JobStatus> {
  const [state, first] = await Promise.all([calls.call(IBackgroundCopyJob, 'GetState'), calls.call(IBackgroundCopyJob, 'GetProgress')]);
  const transferred = state === JobState.Transferred || state === JobState.Acknowledged;
  const progress = transferred && !progressComplete(first) ? await calls.call(IBackgroundCopyJob, 'GetProgress') : first;
  const error = state === JobState.Error || state === JobState.TransientError ? await readError() : null;
  return { state, stateName: stateName(state), progress, error };
}

/**
 * GetError: null when the service has none (outside ERROR/TRANSIENT_ERROR, and on Wine for
 * connection failures: BG_E_/DO_E_ERROR_INFORMATION_UNAVAILABLE). Other failures throw.
 */
export async function readError(calls: Calls, runtime: ComRuntime, languageId: number): Promise<JobError | null> {
  const result = await calls.callRaw(IBackgroundCopyJob, 'GetError');
  // BG_E_ / DO_E_ERROR_INFORMATION_UNAVAILABLE: no error object, not a failure of this read.
  if (hresultIs(result.hr, 'BG_E_ERROR_INFORMATION_UNAVAILABLE', 'DO_E_ERROR_INFORMATION_UNAVAILABLE')) return null;
  const ptr = result.orThrow();
  if (ptr === null) return null;
  const error = ComPtr.own(ptr, IBackgroundCopyError, runtime);
  try {
    return await readJobError(error, languageId);
  } finally {
    await error.release();
  }
}

/** Resume; BG_E_EMPTY ("no files") also answers a job whose files are all transferred (Wine): say which. */
export async function resumeJob(calls: Calls): Promise<void> {
  const result = await calls.callRaw(IBackgroundCopyJob, 'Resume');
  if (hresultIs(result.hr, 'BG_E_EMPTY', 'DO_E_JOB_EMPTY')) {
    const state = await calls.call(IBackgroundCopyJob, 'GetState').catch(() => null);
    if (state !== null && state !== JobState.Suspended) {
      const why = state === JobState.Transferred
        ? 'every file is already transferred, so there is nothing to resume: complete() it to get the files, or add files first.'
        : 'a job in this state cannot be resumed.';
      result.orThrow({ description: `The job is ${stateName(state)}: ${why}` });
    }
  }
  result.orThrow();
}

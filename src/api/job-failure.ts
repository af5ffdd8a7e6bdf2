/**
 * The JobFailedError for a job that ended in ERROR or CANCELLED. When the service gave no error
 * object (Wine's BITS for a refused connection, a bad URL or an untrusted certificate), the error
 * is built with what the library can still read of the job: its progress and its files.
 */
import { JobState } from '../bits/enums';
import type { JobProgress } from '../bits';
import { JobFailedError, type FailedFileFacts, type FailedJobFacts, type JobError } from '../errors';
import type { FinishableFile } from './finish';

/** What a failed job's error needs from it (BackgroundCopyJob, or the CLI's narrower view). */
export interface FailedJobSource {
  readonly id: string;
  /** The job's files; absent or failing, the message leaves them out. */
  files?(): Promise<FinishableFile[]>;
}

/** The status the job failed with. */
export interface FailedStatus {
  readonly state: JobState;
  readonly progress: JobProgress;
  readonly error: JobError | null;
}

/** Each file's names and bytes; undefined when the files cannot be listed (the job may be gone). */
async function readFiles(job: FailedJobSource): Promise<FailedFileFacts[] | undefined> {
  if (!job.files) return undefined;
  let files: FinishableFile[];
  try {
    files = await job.files();
  } catch {
    return undefined;
  }
  try {
    const read = await Promise.all(files.map(async (f): Promise<FailedFileFacts | null> => {
      try {
        const [remoteUrl, localPath, progress] = await Promise.all([f.getRemoteName(), f.getLocalName(), f.getProgress()]);
        return { remoteUrl, localPath, bytesTransferred: progress.bytesTransferred, bytesTotal: progress.bytesTotal };
      } catch {
        return null;
      }
    }));
    return read.filter((f): f is FailedFileFacts => f !== null);
  } finally {
    for (const f of files) f.dispose();
  }
}

/** The error for `status`; reads the job's files only when it is in ERROR and the service gave no error object. */
export async function jobFailedError(job: FailedJobSource, status: FailedStatus): Promise<JobFailedError> {
  // A cancelled job has no error to explain: only a failed one gets the facts.
  if (status.error || status.state !== JobState.Error) return new JobFailedError({ jobId: job.id, state: status.state, jobError: status.error });
  const facts: FailedJobFacts = { progress: status.progress, files: await readFiles(job) };
  return new JobFailedError({ jobId: job.id, state: status.state, jobError: null, facts });
}

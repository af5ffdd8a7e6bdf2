/**
 * One read of everything `list`/`show` display. Optional facts (priority, times, owner, ...) are
 * null when the service does not implement them (Wine: GetTimes, GetOwner, GetPriority are E_NOTIMPL).
 */
import type { FileProgress, JobPriority, JobProgress, JobTimes } from '../bits';
import { JobState } from '../bits/enums';
import type { JobError } from '../api';
import { HResultError } from '../errors';
import type { CliFile, CliJob } from './service';

export interface FileSnapshot {
  readonly remoteUrl: string | null;
  readonly localPath: string | null;
  readonly progress: FileProgress | null;
}

export interface JobSnapshot {
  readonly id: string;
  readonly displayName: string | null;
  readonly state: JobState;
  readonly progress: JobProgress;
  readonly error: JobError | null;
  readonly priority: JobPriority | null;
  readonly times: JobTimes | null;
  readonly owner: string | null;
  readonly files: readonly FileSnapshot[];
}

/** The value, or null when the service refuses this one call with an HRESULT. */
export async function optional<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof HResultError) return null;
    throw error;
  }
}

/** Every file's three reads at once: one wave of calls, not three per file. */
export async function readFiles(files: readonly CliFile[]): Promise<FileSnapshot[]> {
  return Promise.all(files.map(async (f) => {
    const [remoteUrl, localPath, progress] = await Promise.all([
      optional(() => f.getRemoteName()), optional(() => f.getLocalName()), optional(() => f.getProgress()),
    ]);
    return { remoteUrl, localPath, progress };
  }));
}

/** The job's files, read and released. */
export async function jobFiles(job: CliJob): Promise<FileSnapshot[]> {
  const files = (await optional(() => job.files())) ?? [];
  try {
    return await readFiles(files);
  } finally {
    for (const f of files) f.dispose();
  }
}

export async function readSnapshot(job: CliJob): Promise<JobSnapshot> {
  // One wave: the status is read beside the rest, not before it.
  const [status, displayName, priority, times, owner, files] = await Promise.all([
    job.status(),
    optional(() => job.getDisplayName()),
    optional(() => job.getPriority()),
    optional(() => job.getTimes()),
    optional(() => job.getOwner()),
    jobFiles(job),
  ]);
  return { id: job.id, displayName, state: status.state, progress: status.progress, error: status.error, priority, times, owner, files };
}

/**
 * The total to show: the job's BytesTotal, or the sum of its files' totals when the job does not
 * know it (Wine never sets the job's; the files get the Content-Length).
 */
export function effectiveTotal(progress: JobProgress, files: readonly FileSnapshot[]): bigint | null {
  if (progress.bytesTotal !== null) return progress.bytesTotal;
  if (files.length === 0) return null;
  let sum = 0n;
  for (const f of files) {
    if (f.progress?.bytesTotal === null || f.progress?.bytesTotal === undefined) return null;
    sum += f.progress.bytesTotal;
  }
  return sum;
}

export { isFinishedState } from '../bits/enums';

/**
 * What "done" means for a download: every byte the server declared arrived, and every file is
 * under its final name. The services can report success without either (Wine's BITS says
 * TRANSFERRED for a body cut short, and Complete answers BG_S_PARTIAL_COMPLETE, a success code,
 * when a destination folder is missing), so the library checks what it can see.
 */
import * as fs from 'fs';
import * as path from 'path';
import { JobState } from '../bits';
import { IncompleteDownloadError, TruncatedTransferError, type UnfinishedFileInfo } from '../errors';
import type { FileProgress, FileRange } from '../bits';
import type { FinishResult } from './job-status';

/** What finishing needs from a file (BackgroundCopyFile, or the CLI's narrower view). */
export interface FinishableFile {
  /** The file's URL. */
  getRemoteName(): Promise<string>;
  /** The file's destination path. */
  getLocalName(): Promise<string>;
  /** Bytes transferred and declared. */
  getProgress(): Promise<FileProgress>;
  /** The temporary file, where the service tells it. */
  getTemporaryName?(): Promise<string | null>;
  /** The ranges asked for, for files downloaded by ranges. */
  getFileRanges?(): Promise<FileRange[]>;
  /** Releases the file. */
  dispose(): void;
}

/** What finishing needs from a job (BackgroundCopyJob, or the CLI's narrower view). */
export interface FinishableJob {
  /** The job id. */
  readonly id: string;
  /** The job's files. */
  files(): Promise<FinishableFile[]>;
  /** IBackgroundCopyJob::Complete. */
  complete(): Promise<FinishResult>;
  /** IBackgroundCopyJob::Cancel. */
  cancel(): Promise<FinishResult>;
}

async function optional<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch {
    return null;
  }
}

/** Names, progress and (where the service tells it) the temporary file of each of the job's files. */
export async function readFileFacts(job: Pick<FinishableJob, 'files'>): Promise<UnfinishedFileInfo[]> {
  const files = await job.files();
  try {
    return await Promise.all(
      files.map(async (f) => {
        const [remoteUrl, localPath, progress] = await Promise.all([f.getRemoteName(), f.getLocalName(), f.getProgress()]);
        // IBackgroundCopyFile3 (BITS 4.0); not every service has it.
        const temporaryPath = f.getTemporaryName ? await optional(() => f.getTemporaryName!()) : null;
        return { remoteUrl, localPath, bytesTransferred: progress.bytesTransferred, bytesTotal: progress.bytesTotal, temporaryPath };
      }),
    );
  } finally {
    for (const f of files) f.dispose();
  }
}

/**
 * Files with fewer bytes than the server declared. Files downloaded by ranges are left out: their
 * declared size is the whole file's on some services.
 */
async function truncated(job: Pick<FinishableJob, 'files'>): Promise<UnfinishedFileInfo[]> {
  const files = await job.files();
  try {
    const short: UnfinishedFileInfo[] = [];
    for (const f of files) {
      const progress = await f.getProgress();
      if (progress.bytesTotal === null || progress.bytesTransferred >= progress.bytesTotal) continue;
      const ranges = f.getFileRanges ? await optional(() => f.getFileRanges!()) : null;
      if (ranges && ranges.length > 0) continue;
      const [remoteUrl, localPath] = await Promise.all([f.getRemoteName(), f.getLocalName()]);
      const temporaryPath = f.getTemporaryName ? await optional(() => f.getTemporaryName!()) : null;
      short.push({ remoteUrl, localPath, bytesTransferred: progress.bytesTransferred, bytesTotal: progress.bytesTotal, temporaryPath });
    }
    return short;
  } finally {
    for (const f of files) f.dispose();
  }
}

/** Throws TruncatedTransferError when a TRANSFERRED job's files hold fewer bytes than declared. */
export async function checkTransferredInFull(job: Pick<FinishableJob, 'id' | 'files'>, state: JobState): Promise<void> {
  if (state !== JobState.Transferred) return;
  const short = await truncated(job);
  if (short.length > 0) throw new TruncatedTransferError({ jobId: job.id, state, files: short });
}

function exists(p: string): boolean {
  try {
    fs.statSync(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Completes a TRANSFERRED job and checks that every file is under its final name. A destination
 * folder that does not exist is found before Complete: the job is then cancelled (the service
 * deletes its temporary files). Rejects with IncompleteDownloadError naming the files not kept
 * and where their data went. With `whenFolderMissing: 'keep'` the job is left TRANSFERRED instead
 * of cancelled, so the caller can create the folder and complete again. Local paths are checked on this computer's file system, which is the
 * service's (or, for the testing fake, where it writes).
 */
export async function completeVerified(job: FinishableJob, options: { whenFolderMissing?: 'cancel' | 'keep' } = {}): Promise<FinishResult> {
  const facts = await readFileFacts(job);
  const noFolder = facts.filter((f) => !exists(path.dirname(f.localPath)));
  if (noFolder.length > 0 && options.whenFolderMissing === 'keep') {
    throw new IncompleteDownloadError({
      jobId: job.id,
      state: JobState.Transferred,
      files: noFolder,
      reason: noFolder.length === 1 ? 'its destination folder does not exist' : 'their destination folders do not exist',
      dataLocation: 'Complete was not called: the job still holds the data. Create the folder, then complete the job again.',
      completion: null,
    });
  }
  if (noFolder.length > 0) {
    const cancel = await optional(() => job.cancel());
    throw new IncompleteDownloadError({
      jobId: job.id,
      state: JobState.Cancelled,
      files: noFolder,
      reason: noFolder.length === 1 ? 'its destination folder does not exist' : 'their destination folders do not exist',
      dataLocation: cancel
        ? 'The job was cancelled, so the service deleted the downloaded data; create the folder and download again.'
        : 'Cancelling the job failed too: the job is still there, holding the data (see `list`).',
      completion: null,
    });
  }
  const completion = await job.complete();
  const missing = facts.filter((f) => !exists(f.localPath));
  if (completion.partial || missing.length > 0) {
    const files = missing.length > 0 ? missing : facts;
    const left = files.filter((f) => f.temporaryPath !== null && exists(f.temporaryPath));
    throw new IncompleteDownloadError({
      jobId: job.id,
      state: JobState.Acknowledged,
      files,
      reason: `Complete returned ${completion.code}`,
      dataLocation: left.length > 0
        ? `The data is still in the service's temporary file${left.length > 1 ? 's' : ''} ${left.map((f) => f.temporaryPath).join(', ')}.`
        : "The service did not say where the data is; it may have left a BIT*.tmp file in the service's temporary folder.",
      completion,
    });
  }
  return completion;
}

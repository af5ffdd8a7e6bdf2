/** The kinds of BITS job by their CLI names (`create --type`), light enough for program.ts to load at start-up. */
import { JobType } from '../bits/enums';

export const JOB_KINDS = ['download', 'upload', 'upload-reply'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export const KIND_TYPES: Record<JobKind, JobType> = { download: JobType.Download, upload: JobType.Upload, 'upload-reply': JobType.UploadReply };
export const TYPE_KINDS: Readonly<Record<number, JobKind>> = { [JobType.Download]: 'download', [JobType.Upload]: 'upload', [JobType.UploadReply]: 'upload-reply' };

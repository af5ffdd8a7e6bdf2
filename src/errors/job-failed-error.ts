/**
 * A transfer that ended in failure. BITS jobs and Delivery Optimization downloads have different
 * state enums whose numbers overlap (JobState.Error and DODownloadState.Aborted are both 4), so
 * each has its own class with `state` typed by its own enum; TransferFailedError is what both share.
 */
import type { ErrorContext, FileProgress } from '../bits';
import { enumMemberName, JobState, stateName } from '../bits/enums';
import { DODownloadState } from '../ido/enums';
import { formatHResult } from '../com/hresult';
import type { ErrorCodeName } from './codes';
import { setErrorName } from './error-name';
import { errorToJSON } from './to-json';
import { redact } from '../secrets';
import type { HResultError } from './hresult-error';
import { noErrorInformation, type FailedJobFacts } from './failure-facts';

/**
 * What a failed transfer's error reported, on either API (the shape of `IBackgroundCopyError`'s
 * data; a Delivery Optimization download fills it from its status).
 */
export interface JobErrorInfo {
  /** Unsigned HRESULT of the failure. */
  readonly hresult: number;
  /** Symbolic name, e.g. `BG_E_HTTP_ERROR_404`. */
  readonly code: ErrorCodeName;
  /** Description of the failure. */
  readonly message: string;
  /** BG_ERROR_CONTEXT value. */
  readonly context: number;
  /** Where it happened, e.g. `REMOTE_FILE`. */
  readonly contextName: string;
  /** The service's own description (null when it gave none). */
  readonly description: string | null;
  /** The service's description of the context (null when it gave none). */
  readonly contextDescription: string | null;
  /** e.g. "http"; null when not protocol-related. */
  readonly protocol: string | null;
  /** The failing file, when the error has one. */
  readonly file: JobErrorFileInfo | null;
  /** The error as a throwable HResultError. */
  toException(): Error;
}

/** The failing file of a job error. */
export interface JobErrorFileInfo {
  /** The file's URL (null when it could not be read). */
  readonly remoteUrl: string | null;
  /** The file's destination path (null when it could not be read). */
  readonly localPath: string | null;
  /** The file's progress (null when it could not be read). */
  readonly progress: {
    /** Declared size, or null when unknown. */
    readonly bytesTotal: bigint | null;
    /** Bytes received. */
    readonly bytesTransferred: bigint;
    /** Whether the file was fully transferred. */
    readonly completed: boolean;
  } | null;
}

/** The failing file of a BITS job's error (`JobError.file`). */
export interface JobErrorFile extends JobErrorFileInfo {
  /** The file's progress, or null when it could not be read. */
  readonly progress: FileProgress | null;
}

/**
 * What a BITS job's IBackgroundCopyError reported (`job.getError()`). `message` is the service's
 * description, or ours when it gives none; `code` is the symbolic name (`BG_E_HTTP_ERROR_404`, or
 * `HRESULT_0x...` when unknown).
 */
export interface JobError extends JobErrorInfo {
  readonly context: ErrorContext;
  readonly file: JobErrorFile | null;
  /** This error as a throwable HResultError subclass. */
  toException(): HResultError;
}

/** Options of {@link TransferFailedError}. */
export interface TransferFailedErrorOptions {
  /** The job's or download's GUID. */
  readonly jobId: string;
  /** Its state's name, e.g. `ERROR`, shown in the message. */
  readonly stateName: string;
  /** The error information; null or absent when the service had none (e.g. Wine, connection refused). */
  readonly jobError?: JobErrorInfo | null;
  /** The display name, shown in the message when given. */
  readonly jobName?: string;
  /** What the library read of the job, shown in the message when there is no `jobError`. */
  readonly facts?: FailedJobFacts;
  /** Replaces the part of the message after `failed in state X: ` (used by subclasses). */
  readonly detail?: string;
  /** The underlying error, if any (`error.cause`). */
  readonly cause?: unknown;
}

/**
 * A transfer ended in failure, on either API: a BITS job ({@link JobFailedError}) or a Delivery
 * Optimization download ({@link DownloadFailedError}). Catch this one to handle both; narrow to
 * a subclass to compare `state` with its enum.
 */
export class TransferFailedError extends Error {
  static {
    setErrorName(this, 'TransferFailedError');
  }
  /** `ERR_JOB_FAILED`; subclasses say more (`ERR_INCOMPLETE_DOWNLOAD`, `ERR_TRUNCATED_TRANSFER`). */
  readonly code: string = 'ERR_JOB_FAILED';
  /** The job's or download's GUID. */
  readonly jobId: string;
  /** The state's name, e.g. `ERROR` (BITS) or `ABORTED` (Delivery Optimization). */
  readonly stateName: string;
  /** The state, as the subclass's enum. */
  readonly state: number;
  /** null when the service gave no error information. */
  readonly jobError: JobErrorInfo | null;

  /** @param state The state as a number of the subclass's enum. */
  constructor(state: number, options: TransferFailedErrorOptions) {
    const { jobId, jobName } = options;
    const jobError = options.jobError ?? null;
    const job = jobName === undefined ? `Job ${jobId}` : `Job '${jobName}' (${jobId})`;
    const where = jobError?.contextName === undefined ? '' : ` [${jobError.contextName}]`;
    const what = options.detail ?? (jobError
      ? `${jobError.code} (${formatHResult(jobError.hresult)})${where}: ${jobError.message}`
      : noErrorInformation(options.facts));
    super(redact(`${job} failed in state ${options.stateName}: ${what}`), options.cause === undefined ? undefined : { cause: options.cause });
    this.jobId = jobId;
    this.state = state;
    this.stateName = options.stateName;
    this.jobError = jobError;
  }

  /**
   * Plain JSON for loggers (bigints as decimal strings). `state` is the name (`ERROR`) as the
   * CLI's JSON shows it, `stateCode` the enum's number.
   */
  toJSON(): Record<string, unknown> {
    const { stateName: name, ...fields } = errorToJSON(this);
    return { ...fields, state: name, stateCode: this.state };
  }
}

/** Options of {@link JobFailedError}. */
export interface JobFailedErrorOptions extends Omit<TransferFailedErrorOptions, 'stateName' | 'jobError'> {
  /** The job's state when it failed (e.g. `JobState.Error` or `JobState.Cancelled`). */
  readonly state: JobState;
  /** The job's error (`job.getError()`); null or absent when the service had none (e.g. Wine, connection refused). */
  readonly jobError?: JobError | null;
}

/**
 * A BITS job ended in failure. `state` is the job's {@link JobState}, so
 * `error.state === JobState.Error` tells a failed job from a cancelled one; `stateName` is its name.
 */
export class JobFailedError extends TransferFailedError {
  static {
    setErrorName(this, 'JobFailedError');
  }
  /** The job's state when it failed, e.g. `JobState.Error`. */
  declare readonly state: JobState;
  /** The job's error as `job.getError()` returns it; null when the service gave none. */
  declare readonly jobError: JobError | null;

  constructor(options: JobFailedErrorOptions) {
    super(options.state, { ...options, stateName: stateName(options.state) });
  }
}

/** Options of {@link DownloadFailedError}. */
export interface DownloadFailedErrorOptions extends Omit<TransferFailedErrorOptions, 'stateName'> {
  /** The download's state when it failed (e.g. `DODownloadState.Aborted`). */
  readonly state: DODownloadState;
}

/**
 * A Delivery Optimization download (IDODownload) ended in failure: its status carried a failing
 * error, or it was aborted. `state` is the download's {@link DODownloadState}.
 */
export class DownloadFailedError extends TransferFailedError {
  static {
    setErrorName(this, 'DownloadFailedError');
  }
  /** The download's state when it failed, e.g. `DODownloadState.Aborted`. */
  declare readonly state: DODownloadState;

  constructor(options: DownloadFailedErrorOptions) {
    super(options.state, { ...options, stateName: enumMemberName(DODownloadState, options.state, 'STATE') });
  }
}

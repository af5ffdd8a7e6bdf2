/**
 * Errors raised by the library itself rather than by an HRESULT. Each has a Node-style `code`.
 */
import { formatHResult } from '../com/hresult';
import { setErrorName } from './error-name';
import { errorToJSON } from './to-json';

/** The package needs Windows; thrown when a Windows-only function is first called elsewhere. */
export class PlatformNotSupportedError extends Error {
  static {
    setErrorName(this, 'PlatformNotSupportedError');
  }
  /** `ERR_PLATFORM_NOT_SUPPORTED`. */
  readonly code = 'ERR_PLATFORM_NOT_SUPPORTED';

  /** Plain JSON for loggers (bigints as decimal strings). */
  toJSON(): Record<string, unknown> {
    return errorToJSON(this);
  }
  /** The platform we run on (`process.platform` unless given). */
  readonly platform: string;

  /**
   * @param options.platform Defaults to `process.platform`.
   * @param options.feature What was attempted, e.g. `CoCreateInstance`; defaults to `Delivery Optimization`.
   */
  constructor(options: { platform?: string; feature?: string } = {}) {
    const platform = options.platform ?? process.platform;
    const feature = options.feature ?? 'Delivery Optimization';
    super(
      `${feature} is not supported on platform '${platform}': it requires Windows (Delivery Optimization ` +
        "and BITS are Windows services). To test code on other platforms, use the fake from 'delivery-optimization/testing'.",
    );
    this.platform = platform;
  }
}

/** An object was used after `dispose()` / `[Symbol.dispose]()` released its COM pointer. */
export class ObjectDisposedError extends Error {
  static {
    setErrorName(this, 'ObjectDisposedError');
  }
  /** `ERR_OBJECT_DISPOSED`. */
  readonly code = 'ERR_OBJECT_DISPOSED';

  /** Plain JSON for loggers (bigints as decimal strings). */
  toJSON(): Record<string, unknown> {
    return errorToJSON(this);
  }
  /** Which object, e.g. `BackgroundCopyJob {0F1E...}`. */
  readonly objectName: string;

  constructor(objectName: string) {
    super(`Cannot use ${objectName}: it has already been disposed.`);
    this.objectName = objectName;
  }
}

/**
 * What a job's error object reported (the shape of `IBackgroundCopyError`'s data, declared here
 * so that this folder imports nothing from the rest of the project).
 */
export interface JobErrorInfo {
  /** Unsigned HRESULT of the failure. */
  readonly hresult: number;
  /** Symbolic name, e.g. `BG_E_HTTP_ERROR_404`. */
  readonly code: string;
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

/** Options of {@link JobFailedError}. */
export interface JobFailedErrorOptions<TState> {
  /** The job's GUID. */
  readonly jobId: string;
  /** The job's state when it failed (e.g. `ERROR` or `CANCELLED`). */
  readonly state: TState;
  /** The job's error object; null or absent when the service had none (e.g. Wine, connection refused). */
  readonly jobError?: JobErrorInfo | null;
  /** The job's display name, shown in the message when given. */
  readonly jobName?: string;
  /** Replaces the part of the message after `failed in state X: ` (used by subclasses). */
  readonly detail?: string;
  /** The underlying error, if any (`error.cause`). */
  readonly cause?: unknown;
}

/** A transfer ended in failure; carries the job's error information. */
export class JobFailedError<TState = string> extends Error {
  static {
    setErrorName(this, 'JobFailedError');
  }
  /** `ERR_JOB_FAILED`; subclasses say more (`ERR_INCOMPLETE_DOWNLOAD`, `ERR_TRUNCATED_TRANSFER`). */
  readonly code: string = 'ERR_JOB_FAILED';

  /** Plain JSON for loggers (bigints as decimal strings). */
  toJSON(): Record<string, unknown> {
    return errorToJSON(this);
  }
  /** The job's GUID. */
  readonly jobId: string;
  /** The job's state when it failed, e.g. `ERROR`. */
  readonly state: TState;
  /** null when the service gave no error information. */
  readonly jobError: JobErrorInfo | null;

  constructor(options: JobFailedErrorOptions<TState>) {
    const { jobId, state, jobName } = options;
    const jobError = options.jobError ?? null;
    const job = jobName === undefined ? `Job ${jobId}` : `Job '${jobName}' (${jobId})`;
    const where = jobError?.contextName === undefined ? '' : ` [${jobError.contextName}]`;
    const what = options.detail ?? (jobError
      ? `${jobError.code} (${formatHResult(jobError.hresult)})${where}: ${jobError.message}`
      : 'the service gave no error information');
    super(`${job} failed in state ${String(state)}: ${what}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.jobId = jobId;
    this.state = state;
    this.jobError = jobError;
  }
}

/** A file of a job whose data is not (all) where the caller asked for it. */
export interface UnfinishedFileInfo {
  /** The file's URL. */
  readonly remoteUrl: string;
  /** Where the caller asked for it. */
  readonly localPath: string;
  /** Bytes received. */
  readonly bytesTransferred: bigint;
  /** null when the service does not know the size. */
  readonly bytesTotal: bigint | null;
  /**
   * Where the data is now: the service's temporary file when it said which, else null (the
   * message then says what is known).
   */
  readonly temporaryPath: string | null;
}

function fileList(files: readonly UnfinishedFileInfo[]): string {
  return files.map((f) => `${f.remoteUrl} -> ${f.localPath}`).join('; ');
}

/** Options of {@link IncompleteDownloadError}. */
export interface IncompleteDownloadErrorOptions {
  /** The job's GUID. */
  readonly jobId: string;
  /** The job's state when we gave up (`ACKNOWLEDGED` after Complete, `CANCELLED` when we cancelled it). */
  readonly state: string;
  /** The files that are not under their final names. */
  readonly files: readonly UnfinishedFileInfo[];
  /** Why, in a few words (e.g. `the destination folder does not exist`). */
  readonly reason: string;
  /** Where the data went, as a sentence. */
  readonly dataLocation: string;
  /** What Complete returned (`BG_S_PARTIAL_COMPLETE` …); null when Complete was not called. */
  readonly completion: CompletionInfo | null;
}

/** What Complete returned (the shape of the API's FinishResult). */
export interface CompletionInfo {
  /** The success HRESULT Complete returned. */
  readonly hresult: number;
  /** `S_OK`, `BG_S_PARTIAL_COMPLETE` … */
  readonly code: string;
  /** Complete kept only the fully transferred files. */
  readonly partial: boolean;
  /** Some temporary files could not be deleted. */
  readonly unableToDeleteFiles: boolean;
}

/**
 * A download ended without every file under its final name: Complete kept only part of the job
 * (`BG_S_PARTIAL_COMPLETE`), or a destination folder was missing, so the job was cancelled.
 */
export class IncompleteDownloadError extends JobFailedError {
  static {
    setErrorName(this, 'IncompleteDownloadError');
  }
  override readonly code: string = 'ERR_INCOMPLETE_DOWNLOAD';
  /** The files that are not under their final names. */
  readonly files: readonly UnfinishedFileInfo[];
  /** What Complete returned; null when it was not called. */
  readonly completion: CompletionInfo | null;

  constructor(options: IncompleteDownloadErrorOptions) {
    super({
      jobId: options.jobId,
      state: options.state,
      detail: `${options.files.length === 1 ? 'a file was' : `${options.files.length} files were`} not kept (${options.reason}): ${fileList(options.files)}. ${options.dataLocation}`,
    });
    this.files = options.files;
    this.completion = options.completion;
  }
}

/**
 * The service called a transfer finished, yet fewer bytes arrived than the server declared
 * (connection closed or reset mid-body). Wine's BITS does this; the file would be short.
 */
export class TruncatedTransferError extends JobFailedError {
  static {
    setErrorName(this, 'TruncatedTransferError');
  }
  override readonly code: string = 'ERR_TRUNCATED_TRANSFER';
  /** The files with fewer bytes than the server declared. */
  readonly files: readonly UnfinishedFileInfo[];

  constructor(options: { jobId: string; state: string; files: readonly UnfinishedFileInfo[] }) {
    const shown = options.files.map((f) => `${f.remoteUrl}: ${f.bytesTransferred} of ${f.bytesTotal ?? '?'} bytes`).join('; ');
    super({
      jobId: options.jobId,
      state: options.state,
      detail: `the service reports the transfer as finished, but bytes are missing (${shown}). The job was left as it is; cancel it, or resume it after fixing the server.`,
    });
    this.files = options.files;
  }
}

/** An operation (e.g. waiting for a job) did not finish in time. */
export class TimeoutError extends Error {
  static {
    setErrorName(this, 'TimeoutError');
  }
  /** `ERR_TIMEOUT`. */
  readonly code = 'ERR_TIMEOUT';

  /** Plain JSON for loggers (bigints as decimal strings). */
  toJSON(): Record<string, unknown> {
    return errorToJSON(this);
  }
  /** The limit that was exceeded, in milliseconds, if known. */
  readonly timeoutMs: number | undefined;

  /**
   * @param options.operation What timed out; defaults to `The operation`.
   * @param options.timeoutMs The limit, shown in the message.
   */
  constructor(options: { operation?: string; timeoutMs?: number; cause?: unknown } = {}) {
    const what = options.operation ?? 'The operation';
    const after = options.timeoutMs === undefined ? '' : ` after ${options.timeoutMs} ms`;
    super(`${what} timed out${after}.`, options.cause === undefined ? undefined : { cause: options.cause });
    this.timeoutMs = options.timeoutMs;
  }
}

/** Like Node's `AbortError`: `name` is `AbortError`, `code` is `ABORT_ERR`. */
export class AbortError extends Error {
  static {
    setErrorName(this, 'AbortError');
  }
  /** `ABORT_ERR`, as Node's own AbortError. */
  readonly code = 'ABORT_ERR';

  /** Plain JSON for loggers (bigints as decimal strings). */
  toJSON(): Record<string, unknown> {
    return errorToJSON(this);
  }

  /** @param message Defaults to `The operation was aborted`, as in Node. */
  constructor(message = 'The operation was aborted', options?: { cause?: unknown }) {
    super(message, options);
  }
}

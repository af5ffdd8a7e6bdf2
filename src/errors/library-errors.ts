/**
 * Errors raised by the library itself rather than by an HRESULT. Each has a Node-style `code`.
 */
import { JobState } from '../bits/enums';
import { setErrorName } from './error-name';
import { errorToJSON } from './to-json';
import { redact } from '../secrets';
import { JobFailedError } from './job-failed-error';

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
  /** The job's state when we gave up (`Acknowledged` after Complete, `Cancelled` when we cancelled it). */
  readonly state: JobState;
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
    this.files = options.files.map((f) => ({ ...f, remoteUrl: redact(f.remoteUrl) }));
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

  constructor(options: { jobId: string; state: JobState; files: readonly UnfinishedFileInfo[] }) {
    const shown = options.files.map((f) => `${f.remoteUrl}: ${f.bytesTransferred} of ${f.bytesTotal ?? '?'} bytes`).join('; ');
    super({
      jobId: options.jobId,
      state: options.state,
      detail: `the service reports the transfer as finished, but bytes are missing (${shown}). The job was left as it is; cancel it, or resume it after fixing the server.`,
    });
    this.files = options.files.map((f) => ({ ...f, remoteUrl: redact(f.remoteUrl) }));
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

/** What is wrong with a destination folder (see {@link DestinationFolderError}). */
export type DestinationFolderProblem = 'missing' | 'not-a-directory' | 'not-writable';

const FOLDER_PROBLEMS: Record<DestinationFolderProblem, { code: string; reason: string; fix: string }> = {
  'missing': { code: 'ERR_DESTINATION_FOLDER_MISSING', reason: 'its destination folder does not exist', fix: 'create the folder and download again' },
  'not-a-directory': { code: 'ERR_DESTINATION_FOLDER_NOT_A_DIRECTORY', reason: 'its destination folder is a file, not a folder', fix: 'give a path in a folder and download again' },
  'not-writable': { code: 'ERR_DESTINATION_FOLDER_NOT_WRITABLE', reason: 'its destination folder cannot be written by this user', fix: 'give a folder you can write to, or change its permissions, and download again' },
};

/**
 * `download()` checked a destination folder before it started the transfer and found it
 * unusable, so nothing was created or transferred (the check that {@link IncompleteDownloadError}
 * would otherwise make only after the whole transfer).
 */
export class DestinationFolderError extends Error {
  static {
    setErrorName(this, 'DestinationFolderError');
  }
  /** `ERR_DESTINATION_FOLDER_MISSING`, `ERR_DESTINATION_FOLDER_NOT_A_DIRECTORY` or `ERR_DESTINATION_FOLDER_NOT_WRITABLE`. */
  readonly code: string;
  /** The file's destination path, as given. */
  readonly localPath: string;
  /** The folder that is missing, not a folder, or not writable. */
  readonly folder: string;
  /** What is wrong with it. */
  readonly problem: DestinationFolderProblem;

  constructor(options: { localPath: string; folder: string; problem: DestinationFolderProblem; cause?: unknown }) {
    const { code, reason, fix } = FOLDER_PROBLEMS[options.problem];
    super(`Cannot download to ${options.localPath}: ${reason} (${options.folder}). Nothing was transferred; ${fix}.`,
      options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.localPath = options.localPath;
    this.folder = options.folder;
    this.problem = options.problem;
  }

  /** Plain JSON for loggers. */
  toJSON(): Record<string, unknown> {
    return errorToJSON(this);
  }
}

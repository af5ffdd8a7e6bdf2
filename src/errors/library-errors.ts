/**
 * Errors raised by the library itself rather than by an HRESULT. Each has a Node-style `code`.
 */
import { formatHResult } from '../com/hresult';
import { setErrorName } from './error-name';

/** The package needs Windows; thrown when a Windows-only function is first called elsewhere. */
export class PlatformNotSupportedError extends Error {
  static {
    setErrorName(this, 'PlatformNotSupportedError');
  }
  readonly code = 'ERR_PLATFORM_NOT_SUPPORTED';
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
  readonly code = 'ERR_OBJECT_DISPOSED';
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
  readonly remoteUrl: string | null;
  readonly localPath: string | null;
  readonly progress: { readonly bytesTotal: bigint | null; readonly bytesTransferred: bigint; readonly completed: boolean } | null;
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
  readonly cause?: unknown;
}

/** A transfer ended in failure; carries the job's error information. */
export class JobFailedError<TState = string> extends Error {
  static {
    setErrorName(this, 'JobFailedError');
  }
  readonly code = 'ERR_JOB_FAILED';
  readonly jobId: string;
  readonly state: TState;
  /** null when the service gave no error information. */
  readonly jobError: JobErrorInfo | null;

  constructor(options: JobFailedErrorOptions<TState>) {
    const { jobId, state, jobName } = options;
    const jobError = options.jobError ?? null;
    const job = jobName === undefined ? `Job ${jobId}` : `Job '${jobName}' (${jobId})`;
    const where = jobError?.contextName === undefined ? '' : ` [${jobError.contextName}]`;
    const what = jobError
      ? `${jobError.code} (${formatHResult(jobError.hresult)})${where}: ${jobError.message}`
      : 'the service gave no error information';
    super(`${job} failed in state ${String(state)}: ${what}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.jobId = jobId;
    this.state = state;
    this.jobError = jobError;
  }
}

/** An operation (e.g. waiting for a job) did not finish in time. */
export class TimeoutError extends Error {
  static {
    setErrorName(this, 'TimeoutError');
  }
  readonly code = 'ERR_TIMEOUT';
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
  readonly code = 'ABORT_ERR';

  /** @param message Defaults to `The operation was aborted`, as in Node. */
  constructor(message = 'The operation was aborted', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Exit codes of the CLI, mapped from the library's error classes (documented in docs/cli.md).
 * Scripts branch on these, so a value never changes meaning once released.
 */
import {
  AbortError, AccessDeniedError, ClassNotRegisteredError, DestinationFolderError, HResultError, InvalidStateError, TransferFailedError, JobNotFoundError,
  NoInterfaceError, NotImplementedError, PlatformNotSupportedError, ServiceUnavailableError, TimeoutError,
} from '../errors';
import { KoffiNotLoadedError } from './environment';
import { NoSuchJobNameError, UsageError } from './usage';

export const ExitCode = {
  ok: 0,
  /** The transfer did not deliver: the job ended in ERROR or CANCELLED, or Complete kept only part of it. */
  jobFailed: 1,
  /** Bad command line: unknown command or option, missing or malformed argument. */
  usage: 2,
  /** Not possible here: not Windows, service class not registered, method or interface not implemented. */
  notSupported: 3,
  /** The service stopped, crashed or is disabled. */
  serviceUnavailable: 4,
  accessDenied: 5,
  /** No job with that id. */
  notFound: 6,
  /** Not allowed in the job's current state (e.g. resuming a cancelled job). */
  invalidState: 7,
  /** Any other HRESULT failure. */
  hresult: 10,
  /** An operation timed out (TimeoutError), as coreutils' `timeout` reports it. */
  timeout: 124,
  /** A bug in the CLI or the library (EX_SOFTWARE). */
  internal: 70,
  /** Interrupted by Ctrl-C (128 + SIGINT). */
  interrupted: 130,
} as const;

export type ExitCodeName = keyof typeof ExitCode;

/** Node-style argument errors from the library's validation (ERR_INVALID_ARG_*, ERR_OUT_OF_RANGE). */
export function isArgumentError(error: unknown): error is Error & { code: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && /^ERR_(INVALID_ARG_(TYPE|VALUE)|OUT_OF_RANGE)$/.test(code);
}

/** The exit code for an error that ended a command. Order matters: subclasses before HResultError. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof NoSuchJobNameError) return ExitCode.notFound;
  if (error instanceof UsageError || isArgumentError(error)) return ExitCode.usage;
  if (error instanceof AbortError) return ExitCode.interrupted;
  if (error instanceof TimeoutError) return ExitCode.timeout;
  if (error instanceof TransferFailedError || error instanceof DestinationFolderError) return ExitCode.jobFailed;
  if (error instanceof PlatformNotSupportedError || error instanceof KoffiNotLoadedError) return ExitCode.notSupported;
  if (error instanceof ClassNotRegisteredError || error instanceof NotImplementedError || error instanceof NoInterfaceError) {
    return ExitCode.notSupported;
  }
  if (error instanceof ServiceUnavailableError) return ExitCode.serviceUnavailable;
  if (error instanceof AccessDeniedError) return ExitCode.accessDenied;
  if (error instanceof JobNotFoundError) return ExitCode.notFound;
  if (error instanceof InvalidStateError) return ExitCode.invalidState;
  if (error instanceof HResultError) return ExitCode.hresult;
  return ExitCode.internal;
}

/** One row per code, for `--help` and docs/cli.md (kept next to the map so they cannot drift). */
export const EXIT_CODE_TABLE: ReadonlyArray<readonly [number, string]> = [
  [ExitCode.ok, 'success'],
  [ExitCode.jobFailed, 'the job failed (JobFailedError: ERROR or CANCELLED; DownloadFailedError: a download failed or was aborted), or Complete kept only part of it, or a destination folder is missing (DestinationFolderError, before any transfer)'],
  [ExitCode.usage, 'bad arguments (unknown command/option, missing or malformed value)'],
  [ExitCode.notSupported, "not supported here: not Windows (PlatformNotSupportedError), service not registered (ClassNotRegisteredError), E_NOTIMPL, E_NOINTERFACE, koffi's native build missing (doctor)"],
  [ExitCode.serviceUnavailable, 'the service is unavailable (ServiceUnavailableError: stopped, crashed, disabled)'],
  [ExitCode.accessDenied, 'access denied (AccessDeniedError)'],
  [ExitCode.notFound, 'no such job (JobNotFoundError: BG_E_NOT_FOUND, DO_E_JOB_NOT_FOUND), or no job of yours has that display name'],
  [ExitCode.invalidState, "not allowed in the job's state (InvalidStateError)"],
  [ExitCode.hresult, 'any other HRESULT failure (HResultError)'],
  [ExitCode.internal, 'internal error (a bug: report it to the package\'s maintainers with the output of `delivery-optimization doctor --json`)'],
  [ExitCode.timeout, 'timed out (TimeoutError)'],
  [ExitCode.interrupted, 'interrupted (Ctrl-C); a download cancels its job first'],
];

/**
 * How a failing HRESULT becomes an exception. The COM layer knows no error codes: the runtime a
 * pointer was made with carries the factory (`ComRuntime.failure`); the library's runtimes carry
 * its typed one (`HResultError.from`, see src/api/failures.ts), a bare runtime this fallback.
 */
import type { ComRuntime } from './runtime';

/** What a message may add to the code and the operation. */
export interface FailureDetails {
  /** Replaces the table's description of the code, e.g. why a Resume failed in this state. */
  readonly description?: string;
}

export interface FailureInfo extends FailureDetails {
  readonly hr: number;
  /** e.g. `IBackgroundCopyJob::Resume`. */
  readonly operation: string;
}

export type FailureFactory = (info: FailureInfo) => Error;

/** Fallback: a plain Error carrying the HRESULT. */
export class ComCallError extends Error {
  readonly hresult: number;
  constructor(info: FailureInfo) {
    super(`${info.operation} failed: HRESULT 0x${(info.hr >>> 0).toString(16).toUpperCase().padStart(8, '0')}`);
    this.name = 'ComCallError';
    this.hresult = info.hr >>> 0;
  }
}

/** The error for a failing `hr` of `operation`, made by `runtime`'s factory. */
export function failure(runtime: ComRuntime, hr: number, operation: string, details?: FailureDetails): Error {
  const info: FailureInfo = { hr: hr >>> 0, operation, ...details };
  return runtime.failure ? runtime.failure(info) : new ComCallError(info);
}

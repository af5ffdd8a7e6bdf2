/**
 * How a failing HRESULT becomes an exception. The COM layer knows no error codes; the library
 * installs its typed factory (`HResultError.from`) once, at import.
 */
export interface FailureInfo {
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

let factory: FailureFactory = (info) => new ComCallError(info);

export function setFailureFactory(f: FailureFactory): void {
  factory = f;
}

export function failure(hr: number, operation: string): Error {
  return factory({ hr: hr >>> 0, operation });
}

/** DO_DOWNLOAD_STATUS as the idiomatic layer shows it, and how a status ends a wait. */
import { enumMemberName } from '../../bits';
import { DODownloadState, type DownloadStatusWire } from '../../ido';
import { describeHResult, DownloadFailedError, HResultError, type JobErrorInfo } from '../../errors';

/** A download's status (DO_DOWNLOAD_STATUS). */
export interface DODownloadStatus {
  /** Where the download is. */
  readonly state: DODownloadState;
  /** null while the size is unknown. */
  readonly bytesTotal: bigint | null;
  /** Bytes transferred so far. */
  readonly bytesTransferred: bigint;
  /** A failing Error: the download stopped and will not go on by itself. */
  readonly error: HResultError | null;
  /** Detail of `error`, or, with no `error`, why a paused download waits (a transient condition). */
  readonly extendedError: HResultError | null;
  /** Paused by a transient condition (no network, cost policy …): DO resumes by itself. */
  readonly isTransientError: boolean;
}

/** `TRANSFERRING` style name of a state. */
export function downloadStateName(state: DODownloadState): string {
  return enumMemberName(DODownloadState, state, 'STATE');
}

function errorOf(hr: number, operation: string): HResultError | null {
  return (hr | 0) < 0 ? HResultError.from(hr, { operation }) : null;
}

export function toDownloadStatus(wire: DownloadStatusWire, id: string): DODownloadStatus {
  const error = errorOf(wire.error, `Download ${id}`);
  const extendedError = errorOf(wire.extendedError, `Download ${id}`);
  return {
    state: wire.state,
    bytesTotal: wire.bytesTotal,
    bytesTransferred: wire.bytesTransferred,
    error,
    extendedError,
    // As do-client decides it: paused, no error, a failing extended error.
    isTransientError: wire.state === DODownloadState.Paused && error === null && extendedError !== null,
  };
}

/** The JobErrorInfo shape for a download's error, so that failures read alike on every API. */
function errorInfo(error: HResultError): JobErrorInfo {
  const d = describeHResult(error.hresult);
  const info = {
    hresult: error.hresult, code: d.name, message: d.message, context: 1, contextName: 'UNKNOWN',
    description: null, contextDescription: null, protocol: null, file: null, toException: () => error,
  };
  Object.defineProperty(info, 'toException', { enumerable: false });
  return info;
}

/** The failure a download's status means (failed Error, or aborted), or null while it may still finish. */
export function downloadFailure(status: DODownloadStatus, id: string, name?: string): DownloadFailedError | null {
  if (status.error === null && status.state !== DODownloadState.Aborted && status.state !== DODownloadState.Finalized) return null;
  const cause = status.error ?? status.extendedError ?? undefined;
  return new DownloadFailedError({ jobId: id, state: status.state, jobError: cause ? errorInfo(cause) : null, jobName: name, cause });
}

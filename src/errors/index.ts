/**
 * Errors: the HRESULT table, `HResultError` and its subclasses, the library's own errors and
 * `explainHResult`, as the package root exports them (the class map and the message hook are on
 * the diagnostics subpath, src/diagnostics.ts). Pure TypeScript; nothing here loads a native library.
 */
// The HRESULT helpers the CLI and the public index need, so that neither reaches into src/com.
export { codeOf, formatHResult } from '../com/hresult';
export { CODE_ALIASES, CODES, hresultIs, isTransientHResult, lookupHResult, lookupHResultByName } from './codes';
export type { CodeFamily, CodeInfo, ErrorCodeName, KnownErrorCode } from './codes';
export { coerceHResult } from './coerce';
export type { CoercedHResult } from './coerce';
export { describeHResult, familyOfFacility, symbolicName } from './describe';
export type { HResultDescription } from './describe';
export { explainHResult } from './explain';
export type { HResultExplanation } from './explain';
export {
  FACILITY_BACKGROUNDCOPY,
  FACILITY_DELIVERY_OPTIMIZATION,
  FACILITY_HTTP,
  FACILITY_ITF,
  FACILITY_NAMES,
  FACILITY_RPC,
  FACILITY_WIN32,
  facilityName,
} from './facilities';
export { BITS_HTTP_STATUSES, TRANSIENT_HTTP_STATUSES, httpReasonPhrase, httpStatusHResult, httpStatusMessage } from './http-status';
export {
  AccessDeniedError,
  ClassNotRegisteredError,
  EmptyJobError,
  ErrorInformationUnavailableError,
  HResultError,
  HttpError,
  InvalidArgumentError,
  InvalidStateError,
  JobNotFoundError,
  NoInterfaceError,
  NotImplementedError,
  OutOfMemoryError,
  PropertyNotSetError,
  ReadOnlyPropertyError,
  ServerCertificateError,
  ServiceUnavailableError,
  UnknownPropertyError,
  WriteOnlyPropertyError,
} from './hresult-error';
export type { ClassNotRegisteredErrorOptions, HResultErrorClass, HResultErrorOptions } from './hresult-error';
export {
  AbortError,
  DestinationFolderError,
  IncompleteDownloadError,
  ObjectDisposedError,
  PlatformNotSupportedError,
  TimeoutError,
  TruncatedTransferError,
} from './library-errors';
export type { CompletionInfo, DestinationFolderProblem, IncompleteDownloadErrorOptions, UnfinishedFileInfo } from './library-errors';
export { DownloadFailedError, JobFailedError, TransferFailedError } from './job-failed-error';
export { ForeignCallbackError } from './foreign-callback-error';
export { CertificateNotFoundError } from './certificate-errors';
export type {
  DownloadFailedErrorOptions, JobError, JobErrorFile, JobErrorFileInfo, JobErrorInfo, JobFailedErrorOptions, TransferFailedErrorOptions,
} from './job-failed-error';
export type { FailedFileFacts, FailedJobFacts } from './failure-facts';
export { errorToJSON } from './to-json';
export type { Json } from './to-json';

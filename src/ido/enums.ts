/** The IDO API's enumerations (deliveryoptimization.h; values as in the SDK). */
import { UINT64_MAX } from '../com/marshal';

/** DODownloadState (DO_DOWNLOAD_STATUS.State). There is no transient-error state: see Paused. */
export enum DODownloadState {
  /** Created, never started. */
  Created = 0,
  /** In progress. */
  Transferring = 1,
  /** Data transferred; the download may be started again for another portion. */
  Transferred = 2,
  /** Final: cannot be started again. */
  Finalized = 3,
  /** Aborted by the caller or by a fatal error. */
  Aborted = 4,
  /** Paused on request, or by an error: Error failed = fatal, Error S_OK with ExtendedError failed = transient. */
  Paused = 5,
}

/** DODownloadCostPolicy (VT_UI4 value of DODownloadProperty.CostPolicy). */
export enum DODownloadCostPolicy {
  /** Download on any network. */
  Always = 0,
  /** Only on unrestricted (unmetered) networks. */
  Unrestricted = 1,
  /** Unrestricted networks, and metered ones within their data limit. */
  Standard = 2,
  /** Anywhere but roaming. */
  NoRoaming = 3,
  /** Anywhere without a surcharge. */
  NoSurcharge = 4,
  /** Deprecated: use DODownloadProperty.DisallowOnCellular. */
  NoCellular = 5,
}

/** DODownloadProperty: the property ids of IDODownload::GetProperty / SetProperty. */
export enum DODownloadProperty {
  /** VT_BSTR, read-only: the download id. */
  Id = 0,
  /** VT_BSTR: the source (required unless ContentId). */
  Uri = 1,
  /** VT_BSTR: a content id (required unless Uri). */
  ContentId = 2,
  /** VT_BSTR: a name for the download. */
  DisplayName = 3,
  /** VT_BSTR: the destination file (required unless StreamInterface). */
  LocalPath = 4,
  /** VT_BSTR: pre-formatted header lines. */
  HttpCustomHeaders = 5,
  /** VT_UI4: a DODownloadCostPolicy. */
  CostPolicy = 6,
  /** VT_UI4, write-only: WinHTTP security flags. */
  SecurityFlags = 7,
  /** VT_UI4: status callback every N percent. */
  CallbackFreqPercent = 8,
  /** VT_UI4: status callback every N seconds (default 1). */
  CallbackFreqSeconds = 9,
  /** VT_UI4: give up after this long without progress (min 60; 0 = default). */
  NoProgressTimeoutSeconds = 10,
  /** VT_BOOL: foreground priority (default background). */
  ForegroundPriority = 11,
  /** VT_BOOL: Start blocks until the download ends. */
  BlockingMode = 12,
  /** VT_UNKNOWN: the IDODownloadStatusCallback (managed by DODownload). */
  CallbackInterface = 13,
  /** VT_UNKNOWN: the IStream sink (managed by DODownload.stream()). */
  StreamInterface = 14,
  /** VT_ARRAY|VT_UI1, write-only: a serialized client certificate (not supported by this binding). */
  SecurityContext = 15,
  /** VT_BOOL, write-only: use the caller's token for network access. */
  NetworkToken = 16,
  /** VT_BSTR: telemetry correlation vector. */
  CorrelationVector = 17,
  /** VT_BSTR, write-only: decryption JSON. */
  DecryptionInfo = 18,
  /** VT_BSTR, write-only: piece-hash JSON. */
  IntegrityCheckInfo = 19,
  /** VT_BOOL: abort when the integrity check fails. */
  IntegrityCheckMandatory = 20,
  /** VT_UI8: the file size, when known in advance. */
  TotalSizeBytes = 21,
  /** VT_BOOL: never download on cellular networks. */
  DisallowOnCellular = 22,
  /** VT_BSTR: headers sent when the server challenges. */
  HttpCustomAuthHeaders = 23,
  /** VT_BOOL: allow https → http redirects (default false). */
  HttpAllowSecureToNonSecureRedirect = 24,
  /** VT_BOOL: keep the download across reboots (default false). */
  NonVolatile = 25,
  /** Newer SDKs only; type UNCONFIRMED (read-only BSTR assumed). */
  HttpRedirectionTarget = 26,
  /** Newer SDKs only; type UNCONFIRMED (read-only BSTR assumed). */
  HttpResponseHeaders = 27,
  /** Newer SDKs only; type UNCONFIRMED (read-only BSTR assumed). */
  HttpServerIPAddress = 28,
  /** Newer SDKs only; VT_UI4 per public code (UNCONFIRMED). */
  HttpStatusCode = 29,
}

/** DO_LENGTH_TO_EOF: a range that runs to the end of the file. */
export const DO_LENGTH_TO_EOF = UINT64_MAX;

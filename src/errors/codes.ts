/**
 * The one table of every HRESULT the binding knows (spec §6.2–§6.4): symbolic name, unsigned value
 * and our own message. Family and transience are derived from it, never written twice.
 */
import { codeOf, facilityOf, failed } from '../com/hresult';
import { FACILITY_DELIVERY_OPTIMIZATION, FACILITY_HTTP } from './facilities';
import { BITS_HTTP_STATUSES, TRANSIENT_HTTP_STATUSES, httpStatusMessage } from './http-status';

/** Where a code comes from: DO (0x80D0xxxx), BITS (0x8020xxxx), HTTP (0x8019xxxx), or the platform. */
export type CodeFamily = 'DO' | 'BITS' | 'HTTP' | 'COM' | 'RPC' | 'WIN32';

/** One known HRESULT. */
export interface CodeInfo {
  /** Symbolic name as in the Windows headers, e.g. `DO_E_JOB_NOT_FOUND`. */
  readonly name: string;
  /** Unsigned 32-bit value, e.g. `0x80D02003`. */
  readonly hresult: number;
  /** What happened and, where it helps, what to do. */
  readonly message: string;
  /** Which table it comes from: `DO`, `BITS`, `WIN32`, `COM`, `RPC` … */
  readonly family: CodeFamily;
  /** True when retrying later may succeed without changing anything (see {@link isTransientHResult}). */
  readonly isTransient: boolean;
}

type Row = readonly [name: string, hresult: number, message: string];

/** deliveryoptimizationerrors.h (SDK 10.0.26100). */
const DO_ROWS: readonly Row[] = [
  ['DO_E_NO_SERVICE', 0x80D01001, 'Delivery Optimization could not provide the service. Check that the Delivery Optimization service (DoSvc) is running and allowed by policy.'],
  ['DO_E_DOWNLOAD_NO_PROGRESS', 0x80D02002, 'The download made no progress within the no-progress timeout. Check that the source is reachable, or raise the timeout.'],
  ['DO_E_JOB_NOT_FOUND', 0x80D02003, 'No Delivery Optimization job with this ID is visible to the caller (it may have been completed, cancelled, or dropped after 30 days).'],
  ['DO_E_JOB_EMPTY', 0x80D02004, 'The job has no files. Add at least one file before resuming it.'],
  ['DO_E_NO_DOWNLOADS', 0x80D02005, 'There are no Delivery Optimization downloads.'],
  ['DO_E_MEMORYSTREAM_DOWNLOAD_NOT_SUPPORTED', 0x80D0200B, 'This download cannot be written to a memory stream. Download to a local file instead.'],
  ['DO_E_JOB_TOO_OLD', 0x80D0200C, 'The job reached its maximum age without being completed or cancelled, so Delivery Optimization dropped it.'],
  ['DO_E_LOCALPATH_NOT_SET', 0x80D0200D, 'The download has no local file path. Set one before starting it.'],
  ['DO_E_FILE_NOT_AVAILABLE', 0x80D02010, 'The error is not tied to a particular file, so there is no file to return.'],
  ['DO_E_UNKNOWN_PROPERTY_ID', 0x80D02011, 'Delivery Optimization does not know this property ID (it may need a newer Windows version).'],
  ['DO_E_READ_ONLY_PROPERTY', 0x80D02012, 'This property is read-only and cannot be set.'],
  ['DO_E_INVALID_STATE', 0x80D02013, "The operation is not allowed in the job's or download's current state (for example it is already cancelled, completed or finalized)."],
  ['DO_E_ERROR_INFORMATION_UNAVAILABLE', 0x80D02014, 'There is no error information: the job is not in the ERROR or TRANSIENT_ERROR state.'],
  ['DO_E_WRITE_ONLY_PROPERTY', 0x80D02015, 'This property is write-only and cannot be read.'],
  ['DO_E_INTEGRITYCHECKINFO_UNSPECIFIED', 0x80D02016, 'An integrity check is mandatory for this download but no integrity-check information was given.'],
  ['DO_E_INTEGRITYCHECKINFO_UNAVAILABLE', 0x80D02017, 'An integrity check is mandatory for this download but its integrity-check information could not be fetched.'],
  ['DO_E_FILE_DOWNLOADSINK_UNSPECIFIED', 0x80D02018, 'No destination (local file or stream) was set before the download started.'],
  ['DO_E_FILE_DOWNLOADSINK_ALREADY_SET', 0x80D02019, 'A different kind of destination (file or stream) is already set for this download.'],
  ['DO_E_FILE_SIZE_UNKNOWN_HTTP_200', 0x80D0201A, "The file size could not be determined from the server's HTTP 200 reply."],
  ['DO_E_FILE_ENCRYPTION_EXPECTED', 0x80D0201B, 'Decryption information was given but the file on the server is not encrypted.'],
  ['DO_E_FILE_SIZE_UNKNOWN_HTTP_206', 0x80D0201C, "The file size could not be determined from the server's HTTP 206 (partial content) reply."],
  ['DO_E_FILE_SIZE_UNKNOWN_HTTP_2XX', 0x80D0201D, "The file size could not be determined from the server's 2xx reply."],
  ['DO_E_NETWORK_ACCESS_CONSENT_NEEDED', 0x80D0201E, 'The user must consent to network access before Delivery Optimization can download.'],
  ['DO_E_DOWNLOAD_NO_URI', 0x80D02200, 'The download was started without a URI. Set the Uri property first.'],
  ['DO_E_DOWNLOAD_NO_CONTENT_ID', 0x80D02201, 'The download was started without a content ID. Set the ContentId property first.'],
  ['DO_E_INVALID_CONTENT_ID', 0x80D02202, 'The content ID is not valid.'],
  ['DO_E_DOWNLOAD_RANGES_UNEXPECTED', 0x80D02203, 'Byte ranges were given for a download that does not accept them.'],
  ['DO_E_DOWNLOAD_RANGES_EXPECTED', 0x80D02204, 'This download needs byte ranges but none were given.'],
  ['DO_E_NO_DOWNLOAD_PARTICIPATION', 0x80D03001, 'Delivery Optimization refused the download because of participation throttling. Try again later.'],
  ['DO_E_NO_DOWNLOAD_EXTSETTINGS', 0x80D03002, 'Delivery Optimization refused the download because of user or administrator settings (download mode, bandwidth or policy). Check Settings > Delivery Optimization or the DODownloadMode policy.'],
  ['DO_E_BLOCKED_BY_COST_TRANSFER_POLICY', 0x80D03801, 'The download is paused: the current network is metered and the cost policy forbids transferring on it. It resumes on a suitable network.'],
  ['DO_E_DOWNLOADMODE_SET_BY_CP', 0x80D03802, 'The download mode was limited by a content policy; the download goes on in the restricted mode.'],
  ['DO_E_BLOCKED_BY_CELLULAR_POLICY', 0x80D03803, 'The download is paused: the device is on a cellular network and policy forbids downloading there.'],
  ['DO_E_BLOCKED_BY_POWER_STATE', 0x80D03804, 'The download is paused because the device left AC power. It resumes when the device is plugged in.'],
  ['DO_E_BLOCKED_BY_NO_NETWORK', 0x80D03805, 'The download is paused because there is no network connection. It resumes when the network is back.'],
  ['DO_E_DOWNLOADMODE_SET_BY_POLICY', 0x80D03806, 'The download mode was limited by policy (DODownloadMode); the download goes on in the restricted mode.'],
  ['DO_E_BLOCKED_BY_VPN_POLICY', 0x80D03807, 'The download is paused: a VPN connection was detected and policy restricts downloading over VPN.'],
  ['DO_E_BLOCKED_BY_CRITICAL_MEMORY_USAGE', 0x80D03808, 'The download is paused because memory use on the device is critical. It resumes when memory is freed.'],
  ['DO_E_DOWNLOADMODE_SET_BY_CACHE_ABSENCE', 0x80D03809, 'The download mode was limited because no Delivery Optimization cache folder is available.'],
  ['DO_E_CLOUD_SERVICES_UNREACHABLE', 0x80D0380A, "Delivery Optimization's cloud services could not be reached; the download goes on without peers."],
  ['DO_E_DOWNLOADMODE_SET_FOR_UNREG_CALLER', 0x80D0380B, 'The download mode was limited because the caller is not registered with Delivery Optimization.'],
  ['DO_E_DOWNLOADMODE_SET_FOR_SIMPLE_RANGES', 0x80D0380C, 'The download runs in simple mode because it downloads byte ranges.'],
  ['DO_E_UNEXPECTED_HTTP_STATUS_2XX', 0x80D0380D, 'The download is paused: the server answered with an unexpected 2xx status (such as 204 No Content).'],
  ['DO_E_HTTP_BLOCKSIZE_MISMATCH', 0x80D05001, 'The server returned a different number of bytes than requested.'],
  ['DO_E_HTTP_CERT_VALIDATION', 0x80D05002, "The server's TLS certificate failed validation. Check the URL, the certificate and the device clock."],
  ['DO_E_INVALID_RANGE', 0x80D05010, 'A byte range is invalid (for example it lies beyond the end of the file).'],
  ['DO_E_INSUFFICIENT_RANGE_SUPPORT', 0x80D05011, 'The server does not support HTTP range requests, which this download needs.'],
  ['DO_E_OVERLAPPING_RANGES', 0x80D05012, 'The byte ranges overlap. Request each byte only once.'],
  ['DO_E_UPLOADING_BAD_PIECES', 0x80D06800, 'Too many bad pieces were detected while uploading to peers.'],
  ['DO_E_FATAL_CORE_ERROR', 0x80D06802, 'Delivery Optimization hit a fatal internal error.'],
  ['DO_E_SERVICES_RESPONSE_EMPTY', 0x80D06803, "Delivery Optimization's cloud services returned an empty response."],
  ['DO_E_BAD_INCOMING_DATA', 0x80D06804, 'Bad or incomplete piece data was received.'],
  ['DO_E_BAD_PIECE_HASH', 0x80D06805, 'A received piece did not match its expected hash.'],
  ['DO_E_BAD_PIECE_HASH_NO_BAN', 0x80D06806, 'A received piece did not match its expected hash; its source is not banned yet.'],
  ['DO_E_ALREADY_HAVE_PIECE', 0x80D06807, 'The piece is already in the cache.'],
  ['DO_E_MISSING_PIECE', 0x80D06808, 'The requested piece is no longer in the cache.'],
  ['DO_E_METAINFO_CONTENT', 0x80D06809, 'The content metainfo is invalid.'],
  ['DO_E_METAINFO_VERSION', 0x80D0680A, 'The content metainfo has an unsupported version.'],
  ['DO_E_SWARM_NOT_RUNNING', 0x80D0680B, 'The peer swarm for this content is not running.'],
  ['DO_E_UNRECOGNIZED_CONN', 0x80D0680C, 'The peer is not known to the connection manager.'],
  ['DO_E_PEER_BANNED', 0x80D0680D, 'The peer is banned.'],
  ['DO_E_CONNECT_TO_SELF', 0x80D0680E, 'The client tried to connect to itself as a peer.'],
  ['DO_E_ALREADY_CONNECTED', 0x80D0680F, 'A connection to this peer already exists.'],
  ['DO_E_NO_MORE_CONNECTIONS', 0x80D06810, 'The maximum number of peer connections has been reached.'],
  ['DO_E_LOST_CONNECTION', 0x80D06811, 'The connection to the peer was lost.'],
  ['DO_E_UNRECOGNIZED_SWARM', 0x80D06812, 'The swarm ID is not recognized.'],
  ['DO_E_INVALID_HANDSHAKE_LEN', 0x80D06813, 'A peer sent a handshake of invalid length.'],
  ['DO_E_SOCKET_CLOSED', 0x80D06814, 'The peer socket was closed.'],
  ['DO_E_PEER_MSG_TOO_LONG', 0x80D06815, 'A peer sent a message that is too long.'],
  ['DO_E_INVALID_PEER_MSG', 0x80D06816, 'A peer sent an invalid message.'],
  ['DO_E_PEER_IS_UPLOAD', 0x80D06817, 'The peer connection is an upload.'],
  ['DO_E_PIN_FAIL_NO_PEERING', 0x80D06818, 'The swarm cannot be pinned because Delivery Optimization is not in a peering download mode.'],
  ['DO_E_DELETE_PINNED_SWARM', 0x80D06819, 'The swarm is pinned; it can only be deleted with the force option.'],
  // SDK 10.0.26100: content metainfo (piece hashes) validation.
  ['DO_E_METAINFO_DIGEST_MATCH', 0x80D0681A, 'The hash digest of the content metainfo did not match.'],
  ['DO_E_METAINFO_HOH_MATCH', 0x80D0681B, 'The preliminary hash-of-hashes check of the content metainfo failed.'],
  ['DO_E_METAINFO_HOH_FINAL_MATCH', 0x80D0681C, 'The computed hash-of-hashes of the content did not match its metainfo.'],
  ['DO_E_METAINFO_CONTENT_LENGTH', 0x80D0681D, 'The content length in the metainfo is invalid.'],
  ['DO_E_METAINFO_PIECE_SIZE', 0x80D0681E, 'The piece size in the metainfo is invalid.'],
  ['DO_E_METAINFO_PARSE_HOH', 0x80D0681F, 'The hash-of-hashes value in the metainfo could not be parsed.'],
  ['DO_E_METAINFO_PARSE_PIECEHASHES', 0x80D06820, 'The array of piece hashes in the metainfo could not be parsed.'],
  ['DO_E_METAINFO_PARSE_ONE_PIECEHASH', 0x80D06821, 'A piece hash digest in the metainfo could not be parsed.'],
  ['DO_E_METAINFO_FILE_SIZE', 0x80D06822, "The size of the content's piece hash file could not be read, or it is invalid."],
];

/** bitsmsg.h (SDK 10.0.25290), except the HTTP codes, which are generated below. */
const BITS_ROWS: readonly Row[] = [
  ['BG_E_NOT_FOUND', 0x80200001, 'No job with this ID is visible to the caller (it may be finished, cancelled or owned by another user).'],
  ['BG_E_INVALID_STATE', 0x80200002, "The operation is not allowed in the job's current state (typically the job is already cancelled or acknowledged)."],
  ['BG_E_EMPTY', 0x80200003, 'The job has no files. Add at least one file before resuming it.'],
  ['BG_E_FILE_NOT_AVAILABLE', 0x80200004, 'The error is not tied to a particular file, so there is no file to return.'],
  ['BG_E_PROTOCOL_NOT_AVAILABLE', 0x80200005, 'The error is not tied to a transfer protocol, so there is no protocol to return.'],
  ['BG_S_ERROR_CONTEXT_NONE', 0x00200006, 'No error occurred, so there is no error context.'],
  ['BG_E_ERROR_CONTEXT_UNKNOWN', 0x80200007, 'The error happened in an unknown place.'],
  ['BG_E_ERROR_CONTEXT_GENERAL_QUEUE_MANAGER', 0x80200008, 'The error was raised by the transfer queue manager.'],
  ['BG_E_ERROR_CONTEXT_LOCAL_FILE', 0x80200009, 'The error happened while handling the local file. Check the path, free space and permissions.'],
  ['BG_E_ERROR_CONTEXT_REMOTE_FILE', 0x8020000A, 'The error happened while handling the remote file. Check the URL and the server.'],
  ['BG_E_ERROR_CONTEXT_GENERAL_TRANSPORT', 0x8020000B, 'The error happened in the transport layer (the server could not be reached). Check the network and proxy.'],
  ['BG_E_ERROR_CONTEXT_QUEUE_MANAGER_NOTIFICATION', 0x8020000C, 'The error happened while running the notification callback.'],
  ['BG_E_DESTINATION_LOCKED', 0x8020000D, 'The destination volume is locked or unavailable.'],
  ['BG_E_VOLUME_CHANGED', 0x8020000E, 'The destination volume was replaced by another one.'],
  ['BG_E_ERROR_INFORMATION_UNAVAILABLE', 0x8020000F, 'There is no error information: the job is not in the ERROR or TRANSIENT_ERROR state.'],
  ['BG_E_NETWORK_DISCONNECTED', 0x80200010, 'There is no active network connection. The job will retry when the network is back.'],
  ['BG_E_MISSING_FILE_SIZE', 0x80200011, 'The server did not send the file size (Content-Length), as happens with dynamic content.'],
  ['BG_E_INSUFFICIENT_HTTP_SUPPORT', 0x80200012, 'The server does not support HTTP/1.1, which the transfer needs.'],
  ['BG_E_INSUFFICIENT_RANGE_SUPPORT', 0x80200013, 'The server or a proxy does not honour HTTP range requests, which the transfer needs.'],
  ['BG_E_REMOTE_NOT_SUPPORTED', 0x80200014, 'Background transfers cannot be used from this remote session.'],
  ['BG_E_NEW_OWNER_DIFF_MAPPING', 0x80200015, "The new owner's drive mapping differs from the previous owner's. Use UNC paths."],
  ['BG_E_NEW_OWNER_NO_FILE_ACCESS', 0x80200016, "The job's new owner cannot access the local or remote files."],
  ['BG_S_PARTIAL_COMPLETE', 0x00200017, 'The job completed, but only the fully transferred files were kept.'],
  ['BG_E_PROXY_LIST_TOO_LARGE', 0x80200018, 'The proxy list is longer than 32,000 characters.'],
  ['BG_E_PROXY_BYPASS_LIST_TOO_LARGE', 0x80200019, 'The proxy bypass list is longer than 32,000 characters.'],
  ['BG_S_UNABLE_TO_DELETE_FILES', 0x0020001A, 'The job ended, but some temporary files could not be deleted.'],
  ['BG_E_INVALID_SERVER_RESPONSE', 0x8020001B, 'The server response broke the transfer protocol.'],
  ['BG_E_TOO_MANY_FILES', 0x8020001C, 'An upload job can hold only one file, and it already has one.'],
  ['BG_E_LOCAL_FILE_CHANGED', 0x8020001D, 'The local file changed while it was being uploaded.'],
  ['BG_E_ERROR_CONTEXT_REMOTE_APPLICATION', 0x8020001E, 'The server-side application reported the error (upload-reply job).'],
  ['BG_E_SESSION_NOT_FOUND', 0x8020001F, 'The server does not know the upload session.'],
  ['BG_E_TOO_LARGE', 0x80200020, 'The upload is larger than the server accepts.'],
  ['BG_E_STRING_TOO_LONG', 0x80200021, 'A string argument is longer than its limit.'],
  ['BG_E_CLIENT_SERVER_PROTOCOL_MISMATCH', 0x80200022, 'The client and server use incompatible versions of the upload protocol.'],
  ['BG_E_SERVER_EXECUTE_ENABLE', 0x80200023, 'The server refuses uploads because scripting or execute permission is enabled on the virtual directory.'],
  ['BG_E_NO_PROGRESS', 0x80200024, 'The job is not making progress; it will be retried.'],
  ['BG_E_USERNAME_TOO_LARGE', 0x80200025, 'The user name is longer than 300 characters.'],
  ['BG_E_PASSWORD_TOO_LARGE', 0x80200026, 'The password is longer than allowed.'],
  ['BG_E_INVALID_AUTH_TARGET', 0x80200027, 'The authentication target is not a known BG_AUTH_TARGET value.'],
  ['BG_E_INVALID_AUTH_SCHEME', 0x80200028, 'The authentication scheme is not a known BG_AUTH_SCHEME value.'],
  ['BG_E_FILE_NOT_FOUND', 0x80200029, 'The named file is not part of the job.'],
  ['BG_S_PROXY_CHANGED', 0x0020002A, 'The proxy server changed.'],
  ['BG_E_INVALID_RANGE', 0x8020002B, 'A byte range lies outside the remote file.'],
  ['BG_E_OVERLAPPING_RANGES', 0x8020002C, 'The byte ranges overlap or repeat. Request each byte only once.'],
  ['BG_E_CONNECT_FAILURE', 0x8020002D, 'The connection to the server could not be made.'],
  ['BG_E_CONNECTION_CLOSED', 0x8020002E, 'The connection was closed before the transfer finished.'],
  ['BG_E_BLOCKED_BY_POLICY', 0x8020003E, 'Group Policy forbids transfers at this time. The job will run when policy allows it.'],
  ['BG_E_INVALID_PROXY_INFO', 0x8020003F, 'The proxy list or proxy bypass list is not valid.'],
  ['BG_E_INVALID_CREDENTIALS', 0x80200040, 'The credentials are malformed.'],
  ['BG_E_INVALID_HASH_ALGORITHM', 0x80200041, 'The hash algorithm is not supported.'],
  ['BG_E_RECORD_DELETED', 0x80200042, 'The peer-cache record was deleted.'],
  ['BG_E_COMMIT_IN_PROGRESS', 0x80200043, 'The peer-cache record is being updated by another thread.'],
  ['BG_E_DISCOVERY_IN_PROGRESS', 0x80200044, 'Peer discovery is already running.'],
  ['BG_E_UPNP_ERROR', 0x80200045, 'The UPnP gateway device reported an error.'],
  ['BG_E_TEST_OPTION_BLOCKED_DOWNLOAD', 0x80200046, 'A test option blocked the download.'],
  ['BG_E_PEERCACHING_DISABLED', 0x80200047, 'Peer caching is disabled.'],
  ['BG_E_BUSYCACHERECORD', 0x80200048, 'The peer-cache record is busy.'],
  ['BG_E_TOO_MANY_JOBS_PER_USER', 0x80200049, 'The user has too many jobs (MaxJobsPerUser, 60 by default). Complete or cancel old jobs.'],
  ['BG_E_TOO_MANY_JOBS_PER_MACHINE', 0x80200050, 'The computer has too many jobs (MaxJobsPerMachine, 300 by default). Complete or cancel old jobs.'],
  ['BG_E_TOO_MANY_FILES_IN_JOB', 0x80200051, 'The job has too many files (MaxFilesPerJob, 200 by default). Split the files across jobs.'],
  ['BG_E_TOO_MANY_RANGES_IN_FILE', 0x80200052, 'The file has too many byte ranges (MaxRangesPerFile).'],
  ['BG_E_VALIDATION_FAILED', 0x80200053, 'The server response failed validation.'],
  ['BG_E_MAXDOWNLOAD_TIMEOUT', 0x80200054, 'The maximum download time elapsed before the job finished.'],
  ['BG_S_OVERRIDDEN_BY_POLICY', 0x00200055, 'The setting was saved, but a policy overrides it.'],
  ['BG_E_TOKEN_REQUIRED', 0x80200056, 'A helper token is needed but none was set.'],
  ['BG_E_UNKNOWN_PROPERTY_ID', 0x80200057, 'The property ID is not known (it may need a newer Windows version).'],
  ['BG_E_READ_ONLY_PROPERTY', 0x80200058, 'This property is read-only and cannot be set.'],
  ['BG_E_BLOCKED_BY_COST_TRANSFER_POLICY', 0x80200059, 'The cost policy forbids transferring on the current (metered) network. The job resumes on a suitable network.'],
  ['BG_E_PROPERTY_SUPPORTED_FOR_DOWNLOAD_JOBS_ONLY', 0x80200060, 'This property can only be used on download jobs.'],
  ['BG_E_READ_ONLY_PROPERTY_AFTER_ADDFILE', 0x80200061, 'This property cannot be changed once a file has been added to the job.'],
  ['BG_E_READ_ONLY_PROPERTY_AFTER_RESUME', 0x80200062, 'This property cannot be changed once the job has been resumed.'],
  ['BG_E_MAX_DOWNLOAD_SIZE_INVALID_VALUE', 0x80200063, 'The maximum download size value is not valid.'],
  ['BG_E_MAX_DOWNLOAD_SIZE_LIMIT_REACHED', 0x80200064, 'The download reached its maximum download size.'],
  ['BG_E_STANDBY_MODE', 0x80200065, 'The job is paused because the computer is in a power-saving mode. It resumes when the computer wakes.'],
  ['BG_E_USE_STORED_CREDENTIALS_NOT_SUPPORTED', 0x80200066, 'Stored credentials can only be used for the proxy target.'],
  ['BG_E_BLOCKED_BY_BATTERY_POLICY', 0x80200067, 'The job is paused because the computer is on battery. It resumes on AC power.'],
  ['BG_E_BLOCKED_BY_BATTERY_SAVER', 0x80200068, 'The job is paused because battery saver is on.'],
  ['BG_E_WATCHDOG_TIMEOUT', 0x80200069, 'An internal operation timed out.'],
  ['BG_E_APP_PACKAGE_NOT_FOUND', 0x8020006A, 'No app package was found for the job owner or caller.'],
  ['BG_E_APP_PACKAGE_SCENARIO_NOT_SUPPORTED', 0x8020006B, 'This use of background transfers from a packaged app is not supported.'],
  ['BG_E_DATABASE_CORRUPT', 0x8020006C, "The transfer service's job database is corrupt; the service shuts down."],
  ['BG_E_RANDOM_ACCESS_NOT_SUPPORTED', 0x8020006D, 'Random access (IBackgroundCopyFile6) cannot be used for this transfer.'],
  ['BG_E_BLOCKED_BY_BACKGROUND_ACCESS_POLICY', 0x8020006E, "The owner app's background-access setting blocks the transfer."],
  ['BG_E_BLOCKED_BY_GAME_MODE', 0x8020006F, 'The job is paused while Game Mode is on.'],
  ['BG_E_BLOCKED_BY_SYSTEM_POLICY', 0x80200070, 'The job is paused because system resources are constrained.'],
  ['BG_E_NOT_SUPPORTED_WITH_CUSTOM_HTTP_METHOD', 0x80200071, 'This operation is not allowed on a job with a custom HTTP method.'],
  ['BG_E_UNSUPPORTED_JOB_CONFIGURATION', 0x80200072, "The job's configuration is incompatible with this request."],
  ['BG_E_REMOTE_FILE_CHANGED', 0x80200073, 'The remote file changed during the transfer.'],
  ['BG_E_SERVER_CERT_VALIDATION_INTERFACE_REQUIRED', 0x80200074, 'A server-certificate validation callback is required but none was set.'],
  ['BG_E_READ_ONLY_WHEN_JOB_ACTIVE', 0x80200075, 'This can only be changed while the job is SUSPENDED, ERROR or TRANSFERRED.'],
  ['BG_E_ERROR_CONTEXT_SERVER_CERTIFICATE_CALLBACK', 0x80200076, 'The error happened inside the server-certificate validation callback.'],
];

/** Common COM codes (winerror.h). */
const COM_ROWS: readonly Row[] = [
  ['S_OK', 0x00000000, 'The operation succeeded.'],
  ['S_FALSE', 0x00000001, 'The operation succeeded with a qualified result (for example an enumerator returned fewer items than asked, or COM was already initialised on this thread).'],
  ['E_NOTIMPL', 0x80004001, 'The service does not implement this method (some methods are optional, and some services leave them out).'],
  ['E_NOINTERFACE', 0x80004002, 'The object does not support the requested interface; the feature probably needs a newer Windows version (for example IDeliveryOptimizationJob2 needs Windows 10 version 1803).'],
  ['E_POINTER', 0x80004003, 'A required pointer argument was null.'],
  ['E_ABORT', 0x80004004, 'The operation was aborted.'],
  ['E_FAIL', 0x80004005, 'The operation failed without a more specific error.'],
  ['E_UNEXPECTED', 0x8000FFFF, 'An unexpected (catastrophic) failure occurred.'],
  ['E_ACCESSDENIED', 0x80070005, "Access was denied. Only a job's owner or an administrator can change it, and listing all users' jobs needs administrator rights."],
  ['E_HANDLE', 0x80070006, 'A handle was invalid.'],
  ['E_OUTOFMEMORY', 0x8007000E, 'Not enough memory was available to complete the operation.'],
  ['E_INVALIDARG', 0x80070057, 'An argument was invalid (for example a relative local path, an unsupported URL scheme, a name or URL that is too long, or a null value).'],
  ['E_NOT_SET', 0x80070490, 'The property has never been set, so it has no value (HRESULT_FROM_WIN32(ERROR_NOT_FOUND)).'],
  ['E_NOT_VALID_STATE', 0x8007139F, 'The object is not in a valid state for this operation (HRESULT_FROM_WIN32(ERROR_INVALID_STATE)).'],
  ['REGDB_E_CLASSNOTREG', 0x80040154, 'The COM class is not registered on this computer. For Delivery Optimization this means Windows older than Windows 10 version 1709, or the component is missing.'],
  ['CO_E_NOTINITIALIZED', 0x800401F0, 'COM is not initialised on this thread: CoInitializeEx was not called.'],
  ['CO_E_OBJNOTCONNECTED', 0x800401FD, 'The object is no longer connected to its server. Create a new manager and fetch the job again by its ID.'],
  ['CO_E_SERVER_EXEC_FAILURE', 0x80080005, 'The COM server process failed to start. Check that the Delivery Optimization or BITS service can run.'],
  ['CO_E_SERVER_STOPPING', 0x80080008, 'The COM server is shutting down. Retry in a moment.'],
];

/** RPC runtime codes (facility RPC, and RPC_S_* Win32 codes converted with HRESULT_FROM_WIN32). */
const RPC_ROWS: readonly Row[] = [
  ['RPC_E_CALL_REJECTED', 0x80010001, 'The server rejected the call because it is busy. Retry later.'],
  ['RPC_E_SERVER_DIED', 0x80010007, 'The server process died during the call (the service crashed or restarted). Create a new manager and retry.'],
  ['RPC_E_SERVER_DIED_DNE', 0x80010012, 'The server process died and the call did not run. Create a new manager and retry.'],
  ['RPC_E_CHANGED_MODE', 0x80010106, 'COM was already initialised on this thread with another apartment model; the first initialisation stays in force.'],
  ['RPC_E_INVALIDMETHOD', 0x80010107, 'The called method does not exist on the server (the service is older than the interface expects).'],
  ['RPC_E_DISCONNECTED', 0x80010108, "The object's server is gone (the service restarted or released it). Create a new manager and fetch the job again by its ID."],
  ['RPC_E_SERVERCALL_RETRYLATER', 0x8001010A, 'The server is busy. Retry later.'],
  ['RPC_E_CANTCALLOUT_ININPUTSYNCCALL', 0x8001010D, 'An outgoing call cannot be made from inside an input-synchronous call.'],
  ['RPC_E_WRONG_THREAD', 0x8001010E, 'The interface was called from a thread other than its own apartment. Call it from the thread that created it.'],
  ['RPC_E_TOO_LATE', 0x80010119, 'CoInitializeSecurity was called too late: marshaling had already started in this process.'],
  ['RPC_E_ACCESS_DENIED', 0x8001011B, 'Access was denied at the RPC level (authentication or impersonation level too low).'],
  ['RPC_E_TIMEOUT', 0x8001011F, 'The service did not answer in time (the call timed out). It may be hung or restarting: connect again and retry.'],
  ['RPC_S_UNKNOWN_IF', 0x800706B5, 'The server no longer knows the interface: the service is shutting down or was restarted. Connect again and retry.'],
  ['RPC_S_SERVER_UNAVAILABLE', 0x800706BA, 'The RPC server is unavailable: the Delivery Optimization or BITS service stopped or crashed. Check that the service is running, then retry.'],
  ['RPC_S_SERVER_TOO_BUSY', 0x800706BB, 'The RPC server is too busy, or went away while the call was connecting to it (the service stopped or crashed). Connect again and retry.'],
  ['RPC_S_CALL_FAILED', 0x800706BE, 'The remote call failed in transit (it may have run). Retry if the operation is safe to repeat.'],
  ['RPC_S_CALL_FAILED_DNE', 0x800706BF, 'The remote call failed in transit and did not run. Retry.'],
  ['RPC_S_PROCNUM_OUT_OF_RANGE', 0x800706D1, 'The server does not have the called method (the service is older than the interface expects).'],
  ['RPC_X_NULL_REF_POINTER', 0x800706F4, 'A null pointer was passed where the interface requires a reference; marshaling rejected the call.'],
];

/**
 * Win32 errors converted with HRESULT_FROM_WIN32 that the API returns, and the file-system,
 * logon and network errors BITS and Delivery Optimization users meet most (winerror.h).
 */
const WIN32_ROWS: readonly Row[] = [
  ['ERROR_FILE_NOT_FOUND', 0x80070002, 'A file was not found. For a download: the source of a UNC, drive-path or file:// remote name does not exist, or the local file was removed. Check both paths.'],
  ['ERROR_PATH_NOT_FOUND', 0x80070003, 'A folder in the path does not exist. Create the destination folder (the service does not create folders), or fix the remote path.'],
  ['ERROR_WRITE_PROTECT', 0x80070013, 'The destination medium is write-protected. Choose a writable folder.'],
  ['ERROR_SHARING_VIOLATION', 0x80070020, 'The file is in use by another process (an open editor, an antivirus scan, a running installer). Close it and resume the job.'],
  ['ERROR_LOCK_VIOLATION', 0x80070021, 'Another process has locked part of the file. Close it and resume the job.'],
  ['ERROR_HANDLE_DISK_FULL', 0x80070027, 'The disk is full. Free space on the destination volume and resume the job.'],
  ['ERROR_BAD_NETPATH', 0x80070035, 'The network path was not found: the server of a UNC path does not answer or does not exist. Check the name and that file sharing is reachable.'],
  ['ERROR_NETNAME_DELETED', 0x80070040, 'The network name is no longer available (the connection to the share dropped). Resume the job once the share is back.'],
  ['ERROR_BAD_NET_NAME', 0x80070043, 'The network share name was not found. Check the share in the UNC path.'],
  ['ERROR_FILE_EXISTS', 0x80070050, 'The file exists already.'],
  ['ERROR_DISK_FULL', 0x80070070, 'There is not enough space on the disk. Free space on the destination volume (BITS also needs room for its temporary file) and resume the job.'],
  ['ERROR_SEM_TIMEOUT', 0x80070079, 'A network operation timed out (typically a UNC source that stopped answering). Resume the job when the server is reachable.'],
  ['ERROR_INVALID_NAME', 0x8007007B, 'The file, folder or volume name is not valid (reserved characters, a device name such as NUL, or a trailing dot or space).'],
  ['ERROR_ALREADY_EXISTS', 0x800700B7, 'The file exists already and cannot be replaced.'],
  ['ERROR_FILENAME_EXCED_RANGE', 0x800700CE, 'The path is too long. Use a shorter destination path.'],
  ['ERROR_NOACCESS', 0x800703E6, 'Invalid access to a memory location (HRESULT_FROM_WIN32(ERROR_NOACCESS)): a buffer or pointer argument was bad.'],
  ['ERROR_SERVICE_DISABLED', 0x80070422, 'The service is disabled (HRESULT_FROM_WIN32(ERROR_SERVICE_DISABLED)). Enable the Delivery Optimization (DoSvc) or BITS service.'],
  ['ERROR_CANCELLED', 0x800704C7, 'The operation was cancelled (by the user, or by the server asking for credentials nobody gave).'],
  ['ERROR_CONNECTION_REFUSED', 0x800704C9, 'The remote computer refused the connection: nothing listens on that port, or a firewall rejects it. Check the URL\'s host and port.'],
  ['ERROR_NETWORK_UNREACHABLE', 0x800704CF, 'The network is unreachable from this computer. Check the network connection, VPN and routes.'],
  ['ERROR_HOST_UNREACHABLE', 0x800704D0, 'The remote host is unreachable. Check the network, VPN and firewall.'],
  ['ERROR_CONNECTION_ABORTED', 0x800704D4, 'The connection was aborted by this computer (often a firewall or proxy cutting it). Resume the job; check the proxy if it repeats.'],
  ['ERROR_NOT_LOGGED_ON', 0x800704DD, 'The job owner is not logged on interactively. BITS transfers only while its owner has an interactive logon session, so jobs created under run-as, WinRM / PowerShell remoting, a scheduled task set to run whether the user is logged on or not, or a service account without a session do not run. Run the program in the user\'s desktop session, or as LocalSystem / NetworkService / LocalService (their jobs run without a logon).'],
  ['ERROR_NO_SUCH_LOGON_SESSION', 0x80070520, 'The logon session of the job owner does not exist any more (the user logged off, or the process ran under a temporary session). Create the job from a lasting session.'],
  ['ERROR_LOGON_FAILURE', 0x8007052E, 'The user name or password was refused (server or proxy credentials, or the account of a UNC share). Check what setCredentials was given, and that the account is not locked.'],
  ['ERROR_RESOURCE_LANG_NOT_FOUND', 0x80070717, 'No description exists in the requested language (HRESULT_FROM_WIN32(ERROR_RESOURCE_LANG_NOT_FOUND)). Ask for another language ID.'],
];

/**
 * WinHTTP (BITS's HTTP stack) and WinINet errors, 12000–12999, as HRESULT_FROM_WIN32. The two
 * share numbers for these; the name is WinHTTP's (ALIASES has WinINet's).
 */
const WINHTTP_ROWS: readonly Row[] = [
  ['ERROR_WINHTTP_TIMEOUT', 0x80072EE2, 'The server did not answer in time. Check that it is up and reachable through the proxy; the service retries by itself.'],
  ['ERROR_WINHTTP_INTERNAL_ERROR', 0x80072EE4, 'An internal error occurred in the HTTP stack.'],
  ['ERROR_WINHTTP_INVALID_URL', 0x80072EE5, 'The URL is not valid. Check its spelling and escaping.'],
  ['ERROR_WINHTTP_UNRECOGNIZED_SCHEME', 0x80072EE6, 'The URL scheme is not http or https.'],
  ['ERROR_WINHTTP_NAME_NOT_RESOLVED', 0x80072EE7, "The server name could not be resolved (DNS). Check the URL's host name, the DNS settings and the proxy; the service resolves names in its own context, not your shell's."],
  ['ERROR_WINHTTP_OPERATION_CANCELLED', 0x80072EF1, 'The HTTP request was cancelled (the job was suspended or cancelled meanwhile).'],
  ['ERROR_WINHTTP_LOGIN_FAILURE', 0x80072EEF, 'The server or proxy refused the credentials. Check the user name and password given to setCredentials.'],
  ['ERROR_WINHTTP_CANNOT_CONNECT', 0x80072EFD, 'Could not connect to the server: it is down, the port is closed or blocked by a firewall, or the proxy setting is wrong. Check the host, port and proxy (`netsh winhttp show proxy` for the system proxy).'],
  ['ERROR_WINHTTP_CONNECTION_ERROR', 0x80072EFE, 'The connection to the server was reset or closed unexpectedly (server, proxy or TLS inspection). Resume the job; check the proxy if it repeats.'],
  ['ERROR_INTERNET_CONNECTION_RESET', 0x80072EFF, 'The connection to the server was reset. Resume the job; check the proxy if it repeats.'],
  ['ERROR_WINHTTP_SECURE_CERT_DATE_INVALID', 0x80072F05, "The server's TLS certificate has expired or is not valid yet. Check the server's certificate and this computer's clock."],
  ['ERROR_WINHTTP_SECURE_CERT_CN_INVALID', 0x80072F06, "The server's TLS certificate is for another host name. Use the name the certificate was issued for."],
  ['ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED', 0x80072F0C, 'The server asks for a client certificate. Give one with setClientCertificateByName / ById.'],
  ['ERROR_WINHTTP_SECURE_INVALID_CA', 0x80072F0D, "The server's TLS certificate chain ends in an untrusted root. Install the issuing CA in the computer's trusted roots (the service checks with the machine store)."],
  ['ERROR_WINHTTP_SECURE_CERT_REV_FAILED', 0x80072F19, "The revocation of the server's certificate could not be checked (the CRL / OCSP server is unreachable)."],
  ['ERROR_WINHTTP_REDIRECT_FAILED', 0x80072F7C, 'A redirect could not be followed (for example from https to http, which the job\'s security flags forbid by default).'],
  ['ERROR_WINHTTP_INVALID_SERVER_RESPONSE', 0x80072F78, 'The server sent a response that is not valid HTTP.'],
  ['ERROR_WINHTTP_SECURE_CHANNEL_ERROR', 0x80072F7D, 'The TLS connection could not be set up (no common protocol version or cipher).'],
  ['ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT', 0x80072F86, 'The proxy auto-configuration (PAC) script has an error.'],
  ['ERROR_WINHTTP_UNABLE_TO_DOWNLOAD_SCRIPT', 0x80072F87, 'The proxy auto-configuration (PAC) script could not be downloaded.'],
  ['ERROR_WINHTTP_SECURE_INVALID_CERT', 0x80072F89, "The server's TLS certificate is not valid."],
  ['ERROR_WINHTTP_SECURE_CERT_REVOKED', 0x80072F8A, "The server's TLS certificate has been revoked."],
  ['ERROR_WINHTTP_SECURE_FAILURE', 0x80072F8F, "The TLS handshake failed: the server's certificate is not trusted, expired, for another name, or revoked (WinINet reads this number as ERROR_INTERNET_DECODING_FAILED)."],
  ['ERROR_WINHTTP_AUTO_PROXY_SERVICE_ERROR', 0x80072F92, 'The proxy auto-detection service failed.'],
  ['ERROR_WINHTTP_SECURE_CERT_WRONG_USAGE', 0x80072F93, "The server's TLS certificate is not meant for server authentication."],
  ['ERROR_WINHTTP_AUTODETECTION_FAILED', 0x80072F94, 'The proxy could not be detected automatically (WPAD). Set the proxy explicitly with setProxySettings.'],
];

/** Other names for codes in the tables (WinINet's for WinHTTP's numbers, winerror.h synonyms). */
const ALIASES: ReadonlyArray<readonly [alias: string, name: string]> = [
  ['ERROR_INTERNET_TIMEOUT', 'ERROR_WINHTTP_TIMEOUT'],
  ['ERROR_INTERNET_INTERNAL_ERROR', 'ERROR_WINHTTP_INTERNAL_ERROR'],
  ['ERROR_INTERNET_INVALID_URL', 'ERROR_WINHTTP_INVALID_URL'],
  ['ERROR_INTERNET_UNRECOGNIZED_SCHEME', 'ERROR_WINHTTP_UNRECOGNIZED_SCHEME'],
  ['ERROR_INTERNET_NAME_NOT_RESOLVED', 'ERROR_WINHTTP_NAME_NOT_RESOLVED'],
  ['ERROR_INTERNET_OPERATION_CANCELLED', 'ERROR_WINHTTP_OPERATION_CANCELLED'],
  ['ERROR_INTERNET_LOGIN_FAILURE', 'ERROR_WINHTTP_LOGIN_FAILURE'],
  ['ERROR_INTERNET_CANNOT_CONNECT', 'ERROR_WINHTTP_CANNOT_CONNECT'],
  ['ERROR_INTERNET_CONNECTION_ABORTED', 'ERROR_WINHTTP_CONNECTION_ERROR'],
  ['ERROR_INTERNET_SEC_CERT_DATE_INVALID', 'ERROR_WINHTTP_SECURE_CERT_DATE_INVALID'],
  ['ERROR_INTERNET_SEC_CERT_CN_INVALID', 'ERROR_WINHTTP_SECURE_CERT_CN_INVALID'],
  ['ERROR_INTERNET_CLIENT_AUTH_CERT_NEEDED', 'ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED'],
  ['ERROR_INTERNET_INVALID_CA', 'ERROR_WINHTTP_SECURE_INVALID_CA'],
  ['ERROR_INTERNET_SEC_CERT_REV_FAILED', 'ERROR_WINHTTP_SECURE_CERT_REV_FAILED'],
  ['ERROR_HTTP_INVALID_SERVER_RESPONSE', 'ERROR_WINHTTP_INVALID_SERVER_RESPONSE'],
  ['ERROR_HTTP_REDIRECT_FAILED', 'ERROR_WINHTTP_REDIRECT_FAILED'],
  ['ERROR_INTERNET_DECODING_FAILED', 'ERROR_WINHTTP_SECURE_FAILURE'],
  ['ERROR_ACCESS_DENIED', 'E_ACCESSDENIED'],
  ['ERROR_INVALID_PARAMETER', 'E_INVALIDARG'],
  ['ERROR_OUTOFMEMORY', 'E_OUTOFMEMORY'],
  ['ERROR_NOT_FOUND', 'E_NOT_SET'],
  ['ERROR_INVALID_STATE', 'E_NOT_VALID_STATE'],
];

/** BITS's HTTP codes: `BG_E_HTTP_ERROR_<status> = 0x80190000 + status`. */
const HTTP_ROWS: readonly Row[] = BITS_HTTP_STATUSES.map(
  (status): Row => [`BG_E_HTTP_ERROR_${status}`, (0x80190000 + status) >>> 0, httpStatusMessage(status)],
);

/** Named codes that are transient outside the DO zone and HTTP rules (see {@link isTransientHResult}). */
const TRANSIENT_NAMES: ReadonlySet<string> = new Set([
  'BG_E_NETWORK_DISCONNECTED',
  'BG_E_BLOCKED_BY_POLICY',
  'BG_E_BLOCKED_BY_COST_TRANSFER_POLICY',
  'BG_E_BLOCKED_BY_BATTERY_POLICY',
  'BG_E_BLOCKED_BY_BATTERY_SAVER',
  'BG_E_BLOCKED_BY_BACKGROUND_ACCESS_POLICY',
  'BG_E_BLOCKED_BY_GAME_MODE',
  'BG_E_BLOCKED_BY_SYSTEM_POLICY',
  'BG_E_STANDBY_MODE',
  'RPC_S_SERVER_UNAVAILABLE',
  'RPC_S_SERVER_TOO_BUSY',
  'RPC_S_CALL_FAILED',
  'RPC_S_CALL_FAILED_DNE',
  'RPC_S_UNKNOWN_IF',
  'RPC_E_TIMEOUT',
  'RPC_E_DISCONNECTED',
  'RPC_E_SERVER_DIED',
  'RPC_E_SERVER_DIED_DNE',
  'RPC_E_CALL_REJECTED',
  'RPC_E_SERVERCALL_RETRYLATER',
  'CO_E_OBJNOTCONNECTED',
  'CO_E_SERVER_STOPPING',
  'ERROR_NETNAME_DELETED',
  'ERROR_SEM_TIMEOUT',
  'ERROR_CONNECTION_REFUSED',
  'ERROR_NETWORK_UNREACHABLE',
  'ERROR_HOST_UNREACHABLE',
  'ERROR_CONNECTION_ABORTED',
  'ERROR_WINHTTP_TIMEOUT',
  'ERROR_WINHTTP_CANNOT_CONNECT',
  'ERROR_WINHTTP_CONNECTION_ERROR',
  'ERROR_INTERNET_CONNECTION_RESET',
]);

const TRANSIENT_VALUES: ReadonlySet<number> = new Set(
  [...DO_ROWS, ...BITS_ROWS, ...COM_ROWS, ...RPC_ROWS, ...WIN32_ROWS, ...WINHTTP_ROWS]
    .filter(([name]) => TRANSIENT_NAMES.has(name))
    .map(([, hr]) => hr),
);

/**
 * Whether retrying later may succeed without changing anything. The rule, for any value:
 * - it must be a failure (`hr < 0` as int32); success codes are never transient;
 * - Delivery Optimization's own rule `IS_DO_TRANSIENT_ERROR`: facility 208 and
 *   `(code & 0xF800) === 0x3800`, i.e. 0x80D03800–0x80D03FFF (DO pauses and retries by itself);
 * - BITS pauses: `BG_E_NETWORK_DISCONNECTED`, every `BG_E_BLOCKED_BY_*`, `BG_E_STANDBY_MODE`;
 * - the service went away or is busy: `RPC_S_SERVER_UNAVAILABLE`, `RPC_S_CALL_FAILED(_DNE)`,
 *   `RPC_E_DISCONNECTED`, `RPC_E_SERVER_DIED(_DNE)`, `RPC_E_CALL_REJECTED`,
 *   `RPC_E_SERVERCALL_RETRYLATER`, `CO_E_OBJNOTCONNECTED`, `CO_E_SERVER_STOPPING` (retry after
 *   re-creating the manager);
 * - HTTP (facility 25) statuses 408, 429, 500, 502, 503, 504, known to bitsmsg.h or not.
 */
export function isTransientHResult(hr: number): boolean {
  const u = hr >>> 0;
  if (!failed(u)) return false;
  const facility = facilityOf(u);
  if (facility === FACILITY_DELIVERY_OPTIMIZATION && (codeOf(u) & 0xf800) === 0x3800) return true;
  if (facility === FACILITY_HTTP) return TRANSIENT_HTTP_STATUSES.has(codeOf(u));
  return TRANSIENT_VALUES.has(u);
}

function toInfo(family: CodeFamily): (row: Row) => CodeInfo {
  return ([name, hresult, message]) =>
    Object.freeze({ name, hresult: hresult >>> 0, message, family, isTransient: isTransientHResult(hresult) });
}

/** Every known code, grouped by family in this order: DO, BITS, HTTP, COM, RPC, WIN32. */
export const CODES: readonly CodeInfo[] = Object.freeze([
  ...DO_ROWS.map(toInfo('DO')),
  ...BITS_ROWS.map(toInfo('BITS')),
  ...HTTP_ROWS.map(toInfo('HTTP')),
  ...COM_ROWS.map(toInfo('COM')),
  ...RPC_ROWS.map(toInfo('RPC')),
  ...WIN32_ROWS.map(toInfo('WIN32')),
  ...WINHTTP_ROWS.map(toInfo('WIN32')),
]);

const BY_HRESULT: ReadonlyMap<number, CodeInfo> = new Map(CODES.map((c) => [c.hresult, c]));
const BY_NAME: ReadonlyMap<string, CodeInfo> = new Map(CODES.map((c) => [c.name, c]));
const BY_ALIAS: ReadonlyMap<string, CodeInfo> = new Map(
  ALIASES.flatMap(([alias, name]) => {
    const info = BY_NAME.get(name);
    return info ? [[alias, info] as const] : [];
  }),
);

/** Every other name a table code goes by (WinINet's names, winerror.h synonyms), with the code it means. */
export const CODE_ALIASES: ReadonlyMap<string, CodeInfo> = BY_ALIAS;

/** The table entry for a value (signed or unsigned form), or undefined when it is not in the table. */
export function lookupHResult(hr: number): CodeInfo | undefined {
  return BY_HRESULT.get(hr >>> 0);
}

/**
 * The table entry for a symbolic name such as `DO_E_JOB_NOT_FOUND`, or for another name of the
 * same code (`ERROR_INTERNET_NAME_NOT_RESOLVED`, `ERROR_ACCESS_DENIED`), or undefined.
 */
export function lookupHResultByName(name: string): CodeInfo | undefined {
  return BY_NAME.get(name) ?? BY_ALIAS.get(name);
}

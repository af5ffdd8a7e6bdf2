/** The platform rows of the code table (src/errors/codes.ts): COM, RPC, Win32, WinHTTP, and other names. */
import type { Row } from './code-rows';

/** Common COM codes (winerror.h). */
export const COM_ROWS = [
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
  ['CRYPT_E_FILE_ERROR', 0x80092003, 'The service could not read the certificate it was given: the bytes are not a serialized certificate (DODownloadProperty_SecurityContext).'],
  ['E_NOT_VALID_STATE', 0x8007139F, 'The object is not in a valid state for this operation (HRESULT_FROM_WIN32(ERROR_INVALID_STATE)).'],
  ['REGDB_E_CLASSNOTREG', 0x80040154, 'The COM class is not registered on this computer. For Delivery Optimization this means Windows older than Windows 10 version 1709, or the component is missing.'],
  ['CO_E_NOTINITIALIZED', 0x800401F0, 'COM is not initialised on this thread: CoInitializeEx was not called.'],
  ['CO_E_OBJNOTCONNECTED', 0x800401FD, 'The object is no longer connected to its server. Create a new manager and fetch the job again by its ID.'],
  ['CO_E_SERVER_EXEC_FAILURE', 0x80080005, 'The COM server process failed to start. Check that the Delivery Optimization or BITS service can run.'],
  ['CO_E_SERVER_STOPPING', 0x80080008, 'The COM server is shutting down. Retry in a moment.'],
] as const satisfies readonly Row[];

/** RPC runtime codes (facility RPC, and RPC_S_* Win32 codes converted with HRESULT_FROM_WIN32). */
export const RPC_ROWS = [
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
  ['CO_E_FAILEDTOIMPERSONATE', 0x80010123, 'The server could not impersonate the caller: COM security on the client (CoInitializeSecurity) allows less than impersonate-level access to its token.'],
  ['RPC_S_UNKNOWN_IF', 0x800706B5, 'The server no longer knows the interface: the service is shutting down or was restarted. Connect again and retry.'],
  ['RPC_S_SERVER_UNAVAILABLE', 0x800706BA, 'The RPC server is unavailable: the Delivery Optimization or BITS service stopped or crashed. Check that the service is running, then retry.'],
  ['RPC_S_SERVER_TOO_BUSY', 0x800706BB, 'The RPC server is too busy, or went away while the call was connecting to it (the service stopped or crashed). Connect again and retry.'],
  ['RPC_S_CALL_FAILED', 0x800706BE, 'The remote call failed in transit (it may have run). Retry if the operation is safe to repeat.'],
  ['RPC_S_CALL_FAILED_DNE', 0x800706BF, 'The remote call failed in transit and did not run. Retry.'],
  ['RPC_S_PROCNUM_OUT_OF_RANGE', 0x800706D1, 'The server does not have the called method (the service is older than the interface expects).'],
  ['RPC_X_NULL_REF_POINTER', 0x800706F4, 'A null pointer was passed where the interface requires a reference; marshaling rejected the call.'],
] as const satisfies readonly Row[];

/**
 * Win32 errors converted with HRESULT_FROM_WIN32 that the API returns, and the file-system,
 * logon and network errors BITS and Delivery Optimization users meet most (winerror.h).
 */
export const WIN32_ROWS = [
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
] as const satisfies readonly Row[];

/**
 * WinHTTP (BITS's HTTP stack) and WinINet errors, 12000–12999, as HRESULT_FROM_WIN32. The two
 * share numbers for these; the name is WinHTTP's (ALIASES has WinINet's).
 */
export const WINHTTP_ROWS = [
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
  ['ERROR_WINHTTP_SECURE_CERT_DATE_INVALID', 0x80072F05, "The server's TLS certificate has expired or is not valid yet. Check this computer's clock, and have the server's certificate renewed. SecurityFlags.IgnoreCertDateInvalid (BG_SSL_IGNORE_CERT_DATE_INVALID) accepts it anyway, at a risk: an expired certificate may have been retired because its key leaked."],
  ['ERROR_WINHTTP_SECURE_CERT_CN_INVALID', 0x80072F06, "The server's TLS certificate was issued for another host name. Use the host name the certificate names (not an IP address or an alias). SecurityFlags.IgnoreCertCnInvalid (BG_SSL_IGNORE_CERT_CN_INVALID) accepts it anyway, at a risk: any server with a valid certificate for some other name could then stand in (man-in-the-middle)."],
  ['ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED', 0x80072F0C, 'The server asks for a client certificate. Give one with setClientCertificateByName / ById.'],
  ['ERROR_WINHTTP_SECURE_INVALID_CA', 0x80072F0D, "The server's TLS certificate chain ends in a root this computer does not trust (a self-signed certificate, a private CA, or a TLS-inspecting proxy). Install the issuing CA in the local machine's Trusted Root Certification Authorities store (the service checks the machine's stores, not your user's). SecurityFlags.IgnoreUnknownCa (BG_SSL_IGNORE_UNKNOWN_CA) accepts it anyway, at a risk: anyone can make such a certificate, so the connection is no longer protected against a man-in-the-middle."],
  ['ERROR_WINHTTP_SECURE_CERT_REV_FAILED', 0x80072F19, "The revocation of the server's certificate could not be checked (SecurityFlags.EnableCrlCheck is set and the CRL or OCSP server is unreachable). Let this computer reach the CRL distribution point the certificate names, or drop EnableCrlCheck, at a risk: a revoked certificate would then be accepted."],
  ['ERROR_WINHTTP_REDIRECT_FAILED', 0x80072F7C, 'A redirect could not be followed (for example from https to http, which the job\'s security flags forbid by default).'],
  ['ERROR_WINHTTP_INVALID_SERVER_RESPONSE', 0x80072F78, 'The server sent a response that is not valid HTTP.'],
  ['ERROR_WINHTTP_SECURE_CHANNEL_ERROR', 0x80072F7D, 'The TLS connection could not be set up (no common protocol version or cipher, or the server broke off the handshake). Check that the server offers TLS 1.2 or later; no security flag changes this.'],
  ['ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT', 0x80072F86, 'The proxy auto-configuration (PAC) script has an error.'],
  ['ERROR_WINHTTP_UNABLE_TO_DOWNLOAD_SCRIPT', 0x80072F87, 'The proxy auto-configuration (PAC) script could not be downloaded.'],
  ['ERROR_WINHTTP_SECURE_INVALID_CERT', 0x80072F89, "The server's TLS certificate is malformed or not valid. Have the server's certificate replaced; no security flag ignores this."],
  ['ERROR_WINHTTP_SECURE_CERT_REVOKED', 0x80072F8A, "The server's TLS certificate has been revoked by its issuer. Do not connect to it: have the server's certificate replaced; no security flag ignores this."],
  ['ERROR_WINHTTP_SECURE_FAILURE', 0x80072F8F, "The server's TLS certificate was refused: untrusted authority, another host name, expired, wrong usage or revoked (WinHTTP's summary code). Trust the issuing CA in the local machine's Trusted Root Certification Authorities store, and use the host name the certificate names; the SecurityFlags.Ignore* flags (BG_SSL_IGNORE_*) accept such a certificate at the risk of a man-in-the-middle. (WinINet reads this number as ERROR_INTERNET_DECODING_FAILED.)"],
  ['ERROR_WINHTTP_AUTO_PROXY_SERVICE_ERROR', 0x80072F92, 'The proxy auto-detection service failed.'],
  ['ERROR_WINHTTP_SECURE_CERT_WRONG_USAGE', 0x80072F93, "The server's TLS certificate is not meant for server authentication (its key usage says otherwise). Have a server-authentication certificate installed on the server. SecurityFlags.IgnoreCertWrongUsage (BG_SSL_IGNORE_CERT_WRONG_USAGE) accepts it anyway, at a risk: a certificate issued for another purpose (signing mail or code) would then identify a server."],
  ['ERROR_WINHTTP_AUTODETECTION_FAILED', 0x80072F94, 'The proxy could not be detected automatically (WPAD). Set the proxy explicitly with setProxySettings.'],
  ['ERROR_WINHTTP_SECURE_FAILURE_PROXY', 0x80072F9C, "The proxy's TLS certificate was refused. Trust the proxy's CA in the local machine's Trusted Root Certification Authorities store (a TLS-inspecting corporate proxy needs its CA there)."],
] as const satisfies readonly Row[];

/** Other names for codes in the tables (WinINet's for WinHTTP's numbers, winerror.h synonyms). */
export const ALIASES: ReadonlyArray<readonly [alias: string, name: string]> = [
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


/** BITS / Delivery Optimization enumerations and flags (values from bits*.h and the DO docs). */

/** BG_JOB_STATE. */
export enum JobState {
  /** Waiting to run. */
  Queued = 0,
  /** Connecting to the server. */
  Connecting = 1,
  /** Transferring data. */
  Transferring = 2,
  /** Paused (new jobs start here; `resume()` starts them). */
  Suspended = 3,
  /** Failed for good; `getError()` says why, `resume()` retries. */
  Error = 4,
  /** A recoverable error; the service retries after the retry delay. */
  TransientError = 5,
  /** Every file transferred; `complete()` gives the files their names. */
  Transferred = 6,
  /** Completed (final). */
  Acknowledged = 7,
  /** Cancelled (final). */
  Cancelled = 8,
}

/** BG_JOB_TYPE. Delivery Optimization knows only Download. */
export enum JobType {
  /** Downloads files. */
  Download = 0,
  /** Uploads one file. */
  Upload = 1,
  /** Uploads one file and receives a reply. */
  UploadReply = 2,
}

/** BG_JOB_PRIORITY. Delivery Optimization treats High, Normal and Low alike ("background"). */
export enum JobPriority {
  /** Runs in the foreground, at full speed. */
  Foreground = 0,
  /** Highest background priority. */
  High = 1,
  /** Normal background priority (the default). */
  Normal = 2,
  /** Lowest background priority. */
  Low = 3,
}

/** BG_ERROR_CONTEXT: where an error happened. */
export enum ErrorContext {
  /** No error. */
  None = 0,
  /** The context is not known. */
  Unknown = 1,
  /** The transfer queue manager. */
  GeneralQueueManager = 2,
  /** Running the notification program. */
  QueueManagerNotification = 3,
  /** The local file (disk, path, permissions). */
  LocalFile = 4,
  /** The remote file (HTTP errors, missing file). */
  RemoteFile = 5,
  /** The network transport (DNS, connection, TLS). */
  GeneralTransport = 6,
  /** The server application of an upload-reply job. */
  RemoteApplication = 7,
  /** The job's server-certificate validator rejected the certificate. */
  ServerCertificateCallback = 8,
}

/** BG_NOTIFY_* flags (a bit set). Note MODIFICATION is 8, not 4. */
export enum NotifyFlags {
  /** Notify when every file is transferred. */
  JobTransferred = 0x1,
  /** Notify when the job goes to ERROR. */
  JobError = 0x2,
  /** No notifications at all. */
  Disable = 0x4,
  /** Notify on every change (progress, state). */
  JobModification = 0x8,
  /** Notify per transferred file (IBackgroundCopyCallback2). */
  FileTransferred = 0x10,
  /** Notify per transferred range (IBackgroundCopyCallback3). */
  FileRangesTransferred = 0x20,
  /** Every flag above: the mask SetNotifyFlags accepts. */
  All = JobTransferred | JobError | Disable | JobModification | FileTransferred | FileRangesTransferred,
}

/** BG_COPY_FILE_* flags (IBackgroundCopyJob3::SetFileACLFlags): which parts of the ACL the files keep. */
export enum FileAclFlags {
  /** The owner. */
  Owner = 0x1,
  /** The group. */
  Group = 0x2,
  /** The discretionary ACL. */
  Dacl = 0x4,
  /** The system ACL. */
  Sacl = 0x8,
  /** BG_COPY_FILE_ALL. */
  All = Owner | Group | Dacl | Sacl,
}

/** BG_JOB_ENABLE_PEERCACHING_* and BG_JOB_DISABLE_BRANCH_CACHE (IBackgroundCopyJob4::SetPeerCachingFlags). */
export enum PeerCachingFlags {
  /** The job may download from peers. */
  EnableClient = 0x1,
  /** The job may serve its files to peers. */
  EnableServer = 0x2,
  /** No BranchCache for this job. */
  DisableBranchCache = 0x4,
  /** Every flag above. */
  All = EnableClient | EnableServer | DisableBranchCache,
}

/** BG_TOKEN_* (bits4_0.h, IBitsTokenOptions::SetHelperTokenFlags): what a job's helper token is used for. */
export enum HelperTokenFlags {
  /** Open, write and rename the job's local files with the helper token. */
  LocalFile = 0x1,
  /** Authenticate to servers and proxies with the helper token. */
  Network = 0x2,
  /** Every flag above. */
  All = LocalFile | Network,
}

/** BG_HTTP_REDIRECT_POLICY_*: one value in the bits of `Mask` of the security flags. */
export enum RedirectPolicy {
  /** Follow redirects silently (the default). */
  AllowSilent = 0x0,
  /** Follow redirects and report the final URL (IBackgroundCopyFile2::GetRemoteName). */
  AllowReport = 0x100,
  /** Fail the job on a redirect. */
  Disallow = 0x200,
  /** BG_HTTP_REDIRECT_POLICY_MASK: the bits that hold the policy. */
  Mask = 0x700,
}

/** BG_SSL_* and BG_HTTP_REDIRECT_POLICY_ALLOW_HTTPS_TO_HTTP (IBackgroundCopyJobHttpOptions::SetSecurityFlags), with a RedirectPolicy. */
export enum SecurityFlags {
  /** Check certificate revocation. */
  EnableCrlCheck = 0x1,
  /** Accept a certificate issued to another host name. */
  IgnoreCertCnInvalid = 0x2,
  /** Accept an expired or not yet valid certificate. */
  IgnoreCertDateInvalid = 0x4,
  /** Accept a certificate of an unknown authority. */
  IgnoreUnknownCa = 0x8,
  /** Accept a certificate made for another use. */
  IgnoreCertWrongUsage = 0x10,
  /** Follow a redirect from HTTPS to HTTP. */
  AllowHttpsToHttp = 0x800,
  /** Every flag above and the redirect policy bits: the mask SetSecurityFlags accepts. */
  All = EnableCrlCheck | IgnoreCertCnInvalid | IgnoreCertDateInvalid | IgnoreUnknownCa | IgnoreCertWrongUsage | RedirectPolicy.Mask | AllowHttpsToHttp,
}

/** BG_JOB_PROXY_USAGE (BITS only; not in the DO docs). */
export enum ProxyUsage {
  /** The system's proxy settings (the default). */
  Preconfig = 0,
  /** No proxy. */
  NoProxy = 1,
  /** The job's own proxy and bypass lists. */
  Override = 2,
  /** Detect the proxy automatically (WPAD). */
  AutoDetect = 3,
}

/** BG_AUTH_TARGET. */
export enum AuthTarget {
  /** The server asks for the credentials. */
  Server = 1,
  /** The proxy asks for the credentials. */
  Proxy = 2,
}

/** BG_AUTH_SCHEME. */
export enum AuthScheme {
  /** HTTP Basic (the password travels base64-encoded: use HTTPS). */
  Basic = 1,
  /** HTTP Digest. */
  Digest = 2,
  /** NTLM. */
  Ntlm = 3,
  /** Negotiate (Kerberos or NTLM). */
  Negotiate = 4,
  /** Passport (legacy). */
  Passport = 5,
}

/** BG_CERT_STORE_LOCATION. */
export enum CertStoreLocation {
  /** The current user's store. */
  CurrentUser = 0,
  /** The machine's store. */
  LocalMachine = 1,
  /** The current service's store. */
  CurrentService = 2,
  /** A service's store. */
  Services = 3,
  /** A user's store. */
  Users = 4,
  /** The current user's group-policy store. */
  CurrentUserGroupPolicy = 5,
  /** The machine's group-policy store. */
  LocalMachineGroupPolicy = 6,
  /** The machine's enterprise store. */
  LocalMachineEnterprise = 7,
}

/** BITS_JOB_PROPERTY_ID. Delivery Optimization supports only CostFlags and NotificationClsid. */
export enum JobPropertyId {
  /** When the job may transfer (a TransferPolicy value). */
  CostFlags = 1,
  /** COM class the service activates for notifications. */
  NotificationClsid = 2,
  /** The content is generated on the fly (no size, no ranges). */
  DynamicContent = 3,
  /** Use more bandwidth (foreground-like background job). */
  HighPerformance = 4,
  /** Largest download the job accepts, in bytes. */
  MaxDownloadSize = 5,
  /** Which stored credentials the job may use. */
  UseStoredCredentials = 7,
  /** Shortest interval between progress notifications. */
  MinimumNotificationIntervalMs = 9,
  /** Download ranges on demand (IBackgroundCopyFile6). */
  OnDemandMode = 10,
}

/** BITS_COST_STATE_* bits: the network costs a job may transfer on (JobPropertyId.CostFlags; TransferPolicy names common sets). */
export enum CostFlags {
  /** Unrestricted (flat-rate) network. */
  Unrestricted = 0x1,
  /** Capped network, usage unknown. */
  CappedUsageUnknown = 0x2,
  /** Capped network, below the cap. */
  BelowCap = 0x4,
  /** Capped network, near the cap. */
  NearCap = 0x8,
  /** Over the cap, charged. */
  OvercapCharged = 0x10,
  /** Over the cap, throttled. */
  OvercapThrottled = 0x20,
  /** Charged by usage. */
  UsageBased = 0x40,
  /** Roaming. */
  Roaming = 0x80,
  /** Transfer even when the network is congested. */
  IgnoreCongestion = 0x80000000,
  /** Every bit above (BITS_COST_STATE_* and IGNORE_CONGESTION); written out, as `|` would make it negative. */
  All = 0x800000ff,
}

/** BITS_JOB_TRANSFER_POLICY: values of JobPropertyId.CostFlags. */
export enum TransferPolicy {
  /** Transfer on any network, whatever it costs. */
  Always = 0x800000ff,
  /** Not while roaming. */
  NotRoaming = 0x8000007f,
  /** Not where the transfer costs extra. */
  NoSurcharge = 0x8000006f,
  /** The default: not on costly or constrained networks. */
  Standard = 0x80000067,
  /** Only on unrestricted (flat-rate) networks. */
  Unrestricted = 0x80000021,
}

/** BITS_FILE_PROPERTY_ID. */
export enum FilePropertyId {
  /** The file's HTTP response headers. */
  HttpResponseHeaders = 1,
}

/** BG_JOB_ENUM_ALL_USERS. */
export const ENUM_ALL_USERS = 0x1;

/** DownloadMode (DO docs). */
export enum DownloadMode {
  /** HTTP only, no peering. */
  CdnOnly = 0,
  /** Peers on the same network. */
  Lan = 1,
  /** Peers in the same group. */
  Group = 2,
  /** Peers on the internet too. */
  Internet = 3,
  /** Simple mode: no peering service. */
  Simple = 99,
  /** Bypass Delivery Optimization (BITS does the download). */
  Bypass = 100,
}

/** SwarmStatus (DO docs). */
export enum SwarmStatus {
  /** Downloading. */
  Downloading = 0,
  /** Complete. */
  Complete = 1,
  /** Complete and caching for peers. */
  Caching = 2,
  /** Paused. */
  Paused = 3,
}

/** A member's name in the SDK's style: `TransientError` → `TRANSIENT_ERROR`; `<prefix>_<n>` if unknown. */
export function enumMemberName(enumObject: Record<number, string>, value: number, prefix: string): string {
  const name = enumObject[value];
  return name ? name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase() : `${prefix}_${value}`;
}

/** A job state's readable name: `'TRANSFERRING'`, `'TRANSIENT_ERROR'` … (`STATE_<n>` if unknown). */
export function stateName(state: JobState): string {
  return enumMemberName(JobState, state, 'STATE');
}

/** True for states a job never leaves. */
export function isFinalState(state: JobState): boolean {
  return state === JobState.Acknowledged || state === JobState.Cancelled;
}

/**
 * True for states a job does not leave without its owner: the final ones, TRANSFERRED (complete it)
 * and ERROR (resume or cancel it). `watch`, `download` and the CLI's follow stop there.
 */
export function isFinishedState(state: JobState): boolean {
  return state === JobState.Transferred || state === JobState.Error || isFinalState(state);
}

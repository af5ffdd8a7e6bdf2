/** BITS / Delivery Optimization enumerations and flags (values from bits*.h and the DO docs). */

/** BG_JOB_STATE. */
export enum JobState {
  Queued = 0,
  Connecting = 1,
  Transferring = 2,
  Suspended = 3,
  Error = 4,
  TransientError = 5,
  Transferred = 6,
  Acknowledged = 7,
  Cancelled = 8,
}

/** BG_JOB_TYPE. Delivery Optimization knows only Download. */
export enum JobType {
  Download = 0,
  Upload = 1,
  UploadReply = 2,
}

/** BG_JOB_PRIORITY. Delivery Optimization treats High, Normal and Low alike ("background"). */
export enum JobPriority {
  Foreground = 0,
  High = 1,
  Normal = 2,
  Low = 3,
}

/** BG_ERROR_CONTEXT: where an error happened. */
export enum ErrorContext {
  None = 0,
  Unknown = 1,
  GeneralQueueManager = 2,
  QueueManagerNotification = 3,
  LocalFile = 4,
  RemoteFile = 5,
  GeneralTransport = 6,
  RemoteApplication = 7,
  ServerCertificateCallback = 8,
}

/** BG_NOTIFY_* flags (a bit set). Note MODIFICATION is 8, not 4. */
export enum NotifyFlags {
  JobTransferred = 0x1,
  JobError = 0x2,
  Disable = 0x4,
  JobModification = 0x8,
  FileTransferred = 0x10,
  FileRangesTransferred = 0x20,
}

/** BG_JOB_PROXY_USAGE (BITS only; not in the DO docs). */
export enum ProxyUsage {
  Preconfig = 0,
  NoProxy = 1,
  Override = 2,
  AutoDetect = 3,
}

/** BG_AUTH_TARGET. */
export enum AuthTarget {
  Server = 1,
  Proxy = 2,
}

/** BG_AUTH_SCHEME. */
export enum AuthScheme {
  Basic = 1,
  Digest = 2,
  Ntlm = 3,
  Negotiate = 4,
  Passport = 5,
}

/** BG_CERT_STORE_LOCATION. */
export enum CertStoreLocation {
  CurrentUser = 0,
  LocalMachine = 1,
  CurrentService = 2,
  Services = 3,
  Users = 4,
  CurrentUserGroupPolicy = 5,
  LocalMachineGroupPolicy = 6,
  LocalMachineEnterprise = 7,
}

/** BITS_JOB_PROPERTY_ID. Delivery Optimization supports only CostFlags and NotificationClsid. */
export enum JobPropertyId {
  CostFlags = 1,
  NotificationClsid = 2,
  DynamicContent = 3,
  HighPerformance = 4,
  MaxDownloadSize = 5,
  UseStoredCredentials = 7,
  MinimumNotificationIntervalMs = 9,
  OnDemandMode = 10,
}

/** BITS_JOB_TRANSFER_POLICY: values of JobPropertyId.CostFlags. */
export enum TransferPolicy {
  Always = 0x800000ff,
  NotRoaming = 0x8000007f,
  NoSurcharge = 0x8000006f,
  Standard = 0x80000067,
  Unrestricted = 0x80000021,
}

/** BITS_FILE_PROPERTY_ID. */
export enum FilePropertyId {
  HttpResponseHeaders = 1,
}

/** BG_JOB_ENUM_ALL_USERS. */
export const ENUM_ALL_USERS = 0x1;

/** DownloadMode (DO docs). */
export enum DownloadMode {
  CdnOnly = 0,
  Lan = 1,
  Group = 2,
  Internet = 3,
  Simple = 99,
  Bypass = 100,
}

/** SwarmStatus (DO docs). */
export enum SwarmStatus {
  Downloading = 0,
  Complete = 1,
  Caching = 2,
  Paused = 3,
}

/** A member's name in the SDK's style: `TransientError` → `TRANSIENT_ERROR`; `<prefix>_<n>` if unknown. */
export function enumMemberName(enumObject: Record<number, string>, value: number, prefix: string): string {
  const name = enumObject[value];
  return name ? name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase() : `${prefix}_${value}`;
}

/** True for states a job never leaves. */
export function isFinalState(state: JobState): boolean {
  return state === JobState.Acknowledged || state === JobState.Cancelled;
}

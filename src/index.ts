/**
 * delivery-optimization: Windows Delivery Optimization and BITS from JavaScript, through COM,
 * with no native build. Importing this module loads no native code.
 */
export * from './api';
export {
  JobState, JobType, JobPriority, ErrorContext, NotifyFlags, ProxyUsage, AuthTarget, AuthScheme, CertStoreLocation,
  JobPropertyId, TransferPolicy, FilePropertyId, DownloadMode, SwarmStatus, isFinalState,
  FileAclFlags, PeerCachingFlags, SecurityFlags, RedirectPolicy, CostFlags,
} from './bits';
export { HelperTokenFlags } from './bits';
export type { JobProgress, JobTimes, FileProgress, FileRange, ReplyProgress, SwarmStats } from './bits';
export { DODownloadState, DODownloadCostPolicy, DODownloadProperty, DO_LENGTH_TO_EOF } from './ido';
export type { DownloadRange, PropertyValue, PropertyTypes } from './ido';
export * from './errors';
export { formatHResult, parseHResult, failed, succeeded, hresultFromWin32, facilityOf } from './com/hresult';

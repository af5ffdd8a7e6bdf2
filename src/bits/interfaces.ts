/**
 * The BITS / Delivery Optimization interface tables, in vtable order (bits.h … bits10_3.h).
 * Delivery Optimization's BITS-style API reuses these IIDs, so its client-side proxies have these
 * exact layouts, including methods DO does not document.
 */
import { $, defineInterface, IUnknown, pointerIn, variantOut } from '../com';
import {
  BG_AUTH_CREDENTIALS, BG_FILE_INFO, BG_FILE_PROGRESS_SIZE, BG_FILE_RANGE, BG_JOB_PROGRESS_SIZE, BG_JOB_REPLY_PROGRESS_SIZE,
  BG_JOB_TIMES_SIZE, BITS_JOB_PROPERTY_VALUE, decodeFileProgress, decodeJobProgress, decodeJobTimes, decodeReplyProgress,
  decodeSwarmStats, readFileRanges, swarmStatsSize, type JobPropertyValueWire,
} from './structs';
import { koffi } from '../com';
import type { AuthScheme, AuthTarget, CertStoreLocation, ErrorContext, FilePropertyId, JobPriority, JobPropertyId, JobState, JobType, ProxyUsage } from './enums';

/** Wire form of a BG_FILE_INFO element. */
export interface FileInfoWire {
  RemoteName: string;
  LocalName: string;
}

/** Wire form of a BG_FILE_RANGE element. */
export interface FileRangeWire {
  InitialOffset: bigint;
  Length: bigint;
}

/** Wire form of BG_AUTH_CREDENTIALS (basic credentials; the only union member). */
export interface AuthCredentialsWire {
  Target: number;
  Scheme: number;
  UserName: string | null;
  Password: string | null;
}

const fileInfoArray = $.array<FileInfoWire>(BG_FILE_INFO);
const fileRangeArray = $.array<FileRangeWire>(BG_FILE_RANGE);
const authCredentials = pointerIn<AuthCredentialsWire>(() => koffi().pointer(BG_AUTH_CREDENTIALS()), (v) => v);
const jobPropertyValue = $.byValue<JobPropertyValueWire>(BITS_JOB_PROPERTY_VALUE, (v) => v);
/** BITS_FILE_PROPERTY_VALUE is pointer-sized and passed by value: on the wire it is the LPWSTR. */
const filePropertyValue = $.wstr;

const jobProgress = $.out.struct(BG_JOB_PROGRESS_SIZE, decodeJobProgress);
const jobTimes = $.out.struct(BG_JOB_TIMES_SIZE, decodeJobTimes);
const fileProgress = $.out.struct(BG_FILE_PROGRESS_SIZE, decodeFileProgress);
const replyProgress = $.out.struct(BG_JOB_REPLY_PROGRESS_SIZE, decodeReplyProgress);
/** A 16-byte BITS_JOB_PROPERTY_VALUE, returned raw: its meaning depends on the property id. */
const jobPropertyOut = $.out.struct(16, (b) => Buffer.from(b));

export const IBackgroundCopyFile = defineInterface('IBackgroundCopyFile', '01b7bd23-fb88-4a77-8490-5891d3e4653a', IUnknown, {
  GetRemoteName: [$.out.wstr],
  GetLocalName: [$.out.wstr],
  GetProgress: [fileProgress],
});

export const IBackgroundCopyFile2 = defineInterface('IBackgroundCopyFile2', '83e81b93-0873-474d-8a8c-f2018b1a939c', IBackgroundCopyFile, {
  /** (DWORD *RangeCount, BG_FILE_RANGE **Ranges): S_FALSE with 0 / NULL when there are no ranges. */
  GetFileRanges: [$.out.array(readFileRanges)],
  SetRemoteName: [$.wstr],
});

export const IBackgroundCopyFile3 = defineInterface('IBackgroundCopyFile3', '659cdeaa-489e-11d9-a9cd-000d56965251', IBackgroundCopyFile2, {
  GetTemporaryName: [$.out.wstr],
  SetValidationState: [$.bool],
  GetValidationState: [$.out.bool],
  IsDownloadedFromPeer: [$.out.bool],
});

export const IBackgroundCopyFile4 = defineInterface('IBackgroundCopyFile4', 'ef7e0655-7888-4960-b0e5-730846e03492', IBackgroundCopyFile3, {
  GetPeerDownloadStats: [$.out.u64, $.out.u64],
});

/** DO's docs say it inherits IUnknown; the SDK (and therefore the proxy) says IBackgroundCopyFile4. */
export const IBackgroundCopyFile5 = defineInterface('IBackgroundCopyFile5', '85c1657f-dafc-40e8-8834-df18ea25717e', IBackgroundCopyFile4, {
  SetProperty: [$.enum<FilePropertyId>(), filePropertyValue],
  GetProperty: [$.enum<FilePropertyId>(), $.out.wstr],
});

export const IBackgroundCopyFile6 = defineInterface('IBackgroundCopyFile6', 'cf6784f7-d677-49fd-9368-cb47aee9d1ad', IBackgroundCopyFile5, {
  UpdateDownloadPosition: [$.u64],
  RequestFileRanges: [fileRangeArray],
  GetFilledFileRanges: [$.out.array(readFileRanges)],
});

export const IBackgroundCopyError = defineInterface('IBackgroundCopyError', '19c613a0-fcb8-4f28-81ae-897c3d078f81', IUnknown, {
  GetError: [$.out.enum<ErrorContext>(), $.out.i32],
  GetFile: [$.out.iface],
  GetErrorDescription: [$.u32, $.out.wstr],
  GetErrorContextDescription: [$.u32, $.out.wstr],
  GetProtocol: [$.out.wstr],
});

/** IEnumBackgroundCopyFiles and IEnumBackgroundCopyJobs share this shape. */
const enumeratorMethods = {
  /** (ULONG celt, T **rgelt, ULONG *pceltFetched): rgelt is a caller Buffer of celt pointers. */
  Next: [$.u32, $.ptr, $.out.optional($.out.u32)],
  Skip: [$.u32],
  Reset: [],
  Clone: [$.out.iface],
  GetCount: [$.out.u32],
} as const;

export const IEnumBackgroundCopyFiles = defineInterface('IEnumBackgroundCopyFiles', 'ca51e165-c365-424c-8d41-24aaa4ff3c40', IUnknown, enumeratorMethods);
export const IEnumBackgroundCopyJobs = defineInterface('IEnumBackgroundCopyJobs', '1af4f612-3b71-466f-8f58-7b6f73ac57ad', IUnknown, enumeratorMethods);

/** All 35 slots. */
export const IBackgroundCopyJob = defineInterface('IBackgroundCopyJob', '37668d37-507e-4160-9316-26306d150b12', IUnknown, {
  AddFileSet: [fileInfoArray],
  AddFile: [$.wstr, $.wstr],
  EnumFiles: [$.out.iface],
  Suspend: [],
  Resume: [],
  Cancel: [],
  Complete: [],
  GetId: [$.out.guid],
  GetType: [$.out.enum<JobType>()],
  GetProgress: [jobProgress],
  GetTimes: [jobTimes],
  GetState: [$.out.enum<JobState>()],
  GetError: [$.out.iface],
  GetOwner: [$.out.wstr],
  SetDisplayName: [$.wstr],
  GetDisplayName: [$.out.wstr],
  SetDescription: [$.wstr],
  GetDescription: [$.out.wstr],
  SetPriority: [$.enum<JobPriority>()],
  GetPriority: [$.out.enum<JobPriority>()],
  SetNotifyFlags: [$.u32],
  GetNotifyFlags: [$.out.u32],
  SetNotifyInterface: [$.ptr],
  GetNotifyInterface: [$.out.iface],
  SetMinimumRetryDelay: [$.u32],
  GetMinimumRetryDelay: [$.out.u32],
  SetNoProgressTimeout: [$.u32],
  GetNoProgressTimeout: [$.out.u32],
  GetErrorCount: [$.out.u32],
  SetProxySettings: [$.enum<ProxyUsage>(), $.wstr, $.wstr],
  GetProxySettings: [$.out.enum<ProxyUsage>(), $.out.wstr, $.out.wstr],
  TakeOwnership: [],
});

export const IBackgroundCopyJob2 = defineInterface('IBackgroundCopyJob2', '54b50739-686f-45eb-9dff-d6a9a0faa9af', IBackgroundCopyJob, {
  SetNotifyCmdLine: [$.wstr, $.wstr],
  GetNotifyCmdLine: [$.out.wstr, $.out.wstr],
  GetReplyProgress: [replyProgress],
  /** (byte **ppBuffer, UINT64 *pLength): the buffer is CoTaskMem, freed by the caller. */
  GetReplyData: [$.out.mem, $.out.u64],
  SetReplyFileName: [$.wstr],
  GetReplyFileName: [$.out.wstr],
  SetCredentials: [authCredentials],
  RemoveCredentials: [$.enum<AuthTarget>(), $.enum<AuthScheme>()],
});

export const IBackgroundCopyJob3 = defineInterface('IBackgroundCopyJob3', '443c8934-90ff-48ed-bcde-26f5c7450042', IBackgroundCopyJob2, {
  ReplaceRemotePrefix: [$.wstr, $.wstr],
  AddFileWithRanges: [$.wstr, $.wstr, fileRangeArray],
  SetFileACLFlags: [$.u32],
  GetFileACLFlags: [$.out.u32],
});

export const IBackgroundCopyJob4 = defineInterface('IBackgroundCopyJob4', '659cdeae-489e-11d9-a9cd-000d56965251', IBackgroundCopyJob3, {
  SetPeerCachingFlags: [$.u32],
  GetPeerCachingFlags: [$.out.u32],
  GetOwnerIntegrityLevel: [$.out.u32],
  GetOwnerElevationState: [$.out.bool],
  SetMaximumDownloadTime: [$.u32],
  GetMaximumDownloadTime: [$.out.u32],
});

/** DO's docs say it inherits IBackgroundCopyJob; the SDK (and the proxy) says Job4: slots 53, 54. */
export const IBackgroundCopyJob5 = defineInterface('IBackgroundCopyJob5', 'e847030c-bbba-4657-af6d-484aa42bf1fe', IBackgroundCopyJob4, {
  SetProperty: [$.enum<JobPropertyId>(), jobPropertyValue],
  GetProperty: [$.enum<JobPropertyId>(), jobPropertyOut],
});

export const IBackgroundCopyJobHttpOptions = defineInterface('IBackgroundCopyJobHttpOptions', 'f1bd1079-9f01-4bdc-8036-f09b70095066', IUnknown, {
  /** (location, store name, 20-byte SHA-1 hash Buffer). */
  SetClientCertificateByID: [$.enum<CertStoreLocation>(), $.wstr, $.ptr],
  SetClientCertificateByName: [$.enum<CertStoreLocation>(), $.wstr, $.wstr],
  RemoveClientCertificate: [],
  /** (location, store name, hash blob (CoTaskMem), subject name). */
  GetClientCertificate: [$.out.enum<CertStoreLocation>(), $.out.wstr, $.out.mem, $.out.wstr],
  SetCustomHeaders: [$.wstr],
  GetCustomHeaders: [$.out.wstr],
  SetSecurityFlags: [$.u32],
  GetSecurityFlags: [$.out.u32],
});

/** bits10_2.h (Windows 10 1803): the HTTP verb of the job's requests. */
export const IBackgroundCopyJobHttpOptions2 = defineInterface('IBackgroundCopyJobHttpOptions2', 'b591a192-a405-4fc3-8323-4c5c542578fc', IBackgroundCopyJobHttpOptions, {
  SetHttpMethod: [$.wstr],
  GetHttpMethod: [$.out.wstr],
});

/** bits10_3.h (Windows 10 1809): a server-certificate check of our own, and headers nobody can read back. */
export const IBackgroundCopyJobHttpOptions3 = defineInterface('IBackgroundCopyJobHttpOptions3', '8a9263d3-fd4c-4eda-9b28-30132a4d4e3c', IBackgroundCopyJobHttpOptions2, {
  /** (IUnknown* of an IBackgroundCopyServerCertificateValidationCallback, or null to remove it). */
  SetServerCertificateValidationInterface: [$.ptr],
  MakeCustomHeadersWriteOnly: [],
});

/**
 * bits10_3.h: implemented in JS (src/api/certificate-validation.ts). (job, file, certLength,
 * certData, certEncodingType, certStoreLength, certStoreData); the pointers are borrowed.
 */
export const IBackgroundCopyServerCertificateValidationCallback = defineInterface('IBackgroundCopyServerCertificateValidationCallback', '4cec0d02-def7-4158-813a-c32a46945ff7', IUnknown, {
  ValidateServerCertificate: [$.ptr, $.ptr, $.u32, $.ptr, $.u32, $.u32, $.ptr],
});

/** IBackgroundCopyCallback: implemented in JS (src/api/notifications.ts). */
export const IBackgroundCopyCallback = defineInterface('IBackgroundCopyCallback', '97ea99c7-0186-4ad4-8df9-c5b4e0ed6b22', IUnknown, {
  JobTransferred: [$.ptr],
  JobError: [$.ptr, $.ptr],
  JobModification: [$.ptr, $.u32],
});

export const IBackgroundCopyCallback2 = defineInterface('IBackgroundCopyCallback2', '659cdeac-489e-11d9-a9cd-000d56965251', IBackgroundCopyCallback, {
  FileTransferred: [$.ptr, $.ptr],
});

export const IBackgroundCopyManager = defineInterface('IBackgroundCopyManager', '5ce34c0d-0dc9-4c1f-897c-daa1b78cee7c', IUnknown, {
  CreateJob: [$.wstr, $.enum<JobType>(), $.out.guid, $.out.iface],
  GetJob: [$.guid, $.out.iface],
  EnumJobs: [$.u32, $.out.iface],
  GetErrorDescription: [$.i32, $.u32, $.out.wstr],
});

// Delivery Optimization only. No header, IDL or metadata is public: the slot order below comes from
// the DO documentation tables and is UNCONFIRMED (see docs/architecture.md).

/** UNCONFIRMED slot order. */
export const IDeliveryOptimizationJob = defineInterface('IDeliveryOptimizationJob', 'ee2584cf-a69c-4848-b633-2649962b3ef7', IUnknown, {
  /** (fileId, remoteUrl, localName, rangeCount + ranges, fileSize). */
  AddFileWithRanges: [$.wstr, $.wstr, $.wstr, fileRangeArray, $.u64],
});

/** UNCONFIRMED slot order. */
export const IDeliveryOptimizationJob2 = defineInterface('IDeliveryOptimizationJob2', '18995a26-bf59-4abe-9f8b-d5092d5a2405', IUnknown, {
  /** (fileId, remoteUrl, rangeCount + ranges, riid, object). */
  AddFile: [$.wstr, $.wstr, fileRangeArray, $.guid, $.out.iface],
  GetProperty: [$.u32, variantOut],
  SetProperty: [$.u32, $.ptr],
});

/** UNCONFIRMED: a third-party reimplementation calls GetStats through slot 4, not 3. */
export const IDeliveryOptimizationFile = defineInterface('IDeliveryOptimizationFile', 'b76b9699-e99e-4101-803f-a20e325d93e2', IUnknown, {
  GetStats: [$.out.struct(swarmStatsSize, decodeSwarmStats)],
});

/** UNCONFIRMED slot order. */
export const IDeliveryOptimizationFile2 = defineInterface('IDeliveryOptimizationFile2', '3a87296f-6ec2-4126-ab29-e3f8dc4cc390', IUnknown, {
  GetProperty: [$.u32, variantOut],
  SetProperty: [$.u32, $.ptr],
});

/** Every table, for tests and documentation. */
export const ALL_INTERFACES = [
  IBackgroundCopyManager, IBackgroundCopyJob, IBackgroundCopyJob2, IBackgroundCopyJob3, IBackgroundCopyJob4, IBackgroundCopyJob5,
  IBackgroundCopyJobHttpOptions, IBackgroundCopyJobHttpOptions2, IBackgroundCopyJobHttpOptions3, IBackgroundCopyFile, IBackgroundCopyFile2, IBackgroundCopyFile3, IBackgroundCopyFile4,
  IBackgroundCopyFile5, IBackgroundCopyFile6, IBackgroundCopyError, IEnumBackgroundCopyFiles, IEnumBackgroundCopyJobs,
  IBackgroundCopyCallback, IBackgroundCopyCallback2, IBackgroundCopyServerCertificateValidationCallback, IDeliveryOptimizationJob, IDeliveryOptimizationJob2,
  IDeliveryOptimizationFile, IDeliveryOptimizationFile2,
] as const;

/**
 * bits10_1.h: IBackgroundCopyCallback2 plus FileRangesTransferred (job, file, rangeCount, ranges).
 * Served by the notification server (src/api/notification-server.ts), which answers it S_OK.
 */
export const IBackgroundCopyCallback3 = defineInterface('IBackgroundCopyCallback3', '98c97bd2-e32b-4ad8-a528-95fd8b16bd42', IBackgroundCopyCallback2, {
  FileRangesTransferred: [$.ptr, $.ptr, fileRangeArray],
});

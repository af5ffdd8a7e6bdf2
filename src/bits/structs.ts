/**
 * BITS structures: koffi declarations, and decoders that read caller-allocated out-structs
 * through them (koffi.decode). The pointer-free ones have one layout on x64 and x86 Windows (8-byte
 * integers are 8-aligned on both), so koffi on either host gives the target's. DOSwarmStats holds
 * two strings: declared with address-sized integers of the target, koffi lays it out for either.
 */
import { koffi, lazyType, pointerSize, readWideString, fileTimeFromTicks, takeCoTaskMem, UINT64_MAX, type KoffiType, type OutContext } from '../com';
import type { DownloadMode, SwarmStatus } from './enums';

/** BG_SIZE_UNKNOWN → null. */
function size(value: bigint): bigint | null {
  return value === UINT64_MAX ? null : value;
}

/** koffi decodes a 64-bit integer as a number up to 2^53 and as a bigint beyond: either is exact. */
function u64(value: number | bigint): bigint {
  return BigInt(value);
}

/** FILETIME { DWORD dwLowDateTime; DWORD dwHighDateTime; }: 4-aligned, unlike a UINT64. */
interface FileTimeWire {
  dwLowDateTime: number;
  dwHighDateTime: number;
}
const FILETIME = lazyType('FILETIME', () => koffi().struct('FILETIME', { dwLowDateTime: 'uint32_t', dwHighDateTime: 'uint32_t' }));

function fileTime(t: FileTimeWire): Date | null {
  return fileTimeFromTicks((BigInt(t.dwHighDateTime) << 32n) | BigInt(t.dwLowDateTime));
}

/** A caller-allocated out-struct, read through its koffi declaration. */
function decodeAs<T>(b: Buffer, type: () => unknown): T {
  return koffi().decode(b, type() as never) as T;
}

export const BG_JOB_PROGRESS = lazyType('BG_JOB_PROGRESS', () =>
  koffi().struct('BG_JOB_PROGRESS', { BytesTotal: 'uint64_t', BytesTransferred: 'uint64_t', FilesTotal: 'uint32_t', FilesTransferred: 'uint32_t' }));
export const BG_JOB_TIMES = lazyType('BG_JOB_TIMES', () =>
  koffi().struct('BG_JOB_TIMES', { CreationTime: FILETIME(), ModificationTime: FILETIME(), TransferCompletionTime: FILETIME() }));
export const BG_FILE_PROGRESS = lazyType('BG_FILE_PROGRESS', () =>
  koffi().struct('BG_FILE_PROGRESS', { BytesTotal: 'uint64_t', BytesTransferred: 'uint64_t', Completed: 'int32_t' }));
export const BG_JOB_REPLY_PROGRESS = lazyType('BG_JOB_REPLY_PROGRESS', () =>
  koffi().struct('BG_JOB_REPLY_PROGRESS', { BytesTotal: 'uint64_t', BytesTransferred: 'uint64_t' }));

type U64 = number | bigint;

/** BG_JOB_PROGRESS: bytes and files of a job. */
export interface JobProgress {
  /** null while the size is unknown (BG_SIZE_UNKNOWN); Wine never learns it for the job. */
  readonly bytesTotal: bigint | null;
  /** Bytes transferred so far. */
  readonly bytesTransferred: bigint;
  /** Files in the job. */
  readonly filesTotal: number;
  /** Files fully transferred. */
  readonly filesTransferred: number;
}

/** BG_JOB_PROGRESS, 24 bytes. */
export const BG_JOB_PROGRESS_SIZE = 24;
export function decodeJobProgress(b: Buffer): JobProgress {
  const s = decodeAs<{ BytesTotal: U64; BytesTransferred: U64; FilesTotal: number; FilesTransferred: number }>(b, BG_JOB_PROGRESS);
  return { bytesTotal: size(u64(s.BytesTotal)), bytesTransferred: u64(s.BytesTransferred), filesTotal: s.FilesTotal, filesTransferred: s.FilesTransferred };
}

/** BG_JOB_TIMES (null where the service reports no time). */
export interface JobTimes {
  /** When the job was created. */
  readonly created: Date | null;
  /** When the job was last changed. */
  readonly modified: Date | null;
  /** null until the job reached TRANSFERRED. */
  readonly transferCompleted: Date | null;
}

/** BG_JOB_TIMES, 24 bytes, 4-aligned (three FILETIMEs). */
export const BG_JOB_TIMES_SIZE = 24;
export function decodeJobTimes(b: Buffer): JobTimes {
  const s = decodeAs<{ CreationTime: FileTimeWire; ModificationTime: FileTimeWire; TransferCompletionTime: FileTimeWire }>(b, BG_JOB_TIMES);
  return { created: fileTime(s.CreationTime), modified: fileTime(s.ModificationTime), transferCompleted: fileTime(s.TransferCompletionTime) };
}

/** BG_FILE_PROGRESS of one file. */
export interface FileProgress {
  /** Declared size, or null while unknown. */
  readonly bytesTotal: bigint | null;
  /** Bytes received. */
  readonly bytesTransferred: bigint;
  /** The file is fully transferred. */
  readonly completed: boolean;
}

/** BG_FILE_PROGRESS, 24 bytes (BOOL then 4 bytes of padding). */
export const BG_FILE_PROGRESS_SIZE = 24;
export function decodeFileProgress(b: Buffer): FileProgress {
  const s = decodeAs<{ BytesTotal: U64; BytesTransferred: U64; Completed: number }>(b, BG_FILE_PROGRESS);
  return { bytesTotal: size(u64(s.BytesTotal)), bytesTransferred: u64(s.BytesTransferred), completed: s.Completed !== 0 };
}

/** BG_JOB_REPLY_PROGRESS of an upload-reply job. */
export interface ReplyProgress {
  /** Size of the reply, or null while unknown. */
  readonly bytesTotal: bigint | null;
  /** Bytes of the reply received. */
  readonly bytesTransferred: bigint;
}

/** BG_JOB_REPLY_PROGRESS, 16 bytes. */
export const BG_JOB_REPLY_PROGRESS_SIZE = 16;
export function decodeReplyProgress(b: Buffer): ReplyProgress {
  const s = decodeAs<{ BytesTotal: U64; BytesTransferred: U64 }>(b, BG_JOB_REPLY_PROGRESS);
  return { bytesTotal: size(u64(s.BytesTotal)), bytesTransferred: u64(s.BytesTransferred) };
}

/** BG_FILE_RANGE: a part of a file. */
export interface FileRange {
  /** Where the range starts, in bytes. */
  readonly offset: bigint;
  /** null = to the end of the file (BG_LENGTH_TO_EOF). */
  readonly length: bigint | null;
}

/** Reads the `count` BG_FILE_RANGEs at `ptr`. */
export function readFileRanges(ptr: bigint, count: number): FileRange[] {
  if (count === 0) return [];
  const ranges = koffi().decode(ptr, BG_FILE_RANGE() as never, count) as unknown as Array<{ InitialOffset: U64; Length: U64 }>;
  return ranges.map((r) => ({ offset: u64(r.InitialOffset), length: size(u64(r.Length)) }));
}

/** DOSwarmStats (DO docs only). */
export interface SwarmStats {
  /** The file id Delivery Optimization gave the file. */
  readonly fileId: string | null;
  /** Where the file comes from. */
  readonly sourceUrl: string | null;
  /** Size, or null while unknown. */
  readonly fileSize: bigint | null;
  /** Bytes downloaded in all. */
  readonly totalBytesDownloaded: bigint;
  /** Bytes from peers on the local network. */
  readonly bytesFromLanPeers: bigint;
  /** Bytes from peers in the same group. */
  readonly bytesFromGroupPeers: bigint;
  /** Bytes from peers on the internet. */
  readonly bytesFromInternetPeers: bigint;
  /** Bytes from the HTTP source. */
  readonly bytesFromHttp: bigint;
  /** Bytes from a Delivery Optimization cache server. */
  readonly bytesFromDoinc: bigint;
  /** Bytes uploaded to local peers. */
  readonly bytesToLanPeers: bigint;
  /** Bytes uploaded to group peers. */
  readonly bytesToGroupPeers: bigint;
  /** Bytes uploaded to internet peers. */
  readonly bytesToInternetPeers: bigint;
  /** HTTP connections. */
  readonly httpConnectionCount: number;
  /** Cache-server connections. */
  readonly doincConnectionCount: number;
  /** Local peer connections. */
  readonly lanConnectionCount: number;
  /** Group peer connections. */
  readonly groupConnectionCount: number;
  /** Internet peer connections. */
  readonly internetConnectionCount: number;
  /** How long the download took. */
  readonly downloadDurationMs: number;
  /** The download mode used. */
  readonly downloadMode: DownloadMode;
  /** Where the file is in its life. */
  readonly status: SwarmStatus;
  /** Whether it was a background download. */
  readonly isBackground: boolean;
}

/** DOSwarmStats as koffi decodes it (and the fake encodes it): the members of the DO docs' syntax block. */
export interface SwarmStatsStruct {
  /** LPWSTRs, as the target's addresses (0 for NULL). */
  fileId: U64;
  sourceURL: U64;
  fileSize: U64;
  totalBytesDownloaded: U64;
  bytesFromLanPeers: U64;
  bytesFromGroupPeers: U64;
  bytesFromInternetPeers: U64;
  bytesFromHttp: U64;
  bytesFromDoinc: U64;
  bytesToLanPeers: U64;
  bytesToGroupPeers: U64;
  bytesToInternetPeers: U64;
  httpConnectionCount: number;
  doincConnectionCount: number;
  lanConnectionCount: number;
  groupConnectionCount: number;
  internetConnectionCount: number;
  downloadDuration: number;
  downloadMode: DownloadMode;
  status: SwarmStatus;
  isBackground: number;
}

/**
 * The LPWSTRs are integers as wide as the target's pointers: a koffi pointer would take the host's
 * size. One name per width, as koffi's type names are process-wide (an x86 layout is checked in the
 * same process as the x64 one).
 */
function swarmStatsType(name: string, address: 'uint32_t' | 'uint64_t'): () => KoffiType {
  return lazyType(name, () => koffi().struct(name, {
    fileId: address,
    sourceURL: address,
    fileSize: 'uint64_t',
    totalBytesDownloaded: 'uint64_t',
    bytesFromLanPeers: 'uint64_t',
    bytesFromGroupPeers: 'uint64_t',
    bytesFromInternetPeers: 'uint64_t',
    bytesFromHttp: 'uint64_t',
    bytesFromDoinc: 'uint64_t',
    bytesToLanPeers: 'uint64_t',
    bytesToGroupPeers: 'uint64_t',
    bytesToInternetPeers: 'uint64_t',
    httpConnectionCount: 'uint32_t',
    doincConnectionCount: 'uint32_t',
    lanConnectionCount: 'uint32_t',
    groupConnectionCount: 'uint32_t',
    internetConnectionCount: 'uint32_t',
    downloadDuration: 'uint32_t',
    downloadMode: 'uint32_t',
    status: 'uint32_t',
    isBackground: 'int32_t',
  }));
}
const SWARM_STATS = { 4: swarmStatsType('DOSwarmStats_x86', 'uint32_t'), 8: swarmStatsType('DOSwarmStats_x64', 'uint64_t') };

/** DOSwarmStats laid out for the target: 136 bytes on x64, 128 on x86. */
export function DOSwarmStats(): KoffiType {
  return SWARM_STATS[pointerSize() as 4 | 8]();
}

export function swarmStatsSize(): number {
  return koffi().sizeof(DOSwarmStats());
}

/** The two strings are freed with CoTaskMemFree (COM convention; UNCONFIRMED by the DO docs). */
export function decodeSwarmStats(b: Buffer, ctx: OutContext): SwarmStats {
  const s = decodeAs<SwarmStatsStruct>(b, DOSwarmStats);
  const takeString = (address: U64) => takeCoTaskMem(ctx, address === 0 || address === 0n ? null : u64(address), null, readWideString);
  let fileId: string | null = null;
  let sourceUrl: string | null = null;
  try {
    fileId = takeString(s.fileId);
  } finally {
    sourceUrl = takeString(s.sourceURL); // freed even when the first string could not be read
  }
  return {
    fileId,
    sourceUrl,
    fileSize: size(u64(s.fileSize)),
    totalBytesDownloaded: u64(s.totalBytesDownloaded),
    bytesFromLanPeers: u64(s.bytesFromLanPeers),
    bytesFromGroupPeers: u64(s.bytesFromGroupPeers),
    bytesFromInternetPeers: u64(s.bytesFromInternetPeers),
    bytesFromHttp: u64(s.bytesFromHttp),
    bytesFromDoinc: u64(s.bytesFromDoinc),
    bytesToLanPeers: u64(s.bytesToLanPeers),
    bytesToGroupPeers: u64(s.bytesToGroupPeers),
    bytesToInternetPeers: u64(s.bytesToInternetPeers),
    httpConnectionCount: s.httpConnectionCount,
    doincConnectionCount: s.doincConnectionCount,
    lanConnectionCount: s.lanConnectionCount,
    groupConnectionCount: s.groupConnectionCount,
    internetConnectionCount: s.internetConnectionCount,
    downloadDurationMs: s.downloadDuration,
    downloadMode: s.downloadMode,
    status: s.status,
    isBackground: s.isBackground !== 0,
  };
}

/** BG_FILE_INFO { LPWSTR RemoteName; LPWSTR LocalName; }. */
export const BG_FILE_INFO = lazyType('BG_FILE_INFO', () =>
  koffi().struct('BG_FILE_INFO', { RemoteName: 'const char16_t *', LocalName: 'const char16_t *' }));

/** BG_FILE_RANGE { UINT64 InitialOffset; UINT64 Length; }. */
export const BG_FILE_RANGE = lazyType('BG_FILE_RANGE', () =>
  koffi().struct('BG_FILE_RANGE', { InitialOffset: 'uint64_t', Length: 'uint64_t' }));

/** BG_AUTH_CREDENTIALS { Target; Scheme; union { BG_BASIC_CREDENTIALS Basic; } Credentials; }. */
export const BG_AUTH_CREDENTIALS = lazyType('BG_AUTH_CREDENTIALS', () =>
  koffi().struct('BG_AUTH_CREDENTIALS', {
    Target: 'uint32_t',
    Scheme: 'uint32_t',
    UserName: 'const char16_t *',
    Password: 'const char16_t *',
  }));

/** BITS_JOB_PROPERTY_VALUE: a 16-byte union passed by value to IBackgroundCopyJob5::SetProperty. */
export const BITS_JOB_PROPERTY_VALUE = lazyType('BITS_JOB_PROPERTY_VALUE', () =>
  koffi().union('BITS_JOB_PROPERTY_VALUE', {
    Dword: 'uint32_t',
    ClsID: koffi().array('uint8_t', 16),
    Enable: 'int32_t',
    Uint64: 'uint64_t',
    Target: 'uint32_t',
  }));

/** The wire form of a BITS_JOB_PROPERTY_VALUE: exactly one member set. */
export type JobPropertyValueWire =
  | { Dword: number }
  | { ClsID: number[] }
  | { Enable: number }
  | { Uint64: bigint }
  | { Target: number };

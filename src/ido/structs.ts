/**
 * IDO structures (deliveryoptimization.h; layouts in spec §4, identical on x64 and x86 except
 * DO_DOWNLOAD_ENUM_CATEGORY, whose pointer koffi places).
 */
import { koffi, lazyType, UINT64_MAX, type KoffiType } from '../com';
import { DO_LENGTH_TO_EOF, type DODownloadState } from './enums';

/** DO_DOWNLOAD_STATUS as it comes off the wire. */
export interface DownloadStatusWire {
  /** null while unknown ((UINT64)-1). */
  readonly bytesTotal: bigint | null;
  readonly bytesTransferred: bigint;
  readonly state: DODownloadState;
  /** HRESULTs, unsigned. */
  readonly error: number;
  readonly extendedError: number;
}

/** DO_DOWNLOAD_STATUS: 32 bytes (UINT64, UINT64, enum, HRESULT, HRESULT, 4 bytes of padding). */
export const DO_DOWNLOAD_STATUS_SIZE = 32;

/** DO_DOWNLOAD_STATUS as koffi declares it (pointer-free: one layout on x64 and x86). */
export const DO_DOWNLOAD_STATUS: () => KoffiType = lazyType('DO_DOWNLOAD_STATUS', () =>
  koffi().struct('DO_DOWNLOAD_STATUS', { BytesTotal: 'uint64_t', BytesTransferred: 'uint64_t', State: 'uint32_t', Error: 'uint32_t', ExtendedError: 'uint32_t' }));

/** What koffi decodes DO_DOWNLOAD_STATUS to: the enum is typed here, as `$.out.enum<E>()` types an out-parameter. */
interface DownloadStatusStruct {
  // koffi gives a 64-bit integer as a number up to 2^53, a bigint beyond: BigInt() of either is exact.
  readonly BytesTotal: number | bigint;
  readonly BytesTransferred: number | bigint;
  readonly State: DODownloadState;
  readonly Error: number;
  readonly ExtendedError: number;
}

export function decodeDownloadStatus(b: Buffer): DownloadStatusWire {
  const s = koffi().decode(b, DO_DOWNLOAD_STATUS()) as DownloadStatusStruct;
  const total = BigInt(s.BytesTotal);
  return {
    bytesTotal: total === UINT64_MAX ? null : total,
    bytesTransferred: BigInt(s.BytesTransferred),
    state: s.State,
    error: s.Error,
    extendedError: s.ExtendedError,
  };
}

/** The bytes of a DO_DOWNLOAD_STATUS (fakes and tests). */
export function encodeDownloadStatus(s: DownloadStatusWire): Buffer {
  const b = Buffer.alloc(DO_DOWNLOAD_STATUS_SIZE);
  b.writeBigUInt64LE(s.bytesTotal ?? UINT64_MAX, 0);
  b.writeBigUInt64LE(s.bytesTransferred, 8);
  b.writeUInt32LE(s.state, 16);
  b.writeUInt32LE(s.error >>> 0, 20);
  b.writeUInt32LE(s.extendedError >>> 0, 24);
  return b;
}

/** One DO_DOWNLOAD_RANGE. */
export interface DownloadRange {
  /** First byte. */
  readonly offset: bigint;
  /** null = to the end of the file (DO_LENGTH_TO_EOF). */
  readonly length: bigint | null;
}

/** DO_DOWNLOAD_RANGE: 16 bytes. */
export const DO_DOWNLOAD_RANGE_SIZE = 16;
/** Offset of Ranges[0] in DO_DOWNLOAD_RANGES_INFO (UINT, then 4 bytes of padding). */
export const DO_DOWNLOAD_RANGES_OFFSET = 8;

/** A DO_DOWNLOAD_RANGES_INFO block for `ranges`: 8 + 16·n bytes (at least one element is declared). */
export function encodeRangesInfo(ranges: readonly DownloadRange[]): Buffer {
  const b = Buffer.alloc(DO_DOWNLOAD_RANGES_OFFSET + DO_DOWNLOAD_RANGE_SIZE * Math.max(1, ranges.length));
  b.writeUInt32LE(ranges.length, 0);
  ranges.forEach((r, i) => {
    const at = DO_DOWNLOAD_RANGES_OFFSET + i * DO_DOWNLOAD_RANGE_SIZE;
    b.writeBigUInt64LE(r.offset, at);
    b.writeBigUInt64LE(r.length ?? DO_LENGTH_TO_EOF, at + 8);
  });
  return b;
}

/** Reads the DO_DOWNLOAD_RANGES_INFO at `ptr` (fakes). */
export function readRangesInfo(ptr: bigint): DownloadRange[] {
  const k = koffi();
  const count = k.decode(ptr, 'uint32_t') as number;
  if (count === 0) return [];
  const b = Buffer.from(k.view(ptr + BigInt(DO_DOWNLOAD_RANGES_OFFSET), count * DO_DOWNLOAD_RANGE_SIZE));
  return Array.from({ length: count }, (_, i) => {
    const length = b.readBigUInt64LE(i * 16 + 8);
    return { offset: b.readBigUInt64LE(i * 16), length: length === DO_LENGTH_TO_EOF ? null : length };
  });
}

/** Wire form of DO_DOWNLOAD_ENUM_CATEGORY. */
export interface EnumCategoryWire {
  Property: number;
  Value: string;
}

/** DO_DOWNLOAD_ENUM_CATEGORY { DODownloadProperty Property; LPCWSTR Value } (16 bytes on x64, 8 on x86). */
export const DO_DOWNLOAD_ENUM_CATEGORY: () => KoffiType = lazyType('DO_DOWNLOAD_ENUM_CATEGORY', () =>
  koffi().struct('DO_DOWNLOAD_ENUM_CATEGORY', { Property: 'uint32_t', Value: 'const char16_t *' }));

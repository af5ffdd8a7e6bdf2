/** Win32 value conversions that are not specific to any interface. */
import { koffi } from './koffi';

/** 100-ns ticks between 1601-01-01 and 1970-01-01. */
const EPOCH_DIFFERENCE_TICKS = 116444736000000000n;

/**
 * FILETIME (two little-endian u32 at `offset`, 4-byte aligned) to Date; null for a zero FILETIME
 * ("never") and for values no Date can hold. Sub-millisecond ticks are truncated.
 */
export function fileTimeToDate(buf: Buffer, offset = 0): Date | null {
  const low = BigInt(buf.readUInt32LE(offset));
  const high = BigInt(buf.readUInt32LE(offset + 4));
  return fileTimeFromTicks((high << 32n) | low);
}

/** A FILETIME's 100 ns ticks since 1601 to a Date; null for 0 (no time) and for what Date cannot hold. */
export function fileTimeFromTicks(ticks: bigint): Date | null {
  if (ticks === 0n) return null;
  const date = new Date(Number((ticks - EPOCH_DIFFERENCE_TICKS) / 10000n));
  // Beyond what Date can hold (year 275760): garbage, not a time.
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Date to FILETIME bytes at `offset` (used by fakes and tests). */
export function writeFileTime(buf: Buffer, date: Date | null, offset = 0): void {
  const ticks = date === null ? 0n : BigInt(date.getTime()) * 10000n + EPOCH_DIFFERENCE_TICKS;
  buf.writeUInt32LE(Number(ticks & 0xffffffffn), offset);
  buf.writeUInt32LE(Number(ticks >> 32n), offset + 4);
}

/**
 * Reads a CoTaskMem block the callee allocated, then frees it (always, also when `read` throws).
 * NULL gives `empty`.
 */
export function takeCoTaskMem<T>(runtime: { coTaskMemFree(ptr: bigint): void }, ptr: bigint | null, empty: T, read: (ptr: bigint) => T): T {
  if (ptr === null) return empty;
  try {
    return read(ptr);
  } finally {
    runtime.coTaskMemFree(ptr);
  }
}

/** A copy of `length` bytes at `ptr` (koffi's view is over native memory; Buffer.from of a Buffer copies). */
export function copyBytes(ptr: bigint, length: number): Buffer {
  return Buffer.from(Buffer.from(koffi().view(ptr, length)));
}

/** (UINT64)-1: BG_SIZE_UNKNOWN, BG_LENGTH_TO_EOF and friends. */
export const UINT64_MAX = 0xffffffffffffffffn;

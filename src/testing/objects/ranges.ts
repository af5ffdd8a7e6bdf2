/** BG_FILE_RANGE arrays: read from the caller, checked like the services do, handed out as CoTaskMem. */
import { UINT64_MAX } from '../../com';
import type { ServiceContext } from '../service/context';
import { E_INVALIDARG } from '../service/hresults';
import { answer, readBytes } from './wire';

/** One BG_FILE_RANGE; `length` UINT64_MAX means "to the end of the file". */
export interface RangeValue {
  readonly offset: bigint;
  readonly length: bigint;
}

/** sizeof(BG_FILE_RANGE). */
export const RANGE_SIZE = 16;

/** Reads `count` ranges at `ptr` (NULL with a non-zero count answers E_INVALIDARG). */
export function readRanges(ptr: bigint | null, count: number): RangeValue[] {
  if (count === 0) return [];
  if (ptr === null) answer(E_INVALIDARG);
  const b = readBytes(ptr, count * RANGE_SIZE);
  return Array.from({ length: count }, (_, i) => ({ offset: b.readBigUInt64LE(i * RANGE_SIZE), length: b.readBigUInt64LE(i * RANGE_SIZE + 8) }));
}

/**
 * Offsets must be real (not BG_LENGTH_TO_EOF), lengths non-zero, and ranges sorted without
 * overlap — the rules both services document for AddFileWithRanges.
 */
export function checkRanges(ctx: Pick<ServiceContext, 'codes'>, ranges: readonly RangeValue[]): void {
  let end = 0n;
  for (const [i, r] of ranges.entries()) {
    if (r.offset === UINT64_MAX || r.length === 0n) answer(ctx.codes.invalidRange);
    if (i > 0 && r.offset < end) answer(ctx.codes.overlappingRanges);
    end = r.length === UINT64_MAX ? UINT64_MAX : r.offset + r.length;
  }
}

/** A CoTaskMem BG_FILE_RANGE array for the client to free (not called for an empty list). */
export function allocRanges(ctx: Pick<ServiceContext, 'allocBytes'>, ranges: readonly RangeValue[]): bigint {
  const b = Buffer.alloc(ranges.length * RANGE_SIZE);
  ranges.forEach((r, i) => {
    b.writeBigUInt64LE(r.offset, i * RANGE_SIZE);
    b.writeBigUInt64LE(r.length, i * RANGE_SIZE + 8);
  });
  return ctx.allocBytes(b);
}

/** The bytes of `content` the ranges select, in order (ranges past the end are cut). */
export function sliceRanges(content: Buffer, ranges: readonly RangeValue[]): Buffer {
  if (ranges.length === 0) return content;
  const size = BigInt(content.length);
  return Buffer.concat(
    ranges.map((r) => {
      const start = r.offset > size ? size : r.offset;
      const end = r.length === UINT64_MAX || r.offset + r.length > size ? size : r.offset + r.length;
      return content.subarray(Number(start), Number(end));
    }),
  );
}

/** Length of `sliceRanges` for content of `size` bytes, without making the content. */
export function slicedLength(size: number, ranges: readonly RangeValue[]): number {
  if (ranges.length === 0) return size;
  const total = BigInt(size);
  let n = 0n;
  for (const r of ranges) {
    const start = r.offset > total ? total : r.offset;
    const end = r.length === UINT64_MAX || r.offset + r.length > total ? total : r.offset + r.length;
    n += end - start;
  }
  return Number(n);
}

/** `ranges` sorted by offset, touching and overlapping ones joined (BITS merges filled ranges "as much as possible"). */
export function mergeRanges(ranges: readonly RangeValue[]): RangeValue[] {
  const sorted = [...ranges].sort((a, b) => (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0));
  const out: Array<{ offset: bigint; length: bigint }> = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.offset <= last.offset + last.length) {
      const end = r.offset + r.length > last.offset + last.length ? r.offset + r.length : last.offset + last.length;
      last.length = end - last.offset;
    } else {
      out.push({ offset: r.offset, length: r.length });
    }
  }
  return out;
}

/** The parts of [start, end) that `have` (merged) does not cover, in order. */
export function missingRanges(start: bigint, end: bigint, have: readonly RangeValue[]): RangeValue[] {
  const out: RangeValue[] = [];
  let at = start;
  for (const h of have) {
    if (h.offset + h.length <= at) continue;
    if (h.offset >= end) break;
    if (h.offset > at) out.push({ offset: at, length: h.offset - at });
    at = h.offset + h.length;
    if (at >= end) return out;
  }
  if (at < end) out.push({ offset: at, length: end - at });
  return out;
}

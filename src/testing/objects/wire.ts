/**
 * What handlers share besides the typed trampoline (src/com/handlers.ts): `answer`, `required`,
 * and, for the few `raw()` handlers and the fake's own layouts, reading koffi's raw arguments and
 * writing into the caller's memory. A raw handler validates every out-pointer before it allocates
 * anything, so a refused call never leaves CoTaskMem behind.
 */
import { answer, guidFromBytes, guidToBytes, koffi, type RawArgs } from '../../com';
import { E_INVALIDARG, E_POINTER } from '../service/hresults';

/** Ends the handler with `hr` (src/com's: the trampoline turns it into the call's HRESULT). */
export { answer };

/** Raw argument decoders. koffi passes pointers as bigint (or null) and 64-bit integers as number or bigint. */
export const arg = {
  ptr(v: RawArgs[number]): bigint | null {
    if (v === null || v === undefined) return null;
    if (typeof v === 'bigint') return v === 0n ? null : v;
    if (typeof v === 'number') return v === 0 ? null : BigInt(v);
    return koffi().address(v);
  },
  u32(v: RawArgs[number]): number {
    return Number(v) >>> 0;
  },
  i32(v: RawArgs[number]): number {
    return Number(v) | 0;
  },
  u64(v: RawArgs[number]): bigint {
    return BigInt.asUintN(64, BigInt(v as number | bigint));
  },
  bool(v: RawArgs[number]): boolean {
    return Number(v) !== 0;
  },
  /** An LPCWSTR: null for NULL. */
  str(v: RawArgs[number]): string | null {
    const p = arg.ptr(v);
    return p === null ? null : (koffi().decode(p, 'char16_t', -1) as string);
  },
  /** A REFGUID. */
  guid(v: RawArgs[number]): string | null {
    const p = arg.ptr(v);
    return p === null ? null : guidFromBytes(Buffer.from(koffi().view(p, 16)));
  },
};

/** A required out-pointer: NULL answers E_POINTER. */
export function outPtr(v: RawArgs[number]): bigint {
  const p = arg.ptr(v);
  if (p === null) answer(E_POINTER);
  return p;
}

/** A required in-string: NULL answers E_INVALIDARG (what BITS documents for its setters). */
export function required(s: string | null): string {
  if (s === null) answer(E_INVALIDARG);
  return s;
}

/** Out-parameter writers (`p` comes from `outPtr`). */
export const write = {
  u32(p: bigint, v: number): void {
    koffi().encode(p, 'uint32_t', v >>> 0);
  },
  i32(p: bigint, v: number): void {
    koffi().encode(p, 'int32_t', v | 0);
  },
  u64(p: bigint, v: bigint): void {
    koffi().encode(p, 'uint64_t', BigInt.asUintN(64, v));
  },
  bool(p: bigint, v: boolean): void {
    koffi().encode(p, 'int32_t', v ? 1 : 0);
  },
  ptr(p: bigint, v: bigint | null): void {
    koffi().encode(p, 'void *', v ?? 0n);
  },
  guid(p: bigint, v: string): void {
    write.bytes(p, guidToBytes(v));
  },
  bytes(p: bigint, bytes: Buffer): void {
    if (bytes.length === 0) return;
    bytes.copy(Buffer.from(koffi().view(p, bytes.length)));
  },
};

/** Bytes `n` at `p`, copied. */
export function readBytes(p: bigint, n: number): Buffer {
  return n === 0 ? Buffer.alloc(0) : Buffer.from(Buffer.from(koffi().view(p, n)));
}

/** A NUL-terminated UTF-16 copy of `text`, for a block of `(length + 1) * 2` bytes. */
export function wideBytes(text: string): Buffer {
  return Buffer.from(text + '\0', 'utf16le');
}


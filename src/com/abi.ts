/**
 * The parameter vocabulary of interface tables. Each parameter says how a JS value goes in, or how
 * an out-parameter is allocated, read and freed. Interface tables (`defineInterface`) are lists of
 * these, in declaration order; the call engine and the TypeScript types are both derived from them.
 */
import { koffi, pointerSize, type KoffiType } from './koffi';
import { guidFromBytes, guidToBytes, GUID_SIZE } from './guid';
import { takeCoTaskMem, UINT64_MAX } from './marshal';

/** What an out-parameter reader gets besides the buffer: the way to free CoTaskMem memory. */
export interface OutContext {
  coTaskMemFree(ptr: bigint): void;
}

export interface InParam<T> {
  readonly dir: 'in';
  /** C type in the koffi prototype. */
  readonly c: string | (() => KoffiType);
  /** JS value → what koffi is given. Throws a TypeError for values that must not reach native code. */
  encode(value: T): unknown;
  /**
   * A count+array pair (`DWORD count, T *array`): one JS array, two native arguments (a `uint32_t`,
   * then `c`); `encode` returns both, so the count can never disagree with the array.
   */
  readonly pair?: true;
  /** Phantom: the JS type. */
  readonly _t?: T;
}

export interface OutParam<T> {
  readonly dir: 'out';
  /** Bytes the caller allocates (a function for pointer-size dependent sizes). */
  size(): number;
  /** Reads the value once the call succeeded; frees what the callee allocated. */
  read(buf: Buffer, ctx: OutContext): T;
  /**
   * What the read value holds that someone must give back: an interface reference (Release) or a
   * CoTaskMem block (CoTaskMemFree). Used for results nobody will read (a call that timed out,
   * then succeeded).
   */
  readonly owns?: 'interface' | 'memory';
  /**
   * A count+array out pair (`DWORD *count, T **array`): one JS value, two native arguments. The
   * one buffer holds the count at 0 and the array pointer at OUT_PAIR_POINTER_OFFSET.
   */
  readonly pair?: true;
  readonly _t?: T;
}

/** Where an out pair's array pointer sits in its buffer: after the DWORD count, 8-aligned on both ABIs. */
export const OUT_PAIR_POINTER_OFFSET = 8;

export type Param = InParam<unknown> | OutParam<unknown>;
export type ParamList = readonly Param[];

/** The JS arguments of a method: its in-parameters, in order. */
export type InArgs<P extends ParamList> = P extends readonly [infer H, ...infer R extends ParamList]
  ? H extends InParam<infer T> ? [T, ...InArgs<R>] : InArgs<R>
  : [];

/** The values a method returns: its out-parameters, in order. */
export type OutValues<P extends ParamList> = P extends readonly [infer H, ...infer R extends ParamList]
  ? H extends OutParam<infer T> ? [T, ...OutValues<R>] : OutValues<R>
  : [];

/**
 * What a friendly call returns (windows-rs' shape): nothing for no out-parameter, the value for
 * one, the tuple of them for several.
 */
export type Returns<P extends ParamList> = OutValues<P> extends [] ? void : OutValues<P> extends [infer T] ? T : OutValues<P>;

function invalidArg(message: string): TypeError {
  const error = new TypeError(message) as TypeError & { code: string };
  error.code = 'ERR_INVALID_ARG_TYPE';
  return error;
}

function u32(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw invalidArg(`Expected an unsigned 32-bit integer, got ${String(value)}`);
  }
  return value;
}

function i32(value: number): number {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
    throw invalidArg(`Expected a signed 32-bit integer, got ${String(value)}`);
  }
  return value;
}

function i64(value: bigint): bigint {
  if (typeof value !== 'bigint' || value < -0x8000000000000000n || value > 0x7fffffffffffffffn) {
    throw invalidArg(`Expected a signed 64-bit bigint, got ${String(value)}`);
  }
  return value;
}

function u64(value: bigint): bigint {
  if (typeof value !== 'bigint' || value < 0n || value > UINT64_MAX) {
    throw invalidArg(`Expected an unsigned 64-bit bigint, got ${String(value)}`);
  }
  return value;
}

/** Last line of defence: an embedded NUL would silently cut a string in native code. */
function wideString(value: string | null): string | null {
  if (value === null) return null;
  if (typeof value !== 'string') throw invalidArg(`Expected a string, got ${typeof value}`);
  if (value.includes('\0')) throw invalidArg('Strings passed to COM must not contain NUL characters');
  return value;
}

function pointer(value: bigint | Buffer | null): bigint | Buffer | null {
  if (value === null || typeof value === 'bigint' || Buffer.isBuffer(value)) return value;
  throw invalidArg('Expected a pointer (bigint), a Buffer or null');
}

/** Reads a pointer-sized value at `offset`; null for NULL. */
export function readPointer(buf: Buffer, offset = 0): bigint | null {
  const value = pointerSize() === 8 ? buf.readBigUInt64LE(offset) : BigInt(buf.readUInt32LE(offset));
  return value === 0n ? null : value;
}

export function writePointer(buf: Buffer, value: bigint | null, offset = 0): void {
  if (pointerSize() === 8) buf.writeBigUInt64LE(value ?? 0n, offset);
  else buf.writeUInt32LE(Number(value ?? 0n), offset);
}

/** Decodes a NUL-terminated UTF-16 string at `ptr`. */
export function readWideString(ptr: bigint): string {
  return koffi().decode(ptr, 'char16_t', -1) as string;
}

const inParams = {
  i32: { dir: 'in', c: 'int32_t', encode: i32 } as InParam<number>,
  u32: { dir: 'in', c: 'uint32_t', encode: u32 } as InParam<number>,
  u64: { dir: 'in', c: 'uint64_t', encode: u64 } as InParam<bigint>,
  /** LARGE_INTEGER by value. */
  i64: { dir: 'in', c: 'int64_t', encode: i64 } as InParam<bigint>,
  /** Win32 BOOL (4 bytes). */
  bool: { dir: 'in', c: 'int32_t', encode: (v: boolean) => (v ? 1 : 0) } as InParam<boolean>,
  /** LPCWSTR; null passes NULL. */
  wstr: { dir: 'in', c: 'const char16_t *', encode: wideString } as InParam<string | null>,
  /** Any pointer: an interface pointer, a Buffer the caller prepared, or null. */
  ptr: { dir: 'in', c: 'void *', encode: pointer } as InParam<bigint | Buffer | null>,
  /** REFGUID / REFIID: a GUID passed by address. */
  guid: { dir: 'in', c: 'void *', encode: (v: string) => guidToBytes(v) } as InParam<string>,
};

const outParams = {
  u32: { dir: 'out', size: () => 4, read: (b: Buffer) => b.readUInt32LE(0) } as OutParam<number>,
  i32: { dir: 'out', size: () => 4, read: (b: Buffer) => b.readInt32LE(0) } as OutParam<number>,
  u64: { dir: 'out', size: () => 8, read: (b: Buffer) => b.readBigUInt64LE(0) } as OutParam<bigint>,
  bool: { dir: 'out', size: () => 4, read: (b: Buffer) => b.readInt32LE(0) !== 0 } as OutParam<boolean>,
  /** A pointer the caller now owns (an AddRef'd interface, a CoTaskMem block); null for NULL. */
  ptr: { dir: 'out', size: pointerSize, read: (b: Buffer) => readPointer(b) } as OutParam<bigint | null>,
  /** An AddRef'd interface pointer the caller now owns (released once); null for NULL. */
  iface: { dir: 'out', size: pointerSize, read: (b: Buffer) => readPointer(b), owns: 'interface' } as OutParam<bigint | null>,
  /** A CoTaskMem block the caller now owns (freed once); null for NULL. */
  mem: { dir: 'out', size: pointerSize, read: (b: Buffer) => readPointer(b), owns: 'memory' } as OutParam<bigint | null>,
  /** LPWSTR allocated by the callee with CoTaskMemAlloc: decoded, then always freed. */
  wstr: {
    dir: 'out',
    size: pointerSize,
    read: (b: Buffer, ctx: OutContext) => takeCoTaskMem(ctx, readPointer(b), null, readWideString),
  } as OutParam<string | null>,
  guid: { dir: 'out', size: () => GUID_SIZE, read: (b: Buffer) => guidFromBytes(b) } as OutParam<string>,
  /** A DWORD that holds a member of the numeric enum `E` (typed here, in the table, and nowhere else). */
  enum<E extends number>(): OutParam<E> {
    return { dir: 'out', size: () => 4, read: (b: Buffer) => b.readUInt32LE(0) as E };
  },
  /**
   * A count+array pair the callee allocates (`DWORD *count, T **array`, the array from
   * CoTaskMemAlloc): decoded by `decode(ptr, count)`, then freed exactly once, also when decoding
   * throws; [] for NULL. The caller never sees the pointer, so it cannot leak or be freed twice.
   */
  array<T>(decode: (ptr: bigint, count: number) => T[]): OutParam<T[]> {
    return {
      dir: 'out',
      pair: true,
      size: () => OUT_PAIR_POINTER_OFFSET + pointerSize(),
      read: (b: Buffer, ctx: OutContext) => {
        const count = b.readUInt32LE(0);
        return takeCoTaskMem(ctx, readPointer(b, OUT_PAIR_POINTER_OFFSET), [], (p) => decode(p, count));
      },
    };
  },
  /** A caller-allocated struct of `size` bytes, decoded by `decode`. */
  struct<T>(size: number | (() => number), decode: (buf: Buffer, ctx: OutContext) => T): OutParam<T> {
    return { dir: 'out', size: typeof size === 'number' ? () => size : size, read: decode };
  },
};

/** A count+array pair taking a JS array of `element` structs (`DWORD count, T *array` in C). */
function array<T>(element: () => KoffiType): InParam<readonly T[]> {
  return {
    dir: 'in',
    c: () => koffi().pointer(element()),
    pair: true,
    encode: (value: readonly T[]) => {
      if (!Array.isArray(value)) throw invalidArg('Expected an array');
      return [u32(value.length), value];
    },
  };
}

/** A struct or union passed by value; its koffi type is built on first use. */
function byValue<T>(declare: () => KoffiType, encode: (value: T) => unknown): InParam<T> {
  return { dir: 'in', c: declare, encode };
}

/** The parameter vocabulary: `$.u32`, `$.wstr`, `$.array(T)`, `$.out.ptr`, `$.out.struct(24, decode)` ... */
export const $ = { ...inParams, byValue, array, out: outParams };

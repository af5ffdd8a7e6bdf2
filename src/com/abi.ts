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

/**
 * What an out-parameter writer gets on the implement side: CoTaskMem for the caller to free
 * (strings, blocks). Given per object by `ImplementationOptions.memory`.
 */
export interface ImplementContext {
  /** A CoTaskMem copy of `text` (NUL-terminated UTF-16) for the caller to free. */
  allocString(text: string): bigint;
}

/**
 * An in-parameter: how a JS value goes in (calling side, `T`) and what an implementation's handler
 * receives for it (implement side, `R`: borrowed, valid only during the call).
 */
export interface InParam<T, R = T> {
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
  /**
   * Implement side: the raw native argument koffi hands a callback (a pair: count, then array)
   * → what the handler receives. Pointers stay borrowed addresses; strings are decoded.
   */
  receive(raw: unknown, array?: unknown): R;
  /** Phantom: the JS type. */
  readonly _t?: T;
  /** Phantom: the type a handler receives. */
  readonly _r?: R;
}

/**
 * An out-parameter: how the caller allocates and reads it (`T`), and how an implementation writes
 * the value its handler returns (`W`) at the caller's address.
 */
export interface OutParam<T, W = T> {
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
  /**
   * Implement side: writes `value` at the caller's `address` (an out pair: the count's address,
   * then the array pointer's).
   */
  write(address: bigint, value: W, ctx: ImplementContext, arrayAddress?: bigint): void;
  /** Implement side: the caller may pass NULL (the value is then not written), e.g. `pcbWritten`. */
  readonly optional?: true;
  readonly _t?: T;
  /** Phantom: the type a handler returns for it. */
  readonly _w?: W;
}

/** Where an out pair's array pointer sits in its buffer: after the DWORD count, 8-aligned on both ABIs. */
export const OUT_PAIR_POINTER_OFFSET = 8;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Param = InParam<unknown, any> | OutParam<unknown, any>;
export type ParamList = readonly Param[];

/** The JS arguments of a method: its in-parameters, in order. */
export type InArgs<P extends ParamList> = P extends readonly [infer H, ...infer R extends ParamList]
  ? H extends InParam<infer T, unknown> ? [T, ...InArgs<R>] : InArgs<R>
  : [];

/** The values a method returns: its out-parameters, in order. */
export type OutValues<P extends ParamList> = P extends readonly [infer H, ...infer R extends ParamList]
  ? H extends OutParam<infer T, unknown> ? [T, ...OutValues<R>] : OutValues<R>
  : [];

/** Implement side: what a handler receives, its in-parameters in order. */
export type ReceivedArgs<P extends ParamList> = P extends readonly [infer H, ...infer R extends ParamList]
  ? H extends InParam<unknown, infer X> ? [X, ...ReceivedArgs<R>] : ReceivedArgs<R>
  : [];

/** Implement side: what a handler returns for each out-parameter, in order. */
export type WrittenValues<P extends ParamList> = P extends readonly [infer H, ...infer R extends ParamList]
  ? H extends OutParam<unknown, infer W> ? [W, ...WrittenValues<R>] : WrittenValues<R>
  : [];

/** Implement side: what a handler returns, shaped as `Returns` (nothing, the value, or the tuple). */
export type HandlerReturns<P extends ParamList> = WrittenValues<P> extends [] ? void : WrittenValues<P> extends [infer T] ? T : WrittenValues<P>;

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

/**
 * Implement side: a pointer argument as koffi hands it to a callback (bigint, a number on some
 * targets, null or an external) → a borrowed address, null for NULL.
 */
export function receivePointer(v: unknown): bigint | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v === 0n ? null : v;
  if (typeof v === 'number') return v === 0 ? null : BigInt(v);
  return koffi().address(v);
}

/** Implement side: a borrowed LPCWSTR → its text; null for NULL. */
function receiveWideString(v: unknown): string | null {
  const p = receivePointer(v);
  return p === null ? null : readWideString(p);
}

/** A view of `length` bytes of native memory at `address` (writes land there). */
function nativeBytes(address: bigint, length: number): Buffer {
  return Buffer.from(koffi().view(address, length));
}

const writeU32 = (a: bigint, v: number) => koffi().encode(a, 'uint32_t', v >>> 0);
const writeI32 = (a: bigint, v: number) => koffi().encode(a, 'int32_t', v | 0);
const writeU64 = (a: bigint, v: bigint) => koffi().encode(a, 'uint64_t', BigInt.asUintN(64, v));
const writeBool = (a: bigint, v: boolean) => koffi().encode(a, 'int32_t', v ? 1 : 0);
const writeAddress = (a: bigint, v: bigint | null) => koffi().encode(a, 'void *', v ?? 0n);

/** An in-parameter that is a pointer to a struct the implementer reads with its own layout. */
export function pointerIn<T>(c: string | (() => KoffiType), encode: (value: T) => unknown): InParam<T, bigint | null> {
  return { dir: 'in', c, encode, receive: receivePointer };
}

/** A DWORD in-parameter that holds a member of the numeric enum `E` (typed on both sides). */
function enumIn<E extends number>(): InParam<E> {
  return { dir: 'in', c: 'uint32_t', encode: u32 as (v: E) => number, receive: (v) => (Number(v) >>> 0) as E };
}

const inParams = {
  i32: { dir: 'in', c: 'int32_t', encode: i32, receive: (v) => Number(v) | 0 } as InParam<number>,
  u32: { dir: 'in', c: 'uint32_t', encode: u32, receive: (v) => Number(v) >>> 0 } as InParam<number>,
  u64: { dir: 'in', c: 'uint64_t', encode: u64, receive: (v) => BigInt.asUintN(64, BigInt(v as number | bigint)) } as InParam<bigint>,
  /** LARGE_INTEGER by value. */
  i64: { dir: 'in', c: 'int64_t', encode: i64, receive: (v) => BigInt.asIntN(64, BigInt(v as number | bigint)) } as InParam<bigint>,
  /** Win32 BOOL (4 bytes). */
  bool: { dir: 'in', c: 'int32_t', encode: (v: boolean) => (v ? 1 : 0), receive: (v) => Number(v) !== 0 } as InParam<boolean>,
  /** LPCWSTR; null passes NULL. A handler receives the decoded text (null for NULL). */
  wstr: { dir: 'in', c: 'const char16_t *', encode: wideString, receive: receiveWideString } as InParam<string | null>,
  /** Any pointer: an interface pointer, a Buffer the caller prepared, or null. A handler receives the borrowed address. */
  ptr: { dir: 'in', c: 'void *', encode: pointer, receive: receivePointer } as InParam<bigint | Buffer | null, bigint | null>,
  /** REFGUID / REFIID: a GUID passed by address. A handler receives it read (null for NULL). */
  guid: {
    dir: 'in', c: 'void *', encode: (v: string) => guidToBytes(v),
    receive: (v) => {
      const p = receivePointer(v);
      return p === null ? null : guidFromBytes(nativeBytes(p, GUID_SIZE));
    },
  } as InParam<string, string | null>,
  enum: enumIn,
};

/** What a handler returns for a callee-allocated count+array pair: the count and the CoTaskMem array it allocated. */
export interface ArrayOut {
  readonly count: number;
  readonly ptr: bigint | null;
}

const outParams = {
  u32: { dir: 'out', size: () => 4, read: (b: Buffer) => b.readUInt32LE(0), write: writeU32 } as OutParam<number>,
  i32: { dir: 'out', size: () => 4, read: (b: Buffer) => b.readInt32LE(0), write: writeI32 } as OutParam<number>,
  u64: { dir: 'out', size: () => 8, read: (b: Buffer) => b.readBigUInt64LE(0), write: writeU64 } as OutParam<bigint>,
  bool: { dir: 'out', size: () => 4, read: (b: Buffer) => b.readInt32LE(0) !== 0, write: writeBool } as OutParam<boolean>,
  /** A pointer the caller now owns (an AddRef'd interface, a CoTaskMem block); null for NULL. */
  ptr: { dir: 'out', size: pointerSize, read: (b: Buffer) => readPointer(b), write: writeAddress } as OutParam<bigint | null>,
  /** An AddRef'd interface pointer the caller now owns (released once); null for NULL. A handler returns one it AddRef'd. */
  iface: { dir: 'out', size: pointerSize, read: (b: Buffer) => readPointer(b), owns: 'interface', write: writeAddress } as OutParam<bigint | null>,
  /** A CoTaskMem block the caller now owns (freed once); null for NULL. A handler returns one it allocated. */
  mem: { dir: 'out', size: pointerSize, read: (b: Buffer) => readPointer(b), owns: 'memory', write: writeAddress } as OutParam<bigint | null>,
  /** LPWSTR allocated by the callee with CoTaskMemAlloc: decoded, then always freed. A handler returns the text. */
  wstr: {
    dir: 'out',
    size: pointerSize,
    read: (b: Buffer, ctx: OutContext) => takeCoTaskMem(ctx, readPointer(b), null, readWideString),
    write: (a: bigint, v: string | null, ctx: ImplementContext) => writeAddress(a, v === null ? null : ctx.allocString(v)),
  } as OutParam<string | null>,
  guid: {
    dir: 'out', size: () => GUID_SIZE, read: (b: Buffer) => guidFromBytes(b), write: (a: bigint, v: string) => guidToBytes(v).copy(nativeBytes(a, GUID_SIZE)),
  } as OutParam<string>,
  /** A DWORD that holds a member of the numeric enum `E` (typed here, in the table, and nowhere else). */
  enum<E extends number>(): OutParam<E> {
    return { dir: 'out', size: () => 4, read: (b: Buffer) => b.readUInt32LE(0) as E, write: writeU32 };
  },
  /**
   * A count+array pair the callee allocates (`DWORD *count, T **array`, the array from
   * CoTaskMemAlloc): decoded by `decode(ptr, count)`, then freed exactly once, also when decoding
   * throws; [] for NULL. The caller never sees the pointer, so it cannot leak or be freed twice.
   */
  array<T>(decode: (ptr: bigint, count: number) => T[]): OutParam<T[], ArrayOut> {
    return {
      dir: 'out',
      pair: true,
      size: () => OUT_PAIR_POINTER_OFFSET + pointerSize(),
      read: (b: Buffer, ctx: OutContext) => {
        const count = b.readUInt32LE(0);
        return takeCoTaskMem(ctx, readPointer(b, OUT_PAIR_POINTER_OFFSET), [], (p) => decode(p, count));
      },
      write: (a, v, _ctx, arrayAddress) => {
        writeU32(a, v.count);
        writeAddress(arrayAddress!, v.ptr);
      },
    };
  },
  /**
   * A caller-allocated struct of `size` bytes, decoded by `decode`. A handler returns its bytes
   * (laid out by the implementer; at most `size`).
   */
  struct<T>(size: number | (() => number), decode: (buf: Buffer, ctx: OutContext) => T): OutParam<T, Buffer> {
    const sizeOf = typeof size === 'number' ? () => size : size;
    return {
      dir: 'out',
      size: sizeOf,
      read: decode,
      write: (a, bytes) => {
        if (bytes.length > sizeOf()) throw new RangeError(`${bytes.length} bytes do not fit a ${sizeOf()}-byte out-struct`);
        bytes.copy(nativeBytes(a, bytes.length));
      },
    };
  },
  /** The same out-parameter, which the caller may pass as NULL (then it is not written). */
  optional<T, W>(param: OutParam<T, W>): OutParam<T, W> {
    return { ...param, optional: true };
  },
};

/** A count+array pair taking a JS array of `element` structs (`DWORD count, T *array` in C). A handler receives the count and the borrowed array. */
function array<T>(element: () => KoffiType): InParam<readonly T[], { count: number; ptr: bigint | null }> {
  return {
    dir: 'in',
    c: () => koffi().pointer(element()),
    pair: true,
    encode: (value: readonly T[]) => {
      if (!Array.isArray(value)) throw invalidArg('Expected an array');
      return [u32(value.length), value];
    },
    receive: (count, ptr) => ({ count: Number(count) >>> 0, ptr: receivePointer(ptr) }),
  };
}

/**
 * A struct or union passed by value; its koffi type is built on first use. A handler receives
 * what koffi decodes (an implementation may name its own type: `callbackParamType`).
 */
function byValue<T>(declare: () => KoffiType, encode: (value: T) => unknown): InParam<T, unknown> {
  return { dir: 'in', c: declare, encode, receive: (v) => v };
}

/** The parameter vocabulary: `$.u32`, `$.wstr`, `$.array(T)`, `$.out.ptr`, `$.out.struct(24, decode)` ... */
export const $ = { ...inParams, byValue, array, out: outParams };

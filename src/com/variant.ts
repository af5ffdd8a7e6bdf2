/**
 * BSTR and VARIANT, both directions.
 *
 * A BSTR is a length-prefixed UTF-16 string; marshalling reads the prefix, so a plain UTF-16 buffer
 * would be mis-sent. On Windows it comes from SysAllocString; runtimes without oleaut32 get the
 * same layout built in native memory. An out-VARIANT is read, then cleared (VariantClear frees a
 * BSTR, releases a VT_UNKNOWN); an interface pointer found in it is handed over to the caller
 * instead, who releases it once like any other out-pointer.
 */
import { koffi, pointerSize } from './koffi';
import { $, readPointer, writePointer } from './abi';
import type { ComRuntime } from './runtime';

export const VT_EMPTY = 0;
export const VT_I4 = 3;
export const VT_BSTR = 8;
export const VT_BOOL = 11;
export const VT_UNKNOWN = 13;
export const VT_UI4 = 19;
export const VT_UI8 = 21;
export const VT_UI1 = 17;
/** Or'd with an element type: a SAFEARRAY of it. */
export const VT_ARRAY = 0x2000;

/** VARIANT_TRUE is -1 in a 16-bit VARIANT_BOOL, not 1. */
const VARIANT_TRUE = -1;

/** A VARIANT as JavaScript sees it (the types the SDK's property tables use). */
export type VariantValue =
  | { readonly type: 'empty' }
  | { readonly type: 'bstr'; readonly value: string }
  | { readonly type: 'i4' | 'ui4'; readonly value: number }
  | { readonly type: 'ui8'; readonly value: bigint }
  | { readonly type: 'bool'; readonly value: boolean }
  /** An interface pointer. In: borrowed (the callee AddRefs what it keeps). Out: owned by the caller. */
  | { readonly type: 'unknown'; readonly value: bigint | null }
  /** VT_ARRAY | VT_UI1: a one-dimensional SAFEARRAY of bytes (in only: the callee copies what it keeps). */
  | { readonly type: 'ui1-array'; readonly value: Uint8Array };

export type VariantType = VariantValue['type'];

const VT_OF: Record<VariantType, number> = {
  empty: VT_EMPTY, bstr: VT_BSTR, i4: VT_I4, ui4: VT_UI4, ui8: VT_UI8, bool: VT_BOOL, unknown: VT_UNKNOWN, 'ui1-array': VT_ARRAY | VT_UI1,
};

/** sizeof(VARIANT): 24 on 64-bit, 16 on 32-bit. */
export function variantSize(): number {
  return pointerSize() === 8 ? 24 : 16;
}

/** An out-VARIANT, returned raw for the caller to decode and clear (`takeVariant`). */
export const variantOut = $.out.struct(variantSize, (b) => Buffer.from(b));

/** A BSTR, with the way to free it. */
export interface Bstr {
  readonly ptr: bigint;
  free(): void;
}

/** A BSTR holding `text` (SysAllocString where the runtime has it). */
export function allocBstr(runtime: ComRuntime, text: string): Bstr {
  if (text.includes('\0')) throw new TypeError('A BSTR passed to COM must not contain NUL characters');
  if (runtime.sysAllocString && runtime.sysFreeString) {
    const ptr = runtime.sysAllocString(text);
    return { ptr, free: () => runtime.sysFreeString!(ptr) };
  }
  const k = koffi();
  const bytes = Buffer.alloc(4 + text.length * 2 + 2);
  bytes.writeUInt32LE(text.length * 2, 0);
  bytes.write(text, 4, 'utf16le');
  const base = k.alloc('uint8_t', bytes.length) as bigint;
  k.encode(base, 'uint8_t', [...bytes], bytes.length);
  return { ptr: base + 4n, free: () => k.free(base) };
}

/** The text of a BSTR, by its length prefix (a BSTR may hold NULs); '' for NULL. */
export function readBstr(ptr: bigint | null): string {
  if (ptr === null) return '';
  const k = koffi();
  const byteLength = k.decode(ptr - 4n, 'uint32_t') as number;
  return Buffer.from(k.view(ptr, byteLength)).toString('utf16le');
}

/** Fills a VARIANT buffer with `value`; returns what must be freed after the call. */
function fillVariant(runtime: ComRuntime, value: VariantValue, variant: Buffer): (() => void) | null {
  variant.writeUInt16LE(VT_OF[value.type], 0);
  switch (value.type) {
    case 'empty':
      return null;
    case 'bstr': {
      const bstr = allocBstr(runtime, value.value);
      writePointer(variant, bstr.ptr, 8);
      return () => bstr.free();
    }
    case 'i4':
      variant.writeInt32LE(value.value, 8);
      return null;
    case 'ui4':
      variant.writeUInt32LE(value.value, 8);
      return null;
    case 'ui8':
      variant.writeBigUInt64LE(value.value, 8);
      return null;
    case 'bool':
      variant.writeInt16LE(value.value ? VARIANT_TRUE : 0, 8);
      return null;
    case 'unknown':
      writePointer(variant, value.value, 8);
      return null;
    case 'ui1-array': {
      const array = allocByteSafeArray(runtime, value.value);
      writePointer(variant, array.ptr, 8);
      return () => array.free();
    }
  }
}

/**
 * Calls `fn` with an in-VARIANT (`const VARIANT *`) holding `value`, then frees what was
 * allocated for it (the caller keeps ownership of what it passes in).
 */
export async function withVariant<T>(runtime: ComRuntime, value: VariantValue, fn: (variant: Buffer) => Promise<T>): Promise<T> {
  const variant = Buffer.alloc(variantSize());
  const free = fillVariant(runtime, value, variant);
  try {
    return await fn(variant);
  } finally {
    free?.();
  }
}

/** Calls `fn` with a VARIANT of type VT_BSTR holding `text`, then frees the BSTR. */
export function withBstrVariant<T>(runtime: ComRuntime, text: string, fn: (variant: Buffer) => Promise<T>): Promise<T> {
  return withVariant(runtime, { type: 'bstr', value: text }, fn);
}

/** Thrown for an out-VARIANT of a type this binding does not read (it is still cleared). */
export class UnsupportedVariantError extends TypeError {
  constructor(readonly vt: number) {
    super(`VARIANT type 0x${vt.toString(16)} is not supported`);
    this.name = 'UnsupportedVariantError';
  }
}

/** VariantClear, with a JS fallback for the types this module creates when the runtime has none. */
export function clearVariant(runtime: ComRuntime, variant: Buffer): void {
  const vt = variant.readUInt16LE(0);
  if (runtime.variantClear) {
    runtime.variantClear(variant);
  } else if (vt === VT_BSTR) {
    const ptr = readPointer(variant, 8);
    if (ptr !== null && runtime.sysFreeString) runtime.sysFreeString(ptr);
  } else if (vt !== VT_EMPTY && vt !== VT_I4 && vt !== VT_UI4 && vt !== VT_UI8 && vt !== VT_BOOL) {
    throw new UnsupportedVariantError(vt);
  }
  variant.fill(0, 0, 8);
}

/**
 * Reads an out-VARIANT the callee filled, then clears it. A VT_UNKNOWN pointer is moved out first
 * (the VARIANT is emptied), so its one reference goes to the caller.
 */
export function takeVariant(runtime: ComRuntime, variant: Buffer): VariantValue {
  const vt = variant.readUInt16LE(0);
  if (vt === VT_UNKNOWN) {
    const ptr = readPointer(variant, 8);
    variant.fill(0);
    return { type: 'unknown', value: ptr };
  }
  try {
    switch (vt) {
      case VT_EMPTY:
        return { type: 'empty' };
      case VT_BSTR:
        return { type: 'bstr', value: readBstr(readPointer(variant, 8)) };
      case VT_I4:
        return { type: 'i4', value: variant.readInt32LE(8) };
      case VT_UI4:
        return { type: 'ui4', value: variant.readUInt32LE(8) };
      case VT_UI8:
        return { type: 'ui8', value: variant.readBigUInt64LE(8) };
      case VT_BOOL:
        return { type: 'bool', value: variant.readInt16LE(8) !== 0 };
      default:
        throw new UnsupportedVariantError(vt);
    }
  } finally {
    clearVariant(runtime, variant);
  }
}

/**
 * SAFEARRAY (oaidl.h) as the two pointer sizes lay it out: cDims, fFeatures, cbElements, cLocks,
 * pvData, then one SAFEARRAYBOUND { cElements, lLbound } (checked against the Windows compilers by
 * test/unit/abi/safearray.test.ts).
 */
export function safeArrayLayout(ptrSize: 4 | 8): { readonly size: number; readonly pvData: number; readonly cElements: number; readonly lLbound: number } {
  return ptrSize === 8 ? { size: 32, pvData: 16, cElements: 24, lLbound: 28 } : { size: 24, pvData: 12, cElements: 16, lLbound: 20 };
}

/** FADF_HAVEVARTYPE: the element VARTYPE is stored in the 4 bytes before the descriptor. */
export const FADF_HAVEVARTYPE = 0x80;

/**
 * A one-dimensional SAFEARRAY of `bytes` (VT_UI1, lower bound 0): SafeArrayCreateVector where the
 * runtime has oleaut32, else the same layout built in native memory (VARTYPE, descriptor, data).
 */
export function allocByteSafeArray(runtime: ComRuntime, bytes: Uint8Array): { readonly ptr: bigint; free(): void } {
  const k = koffi();
  const layout = safeArrayLayout(pointerSize() as 4 | 8);
  if (runtime.safeArrayCreateVector && runtime.safeArrayDestroy) {
    const ptr = runtime.safeArrayCreateVector(VT_UI1, 0, bytes.length);
    const data = k.decode(ptr + BigInt(layout.pvData), 'void *') as bigint | null;
    if (data !== null && bytes.length > 0) Buffer.from(k.view(data, bytes.length)).set(bytes);
    return { ptr, free: () => void runtime.safeArrayDestroy!(ptr) };
  }
  // 8 bytes in front keep the descriptor pointer-aligned; its VARTYPE sits in the 4 just before it.
  const total = 8 + layout.size + bytes.length;
  const base = k.alloc('uint8_t', total) as bigint;
  const block = Buffer.alloc(total);
  block.writeUInt32LE(VT_UI1, 4);
  const d = 8;
  block.writeUInt16LE(1, d); // cDims
  block.writeUInt16LE(FADF_HAVEVARTYPE, d + 2);
  block.writeUInt32LE(1, d + 4); // cbElements
  writePointer(block, base + BigInt(d + layout.size), d + layout.pvData);
  block.writeUInt32LE(bytes.length, d + layout.cElements);
  Buffer.from(bytes).copy(block, d + layout.size);
  k.encode(base, 'uint8_t', [...block], total);
  return { ptr: base + BigInt(d), free: () => k.free(base) };
}

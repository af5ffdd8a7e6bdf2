/**
 * The few VARIANTs the DO property methods exchange. Out-VARIANTs are written only with types that
 * own no memory (VT_UI8, VT_BOOL), so the client's VariantClear has nothing to free; BSTR outputs
 * would need SysAllocString, which the fake does not have.
 */
import { koffi, pointerSize, variantSize, VT_BOOL, VT_BSTR, VT_EMPTY, VT_I4, VT_UI4, VT_UI8 } from '../../com';
import { readBytes } from './wire';

export { variantSize, VT_BOOL, VT_BSTR, VT_EMPTY, VT_I4, VT_UI4, VT_UI8 };

export type VariantValue =
  | { readonly vt: typeof VT_EMPTY }
  | { readonly vt: typeof VT_BOOL; readonly value: boolean }
  | { readonly vt: typeof VT_UI8; readonly value: bigint }
  | { readonly vt: typeof VT_UI4 | typeof VT_I4; readonly value: number }
  | { readonly vt: typeof VT_BSTR; readonly value: string | null }
  | { readonly vt: number; readonly value?: undefined };

/** Decodes the VARIANT at `ptr` (a BSTR is read up to its NUL, its length prefix is not needed). */
export function readVariant(ptr: bigint): VariantValue {
  const b = readBytes(ptr, variantSize());
  const vt = b.readUInt16LE(0);
  switch (vt) {
    case VT_EMPTY:
      return { vt };
    case VT_BOOL:
      return { vt, value: b.readInt16LE(8) !== 0 };
    case VT_UI8:
      return { vt, value: b.readBigUInt64LE(8) };
    case VT_UI4:
      return { vt, value: b.readUInt32LE(8) };
    case VT_I4:
      return { vt, value: b.readInt32LE(8) };
    case VT_BSTR: {
      const p = pointerSize() === 8 ? b.readBigUInt64LE(8) : BigInt(b.readUInt32LE(8));
      return { vt, value: p === 0n ? null : (koffi().decode(p, 'char16_t', -1) as string) };
    }
    default:
      return { vt };
  }
}

/** A VT_UI8 VARIANT's bytes (reserved words zeroed). */
export function variantU64(value: bigint): Buffer {
  const b = Buffer.alloc(variantSize());
  b.writeUInt16LE(VT_UI8, 0);
  b.writeBigUInt64LE(value, 8);
  return b;
}

/** A VT_BOOL VARIANT's bytes (VARIANT_TRUE is -1). */
export function variantBool(value: boolean): Buffer {
  const b = Buffer.alloc(variantSize());
  b.writeUInt16LE(VT_BOOL, 0);
  b.writeInt16LE(value ? -1 : 0, 8);
  return b;
}

/**
 * The fake's reading of a VT_ARRAY | VT_UI1 in-VARIANT, as the service's marshaller would take it:
 * one dimension, 1-byte elements, lower bound 0, VT_UI1 when the array says it has a VARTYPE.
 */
import { FADF_HAVEVARTYPE, koffi, pointerSize, readPointer, safeArrayLayout, VT_ARRAY, VT_UI1 } from '../../com';
import { readBytes } from './wire';

/** The bytes of the SAFEARRAY in `variant` (a VARIANT's bytes), or null after `problem` says what is wrong. */
export function readByteSafeArray(variant: Buffer, problem: (message: string) => void): Buffer | null {
  if (variant.readUInt16LE(0) !== (VT_ARRAY | VT_UI1)) return fail(problem, `VARIANT type 0x${variant.readUInt16LE(0).toString(16)}, not VT_ARRAY|VT_UI1`);
  const psa = readPointer(variant, 8);
  if (psa === null) return fail(problem, 'a NULL SAFEARRAY');
  const layout = safeArrayLayout(pointerSize() as 4 | 8);
  const d = readBytes(psa, layout.size);
  const features = d.readUInt16LE(2);
  if (d.readUInt16LE(0) !== 1 || d.readUInt32LE(4) !== 1) return fail(problem, `a SAFEARRAY of ${d.readUInt16LE(0)} dimensions and ${d.readUInt32LE(4)}-byte elements`);
  if ((features & FADF_HAVEVARTYPE) && readBytes(psa - 4n, 4).readUInt32LE(0) !== VT_UI1) return fail(problem, 'a SAFEARRAY whose VARTYPE is not VT_UI1');
  if (d.readInt32LE(layout.lLbound) !== 0) return fail(problem, 'a SAFEARRAY whose lower bound is not 0');
  const count = d.readUInt32LE(layout.cElements);
  const data = readPointer(d, layout.pvData);
  if (count === 0 || data === null) return fail(problem, 'an empty SAFEARRAY');
  // A copy: the caller frees the array when the call returns.
  return Buffer.from(new Uint8Array(koffi().view(data, count) as ArrayBuffer));
}

function fail(problem: (message: string) => void, message: string): null {
  problem(message);
  return null;
}

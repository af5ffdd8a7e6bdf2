/**
 * IDODownload::GetProperty / SetProperty of the fake: values held as the VARIANT types of the SDK
 * table (src/ido/properties.ts), with DO's answers for unknown, read-only and write-only ids.
 */
import { ComPtr, IStream, IUnknown, pointerSize, readPointer, VT_UNKNOWN } from '../../com';
import { DODownloadProperty as P, DODownloadState as S, IDODownloadStatusCallback, PROPERTY_INFO, type PropertyInfo } from '../../ido';
import type { FakeRuntime } from '../service/runtime';
import {
  CRYPT_E_FILE_ERROR, DO_E_FILE_DOWNLOADSINK_ALREADY_SET, DO_E_INVALID_STATE, DO_E_READ_ONLY_PROPERTY, DO_E_UNKNOWN_PROPERTY_ID, DO_E_WRITE_ONLY_PROPERTY,
  E_INVALIDARG, E_NOINTERFACE, E_NOT_SET,
} from '../service/hresults';
import { readVariant, variantSize, VT_BOOL, VT_BSTR, VT_EMPTY, VT_UI4, VT_UI8 } from '../objects/variant';
import { answer, readBytes } from '../objects/wire';
import { isForeignWindowsPath } from '../job/rules';
import { readByteSafeArray } from '../objects/safearray';
import { parseFakeCertificate } from './fake-certificates';

/** A property's value as the fake keeps it. */
export type Stored = string | number | bigint | boolean;

/** What the property methods read and set on their download (FakeIdoDownload). */
export interface PropertyHolder {
  readonly id: string;
  readonly state: S;
  readonly values: Map<P, Stored>;
  /** AddRef'd client objects. */
  callback: bigint | null;
  stream: bigint | null;
  readonly ctx: { readonly runtime: FakeRuntime; recordProblem(message: string): void };
}

/** Defaults answered for properties never set (what DO documents as its defaults). */
const DEFAULTS: Partial<Record<P, Stored>> = {
  [P.CallbackFreqSeconds]: 1,
  [P.ForegroundPriority]: false,
  [P.BlockingMode]: false,
  [P.NonVolatile]: false,
};

function readVariantBytes(p: bigint): Buffer {
  return readBytes(p, variantSize());
}

/** IDODownload::GetProperty: the stored value as the VARIANT type of the SDK table (the VARIANT's bytes). */
export function getDownloadProperty(d: PropertyHolder, id: number): Buffer {
  const info = (PROPERTY_INFO as Record<number, PropertyInfo | undefined>)[id];
  if (!info) answer(DO_E_UNKNOWN_PROPERTY_ID);
  if (!info.read) answer(DO_E_WRITE_ONLY_PROPERTY);
  const variant = Buffer.alloc(variantSize());
  const ps = pointerSize();
  const writePtr = (v: bigint) => (ps === 8 ? variant.writeBigUInt64LE(v, 8) : variant.writeUInt32LE(Number(v), 8));
  if (info.vt === 'unknown') {
    const p = id === P.CallbackInterface ? d.callback : d.stream;
    if (p === null) answer(E_NOT_SET);
    ComPtr.borrow(p, IUnknown, d.ctx.runtime).invokeRawSync('AddRef');
    variant.writeUInt16LE(VT_UNKNOWN, 0);
    writePtr(p);
    return variant;
  }
  const value = id === P.Id ? d.id : d.values.get(id as P) ?? DEFAULTS[id as P];
  if (value === undefined) answer(E_NOT_SET);
  switch (info.vt) {
    case 'bstr':
      variant.writeUInt16LE(VT_BSTR, 0);
      writePtr((d.ctx.runtime.sysAllocString as (t: string) => bigint).call(d.ctx.runtime, value as string));
      break;
    case 'ui4':
      variant.writeUInt16LE(VT_UI4, 0);
      variant.writeUInt32LE(value as number, 8);
      break;
    case 'ui8':
      variant.writeUInt16LE(VT_UI8, 0);
      variant.writeBigUInt64LE(value as bigint, 8);
      break;
    case 'bool':
      variant.writeUInt16LE(VT_BOOL, 0);
      variant.writeInt16LE(value ? -1 : 0, 8);
      break;
    default:
      answer(E_NOT_SET);
  }
  return variant;
}

/** IDODownload::SetProperty: type-checked against the SDK table, refused in the wrong state. */
export function setDownloadProperty(d: PropertyHolder, id: number, pVariant: bigint | null): void {
  const info = (PROPERTY_INFO as Record<number, PropertyInfo | undefined>)[id];
  if (!info) answer(DO_E_UNKNOWN_PROPERTY_ID);
  if (!info.write) answer(DO_E_READ_ONLY_PROPERTY);
  if (d.state === S.Finalized || d.state === S.Aborted) answer(DO_E_INVALID_STATE);
  if (pVariant === null) answer(E_INVALIDARG);
  const v = readVariant(pVariant);
  const sinkOrSource = id === P.Uri || id === P.ContentId || id === P.LocalPath || id === P.StreamInterface;
  if (sinkOrSource && d.state !== S.Created) answer(DO_E_INVALID_STATE);
  if (info.vt === 'unknown') return setInterface(d, id as P, v.vt === VT_EMPTY ? null : v.vt === VT_UNKNOWN ? readPointer(readVariantBytes(pVariant), 8) : undefined);
  switch (info.vt) {
    case 'bstr': {
      if (v.vt !== VT_BSTR || typeof v.value !== 'string') answer(E_INVALIDARG);
      checkBstr(d, pVariant, v.value, id);
      if (id === P.LocalPath && d.stream !== null) answer(DO_E_FILE_DOWNLOADSINK_ALREADY_SET);
      if (id === P.LocalPath && isForeignWindowsPath(v.value)) answer(E_INVALIDARG);
      d.values.set(id as P, v.value);
      return;
    }
    case 'ui4':
      if (v.vt !== VT_UI4) answer(E_INVALIDARG);
      d.values.set(id as P, v.value as number);
      return;
    case 'ui8':
      if (v.vt !== VT_UI8) answer(E_INVALIDARG);
      d.values.set(id as P, v.value as bigint);
      return;
    case 'bool':
      if (v.vt !== VT_BOOL) answer(E_INVALIDARG);
      d.values.set(id as P, v.value as boolean);
      return;
    case 'ui1-array': {
      const bytes = readByteSafeArray(readVariantBytes(pVariant), (problem) => d.ctx.recordProblem(`IDODownload::SetProperty(${P[id]}): ${problem}`));
      if (bytes === null) answer(E_INVALIDARG);
      if (parseFakeCertificate(bytes) === null) answer(CRYPT_E_FILE_ERROR);
      d.values.set(id as P, bytes.toString('hex'));
      return;
    }
    default:
      answer(E_INVALIDARG);
  }
}

/** A VT_BSTR in-VARIANT must hold a real BSTR: its length prefix must match the text. */
function checkBstr(d: PropertyHolder, pVariant: bigint, text: string, id: number): void {
  const bstr = readPointer(readVariantBytes(pVariant), 8) as bigint;
  const prefix = readBytes(bstr - 4n, 4).readUInt32LE(0);
  if (prefix !== text.length * 2) {
    d.ctx.recordProblem(`IDODownload::SetProperty(${P[id]}) got a VT_BSTR whose length prefix (${prefix}) does not match its text: not a BSTR`);
    answer(E_INVALIDARG);
  }
}

function setInterface(d: PropertyHolder, id: P, unknown: bigint | null | undefined): void {
  if (unknown === undefined) answer(E_INVALIDARG);
  const iface = id === P.CallbackInterface ? IDODownloadStatusCallback : IStream;
  let kept: bigint | null = null;
  if (unknown !== null) {
    if (id === P.StreamInterface && d.values.has(P.LocalPath)) answer(DO_E_FILE_DOWNLOADSINK_ALREADY_SET);
    const qi = ComPtr.borrow(unknown, IUnknown, d.ctx.runtime).invokeRawSync('QueryInterface', iface.iid);
    if (qi.failed || qi.value === null) answer(E_NOINTERFACE);
    kept = qi.value;
  }
  const previous = id === P.CallbackInterface ? d.callback : d.stream;
  if (id === P.CallbackInterface) d.callback = kept;
  else d.stream = kept;
  if (previous !== null) ComPtr.borrow(previous, IUnknown, d.ctx.runtime).invokeRawSync('Release');
}

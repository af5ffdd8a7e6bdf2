/**
 * The fake's own reading of the structures a client passes in, written from the SDK headers and
 * deliberately independent of src/bits/structs.ts: a layout mistake in the library must not be
 * mirrored by the fake, where it would round-trip unseen. (Out-structs are written byte by byte
 * next to their handlers: job/fake-job.ts, job/fake-file.ts; DOSwarmStats, which has no header, through
 * the library's declaration, itself checked against the compilers' layout of the DO docs' one.)
 */
import { koffi, pointerSize, type KoffiType } from '../../com';
import { arg, readBytes } from './wire';

/** A pointer-sized field at `offset` of `b`, as a bigint (0n for NULL). */
function pointerAt(b: Buffer, offset: number): bigint {
  return pointerSize() === 8 ? b.readBigUInt64LE(offset) : BigInt(b.readUInt32LE(offset));
}

function wideString(p: bigint): string | null {
  return arg.str(p === 0n ? null : p);
}

/** BG_FILE_INFO { LPWSTR RemoteName; LPWSTR LocalName; }: two pointers, no padding. */
export function readFileInfos(p: bigint, count: number): Array<{ remote: string | null; local: string | null }> {
  const ps = pointerSize();
  const b = readBytes(p, count * 2 * ps);
  return Array.from({ length: count }, (_, i) => ({ remote: wideString(pointerAt(b, i * 2 * ps)), local: wideString(pointerAt(b, i * 2 * ps + ps)) }));
}

/**
 * BG_AUTH_CREDENTIALS { BG_AUTH_TARGET Target; BG_AUTH_SCHEME Scheme; union { BG_BASIC_CREDENTIALS
 * Basic; } Credentials; } with BG_BASIC_CREDENTIALS { LPWSTR UserName; LPWSTR Password; }: two
 * 4-byte enums, then the pointers (at 8 on both targets: 8 bytes of enums need no padding).
 */
export function readAuthCredentials(p: bigint): { target: number; scheme: number; userName: string | null; password: string | null } {
  const ps = pointerSize();
  const b = readBytes(p, 8 + 2 * ps);
  return { target: b.readUInt32LE(0), scheme: b.readUInt32LE(4), userName: wideString(pointerAt(b, 8)), password: wideString(pointerAt(b, 8 + ps)) };
}

let propertyValue: KoffiType | undefined;
/**
 * BITS_JOB_PROPERTY_VALUE as the fake receives it by value: 16 bytes, 8-aligned (its largest
 * members are a GUID and a UINT64). The fake reads the raw bytes and interprets them per property.
 */
export function jobPropertyValueBytesType(): KoffiType {
  if (propertyValue) return propertyValue;
  const k = koffi();
  try {
    propertyValue = k.type('FAKE_JOB_PROPERTY_VALUE_BYTES');
  } catch {
    propertyValue = k.union('FAKE_JOB_PROPERTY_VALUE_BYTES', { bytes: k.array('uint8_t', 16), alignment: 'uint64_t' });
  }
  return propertyValue;
}

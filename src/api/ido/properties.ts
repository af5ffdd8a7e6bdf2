/**
 * DODownloadProperty values: checked against the SDK's VARIANT type for the property before they
 * reach native code, and decoded from the out-VARIANT by the same table.
 */
import type { VariantValue } from '../../com';
import { DODownloadProperty, PROPERTY_INFO, type PropertyInfo, type PropertyValue } from '../../ido';
import { invalidArgType, invalidArgValue, validateBoolean, validateEnum, validateUint32, validateUint64 } from '../validate';

/** Properties whose values may hold secrets: never echoed in an error message. */
const SECRET: ReadonlySet<DODownloadProperty> = new Set([
  DODownloadProperty.HttpCustomHeaders, DODownloadProperty.HttpCustomAuthHeaders, DODownloadProperty.DecryptionInfo,
]);

/** Properties a DODownload manages itself (its callback object and its stream sink). */
const MANAGED: ReadonlySet<DODownloadProperty> = new Set([DODownloadProperty.CallbackInterface, DODownloadProperty.StreamInterface]);

/** Values a caller may read or write through getProperty / setProperty. */
export type SettableProperty = Exclude<DODownloadProperty, DODownloadProperty.CallbackInterface | DODownloadProperty.StreamInterface | DODownloadProperty.SecurityContext>;

export function checkPropertyId(id: unknown, name = 'id'): { id: SettableProperty; info: PropertyInfo } {
  const checked = validateEnum(id, DODownloadProperty, name);
  if (MANAGED.has(checked)) {
    throw invalidArgValue(name, id, `(${DODownloadProperty[checked]}) is managed by DODownload: use on('status') or stream()`);
  }
  if (checked === DODownloadProperty.SecurityContext) {
    throw invalidArgValue(name, id, '(SecurityContext) is set with setClientCertificate({ sha1Hash | subjectName, storeName, location })');
  }
  return { id: checked as SettableProperty, info: PROPERTY_INFO[checked] };
}

/** The VARIANT for `value`, or a TypeError / RangeError naming the property. */
export function encodeProperty(id: SettableProperty, value: unknown): VariantValue {
  const info: PropertyInfo = PROPERTY_INFO[id];
  const name = `value of ${DODownloadProperty[id]}`;
  switch (info.vt) {
    case 'bstr':
      if (typeof value !== 'string') throw invalidArgType(name, 'of type string', SECRET.has(id) ? typeof value : value);
      if (value.includes('\0')) throw invalidArgValue(name, SECRET.has(id) ? '[redacted]' : value, 'must not contain NUL characters');
      return { type: 'bstr', value };
    case 'ui4':
      return { type: 'ui4', value: validateUint32(value, name) };
    case 'ui8':
      return { type: 'ui8', value: validateUint64(value, name) };
    case 'bool':
      return { type: 'bool', value: validateBoolean(value, name) };
    default:
      throw invalidArgValue('id', id, 'names a property this binding cannot set');
  }
}

/** The JS value of an out-VARIANT read for `id`. */
export function decodeProperty<K extends SettableProperty>(id: K, v: VariantValue): PropertyValue<K> {
  const expected = PROPERTY_INFO[id].vt;
  if (v.type === 'empty') return null as unknown as PropertyValue<K>;
  // The service may answer a related integer type; take the value rather than fail on it.
  if (expected === 'ui4' && (v.type === 'i4' || v.type === 'ui4')) return v.value as unknown as PropertyValue<K>;
  if (expected === 'ui8' && (v.type === 'ui4' || v.type === 'i4')) return BigInt(v.value) as unknown as PropertyValue<K>;
  if (v.type === expected) return v.value as unknown as PropertyValue<K>;
  throw new TypeError(`${DODownloadProperty[id]} came back as a VARIANT of type ${v.type}, not ${expected}`);
}

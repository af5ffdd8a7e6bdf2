/** IBackgroundCopyJob5 property values: BITS_JOB_PROPERTY_VALUE is a union whose member depends on the id. */
import { guidFromBytes, guidToBytes } from '../com';
import { AuthTarget, JobPropertyId, type JobPropertyValueWire } from '../bits';
import { validateBoolean, validateEnum, validateGuid, validateUint32, validateUint64 } from './validate';

/** A property's JS value: number (DWORD), bigint (UINT64), boolean (BOOL) or string (a CLSID). */
export type JobPropertyValue = number | bigint | boolean | string;

/** JS value → the union member for `id`, validated. */
export function encodeJobProperty(id: JobPropertyId, value: unknown): JobPropertyValueWire {
  switch (id) {
    case JobPropertyId.CostFlags:
    case JobPropertyId.MinimumNotificationIntervalMs:
      return { Dword: validateUint32(value, 'value') };
    case JobPropertyId.NotificationClsid:
      return { ClsID: [...guidToBytes(validateGuid(value, 'value'))] };
    case JobPropertyId.MaxDownloadSize:
      return { Uint64: validateUint64(value, 'value') };
    case JobPropertyId.UseStoredCredentials:
      return { Target: validateEnum(value, AuthTarget, 'value') };
    default:
      return { Enable: validateBoolean(value, 'value') ? 1 : 0 };
  }
}

/** The 16 raw bytes of a BITS_JOB_PROPERTY_VALUE → the JS value for `id`. */
export function decodeJobProperty(id: JobPropertyId, raw: Buffer): JobPropertyValue {
  switch (id) {
    case JobPropertyId.CostFlags:
    case JobPropertyId.MinimumNotificationIntervalMs:
    case JobPropertyId.UseStoredCredentials:
      return raw.readUInt32LE(0);
    case JobPropertyId.NotificationClsid:
      return guidFromBytes(raw);
    case JobPropertyId.MaxDownloadSize:
      return raw.readBigUInt64LE(0);
    default:
      return raw.readInt32LE(0) !== 0;
  }
}


/**
 * DODownloadProperty_SecurityContext: the client certificate a download presents to HTTPS servers.
 * Its documented form is "the serialized bytes of CERT_CONTEXT", as VT_ARRAY | VT_UI1 (Microsoft's
 * DODownloadProperty reference), which is what microsoft/do-client's Windows SDK sends
 * (sdk-cpp/src/internal/com/download_impl.cpp, CDownloadImpl::SetClientCert: SafeArrayCreateVector
 * (VT_UI1) filled with the caller's bytes, then SetProperty(DODownloadProperty_SecurityContext)). The
 * caller names a certificate in a Windows store (by SHA-1 thumbprint or subject); the bytes come from
 * the store (CertSerializeCertificateStoreElement), so no key ever passes through JavaScript.
 */
import { CertStoreLocation } from '../../bits/enums';
import { SystemStoreLocation, type CertificateQuery } from '../../certificates/store';
import { CertificateNotFoundError } from '../../errors';
import type { ServiceProvider } from '../service';
import { invalidArgType, invalidArgValue, validateEnum, validateOptionsObject, validateString } from '../validate';

/** A client certificate in a Windows certificate store: by SHA-1 thumbprint, or by subject. */
export interface DOClientCertificate {
  /** The store's name. Default 'MY' (Personal). */
  readonly storeName?: string;
  /** Where the store is. Default CertStoreLocation.CurrentUser. */
  readonly location?: CertStoreLocation;
  /** The SHA-1 thumbprint: 40 hex digits (spaces or colons between them allowed) or 20 bytes. */
  readonly sha1Hash?: string | Uint8Array;
  /** Text the certificate's subject contains (the first match is used). */
  readonly subjectName?: string;
}

/** BG_CERT_STORE_LOCATION (0 … 7) → CERT_SYSTEM_STORE_*_ID. */
const SYSTEM_LOCATION: Record<CertStoreLocation, SystemStoreLocation> = {
  [CertStoreLocation.CurrentUser]: SystemStoreLocation.CurrentUser,
  [CertStoreLocation.LocalMachine]: SystemStoreLocation.LocalMachine,
  [CertStoreLocation.CurrentService]: SystemStoreLocation.CurrentService,
  [CertStoreLocation.Services]: SystemStoreLocation.Services,
  [CertStoreLocation.Users]: SystemStoreLocation.Users,
  [CertStoreLocation.CurrentUserGroupPolicy]: SystemStoreLocation.CurrentUserGroupPolicy,
  [CertStoreLocation.LocalMachineGroupPolicy]: SystemStoreLocation.LocalMachineGroupPolicy,
  [CertStoreLocation.LocalMachineEnterprise]: SystemStoreLocation.LocalMachineEnterprise,
};

/** The CERT_SYSTEM_STORE_*_ID of a BG_CERT_STORE_LOCATION. */
export function systemStoreLocation(location: CertStoreLocation): SystemStoreLocation {
  return SYSTEM_LOCATION[location];
}

function sha1Of(value: unknown, name: string): Buffer {
  if (value instanceof Uint8Array) {
    if (value.length !== 20) throw invalidArgValue(name, `${value.length} bytes`, 'must be a 20-byte SHA-1 thumbprint');
    return Buffer.from(value);
  }
  if (typeof value !== 'string') throw invalidArgType(name, 'a SHA-1 thumbprint (40 hex digits or 20 bytes)', value);
  const hex = value.replace(/[\s:]/g, '');
  if (!/^[0-9a-fA-F]{40}$/.test(hex)) throw invalidArgValue(name, value, 'must be a SHA-1 thumbprint: 40 hex digits');
  return Buffer.from(hex, 'hex');
}

/** The certificate named by `value`, checked: one of sha1Hash / subjectName, a store name, a location. */
export function checkClientCertificate(value: unknown, name = 'certificate'): CertificateQuery {
  const o = validateOptionsObject(value, name, ['storeName', 'location', 'sha1Hash', 'subjectName']);
  if ((o.sha1Hash === undefined) === (o.subjectName === undefined)) throw invalidArgValue(name, value, 'needs one of sha1Hash or subjectName');
  const storeName = o.storeName === undefined ? 'MY' : validateString(o.storeName, `${name}.storeName`, { min: 1, max: 256 });
  const location = o.location === undefined ? CertStoreLocation.CurrentUser : validateEnum(o.location, CertStoreLocation, `${name}.location`);
  const base = { storeName, location: SYSTEM_LOCATION[location] };
  if (o.sha1Hash !== undefined) return { ...base, sha1Hash: sha1Of(o.sha1Hash, `${name}.sha1Hash`) };
  return { ...base, subjectName: validateString(o.subjectName, `${name}.subjectName`, { min: 1, max: 1024 }) };
}

/** The serialized certificate from the service's store; CertificateNotFoundError when it is not there. */
export function serializedCertificate(service: ServiceProvider, query: CertificateQuery): Buffer {
  if (!service.certificateStore) throw new TypeError(`${service.displayName} has no certificate store to take a client certificate from`);
  const result = service.certificateStore.serialize(query);
  if (result.found) return result.bytes;
  const location = SystemStoreLocation[query.location].replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
  const lookedFor = query.sha1Hash ? `SHA-1 ${query.sha1Hash.toString('hex')}` : `subject "${query.subjectName}"`;
  throw new CertificateNotFoundError({ storeName: query.storeName, location, lookedFor, storeMissing: result.reason === 'store-not-found', detail: result.detail });
}

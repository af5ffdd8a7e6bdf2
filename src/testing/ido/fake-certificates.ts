/**
 * The fake's certificate store (option `certificates`) and the serialized form it hands out: not a
 * real serialized CERT_CONTEXT, but bytes its IDODownload::SetProperty(SecurityContext) recognises
 * (a marker, the SHA-1 thumbprint, the subject), so tests see which certificate reached the service.
 * Anything else is refused with CRYPT_E_FILE_ERROR, as Delivery Optimization refuses bytes that are
 * not a serialized certificate (microsoft/do-client sdk-cpp/tests/download_properties_tests.cpp,
 * InvalidClientCertTest).
 */
import { CertStoreLocation } from '../../bits/enums';
import { systemStoreLocation } from '../../api/ido/client-certificate';
import type { CertificateQuery, CertificateStore, SerializedCertificate } from '../../certificates/store';

/** A certificate the fake's store holds (option `certificates`). */
export interface FakeCertificate {
  /** Its store, e.g. 'MY'. */
  readonly storeName: string;
  /** Default CertStoreLocation.CurrentUser. */
  readonly location?: CertStoreLocation;
  /** e.g. 'CN=client.example'. */
  readonly subjectName: string;
  /** Its SHA-1 thumbprint, 40 hex digits. */
  readonly sha1Hash: string;
}

const MARKER = Buffer.from('fake serialized certificate\0', 'latin1');
/** Stores every Windows has, even when empty. */
const SYSTEM_STORES = ['MY', 'ROOT', 'CA', 'TRUST', 'DISALLOWED'];

/** The bytes the fake's store hands out for `cert`. */
export function fakeSerializedCertificate(cert: Pick<FakeCertificate, 'sha1Hash' | 'subjectName'>): Buffer {
  return Buffer.concat([MARKER, Buffer.from(cert.sha1Hash, 'hex'), Buffer.from(cert.subjectName, 'utf8')]);
}

/** What the fake service reads back from serialized bytes, or null when they are not its own. */
export function parseFakeCertificate(bytes: Buffer): { sha1Hash: string; subjectName: string } | null {
  if (bytes.length < MARKER.length + 20 || !bytes.subarray(0, MARKER.length).equals(MARKER)) return null;
  return { sha1Hash: bytes.subarray(MARKER.length, MARKER.length + 20).toString('hex'), subjectName: bytes.subarray(MARKER.length + 20).toString('utf8') };
}

export function fakeCertificateStore(certificates: readonly FakeCertificate[]): CertificateStore {
  return {
    serialize(query: CertificateQuery): SerializedCertificate {
      const inStore = certificates.filter((c) => c.storeName.toUpperCase() === query.storeName.toUpperCase()
        && systemStoreLocation(c.location ?? CertStoreLocation.CurrentUser) === query.location);
      if (inStore.length === 0 && !SYSTEM_STORES.includes(query.storeName.toUpperCase())) return { found: false, reason: 'store-not-found' };
      const match = query.sha1Hash
        ? inStore.find((c) => c.sha1Hash.toLowerCase() === query.sha1Hash?.toString('hex'))
        : inStore.find((c) => c.subjectName.toLowerCase().includes((query.subjectName ?? '').toLowerCase()));
      return match ? { found: true, bytes: fakeSerializedCertificate(match) } : { found: false, reason: 'certificate-not-found' };
    },
  };
}

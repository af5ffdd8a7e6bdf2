/**
 * The Windows certificate store through crypt32.dll, bound with koffi on first use (Windows only):
 * CertOpenStore(CERT_STORE_PROV_SYSTEM_W, read-only, existing store) → CertFindCertificateInStore
 * (CERT_FIND_SHA1_HASH or CERT_FIND_SUBJECT_STR_W) → CertSerializeCertificateStoreElement, and every
 * handle closed in `finally`. Nothing here reads or exports a private key.
 */
import { koffi, stdcall } from '../com/koffi';
import type { CertificateQuery, CertificateStore, SerializedCertificate } from './store';

/** CERT_STORE_PROV_SYSTEM_W: an integer passed as the LPCSTR provider name. */
const CERT_STORE_PROV_SYSTEM_W = 10;
const CERT_SYSTEM_STORE_LOCATION_SHIFT = 16;
const CERT_STORE_OPEN_EXISTING_FLAG = 0x4000;
const CERT_STORE_READONLY_FLAG = 0x8000;
/** X509_ASN_ENCODING | PKCS_7_ASN_ENCODING. */
const ENCODING = 0x00010001;
/** CERT_COMPARE_SHA1_HASH << CERT_COMPARE_SHIFT. */
const CERT_FIND_SHA1_HASH = 0x10000;
/** CERT_COMPARE_NAME_STR_W << CERT_COMPARE_SHIFT | CERT_INFO_SUBJECT_FLAG. */
const CERT_FIND_SUBJECT_STR_W = 0x80007;

interface Crypt32 {
  CertOpenStore(provider: bigint, encoding: number, prov: null, flags: number, storeName: string): bigint | null;
  CertFindByHash(store: bigint, encoding: number, findFlags: number, findType: number, para: { cbData: number; pbData: Buffer }, previous: null): bigint | null;
  CertFindBySubject(store: bigint, encoding: number, findFlags: number, findType: number, para: string, previous: null): bigint | null;
  CertSerializeCertificateStoreElement(cert: bigint, flags: number, out: Buffer | null, size: Buffer): number;
  CertFreeCertificateContext(cert: bigint): number;
  CertCloseStore(store: bigint, flags: number): number;
  GetLastError(): number;
}

let bound: Crypt32 | undefined;

function bind(): Crypt32 {
  if (bound) return bound;
  const k = koffi();
  const lib = k.load('crypt32.dll');
  const kernel32 = k.load('kernel32.dll');
  const cc = stdcall();
  // CRYPT_HASH_BLOB (wincrypt.h): koffi passes pbData as the address of the caller's Buffer.
  k.struct('DOPT_CRYPT_HASH_BLOB', { cbData: 'uint32_t', pbData: 'uint8_t *' });
  bound = {
    CertOpenStore: lib.func(`void * ${cc}CertOpenStore(uintptr_t provider, uint32_t encoding, void *prov, uint32_t flags, const char16_t *para)`),
    CertFindByHash: lib.func(`void * ${cc}CertFindCertificateInStore(void *store, uint32_t encoding, uint32_t findFlags, uint32_t findType, const DOPT_CRYPT_HASH_BLOB *para, void *previous)`),
    CertFindBySubject: lib.func(`void * ${cc}CertFindCertificateInStore(void *store, uint32_t encoding, uint32_t findFlags, uint32_t findType, const char16_t *para, void *previous)`),
    CertSerializeCertificateStoreElement: lib.func(`int ${cc}CertSerializeCertificateStoreElement(void *cert, uint32_t flags, uint8_t *element, uint32_t *size)`),
    CertFreeCertificateContext: lib.func(`int ${cc}CertFreeCertificateContext(void *cert)`),
    CertCloseStore: lib.func(`int ${cc}CertCloseStore(void *store, uint32_t flags)`),
    GetLastError: kernel32.func(`uint32_t ${cc}GetLastError()`),
  } as unknown as Crypt32;
  return bound;
}

function find(api: Crypt32, store: bigint, query: CertificateQuery): bigint | null {
  if (query.sha1Hash) return api.CertFindByHash(store, ENCODING, 0, CERT_FIND_SHA1_HASH, { cbData: query.sha1Hash.length, pbData: query.sha1Hash }, null);
  return api.CertFindBySubject(store, ENCODING, 0, CERT_FIND_SUBJECT_STR_W, query.subjectName as string, null);
}

function serialize(api: Crypt32, cert: bigint): Buffer {
  const size = Buffer.alloc(4);
  if (!api.CertSerializeCertificateStoreElement(cert, 0, null, size)) throw new Error(`CertSerializeCertificateStoreElement failed (error ${api.GetLastError()})`);
  const out = Buffer.alloc(size.readUInt32LE(0));
  if (!api.CertSerializeCertificateStoreElement(cert, 0, out, size)) throw new Error(`CertSerializeCertificateStoreElement failed (error ${api.GetLastError()})`);
  return out.subarray(0, size.readUInt32LE(0));
}

/** The machine's certificate stores (crypt32). */
export const windowsCertificateStore: CertificateStore = {
  serialize(query: CertificateQuery): SerializedCertificate {
    const api = bind();
    const flags = (query.location << CERT_SYSTEM_STORE_LOCATION_SHIFT) | CERT_STORE_OPEN_EXISTING_FLAG | CERT_STORE_READONLY_FLAG;
    const store = api.CertOpenStore(BigInt(CERT_STORE_PROV_SYSTEM_W), 0, null, flags, query.storeName);
    if (!store) return { found: false, reason: 'store-not-found', detail: `CertOpenStore error ${api.GetLastError()}` };
    try {
      const cert = find(api, store, query);
      if (!cert) return { found: false, reason: 'certificate-not-found' };
      try {
        return { found: true, bytes: serialize(api, cert) };
      } finally {
        api.CertFreeCertificateContext(cert);
      }
    } finally {
      api.CertCloseStore(store, 0);
    }
  },
};

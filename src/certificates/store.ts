/**
 * Client certificates in a Windows certificate store, as Delivery Optimization takes them: the
 * serialized certificate context (CertSerializeCertificateStoreElement), which carries the
 * certificate and the name of its private key's container, never the key itself. Where the bytes
 * come from is the service provider's business: crypt32 on Windows, the fake's store in tests.
 */

/** CERT_SYSTEM_STORE_*_ID (wincrypt.h): which system store collection. */
export enum SystemStoreLocation {
  CurrentUser = 1,
  LocalMachine = 2,
  CurrentService = 4,
  Services = 5,
  Users = 6,
  CurrentUserGroupPolicy = 7,
  LocalMachineGroupPolicy = 8,
  LocalMachineEnterprise = 9,
}

/** One certificate, by store and SHA-1 thumbprint or subject. */
export interface CertificateQuery {
  readonly location: SystemStoreLocation;
  /** e.g. 'MY'. */
  readonly storeName: string;
  /** The 20-byte SHA-1 thumbprint; or */
  readonly sha1Hash?: Buffer;
  /** a string the subject contains (CERT_FIND_SUBJECT_STR: the first match). */
  readonly subjectName?: string;
}

/** What a certificate store answers: the serialized certificate, or why there is none. */
export type SerializedCertificate =
  | { readonly found: true; readonly bytes: Buffer }
  | { readonly found: false; readonly reason: 'store-not-found' | 'certificate-not-found'; readonly detail?: string };

/** A place certificates are looked up in (crypt32 on Windows, the fake's list in tests). */
export interface CertificateStore {
  serialize(query: CertificateQuery): SerializedCertificate;
}

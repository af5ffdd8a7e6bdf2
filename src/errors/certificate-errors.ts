/** A client certificate that could not be found where the caller said it is. */
import { setErrorName } from './error-name';
import { errorToJSON } from './to-json';

/**
 * No certificate matched (or the store does not exist): found before anything reached the
 * download service. `code` is `ERR_CERTIFICATE_NOT_FOUND` or `ERR_CERTIFICATE_STORE_NOT_FOUND`.
 */
export class CertificateNotFoundError extends Error {
  static {
    setErrorName(this, 'CertificateNotFoundError');
  }
  /** `ERR_CERTIFICATE_NOT_FOUND` or `ERR_CERTIFICATE_STORE_NOT_FOUND`. */
  readonly code: 'ERR_CERTIFICATE_NOT_FOUND' | 'ERR_CERTIFICATE_STORE_NOT_FOUND';
  /** The store searched, e.g. 'MY'. */
  readonly storeName: string;
  /** Where the store is, e.g. 'current-user'. */
  readonly location: string;
  /** What was looked for: the SHA-1 thumbprint (hex) or the subject. */
  readonly lookedFor: string;

  constructor(options: { storeName: string; location: string; lookedFor: string; storeMissing: boolean; detail?: string }) {
    const where = `the ${options.location} certificate store "${options.storeName}"`;
    super(options.storeMissing
      ? `There is no ${where}${options.detail ? ` (${options.detail})` : ''}: nothing was sent to the service.`
      : `No certificate matching ${options.lookedFor} in ${where}: nothing was sent to the service. Check the thumbprint or subject (certlm.msc / certmgr.msc).`);
    this.code = options.storeMissing ? 'ERR_CERTIFICATE_STORE_NOT_FOUND' : 'ERR_CERTIFICATE_NOT_FOUND';
    this.storeName = options.storeName;
    this.location = options.location;
    this.lookedFor = options.lookedFor;
  }

  /** Plain JSON for loggers. */
  toJSON(): Record<string, unknown> {
    return errorToJSON(this);
  }
}

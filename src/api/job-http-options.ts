/**
 * The checks behind a job's HTTP options (IBackgroundCopyJobHttpOptions, 2 and 3) that are more
 * than one call: the client certificate, the HTTP verb, and the server-certificate validator the
 * job hands to the service.
 */
import { copyBytes, takeCoTaskMem, type CallValue, type ComRuntime, type JsComObject } from '../com';
import { CertStoreLocation, IBackgroundCopyJobHttpOptions3, type IBackgroundCopyJobHttpOptions } from '../bits';
import type { Calls } from './calls';
import { createCertificateValidator, type ServerCertificateValidator, type ValidatorState } from './certificate-validation';
import { invalidArgType, validateEnum, validateFunction, validateOptionalString, validateString } from './validate';

/** The client certificate a job presents to HTTPS servers. */
export interface ClientCertificate {
  /** Certificate store location. */
  readonly location: CertStoreLocation;
  /** Store name, e.g. 'MY'. */
  readonly storeName: string | null;
  /** SHA-1 hash (20 bytes). */
  readonly hash: Buffer | null;
  /** Subject name, when the certificate was chosen by name. */
  readonly subjectName: string | null;
}

/** The store a client certificate is chosen from, checked. */
export function checkCertificateStore(location: CertStoreLocation, storeName: string): [CertStoreLocation, string] {
  return [validateEnum(location, CertStoreLocation, 'location'), validateString(storeName, 'storeName', { min: 1, max: 256 })];
}

/** A certificate's subject name (null: any), checked. */
export function checkSubjectName(subject: string | null): string | null {
  return validateOptionalString(subject, 'subjectName', { max: 1024 });
}

/** A certificate's SHA-1 hash, checked and copied. */
export function checkSha1Hash(hash: Uint8Array): Buffer {
  if (!(hash instanceof Uint8Array) || hash.length !== 20) throw invalidArgType('sha1Hash', 'a 20-byte Uint8Array', hash);
  return Buffer.from(hash);
}

/** GetClientCertificate's tuple; the hash is copied and its CoTaskMem block freed. */
export function clientCertificate(runtime: ComRuntime, value: CallValue<typeof IBackgroundCopyJobHttpOptions, 'GetClientCertificate'>): ClientCertificate {
  const [location, storeName, hashPtr, subject] = value;
  return { location, storeName, hash: takeCoTaskMem(runtime, hashPtr, null, (p) => copyBytes(p, 20)), subjectName: subject };
}

/** An HTTP token such as GET or POST. */
export function checkHttpMethod(method: string): string {
  validateString(method, 'method', { min: 1, max: 64 });
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method)) throw invalidArgType('method', 'an HTTP token such as GET or POST', method);
  return method;
}

/** The server-certificate validator a job last handed to the service (its validator is cleared when replaced). */
export class CertificateValidatorSlot {
  #current: JsComObject<ValidatorState> | null = null;

  constructor(
    private readonly calls: Calls,
    private readonly onError: (error: Error) => void,
  ) {}

  async set(validator: ServerCertificateValidator | null): Promise<void> {
    if (validator !== null) validateFunction(validator, 'validator');
    const previous = this.#current;
    if (validator === null) {
      await this.calls.call(IBackgroundCopyJobHttpOptions3, 'SetServerCertificateValidationInterface', null);
    } else {
      const callback = createCertificateValidator(validator, (error) => this.onError(error instanceof Error ? error : new Error(String(error))));
      try {
        await this.calls.call(IBackgroundCopyJobHttpOptions3, 'SetServerCertificateValidationInterface', callback.ptr);
        this.#current = callback;
      } catch (error) {
        callback.state.validator = null;
        throw error;
      } finally {
        // The service holds its own reference now (or none, when the call failed).
        callback.release();
      }
    }
    if (previous) {
      // A late call on the old object rejects instead of running a validator the caller replaced.
      previous.state.validator = null;
      if (validator === null) this.#current = null;
    }
  }
}

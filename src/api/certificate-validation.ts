/**
 * IBackgroundCopyServerCertificateValidationCallback implemented in JavaScript: the service asks
 * it about each HTTPS server certificate that passed the operating system's own checks
 * (IBackgroundCopyJobHttpOptions3, Windows 10 1809+).
 *
 * Unlike notifications, the answer is the point: the service's RPC thread waits while koffi runs
 * the validator on the JS main thread (free, because every service call leaves it), so the
 * validator is synchronous. It fails closed: a validator that throws or returns anything but
 * `true` rejects the certificate, and no JS exception crosses into COM.
 */
import { answer, copyBytes, Implementation, TRUST_E_FAIL, type JsComObject } from '../com';
import { IBackgroundCopyServerCertificateValidationCallback } from '../bits';

/** What the service shows the validator. */
export interface ServerCertificate {
  /** The server's certificate as the service sends it (DER for `encodingType` 1, X509_ASN_ENCODING). */
  readonly data: Buffer;
  /** `X509_ASN_ENCODING` (1), possibly with `PKCS_7_ASN_ENCODING` (0x10000). */
  readonly encodingType: number;
  /** The certificate store the service built for the chain (serialized, may be empty). */
  readonly store: Buffer;
}

/**
 * Decides about one server certificate: `true` accepts it; `false` (or an exception) rejects it and
 * the job goes to TRANSIENT_ERROR with context SERVER_CERTIFICATE_CALLBACK and
 * {@link CERTIFICATE_REJECTED}. Runs synchronously while the service waits: keep it short.
 */
export type ServerCertificateValidator = (certificate: ServerCertificate) => boolean;

/** TRUST_E_FAIL, "generic trust failure": what a rejection answers the service. */
export const CERTIFICATE_REJECTED = TRUST_E_FAIL;

export interface ValidatorState {
  validator: ServerCertificateValidator | null;
  /** Told about a validator that threw (the certificate was rejected). */
  readonly onError: (error: unknown) => void;
}

/** A copy of the service's bytes (borrowed for the call only); empty for none. */
function bytes(length: number, pointer: bigint | null): Buffer {
  return length > 0 && pointer !== null ? copyBytes(pointer, length) : Buffer.alloc(0);
}

const validatorImplementation = new Implementation<ValidatorState, typeof IBackgroundCopyServerCertificateValidationCallback>({
  iface: IBackgroundCopyServerCertificateValidationCallback,
  onThrowResult: CERTIFICATE_REJECTED,
  freeAfterFinalReleaseMs: 30_000,
  methods: {
    // The job and file pointers are borrowed and not needed: a call back into the service from here would wait on it.
    ValidateServerCertificate: (state, _job, _file, certLength, certData, encodingType, storeLength, storeData) => {
      const validator = state.validator;
      if (!validator) answer(CERTIFICATE_REJECTED);
      let accepted: boolean;
      try {
        accepted = validator({ data: bytes(certLength, certData), encodingType, store: bytes(storeLength, storeData) }) === true;
      } catch (error) {
        try {
          state.onError(error);
        } catch {
          // nothing may escape into COM
        }
        accepted = false;
      }
      if (!accepted) answer(CERTIFICATE_REJECTED);
    },
  },
});

/** A validation callback object owning one reference (ours); the service AddRefs its own. */
export function createCertificateValidator(validator: ServerCertificateValidator, onError: (error: unknown) => void): JsComObject<ValidatorState> {
  return validatorImplementation.create({ validator, onError });
}

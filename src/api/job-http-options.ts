/** The job's HTTP options (IBackgroundCopyJobHttpOptions, 2 and 3), a facet of BackgroundCopyJob. */
import { copyBytes, takeCoTaskMem, type JsComObject } from '../com';
import { CertStoreLocation, IBackgroundCopyJobHttpOptions, IBackgroundCopyJobHttpOptions2, IBackgroundCopyJobHttpOptions3 } from '../bits';
import { createCertificateValidator, type ServerCertificateValidator, type ValidatorState } from './certificate-validation';
import { JobSettings } from './job-settings';
import { invalidArgType, validateEnum, validateFlags, validateFunction, validateOptionalString, validateString } from './validate';


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

/** The HTTP options layer of BackgroundCopyJob (not exported from the package; see JobCore). */
export abstract class JobHttpOptions extends JobSettings {
  /** The certificate validator last handed to the service (its validator is cleared when replaced). */
  #certificateValidator: JsComObject<ValidatorState> | null = null;

  // --- IBackgroundCopyJobHttpOptions -----------------------------------------------------------

  /** Custom HTTP headers sent with every request ("Name: value" lines separated by CRLF); null removes them. */
  async setCustomHeaders(headers: string | null): Promise<void> {
    const h = validateOptionalString(headers, 'headers', { max: 16 * 1024 });
    await (await this.facet(IBackgroundCopyJobHttpOptions)).invoke('SetCustomHeaders', h);
  }

  /** The custom headers, or null when none are set (E_ACCESSDENIED once made write-only). */
  async getCustomHeaders(): Promise<string | null> {
    return await (await this.facet(IBackgroundCopyJobHttpOptions)).invoke('GetCustomHeaders');
  }

  /** BG_SSL_* and BG_HTTP_REDIRECT_POLICY_* flags. */
  async setSecurityFlags(flags: number): Promise<void> {
    validateFlags(flags, 0xf1f, 'flags');
    await (await this.facet(IBackgroundCopyJobHttpOptions)).invoke('SetSecurityFlags', flags);
  }

  /** BG_SSL_* and BG_HTTP_REDIRECT_POLICY_* flags. */
  async getSecurityFlags(): Promise<number> {
    return await (await this.facet(IBackgroundCopyJobHttpOptions)).invoke('GetSecurityFlags');
  }

  /** The client certificate, chosen by store and subject name. */
  async setClientCertificateByName(location: CertStoreLocation, storeName: string, subjectName: string | null): Promise<void> {
    validateEnum(location, CertStoreLocation, 'location');
    validateString(storeName, 'storeName', { min: 1, max: 256 });
    const subject = validateOptionalString(subjectName, 'subjectName', { max: 1024 });
    await (await this.facet(IBackgroundCopyJobHttpOptions)).invoke('SetClientCertificateByName', location, storeName, subject);
  }

  /** The client certificate, chosen by store and SHA-1 hash. */
  async setClientCertificateById(location: CertStoreLocation, storeName: string, sha1Hash: Uint8Array): Promise<void> {
    validateEnum(location, CertStoreLocation, 'location');
    validateString(storeName, 'storeName', { min: 1, max: 256 });
    if (!(sha1Hash instanceof Uint8Array) || sha1Hash.length !== 20) throw invalidArgType('sha1Hash', 'a 20-byte Uint8Array', sha1Hash);
    await (await this.facet(IBackgroundCopyJobHttpOptions)).invoke('SetClientCertificateByID', location, storeName, Buffer.from(sha1Hash));
  }

  /** Removes the client certificate. */
  async removeClientCertificate(): Promise<void> {
    await (await this.facet(IBackgroundCopyJobHttpOptions)).invoke('RemoveClientCertificate');
  }

  /** The client certificate the job uses. */
  async getClientCertificate(): Promise<ClientCertificate> {
    const h = await this.facet(IBackgroundCopyJobHttpOptions);
    const [location, storeName, hashPtr, subjectName] = await h.invoke('GetClientCertificate');
    const hash = takeCoTaskMem(this.service.runtime, hashPtr, null, (p) => copyBytes(p, 20));
    return { location, storeName, hash, subjectName };
  }

  // --- IBackgroundCopyJobHttpOptions2 and 3 (Windows 10 1803 / 1809; Wine has neither: NoInterfaceError) ---

  /**
   * The HTTP verb of the job's requests (IBackgroundCopyJobHttpOptions2), e.g. `'POST'` for an
   * upload-style request with custom headers; the service default is GET.
   * @throws NoInterfaceError where the service lacks IBackgroundCopyJobHttpOptions2 (Wine, Windows before 1803).
   */
  async setHttpMethod(method: string): Promise<void> {
    validateString(method, 'method', { min: 1, max: 64 });
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method)) throw invalidArgType('method', 'an HTTP token such as GET or POST', method);
    await (await this.facet(IBackgroundCopyJobHttpOptions2)).invoke('SetHttpMethod', method);
  }

  /** The HTTP verb of the job's requests (IBackgroundCopyJobHttpOptions2). */
  async getHttpMethod(): Promise<string> {
    return await (await this.facet(IBackgroundCopyJobHttpOptions2)).invoke('GetHttpMethod') ?? 'GET';
  }

  /**
   * Makes the custom headers write-only (IBackgroundCopyJobHttpOptions3): from now on nobody, this
   * program included, can read them back (`getCustomHeaders()` fails with E_ACCESSDENIED); the
   * service still sends them. For headers that carry secrets (API tokens). Cannot be undone.
   * @throws NoInterfaceError where the service lacks IBackgroundCopyJobHttpOptions3 (Wine, Windows before 1809).
   */
  async makeCustomHeadersWriteOnly(): Promise<void> {
    await (await this.facet(IBackgroundCopyJobHttpOptions3)).invoke('MakeCustomHeadersWriteOnly');
  }

  /**
   * Checks each HTTPS server certificate with `validator` after the operating system's own checks
   * passed (IBackgroundCopyJobHttpOptions3); `null` removes the check. The service forgets the
   * validator when this process ends: set it again on jobs you re-attach to. A rejection (or an
   * exception, reported on the job's `'error'` listeners) puts the job in TRANSIENT_ERROR with context
   * SERVER_CERTIFICATE_CALLBACK. The job must not be transferring (suspend it first).
   *
   * @example Pin a server certificate by its SHA-256
   * ```ts
   * import { createHash } from 'node:crypto';
   * await job.setServerCertificateValidation((cert) =>
   *   createHash('sha256').update(cert.data).digest('hex') === PINNED_SHA256);
   * ```
   * @throws NoInterfaceError where the service lacks IBackgroundCopyJobHttpOptions3 (Wine, Windows before 1809).
   */
  async setServerCertificateValidation(validator: ServerCertificateValidator | null): Promise<void> {
    if (validator !== null) validateFunction(validator, 'validator');
    const options = await this.facet(IBackgroundCopyJobHttpOptions3);
    const previous = this.#certificateValidator;
    if (validator === null) {
      await options.invoke('SetServerCertificateValidationInterface', null);
    } else {
      const callback = createCertificateValidator(validator, (error) => this.events.emitError(error instanceof Error ? error : new Error(String(error))));
      try {
        await options.invoke('SetServerCertificateValidationInterface', callback.ptr);
        this.#certificateValidator = callback;
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
      if (validator === null) this.#certificateValidator = null;
    }
  }

}

/**
 * IBackgroundCopyJobHttpOptions (…2, …3 up to the `httpOptionsInterfaces` option), a tear-off of
 * the job (its own vtable would clash with Job's). The settings live on the job.
 */
import { IBackgroundCopyJobHttpOptions3, IBackgroundCopyServerCertificateValidationCallback, SecurityFlags, type CertStoreLocation } from '../../bits';
import { ComPtr, IUnknown, reply } from '../../com';
import type { ServiceContext } from '../service/context';
import { lazyImplementation, type FakeComObject } from '../objects/fake-object';
import { E_ACCESSDENIED, E_INVALIDARG, E_NOINTERFACE, RPC_X_BAD_STUB_DATA, S_FALSE } from '../service/hresults';
import { mutable, type RuledJob } from './rules';
import { TearOff } from '../objects/tear-off';
import { answer, readBytes, required } from '../objects/wire';

/** SHA-1 thumbprint. */
const HASH_SIZE = 20;
/** BG_CERT_STORE_LOCATION_LOCAL_MACHINE_ENTERPRISE, the last location. */
const MAX_STORE_LOCATION = 7;

export interface ClientCertificate {
  readonly location: number;
  readonly storeName: string;
  readonly hash: Buffer | null;
  readonly subjectName: string | null;
}

/** The settings live on the job: a tear-off released and asked for again must find them (BITS keeps them per job). */
export interface HttpOptionsState {
  certificate: ClientCertificate | null;
  customHeaders: string | null;
  securityFlags: number;
  /** IBackgroundCopyJobHttpOptions2: the verb of the requests (BITS default GET). */
  httpMethod: string;
  /** MakeCustomHeadersWriteOnly was called: GetCustomHeaders answers E_ACCESSDENIED from now on. */
  headersWriteOnly: boolean;
  /** The client's IBackgroundCopyServerCertificateValidationCallback (one reference held), or null. */
  certificateValidator: bigint | null;
}

/** What the tear-off needs of its job (FakeJob): its rules, and the settings it keeps. */
export type HttpOptionsOwner = FakeComObject & RuledJob & { readonly httpOptions: HttpOptionsState };

export class FakeHttpOptions extends TearOff<HttpOptionsOwner, ServiceContext> {
  get certificate(): ClientCertificate | null { return this.owner.httpOptions.certificate; }
  set certificate(value: ClientCertificate | null) { this.owner.httpOptions.certificate = value; }
  get customHeaders(): string | null { return this.owner.httpOptions.customHeaders; }
  set customHeaders(value: string | null) { this.owner.httpOptions.customHeaders = value; }
  get securityFlags(): number { return this.owner.httpOptions.securityFlags; }
  set securityFlags(value: number) { this.owner.httpOptions.securityFlags = value; }

  constructor(ctx: ServiceContext, job: HttpOptionsOwner) {
    super(ctx, IBackgroundCopyJobHttpOptions3, job);
    this.attach(httpOptionsImplementation());
  }

  /** Every IID, its own levels included, is the job's decision (`httpOptionsInterfaces`). */
  override resolveInterface(iid: string): bigint | null | undefined {
    return this.owner.queryInterface(iid);
  }
}

function storeLocation(location: CertStoreLocation): CertStoreLocation {
  if (location > MAX_STORE_LOCATION) answer(E_INVALIDARG);
  return location;
}

/** Lets go of the validation callback the job holds (SetServerCertificateValidationInterface(null), job end). */
export function dropCertificateValidator(ctx: { readonly runtime: ServiceContext['runtime'] }, state: HttpOptionsState): void {
  const held = state.certificateValidator;
  state.certificateValidator = null;
  if (held !== null) ComPtr.borrow(held, IUnknown, ctx.runtime).invokeRawSync('Release');
}

const httpOptionsImplementation = lazyImplementation<FakeHttpOptions, typeof IBackgroundCopyJobHttpOptions3>(IBackgroundCopyJobHttpOptions3, () => ({
  SetClientCertificateByID: (self, location, store, hash) => {
    const loc = storeLocation(location);
    const storeName = required(store);
    if (hash === null) answer(E_INVALIDARG);
    mutable(self.owner);
    self.certificate = { location: loc, storeName, hash: readBytes(hash, HASH_SIZE), subjectName: null };
  },
  SetClientCertificateByName: (self, location, store, subject) => {
    const loc = storeLocation(location);
    const storeName = required(store);
    const subjectName = required(subject);
    mutable(self.owner);
    self.certificate = { location: loc, storeName, hash: null, subjectName };
  },
  RemoveClientCertificate: (self) => {
    mutable(self.owner);
    const had = self.certificate !== null;
    self.certificate = null;
    if (!had) return reply(S_FALSE);
  },
  GetClientCertificate: (self) => {
    const c = self.certificate;
    if (!c) answer(RPC_X_BAD_STUB_DATA);
    return [c.location, c.storeName, c.hash ? self.ctx.allocBytes(c.hash) : null, c.subjectName ?? ''];
  },
  SetCustomHeaders: (self, headers) => {
    mutable(self.owner);
    self.customHeaders = headers;
  },
  GetCustomHeaders: (self) => {
    if (self.owner.httpOptions.headersWriteOnly) answer(E_ACCESSDENIED);
    if (self.customHeaders === null) return reply(S_FALSE, null);
    return self.customHeaders;
  },
  SetSecurityFlags: (self, flags) => {
    if (flags & ~SecurityFlags.All) answer(E_INVALIDARG);
    mutable(self.owner);
    self.securityFlags = flags;
  },
  GetSecurityFlags: (self) => self.securityFlags,
  SetHttpMethod: (self, value) => {
    const method = required(value);
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method)) answer(E_INVALIDARG);
    mutable(self.owner);
    self.owner.httpOptions.httpMethod = method;
  },
  GetHttpMethod: (self) => self.owner.httpOptions.httpMethod,
  SetServerCertificateValidationInterface: (self, unknown) => {
    mutable(self.owner);
    let validator: bigint | null = null;
    if (unknown !== null) {
      // Like the service: QueryInterface for the callback interface, keep that reference.
      const qi = ComPtr.borrow(unknown, IUnknown, self.ctx.runtime).invokeRawSync('QueryInterface', IBackgroundCopyServerCertificateValidationCallback.iid);
      if (qi.failed || qi.value === null) answer(qi.failed ? qi.hr : E_NOINTERFACE);
      validator = qi.value;
    }
    dropCertificateValidator(self.ctx, self.owner.httpOptions);
    self.owner.httpOptions.certificateValidator = validator;
  },
  MakeCustomHeadersWriteOnly: (self) => {
    self.owner.httpOptions.headersWriteOnly = true;
  },
}));

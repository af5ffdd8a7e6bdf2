/**
 * IBackgroundCopyJobHttpOptions (…2, …3 up to the `httpOptionsInterfaces` option), a tear-off of
 * the job (its own vtable would clash with Job's). The settings live on the job.
 */
import { IBackgroundCopyJobHttpOptions3, IBackgroundCopyServerCertificateValidationCallback, SecurityFlags } from '../bits';
import { ComPtr, IUnknown } from '../com';
import type { HttpOptionsContext } from './context';
import { lazyImplementation, type FakeComObject } from './fake-object';
import { E_ACCESSDENIED, E_INVALIDARG, E_NOINTERFACE, RPC_X_BAD_STUB_DATA, S_FALSE, S_OK } from './hresults';
import { mutable, type RuledJob } from './job-rules';
import { TearOff } from './tear-off';
import { answer, arg, outPtr, readBytes, requiredStr, write } from './wire';

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

export class FakeHttpOptions extends TearOff<HttpOptionsOwner, HttpOptionsContext> {
  get certificate(): ClientCertificate | null { return this.owner.httpOptions.certificate; }
  set certificate(value: ClientCertificate | null) { this.owner.httpOptions.certificate = value; }
  get customHeaders(): string | null { return this.owner.httpOptions.customHeaders; }
  set customHeaders(value: string | null) { this.owner.httpOptions.customHeaders = value; }
  get securityFlags(): number { return this.owner.httpOptions.securityFlags; }
  set securityFlags(value: number) { this.owner.httpOptions.securityFlags = value; }

  constructor(ctx: HttpOptionsContext, job: HttpOptionsOwner) {
    super(ctx, IBackgroundCopyJobHttpOptions3, job);
    this.attach(httpOptionsImplementation());
  }

  /** Every IID, its own levels included, is the job's decision (`httpOptionsInterfaces`). */
  override resolveInterface(iid: string): bigint | null | undefined {
    return this.owner.queryInterface(iid);
  }
}

function storeLocation(v: unknown): number {
  const location = arg.u32(v);
  if (location > MAX_STORE_LOCATION) answer(E_INVALIDARG);
  return location;
}

/** Lets go of the validation callback the job holds (SetServerCertificateValidationInterface(null), job end). */
export function dropCertificateValidator(ctx: { readonly runtime: HttpOptionsContext['runtime'] }, state: HttpOptionsState): void {
  const held = state.certificateValidator;
  state.certificateValidator = null;
  if (held !== null) ComPtr.borrow(held, IUnknown, ctx.runtime).invokeRawSync('Release');
}

const httpOptionsImplementation = lazyImplementation<FakeHttpOptions, typeof IBackgroundCopyJobHttpOptions3>(IBackgroundCopyJobHttpOptions3, () => ({
  SetClientCertificateByID: (self, location, store, hash) => {
    const loc = storeLocation(location);
    const storeName = requiredStr(store);
    const p = arg.ptr(hash);
    if (p === null) answer(E_INVALIDARG);
    mutable(self.owner);
    self.certificate = { location: loc, storeName, hash: readBytes(p, HASH_SIZE), subjectName: null };
    return S_OK;
  },
  SetClientCertificateByName: (self, location, store, subject) => {
    const loc = storeLocation(location);
    const storeName = requiredStr(store);
    const subjectName = requiredStr(subject);
    mutable(self.owner);
    self.certificate = { location: loc, storeName, hash: null, subjectName };
    return S_OK;
  },
  RemoveClientCertificate: (self) => {
    mutable(self.owner);
    const had = self.certificate !== null;
    self.certificate = null;
    return had ? S_OK : S_FALSE;
  },
  GetClientCertificate: (self, pLocation, pStore, pHash, pSubject) => {
    const location = outPtr(pLocation);
    const store = outPtr(pStore);
    const hash = outPtr(pHash);
    const subject = outPtr(pSubject);
    const c = self.certificate;
    if (!c) return RPC_X_BAD_STUB_DATA;
    write.u32(location, c.location);
    write.ptr(store, self.ctx.allocString(c.storeName));
    write.ptr(hash, c.hash ? self.ctx.allocBytes(c.hash) : null);
    write.ptr(subject, self.ctx.allocString(c.subjectName ?? ''));
    return S_OK;
  },
  SetCustomHeaders: (self, value) => {
    mutable(self.owner);
    self.customHeaders = arg.str(value);
    return S_OK;
  },
  GetCustomHeaders: (self, p) => {
    const out = outPtr(p);
    if (self.owner.httpOptions.headersWriteOnly) {
      write.ptr(out, null);
      return E_ACCESSDENIED;
    }
    if (self.customHeaders === null) {
      write.ptr(out, null);
      return S_FALSE;
    }
    write.ptr(out, self.ctx.allocString(self.customHeaders));
    return S_OK;
  },
  SetSecurityFlags: (self, value) => {
    const flags = arg.u32(value);
    if (flags & ~SecurityFlags.All) answer(E_INVALIDARG);
    mutable(self.owner);
    self.securityFlags = flags;
    return S_OK;
  },
  GetSecurityFlags: (self, p) => {
    write.u32(outPtr(p), self.securityFlags);
    return S_OK;
  },
  SetHttpMethod: (self, value) => {
    const method = requiredStr(value);
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method)) answer(E_INVALIDARG);
    mutable(self.owner);
    self.owner.httpOptions.httpMethod = method;
    return S_OK;
  },
  GetHttpMethod: (self, p) => {
    write.ptr(outPtr(p), self.ctx.allocString(self.owner.httpOptions.httpMethod));
    return S_OK;
  },
  SetServerCertificateValidationInterface: (self, value) => {
    const unknown = arg.ptr(value);
    mutable(self.owner);
    let validator: bigint | null = null;
    if (unknown !== null) {
      // Like the service: QueryInterface for the callback interface, keep that reference.
      const qi = ComPtr.borrow(unknown, IUnknown, self.ctx.runtime).invokeRawSync('QueryInterface', IBackgroundCopyServerCertificateValidationCallback.iid);
      if (qi.failed || qi.value === null) return qi.failed ? qi.hr : E_NOINTERFACE;
      validator = qi.value;
    }
    dropCertificateValidator(self.ctx, self.owner.httpOptions);
    self.owner.httpOptions.certificateValidator = validator;
    return S_OK;
  },
  MakeCustomHeadersWriteOnly: (self) => {
    self.owner.httpOptions.headersWriteOnly = true;
    return S_OK;
  },
}));

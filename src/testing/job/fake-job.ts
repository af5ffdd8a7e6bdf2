/**
 * A job: one object answers IBackgroundCopyJob … IBackgroundCopyJob5 (up to the `jobInterfaces`
 * option); IBackgroundCopyJobHttpOptions and, in the DO flavour, IDeliveryOptimizationJob / Job2
 * are tear-offs. The manager's job list holds the job until it reaches a final state.
 */
import { randomUUID } from 'crypto';
import {
  IBackgroundCopyJob, IBackgroundCopyJob2, IBackgroundCopyJob3, IBackgroundCopyJob4, IBackgroundCopyJob5,
  IBackgroundCopyJobHttpOptions, IBackgroundCopyJobHttpOptions2, IBackgroundCopyJobHttpOptions3, IDeliveryOptimizationJob, IDeliveryOptimizationJob2, JobState, isFinalState,
  IBitsTokenOptions,
} from '../../bits';
import { UINT64_MAX, writeFileTime } from '../../com';
import type { ServiceContext } from '../service/context';
import { FakeComObject } from '../objects/fake-object';
import { FakeFile, type FileInit } from './fake-file';
import type { RangeValue } from '../objects/ranges';
import type { FakeError } from '../objects/fake-error';
import { dropCertificateValidator, FakeHttpOptions, type HttpOptionsState } from './fake-http-options';
import { doJobTearOff } from './fake-do-job';
import { FakeTokenOptions, type HelperTokenState } from './fake-token-options';
import { jobImplementation } from './handlers';
import { serveOnDemand } from './on-demand';
import { JobProperties } from './properties';
import { TearOffCache } from '../objects/tear-off';

/** The client's callback object, as the fake holds it: one AddRef'd reference per interface. */
export interface ClientCallback {
  readonly callback: bigint;
  /** Set when the object also answers IBackgroundCopyCallback2 (FileTransferred). */
  readonly callback2: bigint | null;
  /** Set when the object also answers IBackgroundCopyCallback3 (FileRangesTransferred). */
  readonly callback3: bigint | null;
}

/** A reason to call the client. */
export type JobEvent =
  | { readonly kind: 'transferred' }
  | { readonly kind: 'error' }
  | { readonly kind: 'modification' }
  | { readonly kind: 'file-transferred'; readonly file: FakeFile }
  | { readonly kind: 'ranges-transferred'; readonly file: FakeFile; readonly ranges: readonly RangeValue[] };

/** How a job reaches the client's callback object (the service's Notifier). */
export interface JobNotifier {
  /** Something happened to `job`: call the client if its flags and the options say so. */
  notify(job: FakeJob, event: JobEvent): void;
  /** SetNotifyInterface: the references kept of the client's object, or the failing HRESULT. */
  attach(unknown: bigint): { hr: number; callback: ClientCallback | null };
  /** Gives the client's object back its references. */
  detach(registered: ClientCallback): void;
}

/** The manager's job list, as a job sees it: it lets go of a job that reached a final state. */
export interface JobList {
  remove(job: FakeJob): void;
}

/** Credentials given to SetCredentials: stored, never handed back through COM. */
export interface StoredCredentials {
  readonly target: number;
  readonly scheme: number;
  readonly userName: string | null;
  readonly password: string | null;
}

export interface ProxySettings {
  usage: number;
  list: string | null;
  bypass: string | null;
}

const HTTP_OPTIONS_IIDS = [IBackgroundCopyJobHttpOptions, IBackgroundCopyJobHttpOptions2, IBackgroundCopyJobHttpOptions3].map((i) => i.iid);
const JOB_IIDS = [IBackgroundCopyJob, IBackgroundCopyJob2, IBackgroundCopyJob3, IBackgroundCopyJob4, IBackgroundCopyJob5].map((i) => i.iid);

/** BITS: 14 days; DO documents 1 day for low priority. */
const NO_PROGRESS_TIMEOUT = { bits: 1_209_600, 'delivery-optimization': 86_400 } as const;

export class FakeJob extends FakeComObject<ServiceContext> {
  readonly id = randomUUID();
  displayName: string;
  readonly type: number;
  description: string | null = null;
  priority = 2;
  notifyFlags = 3;
  clientCallback: ClientCallback | null = null;
  minRetryDelay = 600;
  noProgressTimeout: number;
  errorCount = 0;
  readonly proxy: ProxySettings = { usage: 0, list: null, bypass: null };
  owner: string;
  readonly created = new Date();
  modified = new Date();
  transferCompleted: Date | null = null;
  files: FakeFile[] = [];
  state: JobState = JobState.Suspended;
  /** The current error object (held by the job) while in ERROR / TRANSIENT_ERROR. */
  error: FakeError | null = null;
  readonly credentials = new Map<string, StoredCredentials>();
  /** IBackgroundCopyJobHttpOptions' settings (kept here, not on the tear-off). */
  readonly httpOptions: HttpOptionsState = {
    certificate: null, customHeaders: null, securityFlags: 0, httpMethod: 'GET', headersWriteOnly: false, certificateValidator: null,
  };
  /** IBitsTokenOptions' helper token (kept here, not on the tear-off). */
  readonly helperToken: HelperTokenState = { flags: 0, sid: null };
  notifyProgram: string | null = null;
  notifyParameters: string | null = null;
  replyFileName: string | null = null;
  aclFlags = 0;
  peerCachingFlags = 0;
  /** BITS default: 90 days, in seconds. */
  maxDownloadTime = 7_776_000;
  readonly properties: JobProperties;
  /** Incremented by every Resume / Suspend / final state: timers of an older run do nothing. */
  runId = 0;
  readonly #tearOffs = new TearOffCache();

  constructor(ctx: ServiceContext, displayName: string, type: number) {
    super(ctx, IBackgroundCopyJob5, true);
    this.displayName = displayName;
    this.type = type;
    this.owner = ctx.options.owner;
    this.noProgressTimeout = NO_PROGRESS_TIMEOUT[ctx.options.flavour];
    this.properties = new JobProperties(ctx.options.flavour);
    this.attach(jobImplementation());
  }

  override get kind(): string {
    return 'IBackgroundCopyJob';
  }

  get label(): string {
    return `job '${this.displayName}' {${this.id}}`;
  }

  get isFinal(): boolean {
    return isFinalState(this.state);
  }

  touch(): void {
    this.modified = new Date();
  }

  rangesRequested(): void {
    serveOnDemand(this);
  }

  notify(event: JobEvent): void {
    if (this.alive) this.ctx.notifier.notify(this, event);
  }

  /** Changes state; JobModification for every change except into ERROR / TRANSFERRED (BITS rules). */
  /** Every state the job went through, in order (tests compare it with what the client saw). */
  readonly stateHistory: JobState[] = [JobState.Suspended];

  setState(state: JobState): void {
    if (this.state === state) return;
    this.state = state;
    this.stateHistory.push(state);
    this.touch();
    if (state !== JobState.Error && state !== JobState.Transferred && !isFinalState(state)) this.notify({ kind: 'modification' });
  }

  /** Replaces the current error object; the job keeps the creation reference of `error`. */
  setError(error: FakeError | null): void {
    const old = this.error;
    this.error = error;
    old?.drop();
  }

  setClientCallback(callback: ClientCallback | null): void {
    const old = this.clientCallback;
    this.clientCallback = callback;
    if (old) this.ctx.notifier.detach(old);
  }

  /** The client's objects this job holds (notification callback, certificate validator) get their references back. */
  releaseClientObjects(): void {
    this.setClientCallback(null);
    dropCertificateValidator(this.ctx, this.httpOptions);
  }

  addFile(init: FileInit): FakeFile {
    const file = new FakeFile(this.ctx, this, init);
    this.files.push(file);
    this.touch();
    this.notify({ kind: 'modification' });
    return file;
  }

  /** CANCELLED / ACKNOWLEDGED: timers stop, the callback and error are let go, the manager forgets the job. */
  enterFinal(state: JobState.Cancelled | JobState.Acknowledged): void {
    this.runId++;
    this.state = state;
    this.touch();
    this.releaseClientObjects();
    this.setError(null);
    for (const f of this.files) f.discardTemporary();
    this.ctx.manager.remove(this);
  }

  /** BG_JOB_PROGRESS. */
  progressBytes(): Buffer {
    const b = Buffer.alloc(24);
    const sizes = this.files.map((f) => f.bytesTotal);
    const unknown = this.ctx.options.unknownJobSize ? this.files.length > 0 : sizes.some((s) => s === null);
    b.writeBigUInt64LE(unknown ? UINT64_MAX : sizes.reduce<bigint>((a, s) => a + (s ?? 0n), 0n), 0);
    b.writeBigUInt64LE(this.files.reduce((a, f) => a + f.bytesTransferred, 0n), 8);
    b.writeUInt32LE(this.files.length, 16);
    b.writeUInt32LE(this.files.filter((f) => f.completed).length, 20);
    return b;
  }

  /** BG_JOB_TIMES. */
  timesBytes(): Buffer {
    const b = Buffer.alloc(24);
    writeFileTime(b, this.created, 0);
    writeFileTime(b, this.modified, 8);
    writeFileTime(b, this.transferCompleted, 16);
    return b;
  }

  override resolveInterface(iid: string): bigint | null | undefined {
    const level = JOB_IIDS.indexOf(iid);
    if (level >= 0) return level < this.ctx.options.jobInterfaces ? undefined : null;
    const httpLevel = HTTP_OPTIONS_IIDS.indexOf(iid);
    if (httpLevel >= 0) {
      if (httpLevel >= this.ctx.options.httpOptionsInterfaces) return null;
      // One tear-off answers every level (one IID as the cache key, so QI for …2 and …3 meet it).
      return this.#tearOffs.get(IBackgroundCopyJobHttpOptions.iid, () => new FakeHttpOptions(this.ctx, this));
    }
    if (iid === IBitsTokenOptions.iid) {
      if (!this.ctx.options.tokenOptions) return null;
      return this.#tearOffs.get(iid, () => new FakeTokenOptions(this.ctx, this));
    }
    if (iid === IDeliveryOptimizationJob.iid || iid === IDeliveryOptimizationJob2.iid) {
      if (this.ctx.options.flavour !== 'delivery-optimization') return null;
      return this.#tearOffs.get(iid, () => doJobTearOff(this.ctx, this, iid));
    }
    return undefined;
  }

  protected override onFinalRelease(): void {
    this.runId++;
    this.releaseClientObjects();
    this.setError(null);
    const files = this.files;
    this.files = [];
    for (const f of files) f.drop();
  }
}

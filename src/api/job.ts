/**
 * A BITS / Delivery Optimization job. Every method that talks to the service returns a Promise
 * (calls leave the JS main thread, see docs/architecture.md). Job2–Job5 and HTTP options are
 * reached through QueryInterface on first use; a service without them rejects with
 * NoInterfaceError.
 */
import { ComPtr, copyBytes, E_NOTIMPL, failed, takeCoTaskMem, withBstrVariant, type Interface, type JsComObject } from '../com';
import {
  AuthScheme, AuthTarget, CertStoreLocation, IBackgroundCopyError, IBackgroundCopyFile, IBackgroundCopyJob, IBackgroundCopyJob2,
  IBackgroundCopyJob3, IBackgroundCopyJob4, IBackgroundCopyJob5, IBackgroundCopyJobHttpOptions, IBackgroundCopyJobHttpOptions2,
  IBackgroundCopyJobHttpOptions3, IDeliveryOptimizationJob,
  IDeliveryOptimizationJob2, IDeliveryOptimizationFile, IDeliveryOptimizationFile2,
  IEnumBackgroundCopyFiles, JobPriority, JobPropertyId, JobState, JobType, ProxyUsage,
  type JobProgress, type JobTimes, type ReplyProgress,
} from '../bits';
import { describeHResult, EmptyJobError, ErrorInformationUnavailableError, hresultErrorClassFor, HResultError, NotImplementedError, JobFailedError } from '../errors';
import { BackgroundCopyFile, toWireRanges } from './file';
import { checkTransferredInFull } from './finish';
import { decodeJobProperty, encodeJobProperty, type JobPropertyValue } from './job-property';
import { readJobError, DEFAULT_LANGUAGE_ID, type JobError } from './job-error';
import { createCallbackObject, type CallbackSink } from './notifications';
import { CallOrder, ordered, type OrderedPtr } from './call-order';
import { createCertificateValidator, type ServerCertificateValidator, type ValidatorState } from './certificate-validation';
import { ComResource } from './resource';
import { collectEnumerator } from './enumerate';
import { JobEvents, type JobEventName, type JobListener } from './job-events';
import { stateName, waitForCompletion, watchJob, type JobStatus, type WaitOptions, type WatchOptions } from './wait';
import type { ServiceProvider } from './service';
import {
  invalidArgType, invalidArgValue, validateDescription, validateOptionsObject, validateDisplayName, validateEnum, validateFlags,
  validateFunction, validateLocalPath, validateOptionalString, validateRemoteUrl, validateString, validateUint32,
} from './validate';
import type { FileRange } from '../bits';
import { randomUUID } from 'crypto';

/** One file of a job: where it comes from and where it goes. */
export interface FileSpec {
  /** http(s) URL (BITS also takes UNC paths). */
  readonly remoteUrl: string;
  /** Fully qualified destination path; the file appears there at `complete()`. */
  readonly localPath: string;
}

/** What Complete or Cancel reported: a success code is not always S_OK. */
export interface FinishResult {
  /** The success HRESULT the call returned. */
  readonly hresult: number;
  /** `S_OK`, `BG_S_PARTIAL_COMPLETE` or `BG_S_UNABLE_TO_DELETE_FILES`. */
  readonly code: string;
  /** Complete kept only the files that were fully transferred. */
  readonly partial: boolean;
  /** Some temporary files could not be deleted. */
  readonly unableToDeleteFiles: boolean;
}

/** A job's proxy use (BG_JOB_PROXY_USAGE and its lists). */
export interface ProxySettings {
  /** Which proxy settings apply. */
  readonly usage: ProxyUsage;
  /** With `ProxyUsage.Override`: space-separated `host:port` proxies; null otherwise. */
  readonly proxyList: string | null;
  /** With `ProxyUsage.Override`: hosts that bypass the proxies (`<local>` for intranet names); null otherwise. */
  readonly bypassList: string | null;
}

/** Credentials for server or proxy authentication (BG_AUTH_CREDENTIALS). Sent to the service only, never logged. */
export interface Credentials {
  /** Whether the server or the proxy asks for them. */
  readonly target: AuthTarget;
  /** Basic, Digest, NTLM, Negotiate or Passport. */
  readonly scheme: AuthScheme;
  /** User name (null: the current user, for NTLM and Negotiate). */
  readonly userName: string | null;
  /** Password; never appears in any message or error. */
  readonly password: string | null;
}

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

const ALL_NOTIFY_FLAGS = 0x3f;
const BG_S_PARTIAL_COMPLETE = 0x00200017;
const BG_S_UNABLE_TO_DELETE_FILES = 0x0020001a;
/** DO_UNKNOWN_FILE_SIZE: unpublished, (UINT64)-1 in public code (UNCONFIRMED). */
const DO_UNKNOWN_FILE_SIZE = 0xffffffffffffffffn;
/** DOFilePropertyId DownloadSinkFilePath (implicit enum value 4 in the DO docs). */
const DO_FILE_PROPERTY_DOWNLOAD_SINK_FILE_PATH = 4;

function finishResult(hr: number): FinishResult {
  return {
    hresult: hr,
    code: hr === 0 ? 'S_OK' : describeHResult(hr).name,
    partial: hr === BG_S_PARTIAL_COMPLETE,
    unableToDeleteFiles: hr === BG_S_UNABLE_TO_DELETE_FILES,
  };
}

/**
 * A BITS or Delivery Optimization job: its files, settings, state and events. Get one from
 * `BackgroundCopyManager.createJob`, `getJob` or `jobs`; release it with `dispose()` /
 * `await close()` (or `using` / `await using`).
 *
 * @example
 * ```ts
 * await using job = await manager.createJob('nightly');
 * await job.addFile('https://example.com/a.bin', 'C:\\Downloads\\a.bin');
 * await job.resume();
 * await job.waitForCompletion();
 * await job.complete();
 * ```
 */
export class BackgroundCopyJob extends ComResource {
  /** Lowercase GUID, no braces. */
  readonly id: string;
  /** The service this job belongs to. */
  readonly service: ServiceProvider;
  readonly #job: ComPtr<typeof IBackgroundCopyJob>;
  readonly #events = new JobEvents();
  readonly #order = new CallOrder();
  /** JobError notifications and state replays being read (each may hold an IBackgroundCopyError until it is read). */
  readonly #errorReads = new Set<Promise<void>>();
  readonly #orderedJob: OrderedPtr<typeof IBackgroundCopyJob>;
  readonly #orderedExtensions = new WeakMap<object, unknown>();
  #notifications: { ready: Promise<void>; flags: number; detach(): void; release(): void } | null = null;
  /** The certificate validator last handed to the service (its validator is cleared when replaced). */
  #certificateValidator: JsComObject<ValidatorState> | null = null;

  /** @internal Takes ownership of `job`. Use BackgroundCopyManager to get jobs. */
  constructor(job: ComPtr<typeof IBackgroundCopyJob>, id: string, service: ServiceProvider) {
    super();
    this.#job = this.adopt(job);
    this.#orderedJob = ordered(job, this.#order);
    this.id = id;
    this.service = service;
  }

  protected get displayName(): string {
    return `BackgroundCopyJob {${this.id}}`;
  }

  get #posixPaths(): boolean {
    return this.service.runtime.name !== 'windows';
  }

  /** An extension interface (Job2…Job5, HTTP options), its calls in program order with the job's. */
  async #as<I extends Interface>(iface: I): Promise<OrderedPtr<I>> {
    const ptr = await this.extension(this.#job, iface, (p) => this.service.runtime.setProxyBlanket(p.ptr));
    let view = this.#orderedExtensions.get(ptr);
    if (!view) this.#orderedExtensions.set(ptr, (view = ordered(ptr, this.#order)));
    return view as OrderedPtr<I>;
  }


  /** The job pointer, after checking the job was not disposed; its calls keep program order. */
  get #live(): OrderedPtr<typeof IBackgroundCopyJob> {
    this.ensureLive();
    return this.#orderedJob;
  }

  /** Several calls that change the job, as one step in program order (they use #job directly). */
  #write<T>(steps: () => Promise<T>): Promise<T> {
    this.ensureLive();
    return this.#order.run('write', steps);
  }

  // --- files -------------------------------------------------------------------------------

  #checkFile(remoteUrl: unknown, localPath: unknown, name: string): FileSpec {
    return {
      remoteUrl: validateRemoteUrl(remoteUrl, `${name}.remoteUrl`, { flavour: this.service.kind }),
      localPath: validateLocalPath(localPath, `${name}.localPath`, { posix: this.#posixPaths }),
    };
  }

  /** One file spec from an object, each field read once. */
  #checkSpec(spec: unknown, name: string): FileSpec {
    if (typeof spec !== 'object' || spec === null) throw invalidArgType(name, 'an object { remoteUrl, localPath }', spec);
    const { remoteUrl, localPath } = spec as Record<string, unknown>;
    return this.#checkFile(remoteUrl, localPath, name);
  }

  /** The same file for Windows (case and separators do not matter there). */
  #pathKey(localPath: string): string {
    return this.#posixPaths && localPath.startsWith('/') ? localPath : localPath.replace(/\//g, '\\').toLowerCase();
  }

  /** The same local path twice in one call: refused before anything reaches the service. */
  #refuseRepeats(specs: readonly FileSpec[], names: readonly string[]): void {
    const seen = new Map<string, string>();
    specs.forEach((spec, i) => {
      const key = this.#pathKey(spec.localPath);
      const other = seen.get(key);
      if (other) throw invalidArgValue(`${names[i]}.localPath`, spec.localPath, `is also the local path of ${other}: one of the two files would be lost`);
      seen.set(key, names[i]);
    });
  }

  /**
   * Two files of one job with the same local path: the service answers S_OK and one file's data
   * is lost (Wine keeps the first, others the last), so the library refuses it. Runs inside the
   * ordered write, against the files the job has now.
   */
  async #refuseDuplicatePaths(specs: readonly FileSpec[], names: readonly string[]): Promise<void> {
    this.#refuseRepeats(specs, names);
    const inJob = new Set((await this.#localNamesInJob()).map((p) => this.#pathKey(p)));
    specs.forEach((spec, i) => {
      if (inJob.has(this.#pathKey(spec.localPath))) {
        throw invalidArgValue(`${names[i]}.localPath`, spec.localPath, 'is also the local path of a file already in the job: one of the two files would be lost');
      }
    });
  }

  /** The local names of the job's files; [] when the service cannot list them (the check is then skipped). */
  async #localNamesInJob(): Promise<string[]> {
    const { hr, values } = await this.#job.invokeRaw('EnumFiles');
    const [ptr] = values;
    if (failed(hr) || ptr === null) return [];
    const enumerator = ComPtr.own(ptr, IEnumBackgroundCopyFiles, this.service.runtime);
    let files: Array<ComPtr<typeof IBackgroundCopyFile>> = [];
    try {
      files = await collectEnumerator(enumerator, IBackgroundCopyFile);
      const locals = await Promise.all(files.map((f) => f.invokeRaw('GetLocalName')));
      return locals.flatMap(({ hr: h, values: [local] }) => (failed(h) || !local ? [] : [local]));
    } catch {
      return [];
    } finally {
      await Promise.all(files.map((f) => f.release()));
      await enumerator.release();
    }
  }

  /** Adds one file. On Delivery Optimization, falls back to IDeliveryOptimizationJob when AddFile is not implemented. */
  async addFile(remoteUrl: string, localPath: string): Promise<void> {
    this.ensureLive();
    const spec = this.#checkFile(remoteUrl, localPath, 'file');
    this.#events.forgetStates();
    return this.#write(async () => {
      await this.#refuseDuplicatePaths([spec], ['file']);
      await this.#addFileNow(spec);
    });
  }

  async #addFileNow(spec: FileSpec): Promise<void> {
    const { hr } = await this.#job.invokeRaw('AddFile', spec.remoteUrl, spec.localPath);
    if (hr === E_NOTIMPL && this.service.kind === 'delivery-optimization') return this.#addFileDo(spec);
    if (failed(hr)) throw HResultError.from(hr, { operation: 'IBackgroundCopyJob::AddFile' });
  }

  /**
   * Delivery Optimization's documented ways to add a file (their slot order is UNCONFIRMED):
   * IDeliveryOptimizationJob::AddFileWithRanges (Windows 10 1709, no ranges = the whole file), else
   * IDeliveryOptimizationJob2::AddFile (1803) and the local path as the file's
   * DownloadSinkFilePath property.
   */
  async #addFileDo(spec: FileSpec): Promise<void> {
    const fileId = randomUUID();
    const doJob = await this.#job.query(IDeliveryOptimizationJob);
    if (doJob) {
      try {
        const { hr } = await doJob.invokeRaw('AddFileWithRanges', fileId, spec.remoteUrl, spec.localPath, 0, [], DO_UNKNOWN_FILE_SIZE);
        if (hr !== E_NOTIMPL) {
          if (failed(hr)) throw HResultError.from(hr, { operation: 'IDeliveryOptimizationJob::AddFileWithRanges' });
          return;
        }
      } finally {
        await doJob.release();
      }
    }
    const doJob2 = await this.#job.query(IDeliveryOptimizationJob2);
    if (!doJob2) throw new NotImplementedError(undefined, { operation: 'IBackgroundCopyJob::AddFile (and the service offers no IDeliveryOptimizationJob or IDeliveryOptimizationJob2)' });
    const runtime = this.service.runtime;
    try {
      const [filePtr] = await doJob2.invoke('AddFile', fileId, spec.remoteUrl, 0, [], IDeliveryOptimizationFile.iid);
      if (filePtr === null) return;
      const file = ComPtr.own(filePtr, IDeliveryOptimizationFile, runtime);
      try {
        const file2 = await file.query(IDeliveryOptimizationFile2);
        if (!file2) throw new NotImplementedError(undefined, { operation: 'IDeliveryOptimizationFile::QueryInterface(IDeliveryOptimizationFile2)' });
        try {
          await withBstrVariant(runtime, spec.localPath, (variant) => file2.invoke('SetProperty', DO_FILE_PROPERTY_DOWNLOAD_SINK_FILE_PATH, variant));
        } finally {
          await file2.release();
        }
      } finally {
        await file.release();
      }
    } finally {
      await doJob2.release();
    }
  }


  /** Adds several files in one call (AddFileSet), or one by one when the service does not implement it. */
  async addFiles(files: readonly FileSpec[]): Promise<void> {
    this.ensureLive();
    if (!Array.isArray(files)) throw invalidArgType('files', 'an array of { remoteUrl, localPath }', files);
    if (files.length === 0) throw invalidArgType('files', 'a non-empty array', files);
    const specs = files.map((f: unknown, i) => this.#checkSpec(f, `files[${i}]`));
    const wire = specs.map((s) => ({ RemoteName: s.remoteUrl, LocalName: s.localPath }));
    this.#refuseRepeats(specs, specs.map((_, i) => `files[${i}]`));
    this.#events.forgetStates();
    return this.#write(async () => {
      await this.#refuseDuplicatePaths(specs, specs.map((_, i) => `files[${i}]`));
      const { hr } = await this.#job.invokeRaw('AddFileSet', wire.length, wire);
      if (hr === E_NOTIMPL) {
        for (const s of specs) await this.#addFileNow(s);
        return;
      }
      if (failed(hr)) throw HResultError.from(hr, { operation: 'IBackgroundCopyJob::AddFileSet' });
    });
  }

  /** Adds a file of which only `ranges` are downloaded (IBackgroundCopyJob3). */
  async addFileWithRanges(remoteUrl: string, localPath: string, ranges: readonly FileRange[]): Promise<void> {
    this.ensureLive();
    const spec = this.#checkFile(remoteUrl, localPath, 'file');
    const wire = toWireRanges(ranges);
    const job3 = await this.extension(this.#job, IBackgroundCopyJob3, (p) => this.service.runtime.setProxyBlanket(p.ptr));
    this.#events.forgetStates();
    await this.#write(async () => {
      await this.#refuseDuplicatePaths([spec], ['file']);
      await job3.invoke('AddFileWithRanges', spec.remoteUrl, spec.localPath, wire.length, wire);
    });
  }

  /** The job's files. Dispose them when done (or use `using`). */
  async files(): Promise<BackgroundCopyFile[]> {
    const [ptr] = await this.#live.invoke('EnumFiles');
    if (ptr === null) return [];
    const enumerator = ComPtr.own(ptr, IEnumBackgroundCopyFiles, this.service.runtime);
    try {
      const files = await collectEnumerator(enumerator, IBackgroundCopyFile);
      return files.map((f) => new BackgroundCopyFile(f, this.service.kind));
    } finally {
      await enumerator.release();
    }
  }

  // --- life cycle ----------------------------------------------------------------------------

  /** Pauses the job (IBackgroundCopyJob::Suspend). */
  async suspend(): Promise<void> {
    await this.#live.invoke('Suspend');
  }

  /** Starts or restarts the transfer (also retries a job in ERROR). */
  async resume(): Promise<void> {
    const job = this.#live;
    this.#events.forgetStates();
    const { hr } = await job.invokeRaw('Resume');
    if (!failed(hr)) return;
    // BG_E_EMPTY ("no files") also answers a job whose files are all transferred (Wine): say which.
    if (hresultErrorClassFor(hr) === EmptyJobError) {
      const state = await this.getState().catch(() => null);
      if (state !== null && state !== JobState.Suspended) {
        const why = state === JobState.Transferred
          ? 'every file is already transferred, so there is nothing to resume: complete() it to get the files, or add files first.'
          : 'a job in this state cannot be resumed.';
        throw HResultError.from(hr, { operation: 'IBackgroundCopyJob::Resume', description: `The job is ${stateName(state)}: ${why}` });
      }
    }
    throw HResultError.from(hr, { operation: 'IBackgroundCopyJob::Resume' });
  }

  /** Cancels the job (final). Reports BG_S_UNABLE_TO_DELETE_FILES instead of hiding it. */
  async cancel(): Promise<FinishResult> {
    const { hr } = await this.#live.invokeRaw('Cancel');
    if (failed(hr)) throw HResultError.from(hr, { operation: 'IBackgroundCopyJob::Cancel' });
    return finishResult(hr);
  }

  /** Completes the job (final): files get their names. Reports BG_S_PARTIAL_COMPLETE instead of hiding it. */
  async complete(): Promise<FinishResult> {
    const { hr } = await this.#live.invokeRaw('Complete');
    if (failed(hr)) throw HResultError.from(hr, { operation: 'IBackgroundCopyJob::Complete' });
    return finishResult(hr);
  }

  /** Makes the current user the job's owner (administrators only). */
  async takeOwnership(): Promise<void> {
    await this.#live.invoke('TakeOwnership');
  }

  // --- state -------------------------------------------------------------------------------

  /** The job's state. */
  async getState(): Promise<JobState> {
    return (await this.#live.invoke('GetState'))[0] as JobState;
  }

  /** Bytes and files transferred so far, and the totals when known. */
  async getProgress(): Promise<JobProgress> {
    return (await this.#live.invoke('GetProgress'))[0];
  }

  /** When the job was created, last modified, and transferred. */
  async getTimes(): Promise<JobTimes> {
    return (await this.#live.invoke('GetTimes'))[0];
  }

  /** Download, upload, or upload-reply. */
  async getType(): Promise<JobType> {
    return (await this.#live.invoke('GetType'))[0] as JobType;
  }

  /** The owner's SID string. */
  async getOwner(): Promise<string> {
    return (await this.#live.invoke('GetOwner'))[0] ?? '';
  }

  /** How many times the job went to an error state. */
  async getErrorCount(): Promise<number> {
    return (await this.#live.invoke('GetErrorCount'))[0];
  }

  /**
   * The job's error, or null when the service has none (outside ERROR/TRANSIENT_ERROR, and on
   * Wine for connection failures: BG_E_/DO_E_ERROR_INFORMATION_UNAVAILABLE). Other failures throw.
   */
  async getError(languageId = DEFAULT_LANGUAGE_ID): Promise<JobError | null> {
    validateUint32(languageId, 'languageId');
    const { hr, values } = await this.#live.invokeRaw('GetError');
    // BG_E_ / DO_E_ERROR_INFORMATION_UNAVAILABLE: no error object, not a failure of this read.
    if (hresultErrorClassFor(hr) === ErrorInformationUnavailableError) return null;
    if (failed(hr)) throw HResultError.from(hr, { operation: 'IBackgroundCopyJob::GetError' });
    const [ptr] = values;
    if (ptr === null) return null;
    const error = ComPtr.own(ptr, IBackgroundCopyError, this.service.runtime);
    try {
      return await readJobError(error, languageId);
    } finally {
      await error.release();
    }
  }

  /**
   * One snapshot: state and progress are read in parallel (two worker threads, one wait);
   * the error only in ERROR / TRANSIENT_ERROR.
   */
  async status(): Promise<JobStatus> {
    const job = this.#live;
    const [[state], [progress]] = await Promise.all([job.invoke('GetState'), job.invoke('GetProgress')]);
    const error = state === JobState.Error || state === JobState.TransientError ? await this.getError() : null;
    return { state: state as JobState, stateName: stateName(state as JobState), progress, error };
  }

  // --- properties ----------------------------------------------------------------------------

  /** The job's display name. */
  async getDisplayName(): Promise<string> {
    return (await this.#live.invoke('GetDisplayName'))[0] ?? '';
  }

  /** Renames the job (at most 256 characters). */
  async setDisplayName(name: string): Promise<void> {
    validateDisplayName(name, 'name');
    await this.#live.invoke('SetDisplayName', name);
  }

  /** The job's description. */
  async getDescription(): Promise<string> {
    return (await this.#live.invoke('GetDescription'))[0] ?? '';
  }

  /** Sets the job's description (at most 1,024 characters). */
  async setDescription(description: string): Promise<void> {
    validateDescription(description);
    await this.#live.invoke('SetDescription', description);
  }

  /** The job's priority. */
  async getPriority(): Promise<JobPriority> {
    return (await this.#live.invoke('GetPriority'))[0] as JobPriority;
  }

  /** Changes the job's priority. */
  async setPriority(priority: JobPriority): Promise<void> {
    validateEnum(priority, JobPriority, 'priority');
    await this.#live.invoke('SetPriority', priority);
  }

  /** Which events the service notifies (BG_NOTIFY_* bits). */
  async getNotifyFlags(): Promise<number> {
    return (await this.#live.invoke('GetNotifyFlags'))[0];
  }

  /** A combination of NotifyFlags. */
  async setNotifyFlags(flags: number): Promise<void> {
    validateFlags(flags, ALL_NOTIFY_FLAGS, 'flags');
    await this.#live.invoke('SetNotifyFlags', flags);
  }

  /** Seconds the service waits before retrying after a transient error. */
  async getMinimumRetryDelay(): Promise<number> {
    return (await this.#live.invoke('GetMinimumRetryDelay'))[0];
  }

  /** Sets the wait before a retry after a transient error, in seconds (service minimum 60). */
  async setMinimumRetryDelay(seconds: number): Promise<void> {
    validateUint32(seconds, 'seconds');
    await this.#live.invoke('SetMinimumRetryDelay', seconds);
  }

  /** Seconds without progress in TRANSIENT_ERROR before the job goes to ERROR. */
  async getNoProgressTimeout(): Promise<number> {
    return (await this.#live.invoke('GetNoProgressTimeout'))[0];
  }

  /** Sets how long a job may stay in TRANSIENT_ERROR without progress, in seconds. */
  async setNoProgressTimeout(seconds: number): Promise<void> {
    validateUint32(seconds, 'seconds');
    await this.#live.invoke('SetNoProgressTimeout', seconds);
  }

  /** The job's proxy settings. */
  async getProxySettings(): Promise<ProxySettings> {
    const [usage, proxyList, bypassList] = await this.#live.invoke('GetProxySettings');
    return { usage: usage as ProxyUsage, proxyList, bypassList };
  }

  /** Sets the job's proxy use and lists. */
  async setProxySettings(settings: ProxySettings): Promise<void> {
    if (typeof settings !== 'object' || settings === null) throw invalidArgType('settings', 'an object', settings);
    const o = validateOptionsObject(settings, 'settings', ['usage', 'proxyList', 'bypassList']);
    const usage = validateEnum(o.usage, ProxyUsage, 'settings.usage');
    const list = validateOptionalString(o.proxyList, 'settings.proxyList', { max: 32000 });
    const bypass = validateOptionalString(o.bypassList, 'settings.bypassList', { max: 32000 });
    await this.#live.invoke('SetProxySettings', usage, list, bypass);
  }

  // --- IBackgroundCopyJob2 ---------------------------------------------------------------------

  /** A program the service runs when the job transfers or fails (IBackgroundCopyJob2); null removes it. */
  async setNotifyCmdLine(program: string | null, parameters: string | null): Promise<void> {
    const p = validateOptionalString(program, 'program', { max: 32767 });
    const a = validateOptionalString(parameters, 'parameters', { max: 32767 });
    await (await this.#as(IBackgroundCopyJob2)).invoke('SetNotifyCmdLine', p, a);
  }

  /** The program (and its parameters) run on transfer or error, or nulls. */
  async getNotifyCmdLine(): Promise<{
    /** The program, or null. */
    program: string | null;
    /** Its command line, or null. */
    parameters: string | null;
  }> {
    const [program, parameters] = await (await this.#as(IBackgroundCopyJob2)).invoke('GetNotifyCmdLine');
    return { program, parameters };
  }

  /** Progress of the reply of an upload-reply job. */
  async getReplyProgress(): Promise<ReplyProgress> {
    return (await (await this.#as(IBackgroundCopyJob2)).invoke('GetReplyProgress'))[0];
  }

  /** The reply of an upload-reply job (copied, then the CoTaskMem buffer is freed). */
  async getReplyData(): Promise<Buffer> {
    const j = await this.#as(IBackgroundCopyJob2);
    const [ptr, length] = await j.invoke('GetReplyData');
    return takeCoTaskMem(this.service.runtime, ptr, Buffer.alloc(0), (p) => copyBytes(p, Number(length)));
  }

  /** Where an upload-reply job stores the reply (null: a temporary file). */
  async setReplyFileName(path: string | null): Promise<void> {
    const p = path === null ? null : validateLocalPath(path, 'path', { posix: this.#posixPaths });
    await (await this.#as(IBackgroundCopyJob2)).invoke('SetReplyFileName', p);
  }

  /** Where an upload-reply job stores the reply. */
  async getReplyFileName(): Promise<string | null> {
    return (await (await this.#as(IBackgroundCopyJob2)).invoke('GetReplyFileName'))[0];
  }

  /** Credentials are sent to the service only; they never appear in errors or logs. */
  async setCredentials(credentials: Credentials): Promise<void> {
    if (typeof credentials !== 'object' || credentials === null) throw invalidArgType('credentials', 'an object', credentials);
    // Each field read once: a getter must not pass the checks with one value and send another.
    const c = validateOptionsObject(credentials, 'credentials', ['target', 'scheme', 'userName', 'password']);
    const target = validateEnum(c.target, AuthTarget, 'credentials.target');
    const scheme = validateEnum(c.scheme, AuthScheme, 'credentials.scheme');
    const user = validateOptionalString(c.userName, 'credentials.userName', { max: 300 });
    const rawPassword = c.password;
    if (rawPassword !== null && rawPassword !== undefined && (typeof rawPassword !== 'string' || rawPassword.includes('\0'))) {
      throw invalidArgType('credentials.password', 'a string without NUL characters (not shown)', '[redacted]');
    }
    const password = (rawPassword as string | null | undefined) ?? null;
    if (password !== null && password.length > 65536) throw invalidArgType('credentials.password', 'at most 65,536 characters (not shown)', '[redacted]');
    await (await this.#as(IBackgroundCopyJob2)).invoke('SetCredentials', { Target: target, Scheme: scheme, UserName: user, Password: password });
  }

  /** Removes the credentials for this target and scheme. */
  async removeCredentials(target: AuthTarget, scheme: AuthScheme): Promise<void> {
    validateEnum(target, AuthTarget, 'target');
    validateEnum(scheme, AuthScheme, 'scheme');
    await (await this.#as(IBackgroundCopyJob2)).invoke('RemoveCredentials', target, scheme);
  }

  // --- IBackgroundCopyJob3 / 4 / 5 -------------------------------------------------------------

  /** Replaces the start of every file's URL (e.g. another server), IBackgroundCopyJob3. */
  async replaceRemotePrefix(oldPrefix: string, newPrefix: string): Promise<void> {
    validateString(oldPrefix, 'oldPrefix', { min: 1, max: 2200 });
    validateString(newPrefix, 'newPrefix', { min: 1, max: 2200 });
    await (await this.#as(IBackgroundCopyJob3)).invoke('ReplaceRemotePrefix', oldPrefix, newPrefix);
  }

  /** BG_COPY_FILE_* flags (OWNER 1, GROUP 2, DACL 4, SACL 8). */
  async setFileAclFlags(flags: number): Promise<void> {
    validateFlags(flags, 0xf, 'flags');
    await (await this.#as(IBackgroundCopyJob3)).invoke('SetFileACLFlags', flags);
  }

  /** BG_COPY_FILE_* bits: what of the ACL the files keep. */
  async getFileAclFlags(): Promise<number> {
    return (await (await this.#as(IBackgroundCopyJob3)).invoke('GetFileACLFlags'))[0];
  }

  /** BG_JOB_ENABLE_PEERCACHING_CLIENT 1, _SERVER 2, BG_JOB_DISABLE_BRANCH_CACHE 4. */
  async setPeerCachingFlags(flags: number): Promise<void> {
    validateFlags(flags, 0x7, 'flags');
    await (await this.#as(IBackgroundCopyJob4)).invoke('SetPeerCachingFlags', flags);
  }

  /** Peer caching flags (BG_JOB_ENABLE_PEERCACHING_* bits). */
  async getPeerCachingFlags(): Promise<number> {
    return (await (await this.#as(IBackgroundCopyJob4)).invoke('GetPeerCachingFlags'))[0];
  }

  /** The owner's integrity level (IBackgroundCopyJob4). */
  async getOwnerIntegrityLevel(): Promise<number> {
    return (await (await this.#as(IBackgroundCopyJob4)).invoke('GetOwnerIntegrityLevel'))[0];
  }

  /** Whether the owner was elevated when the job was created. */
  async getOwnerElevationState(): Promise<boolean> {
    return (await (await this.#as(IBackgroundCopyJob4)).invoke('GetOwnerElevationState'))[0];
  }

  /** The job fails unless it transfers within this many seconds (0: no limit), IBackgroundCopyJob4. */
  async setMaximumDownloadTime(seconds: number): Promise<void> {
    validateUint32(seconds, 'seconds');
    await (await this.#as(IBackgroundCopyJob4)).invoke('SetMaximumDownloadTime', seconds);
  }

  /** Seconds the job may take before it fails (0: no limit). */
  async getMaximumDownloadTime(): Promise<number> {
    return (await (await this.#as(IBackgroundCopyJob4)).invoke('GetMaximumDownloadTime'))[0];
  }

  /** IBackgroundCopyJob5::SetProperty, typed by property id. */
  async setProperty(id: JobPropertyId, value: JobPropertyValue): Promise<void> {
    validateEnum(id, JobPropertyId, 'id');
    const wire = encodeJobProperty(id, value);
    await (await this.#as(IBackgroundCopyJob5)).invoke('SetProperty', id, wire);
  }

  /** Reads a BITS_JOB_PROPERTY_ID value (IBackgroundCopyJob5). */
  async getProperty(id: JobPropertyId): Promise<JobPropertyValue> {
    validateEnum(id, JobPropertyId, 'id');
    const [raw] = await (await this.#as(IBackgroundCopyJob5)).invoke('GetProperty', id);
    return decodeJobProperty(id, raw);
  }

  // --- IBackgroundCopyJobHttpOptions -----------------------------------------------------------

  /** Custom HTTP headers sent with every request ("Name: value" lines separated by CRLF); null removes them. */
  async setCustomHeaders(headers: string | null): Promise<void> {
    const h = validateOptionalString(headers, 'headers', { max: 16 * 1024 });
    await (await this.#as(IBackgroundCopyJobHttpOptions)).invoke('SetCustomHeaders', h);
  }

  /** The custom headers, or null when none are set (E_ACCESSDENIED once made write-only). */
  async getCustomHeaders(): Promise<string | null> {
    return (await (await this.#as(IBackgroundCopyJobHttpOptions)).invoke('GetCustomHeaders'))[0];
  }

  /** BG_SSL_* and BG_HTTP_REDIRECT_POLICY_* flags. */
  async setSecurityFlags(flags: number): Promise<void> {
    validateFlags(flags, 0xf1f, 'flags');
    await (await this.#as(IBackgroundCopyJobHttpOptions)).invoke('SetSecurityFlags', flags);
  }

  /** BG_SSL_* and BG_HTTP_REDIRECT_POLICY_* flags. */
  async getSecurityFlags(): Promise<number> {
    return (await (await this.#as(IBackgroundCopyJobHttpOptions)).invoke('GetSecurityFlags'))[0];
  }

  /** The client certificate, chosen by store and subject name. */
  async setClientCertificateByName(location: CertStoreLocation, storeName: string, subjectName: string | null): Promise<void> {
    validateEnum(location, CertStoreLocation, 'location');
    validateString(storeName, 'storeName', { min: 1, max: 256 });
    const subject = validateOptionalString(subjectName, 'subjectName', { max: 1024 });
    await (await this.#as(IBackgroundCopyJobHttpOptions)).invoke('SetClientCertificateByName', location, storeName, subject);
  }

  /** The client certificate, chosen by store and SHA-1 hash. */
  async setClientCertificateById(location: CertStoreLocation, storeName: string, sha1Hash: Uint8Array): Promise<void> {
    validateEnum(location, CertStoreLocation, 'location');
    validateString(storeName, 'storeName', { min: 1, max: 256 });
    if (!(sha1Hash instanceof Uint8Array) || sha1Hash.length !== 20) throw invalidArgType('sha1Hash', 'a 20-byte Uint8Array', sha1Hash);
    await (await this.#as(IBackgroundCopyJobHttpOptions)).invoke('SetClientCertificateByID', location, storeName, Buffer.from(sha1Hash));
  }

  /** Removes the client certificate. */
  async removeClientCertificate(): Promise<void> {
    await (await this.#as(IBackgroundCopyJobHttpOptions)).invoke('RemoveClientCertificate');
  }

  /** The client certificate the job uses. */
  async getClientCertificate(): Promise<ClientCertificate> {
    const h = await this.#as(IBackgroundCopyJobHttpOptions);
    const [location, storeName, hashPtr, subjectName] = await h.invoke('GetClientCertificate');
    const hash = takeCoTaskMem(this.service.runtime, hashPtr, null, (p) => copyBytes(p, 20));
    return { location: location as CertStoreLocation, storeName, hash, subjectName };
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
    await (await this.#as(IBackgroundCopyJobHttpOptions2)).invoke('SetHttpMethod', method);
  }

  /** The HTTP verb of the job's requests (IBackgroundCopyJobHttpOptions2). */
  async getHttpMethod(): Promise<string> {
    return (await (await this.#as(IBackgroundCopyJobHttpOptions2)).invoke('GetHttpMethod'))[0] ?? 'GET';
  }

  /**
   * Makes the custom headers write-only (IBackgroundCopyJobHttpOptions3): from now on nobody, this
   * program included, can read them back (`getCustomHeaders()` fails with E_ACCESSDENIED); the
   * service still sends them. For headers that carry secrets (API tokens). Cannot be undone.
   * @throws NoInterfaceError where the service lacks IBackgroundCopyJobHttpOptions3 (Wine, Windows before 1809).
   */
  async makeCustomHeadersWriteOnly(): Promise<void> {
    await (await this.#as(IBackgroundCopyJobHttpOptions3)).invoke('MakeCustomHeadersWriteOnly');
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
    const options = await this.#as(IBackgroundCopyJobHttpOptions3);
    const previous = this.#certificateValidator;
    if (validator === null) {
      await options.invoke('SetServerCertificateValidationInterface', null);
    } else {
      const callback = createCertificateValidator(validator, (error) => this.#events.emitError(error instanceof Error ? error : new Error(String(error))));
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

  // --- notifications -------------------------------------------------------------------------

  /**
   * Listens to service notifications: 'transferred', 'error' (JobFailedError; also receives
   * exceptions thrown by other listeners), 'modification', 'file-transferred'. Registration with
   * the service happens in the background, but calls made on this job afterwards (`resume()` …)
   * reach the service after it; `notificationsReady()` resolves when it is done. A listener added
   * when the job is already TRANSFERRED (or in ERROR) is told so once.
   * Callbacks alone are not enough (some services never send JobError): wait with
   * `waitForCompletion`, which also polls.
   */
  on(event: JobEventName, listener: JobListener): this {
    this.ensureLive();
    this.#events.on(event, listener);
    void this.#ensureNotifications().catch((error: unknown) => this.#events.emitError(error as Error));
    if (event === 'transferred' || event === 'error') this.#trackRead(this.#replayState(event));
    return this;
  }

  /**
   * The services tell a state once, when the job enters it: a listener added later (or while the
   * registration was on its way) hears of it from us, once (JobEvents remembers who heard).
   */
  async #replayState(event: 'transferred' | 'error'): Promise<void> {
    try {
      const [state] = await this.#live.invoke('GetState');
      if (event === 'transferred' && state === JobState.Transferred) this.#events.emitState('transferred');
      if (event === 'error' && state === JobState.Error) {
        const jobError = await this.getError().catch(() => null);
        this.#events.emitState('error', new JobFailedError({ jobId: this.id, state: 'ERROR', jobError: jobError ?? undefined }));
      }
    } catch {
      // disposed or the service is gone: nothing to replay
    }
  }

  /** Removes a listener added with `on`. */
  off(event: JobEventName, listener: JobListener): this {
    this.#events.off(event, listener);
    return this;
  }

  /** Resolves once the callback object is registered with the service (rejects if it refused). */
  notificationsReady(): Promise<void> {
    return this.#notifications?.ready ?? Promise.resolve();
  }

  #ensureNotifications(): Promise<void> {
    const wanted = this.#events.notifyFlags();
    if (this.#notifications && (this.#notifications.flags & wanted) === wanted) return this.#notifications.ready;
    const previous = this.#notifications;
    const runtime = this.service.runtime;
    const sink: CallbackSink = {
      transferred: () => this.#events.emitState('transferred'),
      modification: () => this.#events.emit('modification'),
      fileTransferred: () => this.#events.emit('file-transferred'),
      error: (errorPtr) => {
        // Tracked, so close() can wait until the error object is read and released.
        this.#trackRead(this.#onJobError(errorPtr));
      },
      listenerFailed: (error) => this.#events.emitError(error instanceof Error ? error : new Error(String(error))),
    };
    const callback = createCallbackObject(runtime, sink);
    const flags = wanted | (previous?.flags ?? 0);
    // The old object stops forwarding events now, but keeps our reference until the service has
    // been given the new one: dropping it earlier would let its count reach zero while a
    // SetNotifyInterface carrying it may still be on its way to the service.
    if (previous) previous.detach();
    // In program order: a resume() made after on() reaches the service after the registration.
    const ready = this.#order.run('write', async () => {
      try {
        await (previous?.ready.catch(() => undefined));
        await this.#job.invoke('SetNotifyInterface', callback.ptr);
        await this.#job.invoke('SetNotifyFlags', flags);
      } finally {
        previous?.release();
      }
    });
    const detach = () => {
      callback.state.sink = null;
    };
    this.#notifications = {
      ready,
      flags,
      detach,
      // Ours goes only once our registration call has returned, for the same reason.
      release: () => {
        detach();
        void ready.catch(() => undefined).finally(() => callback.release());
      },
    };
    return ready;
  }

  /** close() waits for error reads (a notification's or a replay's), which hold objects of the service. */
  #trackRead(reading: Promise<void>): void {
    this.#errorReads.add(reading);
    void reading.finally(() => this.#errorReads.delete(reading));
  }

  async #onJobError(errorPtr: ComPtr<typeof IBackgroundCopyError> | null): Promise<void> {
    let jobError: JobError | null = null;
    try {
      if (errorPtr) jobError = await readJobError(errorPtr);
    } catch {
      // reading the error failed: report the state without details
    } finally {
      await errorPtr?.release();
    }
    this.#events.emitState('error', new JobFailedError({ jobId: this.id, state: 'ERROR', jobError: jobError ?? undefined }));
  }

  // --- waiting -------------------------------------------------------------------------------

  /**
   * Resolves when the job reaches TRANSFERRED (or ACKNOWLEDGED); rejects with JobFailedError in
   * ERROR or CANCELLED, with TruncatedTransferError when the job is TRANSFERRED but a file holds
   * fewer bytes than the server declared, with AbortError when `signal` aborts (the job is left
   * as it is in every case).
   * Combines notifications with polling GetState.
   */
  async waitForCompletion(options: WaitOptions = {}): Promise<JobStatus> {
    this.ensureLive();
    const status = await waitForCompletion(this, this.#events, options);
    await checkTransferredInFull(this, status.state);
    return status;
  }

  /** Status snapshots until the job reaches a state it cannot leave without you. */
  watch(options: WatchOptions = {}): AsyncIterable<JobStatus> {
    this.ensureLive();
    return watchJob(this, this.#events, options);
  }

  protected override async beforeClose(): Promise<void> {
    // Tell the service to stop calling before we let go.
    if (this.#notifications) {
      // From now on a JobError keeps no error object (nobody would read it) ...
      this.#notifications.detach();
      await this.#order.run('write', () => this.#job.invokeRaw('SetNotifyInterface', null));
    }
    // ... and one that came in before holds its object, read from the next turn on (callbacks
    // return at once): let that read start, so that it is waited for too.
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all([...this.#errorReads]);
  }

  protected override beforeDispose(): void {
    // No call to the service here: a SetNotifyInterface(NULL) still in flight when the process
    // exits hangs node (measured on Wine). Our callback object answers S_OK to nothing from now
    // on and lives until the service lets it go (when the job ends). `close()` unregisters.
    if (this.#notifications) {
      this.#notifications.release();
      this.#notifications = null;
    }
    this.#events.clear();
  }

}

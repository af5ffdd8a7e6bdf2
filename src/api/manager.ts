/**
 * Entry point: connects to Delivery Optimization (default), BITS, or a testing fake, and creates,
 * finds and lists jobs. `download()` is the one-shot path most programs need.
 */
import { ComPtr, E_POINTER, failure, type LateHandler } from '../com';
import {
  ENUM_ALL_USERS, IBackgroundCopyJob, IBackgroundCopyManager,
  IEnumBackgroundCopyJobs, JobPriority, JobType,
} from '../bits';
import { AbortError } from '../errors';
import { BackgroundCopyJob, type FinishResult } from './job';
import { collectEnumerator } from './enumerate';
import { ComResource } from './resource';
import type { ServiceName, ServiceProvider } from './service';
import type { JobStatus } from './wait';
import { DEFAULT_LANGUAGE_ID } from './job-error';
import {
  validateAbortSignal, validateBoolean, validateDescription, validateDisplayName, validateEnum, validateFunction,
  BITS_MAX_LOCAL_PATH, validateDuration, validateGuid, validateHResult, validateLocalPath, validateOptionsObject, validateRemoteUrl, validateUint32,
} from './validate';
import { activate } from './activate';
import { redact } from '../secrets';
import { completeVerified } from './finish';
import { checkDestinationFolders } from './destination';
import { probeJob, windowsBuild, type ServiceCapabilities } from './capabilities';
import { DOManager } from './ido/manager';

/** Options of `BackgroundCopyManager.connect`. */
export interface ConnectOptions {
  /** 'delivery-optimization' (default), 'bits', or a ServiceProvider such as the testing fake. */
  readonly service?: ServiceName | ServiceProvider;
  /**
   * Longest time one call to the service may take before it fails with ServiceUnavailableError
   * (RPC_E_TIMEOUT): 0 (no limit) to 2^31-1 ms. Default: 120,000 for Windows' services, none for
   * the fake. Applies to this manager and its jobs only.
   */
  readonly callTimeoutMs?: number;
}

/** Options of `createJob`. */
export interface CreateJobOptions {
  /** Download (default), upload or upload-reply. */
  readonly type?: JobType;
  /** Default `JobPriority.Normal`. */
  readonly priority?: JobPriority;
  /** The job's description (at most 1,024 characters). */
  readonly description?: string;
  /**
   * A CLSID BITS activates when the job is transferred or fails, even with this program gone: the
   * class a script registered with `registerNotificationServer` (sets
   * `JobPropertyId.NotificationClsid`, BITS 5; `NoInterfaceError` where the service has no IBackgroundCopyJob5).
   */
  readonly notifyOnFinish?: string;
}

/** Options of `download`. */
export interface DownloadOptions {
  /** Aborting cancels the job and rejects with AbortError. */
  readonly signal?: AbortSignal;
  /** Called with each status snapshot that differs from the previous one. */
  readonly onProgress?: (status: JobStatus) => void;
  /** The job's display name (default: `delivery-optimization: <url>`). */
  readonly displayName?: string;
  /** Default `JobPriority.Normal`. */
  readonly priority?: JobPriority;
  /** Polling period while waiting, 1 to 2^31-1 ms (default: adaptive, as for `WaitOptions`). */
  readonly pollIntervalMs?: number;
}

/** `download`'s arguments once checked: they travel inward as this type (`download()` of auto-download.ts checks its own). */
export interface CheckedDownload {
  readonly remoteUrl: string;
  readonly localPath: string;
  readonly displayName: string;
  readonly priority?: JobPriority;
  readonly signal?: AbortSignal;
  readonly onProgress?: (status: JobStatus) => void;
  readonly pollIntervalMs?: number;
}

/** What `download` resolves to. */
export interface DownloadResult {
  /** The id of the (now finished) job. */
  readonly jobId: string;
  /** Where the file is. */
  readonly localPath: string;
  /** Bytes transferred. */
  readonly bytesTransferred: bigint;
  /** What Complete answered (S_OK, or a success code worth knowing). */
  readonly completion: FinishResult;
}

/** The late result of a CreateJob that timed out: the job is cancelled, then released. */
const cancelLateJob: LateHandler = (values, _plan, runtime) => {
  const ptr = values[1];
  if (typeof ptr !== 'bigint') return;
  const job = ComPtr.own(ptr, IBackgroundCopyJob, runtime);
  void job.invoke('Cancel').catch(() => undefined).then(() => job.release()).catch(() => undefined);
};

/**
 * The entry point: a connection to Delivery Optimization (default) or BITS, which creates, finds and
 * lists jobs, and downloads a file in one call.
 *
 * @example
 * ```ts
 * import { BackgroundCopyManager } from 'delivery-optimization';
 *
 * const manager = await BackgroundCopyManager.connect({ service: 'bits' });
 * try {
 *   const result = await manager.download('https://example.com/setup.exe', 'C:\\Downloads\\setup.exe', {
 *     onProgress: (s) => console.log(s.stateName, s.progress.bytesTransferred),
 *   });
 *   console.log(result.completion.code);
 * } finally {
 *   manager.dispose();
 * }
 * ```
 */
export class BackgroundCopyManager extends ComResource {
  readonly #manager: ComPtr<typeof IBackgroundCopyManager>;
  /** The service this manager talks to. */
  readonly service: ServiceProvider;

  private constructor(manager: ComPtr<typeof IBackgroundCopyManager>, service: ServiceProvider) {
    super();
    this.#manager = this.adopt(manager);
    this.service = service;
  }

  protected get displayName(): string {
    return `BackgroundCopyManager (${this.service.displayName})`;
  }

  /**
   * Activates the service's IBackgroundCopyManager. Rejects with PlatformNotSupportedError off
   * Windows (use the fake from 'delivery-optimization/testing'), ClassNotRegisteredError when the
   * service is not installed (Delivery Optimization's BITS-style API needs Windows 10 1709+).
   */
  static async connect(options: ConnectOptions = {}): Promise<BackgroundCopyManager> {
    const { service, ptr } = await activate(options, {
      iface: IBackgroundCopyManager,
      names: ['delivery-optimization', 'bits'],
      feature: (known) => `Connecting to ${known.displayName}`,
    });
    return new BackgroundCopyManager(ptr, service);
  }

  #wrapJob(ptr: bigint | null, id: string, operation: string): BackgroundCopyJob {
    if (ptr === null) throw failure(this.service.runtime, E_POINTER, operation);
    return this.#adoptJob(ComPtr.own(ptr, IBackgroundCopyJob, this.service.runtime), id);
  }

  /** A job wrapper over an owned pointer. */
  #adoptJob(job: ComPtr<typeof IBackgroundCopyJob>, id: string): BackgroundCopyJob {
    return new BackgroundCopyJob(job, id, this.service);
  }

  /** Creates a job (state SUSPENDED). Add files, then `resume()`. */
  async createJob(displayName: string, options: CreateJobOptions = {}): Promise<BackgroundCopyJob> {
    this.ensureLive();
    validateDisplayName(displayName);
    const o = validateOptionsObject(options, 'options', ['type', 'priority', 'description', 'notifyOnFinish']);
    const type = o.type === undefined ? JobType.Download : validateEnum(o.type, JobType, 'options.type');
    const priority = o.priority === undefined ? undefined : validateEnum(o.priority, JobPriority, 'options.priority');
    const description = o.description === undefined ? undefined : validateDescription(o.description, 'options.description');
    const notifyOnFinish = o.notifyOnFinish === undefined ? undefined : validateGuid(o.notifyOnFinish, 'options.notifyOnFinish');
    return this.#createChecked(displayName, type, priority, description, notifyOnFinish);
  }

  /** createJob with its arguments already checked (`download()` checks its own once). */
  async #createChecked(displayName: string, type: JobType, priority: JobPriority | undefined, description: string | undefined, notifyOnFinish?: string): Promise<BackgroundCopyJob> {
    // If CreateJob times out and the service creates the job anyway, nobody will ever see that
    // job: cancel it (so the service does not keep it) and release it.
    const [id, ptr] = await this.#manager.onLateResult(cancelLateJob).invoke('CreateJob', displayName, type);
    const job = this.#wrapJob(ptr, id, 'IBackgroundCopyManager::CreateJob');
    try {
      if (priority !== undefined) await job.setPriority(priority);
      if (description !== undefined) await job.setDescription(description);
      if (notifyOnFinish !== undefined) await job.setNotificationClsid(notifyOnFinish);
    } catch (error) {
      await job.cancel().catch(() => undefined);
      job.dispose();
      throw error;
    }
    return job;
  }

  /** The job with this id; JobNotFoundError when the service has none. */
  async getJob(id: string): Promise<BackgroundCopyJob> {
    this.ensureLive();
    const normalized = validateGuid(id, 'id');
    const ptr = await this.#manager.invoke('GetJob', normalized);
    return this.#wrapJob(ptr, normalized, 'IBackgroundCopyManager::GetJob');
  }

  /** The caller's jobs (all users' with `allUsers`, which needs administrator rights). */
  async jobs(options: { allUsers?: boolean } = {}): Promise<BackgroundCopyJob[]> {
    this.ensureLive();
    const o = validateOptionsObject(options, 'options', ['allUsers']);
    const allUsers = o.allUsers === undefined ? false : validateBoolean(o.allUsers, 'options.allUsers');
    const ptr = await this.#manager.invoke('EnumJobs', allUsers ? ENUM_ALL_USERS : 0);
    if (ptr === null) return [];
    const enumerator = ComPtr.own(ptr, IEnumBackgroundCopyJobs, this.service.runtime);
    let pointers: Array<ComPtr<typeof IBackgroundCopyJob>> = [];
    try {
      pointers = await collectEnumerator(enumerator, IBackgroundCopyJob);
      const ids = await Promise.all(pointers.map((p) => p.invoke('GetId')));
      return pointers.map((p, i) => this.#adoptJob(p, ids[i]));
    } catch (error) {
      await Promise.all(pointers.map((p) => p.release()));
      throw error;
    } finally {
      await enumerator.release();
    }
  }

  /**
   * What this service offers: the interface versions its jobs and files answer, the BITS version
   * they imply, whether the IDO API is there, the Windows build. Creates a suspended job with one
   * file to ask (nothing is transferred) and cancels it.
   *
   * @example
   * ```ts
   * const caps = await manager.capabilities();
   * if (caps.job.IBackgroundCopyJobHttpOptions2) await job.setHttpMethod('POST');
   * ```
   */
  async capabilities(): Promise<ServiceCapabilities> {
    this.ensureLive();
    const job = await this.#createChecked('delivery-optimization: capabilities probe', JobType.Download, undefined, undefined);
    let found: Awaited<ReturnType<typeof probeJob>>;
    try {
      found = await probeJob(job, this.service.posixPaths === true);
    } finally {
      await job.cancel().catch(() => undefined);
      job.dispose();
    }
    const ido = await DOManager.connect({ service: this.service }).then((m) => {
      m.dispose();
      return true;
    }, () => false);
    return { ...found, ido, windowsBuild: windowsBuild() };
  }

  /** The service's text for an HRESULT (BITS only; many services answer E_NOTIMPL). */
  async getErrorDescription(hresult: number, languageId = DEFAULT_LANGUAGE_ID): Promise<string> {
    this.ensureLive();
    const hr = validateHResult(hresult, 'hresult');
    validateUint32(languageId, 'languageId');
    const text = await this.#manager.invoke('GetErrorDescription', hr | 0, languageId);
    return text ?? '';
  }

  /**
   * Downloads one URL to `localPath`: creates a job, adds the file, resumes, waits, completes.
   * Resolves only when the file is at `localPath` with every byte the server declared. Otherwise
   * the job is cancelled (or, after Complete, already finished) and the promise rejects:
   * AbortError, JobFailedError, TruncatedTransferError (fewer bytes than declared) or
   * IncompleteDownloadError (the file was not kept). A folder of `localPath` that is missing (or a
   * file, or not writable where that can be known) is found before the job is created:
   * DestinationFolderError, and nothing is transferred.
   *
   * @example
   * ```ts
   * const controller = new AbortController();
   * const result = await manager.download('https://example.com/a.iso', 'C:\\Downloads\\a.iso', {
   *   priority: JobPriority.Foreground,
   *   signal: controller.signal,                         // abort() cancels the job
   *   onProgress: (s) => console.log(s.stateName, s.progress.bytesTransferred, '/', s.progress.bytesTotal ?? '?'),
   * });
   * ```
   */
  async download(url: string, localPath: string, options: DownloadOptions = {}): Promise<DownloadResult> {
    this.ensureLive();
    const o = validateOptionsObject(options, 'options', ['signal', 'onProgress', 'displayName', 'priority', 'pollIntervalMs']);
    const signal = validateAbortSignal(o.signal, 'options.signal');
    const onProgress = o.onProgress === undefined ? undefined : validateFunction<(s: JobStatus) => void>(o.onProgress, 'options.onProgress');
    const remoteUrl = validateRemoteUrl(url, 'url', { flavour: this.service.kind });
    const checkedPath = validateLocalPath(localPath, 'localPath', { posix: this.service.posixPaths === true, maxLength: BITS_MAX_LOCAL_PATH });
    const displayName = o.displayName === undefined ? `delivery-optimization: ${redact(url).slice(0, 200)}` : validateDisplayName(o.displayName, 'options.displayName');
    if (signal?.aborted) throw new AbortError('The download was aborted before it started', { cause: signal.reason });
    const priority = o.priority === undefined ? undefined : validateEnum(o.priority, JobPriority, 'options.priority');
    const pollIntervalMs = o.pollIntervalMs === undefined ? undefined : validateDuration(o.pollIntervalMs, 'options.pollIntervalMs', { min: 1 });
    return this.downloadChecked({ remoteUrl, localPath: checkedPath, displayName, priority, signal, onProgress, pollIntervalMs });
  }

  /** @internal `download` with its arguments already checked (by `download` above or auto-download's `download()`). */
  async downloadChecked(checked: CheckedDownload): Promise<DownloadResult> {
    this.ensureLive();
    const { remoteUrl, localPath, displayName, priority, signal, onProgress, pollIntervalMs } = checked;
    if (signal?.aborted) throw new AbortError('The download was aborted before it started', { cause: signal.reason });
    checkDestinationFolders([localPath]);
    // Checked once, by the caller: the values travel inward as they are.
    const job = await this.#createChecked(displayName, JobType.Download, priority, undefined);
    try {
      await job.addCheckedFile({ remoteUrl, localPath });
      await job.resume();
      const status = await job.waitChecked({ signal, onProgress, pollIntervalMs, deadline: Infinity });
      const completion = await completeVerified(job);
      return { jobId: job.id, localPath, bytesTransferred: status.progress.bytesTransferred, completion };
    } catch (error) {
      await job.cancel().catch(() => undefined);
      throw error;
    } finally {
      job.dispose();
    }
  }
}

/**
 * The core of a job: its pointer, the program order of its calls, its life cycle and its state.
 * The settings, HTTP options, files and notifications are layered on top (job-settings.ts,
 * job-http-options.ts, job.ts); BackgroundCopyJob is the class users see.
 */
import { ComPtr, type Interface } from '../com';
import { IBackgroundCopyError, IBackgroundCopyJob, JobState, JobType, stateName, type JobProgress, type JobTimes } from '../bits';
import { describeHResult, hresultIs } from '../errors';
import { readJobError, DEFAULT_LANGUAGE_ID, type JobError } from './job-error';
import { CallOrder, ordered, type OrderedPtr } from './call-order';
import { ComResource } from './resource';
import { JobEvents } from './job-events';
import type { JobStatus } from './wait';
import type { ServiceProvider } from './service';
import { validateUint32 } from './validate';

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


function finishResult(hr: number): FinishResult {
  return {
    hresult: hr,
    code: hr === 0 ? 'S_OK' : describeHResult(hr).name,
    partial: hresultIs(hr, 'BG_S_PARTIAL_COMPLETE'),
    unableToDeleteFiles: hresultIs(hr, 'BG_S_UNABLE_TO_DELETE_FILES'),
  };
}

/**
 * The layer of BackgroundCopyJob that owns the pointer; see BackgroundCopyJob. Not exported from
 * the package: it is in the declarations only because BackgroundCopyJob extends it.
 */
export abstract class JobCore extends ComResource {
  /** Lowercase GUID, no braces. */
  readonly id: string;
  /** The service this job belongs to. */
  readonly service: ServiceProvider;
  /** @internal The job pointer, unordered: for calls inside `write()`. */
  protected readonly jobPtr: ComPtr<typeof IBackgroundCopyJob>;
  /** @internal */
  protected readonly events = new JobEvents();
  /** @internal */
  protected readonly order = new CallOrder();
  readonly #orderedJob: OrderedPtr<typeof IBackgroundCopyJob>;
  readonly #orderedExtensions = new WeakMap<object, unknown>();

  /** @hidden Takes ownership of `job`. Not for users: BackgroundCopyManager gives jobs. */
  constructor(job: ComPtr<typeof IBackgroundCopyJob>, id: string, service: ServiceProvider) {
    super();
    this.jobPtr = this.adopt(job);
    this.#orderedJob = ordered(job, this.order);
    this.id = id;
    this.service = service;
  }

  protected get displayName(): string {
    return `BackgroundCopyJob {${this.id}}`;
  }

  /** @internal */
  protected get posixPaths(): boolean {
    return this.service.posixPaths === true;
  }

  /** @internal An extension interface (Job2…Job5, HTTP options), its calls in program order with the job's. */
  protected async facet<I extends Interface>(iface: I): Promise<OrderedPtr<I>> {
    const ptr = await this.extension(this.jobPtr, iface);
    let view = this.#orderedExtensions.get(ptr);
    if (!view) this.#orderedExtensions.set(ptr, (view = ordered(ptr, this.order)));
    return view as OrderedPtr<I>;
  }

  /** @internal The job pointer, after checking the job was not disposed; its calls keep program order. */
  protected get live(): OrderedPtr<typeof IBackgroundCopyJob> {
    this.ensureLive();
    return this.#orderedJob;
  }

  /** @internal Several calls that change the job, as one step in program order (they use jobPtr directly). */
  protected write<T>(steps: () => Promise<T>): Promise<T> {
    this.ensureLive();
    return this.order.run('write', steps);
  }

  // --- life cycle ----------------------------------------------------------------------------

  /** Pauses the job (IBackgroundCopyJob::Suspend). */
  async suspend(): Promise<void> {
    await this.live.invoke('Suspend');
  }

  /** Starts or restarts the transfer (also retries a job in ERROR). */
  async resume(): Promise<void> {
    const job = this.live;
    this.events.forgetStates();
    const result = await job.invokeRaw('Resume');
    // BG_E_EMPTY ("no files") also answers a job whose files are all transferred (Wine): say which.
    if (hresultIs(result.hr, 'BG_E_EMPTY', 'DO_E_JOB_EMPTY')) {
      const state = await this.getState().catch(() => null);
      if (state !== null && state !== JobState.Suspended) {
        const why = state === JobState.Transferred
          ? 'every file is already transferred, so there is nothing to resume: complete() it to get the files, or add files first.'
          : 'a job in this state cannot be resumed.';
        result.orThrow({ description: `The job is ${stateName(state)}: ${why}` });
      }
    }
    result.orThrow();
  }

  /** Cancels the job (final). Reports BG_S_UNABLE_TO_DELETE_FILES instead of hiding it. */
  async cancel(): Promise<FinishResult> {
    const result = await this.live.invokeRaw('Cancel');
    result.orThrow();
    return finishResult(result.hr);
  }

  /** Completes the job (final): files get their names. Reports BG_S_PARTIAL_COMPLETE instead of hiding it. */
  async complete(): Promise<FinishResult> {
    const result = await this.live.invokeRaw('Complete');
    result.orThrow();
    return finishResult(result.hr);
  }

  /** Makes the current user the job's owner (administrators only). */
  async takeOwnership(): Promise<void> {
    await this.live.invoke('TakeOwnership');
  }

  // --- state -------------------------------------------------------------------------------

  /** The job's state. */
  async getState(): Promise<JobState> {
    return await this.live.invoke('GetState');
  }

  /** Bytes and files transferred so far, and the totals when known. */
  async getProgress(): Promise<JobProgress> {
    return await this.live.invoke('GetProgress');
  }

  /** When the job was created, last modified, and transferred. */
  async getTimes(): Promise<JobTimes> {
    return await this.live.invoke('GetTimes');
  }

  /** Download, upload, or upload-reply. */
  async getType(): Promise<JobType> {
    return await this.live.invoke('GetType');
  }

  /** The owner's SID string. */
  async getOwner(): Promise<string> {
    return await this.live.invoke('GetOwner') ?? '';
  }

  /** How many times the job went to an error state. */
  async getErrorCount(): Promise<number> {
    return await this.live.invoke('GetErrorCount');
  }

  /**
   * The job's error, or null when the service has none (outside ERROR/TRANSIENT_ERROR, and on
   * Wine for connection failures: BG_E_/DO_E_ERROR_INFORMATION_UNAVAILABLE). Other failures throw.
   */
  async getError(languageId = DEFAULT_LANGUAGE_ID): Promise<JobError | null> {
    validateUint32(languageId, 'languageId');
    const result = await this.live.invokeRaw('GetError');
    // BG_E_ / DO_E_ERROR_INFORMATION_UNAVAILABLE: no error object, not a failure of this read.
    if (hresultIs(result.hr, 'BG_E_ERROR_INFORMATION_UNAVAILABLE', 'DO_E_ERROR_INFORMATION_UNAVAILABLE')) return null;
    const ptr = result.orThrow();
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
    const job = this.live;
    const [state, progress] = await Promise.all([job.invoke('GetState'), job.invoke('GetProgress')]);
    const error = state === JobState.Error || state === JobState.TransientError ? await this.getError() : null;
    return { state, stateName: stateName(state), progress, error };
  }

}

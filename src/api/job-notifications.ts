/**
 * A job's notifications: the callback object registered with the service (in the job's program
 * order), the JobError objects it hands us, and the replay of a state a late listener missed.
 */
import type { ComPtr, ComRuntime } from '../com';
import { IBackgroundCopyJob, JobState, NotifyFlags, type IBackgroundCopyError } from '../bits';
import { ForeignCallbackError, JobFailedError } from '../errors';
import type { Calls, StepCalls } from './calls';
import { BackgroundCopyFile } from './file';
import { readJobError, type JobError } from './job-error';
import type { JobEvents } from './job-events';
import { NotificationRegistration, type CallbackSink } from './notifications';
import { readNotifyInterface, type NotifyInterfaceInfo } from './notify-interface';
import type { ServiceProvider } from './service';
import { invalidArgType, validateBoolean } from './validate';

export type { NotifyInterfaceInfo } from './notify-interface';

/** Options of `job.on()`. */
export interface OnOptions {
  /**
   * Take the job's notifications over even when another program's callback object is registered
   * on it (that program then hears nothing more of the job). Default false: `job.on()` leaves it,
   * and the registration fails with ForeignCallbackError.
   */
  readonly replaceForeignCallback?: boolean;
}

/** `job.on()`'s options, checked before anything is registered. */
export function checkOnOptions(options: unknown): OnOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') throw invalidArgType('options', 'an object', options);
  const replace = (options as OnOptions).replaceForeignCallback;
  return { replaceForeignCallback: replace === undefined ? false : validateBoolean(replace, 'options.replaceForeignCallback') };
}

export class JobNotifications {
  /** Error reads in progress (JobError notifications, replays): each holds an IBackgroundCopyError until it is read. */
  readonly #errorReads = new Set<Promise<void>>();
  #registration: NotificationRegistration | null = null;
  /** The current registration was refused: another program's callback object is on the job. */
  #refusedForeign = false;
  /** The service refused BG_NOTIFY_FILE_RANGES_TRANSFERRED once (reported then): not asked again. */
  #rangesRefused = false;

  constructor(
    private readonly calls: Calls,
    private readonly events: JobEvents,
    private readonly service: ServiceProvider,
    private readonly jobId: string,
    private readonly readError: () => Promise<JobError | null>,
  ) {}

  get runtime(): ComRuntime {
    return this.service.runtime;
  }

  /** GetNotifyInterface, in the job's program order (after the registrations asked for before). */
  notifyInterface(): Promise<NotifyInterfaceInfo> {
    return this.calls.inOrder((job) => readNotifyInterface(job, this.runtime));
  }

  /**
   * A listener was added for `event`: register (again) with the flags wanted, and replay a state it
   * missed. A registration that fails is reported once, to 'error' listeners.
   */
  listenerAdded(event: string, options: OnOptions = {}): void {
    const fresh = this.#ensureRegistered(options.replaceForeignCallback === true);
    void fresh?.catch((error: unknown) => this.events.emitError(error as Error));
    if (event === 'transferred' || event === 'error') this.#track(this.#replayState(event));
  }

  /** Resolves once the callback object is registered with the service (rejects if it refused). */
  get ready(): Promise<void> {
    return this.#registration?.ready ?? Promise.resolve();
  }

  /**
   * The services tell a state once, when the job enters it: a listener added later (or while the
   * registration was on its way) hears of it from us, once (JobEvents remembers who heard).
   */
  async #replayState(event: 'transferred' | 'error'): Promise<void> {
    try {
      const state = await this.calls.call(IBackgroundCopyJob, 'GetState');
      if (event === 'transferred' && state === JobState.Transferred) this.events.emitState('transferred');
      if (event === 'error' && state === JobState.Error) {
        const jobError = await this.readError().catch(() => null);
        this.events.emitState('error', new JobFailedError({ jobId: this.jobId, state: JobState.Error, jobError: jobError ?? undefined }));
      }
    } catch {
      // disposed or the service is gone: nothing to replay
    }
  }

  /** The new registration's promise, or null when the current one already asks for every flag wanted. */
  #ensureRegistered(replaceForeign: boolean): Promise<void> | null {
    const refusedFlags = this.#rangesRefused ? NotifyFlags.FileRangesTransferred : 0;
    const wanted = this.events.notifyFlags() & ~refusedFlags;
    const previous = this.#registration;
    // A registration refused for another program's callback is made again when asked to replace it.
    const retry = replaceForeign && this.#refusedForeign;
    if (previous && (previous.flags & wanted) === wanted && !retry) return null;
    this.#refusedForeign = false;
    const sink: CallbackSink = {
      transferred: () => this.events.emitState('transferred'),
      modification: () => this.events.emit('modification'),
      fileTransferred: () => this.events.emit('file-transferred'),
      rangesTransferred: (filePtr, ranges) => {
        const file = new BackgroundCopyFile(filePtr, this.service.kind);
        void this.events.emitRanges(file, ranges).finally(() => file.dispose());
      },
      error: (errorPtr) => this.#track(this.#onJobError(errorPtr)),
      listenerFailed: (error) => this.events.emitError(error instanceof Error ? error : new Error(String(error))),
    };
    // In program order: a resume() made after on() reaches the service after the registration.
    let job: StepCalls;
    this.#registration = new NotificationRegistration(
      this.runtime, sink, (wanted | (previous?.flags ?? 0)) & ~refusedFlags, previous,
      (step) => this.calls.inOrder((handed) => {
        job = handed;
        return step();
      }),
      async (callback, flags) => {
        // Our own earlier registration is replaced freely; another program's only when asked.
        if (!replaceForeign && await this.#foreignCallbackRegistered(job)) {
          this.#refusedForeign = true;
          throw new ForeignCallbackError({ jobId: this.jobId });
        }
        await job.call(IBackgroundCopyJob, 'SetNotifyInterface', callback);
        await setNotifyFlags(job, flags, () => (this.#rangesRefused = true));
      },
    );
    return this.#registration.ready;
  }

  /** True when GetNotifyInterface shows another program's object (a service that cannot tell: false). */
  async #foreignCallbackRegistered(job: StepCalls): Promise<boolean> {
    const info = await readNotifyInterface(job, this.runtime).catch(() => null);
    return info !== null && info.registered && !info.ours;
  }

  /** Tracked, so close() can wait until the error object is read and released. */
  #track(reading: Promise<void>): void {
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
    this.events.emitState('error', new JobFailedError({ jobId: this.jobId, state: JobState.Error, jobError: jobError ?? undefined }));
  }

  /** `close()`: tell the service to stop calling, then wait for the error reads under way. */
  async close(): Promise<void> {
    if (this.#registration) {
      // From now on a JobError keeps no error object (nobody would read it) ...
      this.#registration.detach();
      await this.calls.inOrder((job) => job.callRaw(IBackgroundCopyJob, 'SetNotifyInterface', null));
    }
    // ... and one that came in before holds its object, read from the next turn on (callbacks
    // return at once): let that read start, so that it is waited for too.
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all([...this.#errorReads]);
  }

  /**
   * `dispose()`: no call to the service here: a SetNotifyInterface(NULL) still in flight when the
   * process exits hangs node (measured on Wine). Our callback object answers S_OK to nothing from
   * now on and lives until the service lets it go (when the job ends). `close()` unregisters.
   */
  dispose(): void {
    this.#registration?.release();
    this.#registration = null;
  }
}

/**
 * SetNotifyFlags. A service without IBackgroundCopyCallback3 (Wine: E_NOTIMPL; Windows before
 * 10 1703) refuses BG_NOTIFY_FILE_RANGES_TRANSFERRED: the other events are registered without it,
 * and the refusal is still reported (notificationsReady() rejects with it).
 */
async function setNotifyFlags(job: StepCalls, flags: number, refused: () => void): Promise<void> {
  const result = await job.callRaw(IBackgroundCopyJob, 'SetNotifyFlags', flags);
  if (!result.failed || !(flags & NotifyFlags.FileRangesTransferred)) return result.orThrow();
  await job.call(IBackgroundCopyJob, 'SetNotifyFlags', flags & ~NotifyFlags.FileRangesTransferred);
  refused();
  result.orThrow();
}

/**
 * A job's notifications: the callback object registered with the service (in the job's program
 * order), the JobError objects it hands us, and the replay of a state a late listener missed.
 */
import type { ComPtr, ComRuntime } from '../com';
import { IBackgroundCopyJob, JobState, type IBackgroundCopyError } from '../bits';
import { JobFailedError } from '../errors';
import type { Calls, StepCalls } from './calls';
import { readJobError, type JobError } from './job-error';
import type { JobEvents } from './job-events';
import { NotificationRegistration, type CallbackSink } from './notifications';

export class JobNotifications {
  /** Error reads in progress (JobError notifications, replays): each holds an IBackgroundCopyError until it is read. */
  readonly #errorReads = new Set<Promise<void>>();
  #registration: NotificationRegistration | null = null;

  constructor(
    private readonly calls: Calls,
    private readonly events: JobEvents,
    private readonly runtime: ComRuntime,
    private readonly jobId: string,
    private readonly readError: () => Promise<JobError | null>,
  ) {}

  /** A listener was added for `event`: register (again) with the flags wanted, and replay a state it missed. */
  listenerAdded(event: string): void {
    void this.#ensureRegistered().catch((error: unknown) => this.events.emitError(error as Error));
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

  #ensureRegistered(): Promise<void> {
    const wanted = this.events.notifyFlags();
    const previous = this.#registration;
    if (previous && (previous.flags & wanted) === wanted) return previous.ready;
    const sink: CallbackSink = {
      transferred: () => this.events.emitState('transferred'),
      modification: () => this.events.emit('modification'),
      fileTransferred: () => this.events.emit('file-transferred'),
      error: (errorPtr) => this.#track(this.#onJobError(errorPtr)),
      listenerFailed: (error) => this.events.emitError(error instanceof Error ? error : new Error(String(error))),
    };
    // In program order: a resume() made after on() reaches the service after the registration.
    let job: StepCalls;
    this.#registration = new NotificationRegistration(
      this.runtime, sink, wanted | (previous?.flags ?? 0), previous,
      (step) => this.calls.inOrder((handed) => {
        job = handed;
        return step();
      }),
      async (callback, flags) => {
        await job.call(IBackgroundCopyJob, 'SetNotifyInterface', callback);
        await job.call(IBackgroundCopyJob, 'SetNotifyFlags', flags);
      },
    );
    return this.#registration.ready;
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

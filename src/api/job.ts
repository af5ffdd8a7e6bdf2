/**
 * A BITS / Delivery Optimization job. Every method that talks to the service returns a Promise
 * (calls leave the JS main thread, see docs/architecture.md). Job2–Job5 and HTTP options are
 * reached through QueryInterface on first use; a service without them rejects with
 * NoInterfaceError. The class is built in layers, one concern each: job-core.ts (pointer, call
 * order, life cycle, state), job-settings.ts, job-http-options.ts, and here files, notifications
 * and waiting.
 */
import { ComPtr, E_NOTIMPL } from '../com';
import { IBackgroundCopyError, IBackgroundCopyFile, IBackgroundCopyJob3, IEnumBackgroundCopyFiles, JobState, type FileRange } from '../bits';
import { JobFailedError } from '../errors';
import { BackgroundCopyFile, toWireRanges } from './file';
import { checkTransferredInFull } from './finish';
import { readJobError, type JobError } from './job-error';
import { NotificationRegistration, type CallbackSink } from './notifications';
import { collectEnumerator } from './enumerate';
import { type JobEventName, type JobListener } from './job-events';
import { checkWaitOptions, waitForCompletion, watchJob, type CheckedWaitOptions, type JobStatus, type WaitOptions, type WatchOptions } from './wait';
import { invalidArgType, invalidArgValue, validateLocalPath, validateRemoteUrl } from './validate';
import { addFileThroughDeliveryOptimization } from './do-add-file';
import { JobHttpOptions } from './job-http-options';

export type { FinishResult } from './job-core';
export type { ProxySettings, Credentials } from './job-settings';
export type { ClientCertificate } from './job-http-options';

/** One file of a job: where it comes from and where it goes. */
export interface FileSpec {
  /** http(s) URL (BITS also takes UNC paths). */
  readonly remoteUrl: string;
  /** Fully qualified destination path; the file appears there at `complete()`. */
  readonly localPath: string;
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
export class BackgroundCopyJob extends JobHttpOptions {
  /** Error reads in progress (JobError notifications, replays): each holds an IBackgroundCopyError until it is read. */
  readonly #errorReads = new Set<Promise<void>>();
  #notifications: NotificationRegistration | null = null;

  // --- files -------------------------------------------------------------------------------

  #checkFile(remoteUrl: unknown, localPath: unknown, name: string): FileSpec {
    return {
      remoteUrl: validateRemoteUrl(remoteUrl, `${name}.remoteUrl`, { flavour: this.service.kind }),
      localPath: validateLocalPath(localPath, `${name}.localPath`, { posix: this.posixPaths }),
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
    return this.posixPaths && localPath.startsWith('/') ? localPath : localPath.replace(/\//g, '\\').toLowerCase();
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
    const { failed, value: ptr } = await this.jobPtr.invokeRaw('EnumFiles');
    if (failed || ptr === null) return [];
    const enumerator = ComPtr.own(ptr, IEnumBackgroundCopyFiles, this.service.runtime);
    let files: Array<ComPtr<typeof IBackgroundCopyFile>> = [];
    try {
      files = await collectEnumerator(enumerator, IBackgroundCopyFile);
      const locals = await Promise.all(files.map((f) => f.invokeRaw('GetLocalName')));
      return locals.flatMap(({ failed, value: local }) => (failed || !local ? [] : [local]));
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
    return this.addCheckedFile(this.#checkFile(remoteUrl, localPath, 'file'));
  }

  /** @internal `addFile` for a spec already checked (`download()` checks its own once). */
  async addCheckedFile(spec: FileSpec): Promise<void> {
    this.ensureLive();
    this.events.forgetStates();
    return this.write(async () => {
      await this.#refuseDuplicatePaths([spec], ['file']);
      await this.#addFileNow(spec);
    });
  }

  async #addFileNow(spec: FileSpec): Promise<void> {
    const result = await this.jobPtr.invokeRaw('AddFile', spec.remoteUrl, spec.localPath);
    if (result.hr === E_NOTIMPL && this.service.kind === 'delivery-optimization') return addFileThroughDeliveryOptimization(this.jobPtr, spec, this.service.runtime);
    result.orThrow();
  }

  /** Adds several files in one call (AddFileSet), or one by one when the service does not implement it. */
  async addFiles(files: readonly FileSpec[]): Promise<void> {
    this.ensureLive();
    if (!Array.isArray(files)) throw invalidArgType('files', 'an array of { remoteUrl, localPath }', files);
    if (files.length === 0) throw invalidArgType('files', 'a non-empty array', files);
    const specs = files.map((f: unknown, i) => this.#checkSpec(f, `files[${i}]`));
    const wire = specs.map((s) => ({ RemoteName: s.remoteUrl, LocalName: s.localPath }));
    this.#refuseRepeats(specs, specs.map((_, i) => `files[${i}]`));
    this.events.forgetStates();
    return this.write(async () => {
      await this.#refuseDuplicatePaths(specs, specs.map((_, i) => `files[${i}]`));
      const result = await this.jobPtr.invokeRaw('AddFileSet', wire);
      if (result.hr === E_NOTIMPL) {
        for (const s of specs) await this.#addFileNow(s);
        return;
      }
      result.orThrow();
    });
  }

  /** Adds a file of which only `ranges` are downloaded (IBackgroundCopyJob3). */
  async addFileWithRanges(remoteUrl: string, localPath: string, ranges: readonly FileRange[]): Promise<void> {
    this.ensureLive();
    const spec = this.#checkFile(remoteUrl, localPath, 'file');
    const wire = toWireRanges(ranges);
    const job3 = await this.extension(this.jobPtr, IBackgroundCopyJob3);
    this.events.forgetStates();
    await this.write(async () => {
      await this.#refuseDuplicatePaths([spec], ['file']);
      await job3.invoke('AddFileWithRanges', spec.remoteUrl, spec.localPath, wire);
    });
  }

  /** The job's files. Dispose them when done (or use `using`). */
  async files(): Promise<BackgroundCopyFile[]> {
    const ptr = await this.live.invoke('EnumFiles');
    if (ptr === null) return [];
    const enumerator = ComPtr.own(ptr, IEnumBackgroundCopyFiles, this.service.runtime);
    try {
      const files = await collectEnumerator(enumerator, IBackgroundCopyFile);
      return files.map((f) => new BackgroundCopyFile(f, this.service.kind));
    } finally {
      await enumerator.release();
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
    this.events.on(event, listener);
    void this.#ensureNotifications().catch((error: unknown) => this.events.emitError(error as Error));
    if (event === 'transferred' || event === 'error') this.#track(this.#replayState(event));
    return this;
  }

  /**
   * The services tell a state once, when the job enters it: a listener added later (or while the
   * registration was on its way) hears of it from us, once (JobEvents remembers who heard).
   */
  async #replayState(event: 'transferred' | 'error'): Promise<void> {
    try {
      const state = await this.live.invoke('GetState');
      if (event === 'transferred' && state === JobState.Transferred) this.events.emitState('transferred');
      if (event === 'error' && state === JobState.Error) {
        const jobError = await this.getError().catch(() => null);
        this.events.emitState('error', new JobFailedError({ jobId: this.id, state: JobState.Error, jobError: jobError ?? undefined }));
      }
    } catch {
      // disposed or the service is gone: nothing to replay
    }
  }

  /** Removes a listener added with `on`. */
  off(event: JobEventName, listener: JobListener): this {
    this.events.off(event, listener);
    return this;
  }

  /** Resolves once the callback object is registered with the service (rejects if it refused). */
  notificationsReady(): Promise<void> {
    return this.#notifications?.ready ?? Promise.resolve();
  }

  #ensureNotifications(): Promise<void> {
    const wanted = this.events.notifyFlags();
    const previous = this.#notifications;
    if (previous && (previous.flags & wanted) === wanted) return previous.ready;
    const sink: CallbackSink = {
      transferred: () => this.events.emitState('transferred'),
      modification: () => this.events.emit('modification'),
      fileTransferred: () => this.events.emit('file-transferred'),
      error: (errorPtr) => {
        this.#track(this.#onJobError(errorPtr));
      },
      listenerFailed: (error) => this.events.emitError(error instanceof Error ? error : new Error(String(error))),
    };
    // In program order: a resume() made after on() reaches the service after the registration.
    this.#notifications = new NotificationRegistration(
      this.service.runtime, sink, wanted | (previous?.flags ?? 0), previous,
      (step) => this.order.run('write', step),
      async (callback, flags) => {
        await this.jobPtr.invoke('SetNotifyInterface', callback);
        await this.jobPtr.invoke('SetNotifyFlags', flags);
      },
    );
    return this.#notifications.ready;
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
    this.events.emitState('error', new JobFailedError({ jobId: this.id, state: JobState.Error, jobError: jobError ?? undefined }));
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
    return this.waitChecked(checkWaitOptions(options));
  }

  /** @internal `waitForCompletion` with options already checked (`download()` checks its own once). */
  async waitChecked(options: CheckedWaitOptions): Promise<JobStatus> {
    this.ensureLive();
    const status = await waitForCompletion(this, this.events, options);
    await checkTransferredInFull(this, status.state);
    return status;
  }

  /** Status snapshots until the job reaches a state it cannot leave without you. */
  watch(options: WatchOptions = {}): AsyncIterable<JobStatus> {
    this.ensureLive();
    return watchJob(this, this.events, options);
  }

  protected override async beforeClose(): Promise<void> {
    // Tell the service to stop calling before we let go.
    if (this.#notifications) {
      // From now on a JobError keeps no error object (nobody would read it) ...
      this.#notifications.detach();
      await this.order.run('write', () => this.jobPtr.invokeRaw('SetNotifyInterface', null));
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
    this.events.clear();
  }

}

/**
 * Calls the client's IBackgroundCopyCallback the way the service does: through the callback
 * object's own native vtable, never inside a client's call, with borrowed pointers the fake keeps
 * alive for the duration of the call. By default the call comes from a native thread that is not
 * the JS main thread (a koffi worker, as an RPC thread would): a JS-implemented callback then runs
 * whenever the main thread is free, interleaved with the client's other work as on Windows.
 * Failed JobTransferred / JobError calls are retried a bounded number of times (BITS retries them
 * "later").
 */
import { IBackgroundCopyCallback, IBackgroundCopyCallback2, IBackgroundCopyCallback3, JobPropertyId, JobState, NotifyFlags } from '../../bits';
import { AsyncCallQueue, ComPtr, IUnknown, failed, guidFromBytes, type ComRuntime } from '../../com';
import { notifyByClsid } from './class-activation';
import { NativeWait } from '../native/native-wait';
import type { ServiceContext } from './context';
import type { FakeFile } from '../job/fake-file';
import type { ClientCallback, FakeJob, JobEvent, JobNotifier } from '../job/fake-job';
import type { NotificationStats } from '../counters';
import { E_NOINTERFACE, S_OK } from './hresults';

const METHOD: Record<JobEvent['kind'], string> = {
  transferred: 'JobTransferred',
  error: 'JobError',
  modification: 'JobModification',
  'file-transferred': 'FileTransferred',
  'ranges-transferred': 'FileRangesTransferred',
};

/** A delivery from a native thread may take this long at most before held calls go on anyway. */
const MAX_HOLD_MS = 60_000;

export class Notifier implements JobNotifier {
  readonly #delivered = new Map<string, number>();
  #failed = 0;
  /** Deliveries scheduled and not yet made, with the references they hold. */
  readonly #pending = new Set<{ readonly job: FakeJob; readonly file: FakeFile | null }>();
  /** Deliveries running on a native thread, by job: what held calls on the job wait on. */
  readonly #inFlight = new Map<FakeJob, NativeWait | null>();
  #inFlightCount = 0;
  readonly #started: Array<(method: string) => void> = [];
  /** The fake's calls into client objects have their own queue: never behind the client's calls, never timed out by its option. */
  #deliveryRuntime: ComRuntime | null = null;

  constructor(private readonly ctx: ServiceContext) {}

  /** Deliveries scheduled and not yet finished. */
  get pending(): number {
    return this.#pending.size + this.#inFlightCount;
  }

  /** The wait record of a delivery about `job` now in flight on a native thread (held calls). */
  inFlight(job: FakeJob): NativeWait | null {
    return this.#inFlight.get(job) ?? null;
  }

  /**
   * Resolves with the callback method as soon as the next delivery has started, while it is still
   * in flight (before the client's object had a chance to run, when it is JS on the main thread).
   */
  nextDelivery(): Promise<string> {
    return new Promise((resolve) => this.#started.push(resolve));
  }

  /** The runtime whose queue carries the fake's calls into client objects from native threads (IDO callbacks and streams use it too). */
  deliveryRuntime(): ComRuntime {
    const rt = this.ctx.runtime;
    this.#deliveryRuntime ??= {
      name: `${rt.name} (callbacks)`,
      queue: new AsyncCallQueue(16),
      get tornDown() {
        return rt.tornDown;
      },
      initialize: () => undefined,
      createInstance: (clsid, iid) => rt.createInstance(clsid, iid),
      coTaskMemAlloc: (n) => rt.coTaskMemAlloc(n),
      coTaskMemFree: (p) => rt.coTaskMemFree(p),
      setProxyBlanket: () => 0,
      describeApartment: () => 'fake service thread',
    };
    return this.#deliveryRuntime;
  }

  /** dispose(): forgets scheduled deliveries and lets go of what they held. */
  cancelAll(): void {
    const all = [...this.#pending];
    this.#pending.clear();
    for (const entry of all) {
      entry.file?.drop();
      entry.job.drop();
    }
  }

  /** Counts `delivery` as in flight until it settles (so that `settle()` waits for it). */
  track<T>(delivery: Promise<T>): Promise<T> {
    this.#inFlightCount++;
    return delivery.finally(() => {
      this.#inFlightCount--;
    });
  }

  stats(): NotificationStats {
    return { delivered: new Map(this.#delivered), failed: this.#failed };
  }

  /**
   * SetNotifyInterface: QueryInterface the given object for IBackgroundCopyCallback (and
   * IBackgroundCopyCallback2, 3) like the real service, keeping the references it gets.
   */
  attach(unknown: bigint): { hr: number; callback: ClientCallback | null } {
    const unk = ComPtr.borrow(unknown, IUnknown, this.ctx.runtime);
    const first = unk.invokeRawSync('QueryInterface', IBackgroundCopyCallback.iid);
    const callback = first.value;
    if (first.failed || callback === null) return { hr: first.failed ? first.hr : E_NOINTERFACE, callback: null };
    const optional = (iid: string) => {
      const r = unk.invokeRawSync('QueryInterface', iid);
      return r.failed ? null : r.value;
    };
    return { hr: S_OK, callback: { callback, callback2: optional(IBackgroundCopyCallback2.iid), callback3: optional(IBackgroundCopyCallback3.iid) } };
  }

  /** Gives the client's object back its references. */
  detach(registered: ClientCallback): void {
    for (const p of [registered.callback, registered.callback2, registered.callback3]) {
      if (p !== null) ComPtr.borrow(p, IUnknown, this.ctx.runtime).invokeRawSync('Release');
    }
  }

  /** Called when something happened to `job`; decides now (flags, options) whether to call. */
  notify(job: FakeJob, event: JobEvent): void {
    if (this.ctx.disposed || !job.alive) return;
    if (!job.clientCallback) {
      this.#notifyByClsid(job, event);
      return;
    }
    const flags = job.notifyFlags;
    if (flags & NotifyFlags.Disable) return;
    const o = this.ctx.options;
    switch (event.kind) {
      case 'transferred':
        if (!(flags & NotifyFlags.JobTransferred)) return;
        break;
      case 'error':
        if (!(flags & NotifyFlags.JobError) || !o.sendJobError || !job.error) return;
        break;
      case 'modification':
        if (!(flags & NotifyFlags.JobModification) || !o.sendModification) return;
        break;
      case 'file-transferred':
        if (!(flags & NotifyFlags.FileTransferred) || job.clientCallback.callback2 === null) return;
        break;
      case 'ranges-transferred':
        if (!(flags & NotifyFlags.FileRangesTransferred) || job.clientCallback.callback3 === null) return;
        break;
    }
    this.#schedule(job, event, 0, 0);
  }

  /**
   * No callback interface: BITS activates the job's notification CLSID, if it has one, for
   * JobTransferred and JobError (as the flags allow), from a native thread (class-activation.ts).
   */
  #notifyByClsid(job: FakeJob, event: JobEvent): void {
    if (event.kind !== 'transferred' && event.kind !== 'error') return;
    const flags = job.notifyFlags;
    const wanted = event.kind === 'transferred' ? NotifyFlags.JobTransferred : NotifyFlags.JobError;
    if (flags & NotifyFlags.Disable || !(flags & wanted) || (event.kind === 'error' && !job.error)) return;
    const raw = job.properties.get(JobPropertyId.NotificationClsid);
    if (raw.every((b) => b === 0)) return;
    const clsid = guidFromBytes(raw);
    const runtime = this.deliveryRuntime();
    const injected = this.ctx.options.activator;
    const activate = injected ? async (id: string) => await injected(id) : (id: string) => this.ctx.classes.activate(id, runtime);
    const error = event.kind === 'error' ? (job.error as NonNullable<FakeJob['error']>) : null;
    job.hold();
    error?.hold();
    this.ctx.classes.activated.push(clsid);
    const method = METHOD[event.kind];
    this.track(notifyByClsid(runtime, activate, clsid, job.ptr, error?.ptr ?? null))
      .then(
        (hr) => {
          if (hr === null) return;
          this.#delivered.set(method, (this.#delivered.get(method) ?? 0) + 1);
          if (failed(hr)) this.#failed++;
        },
        (failure: unknown) => this.ctx.recordHandlerError(`notification ${method} by CLSID`, failure),
      )
      .finally(() => {
        error?.drop();
        job.drop();
      });
  }

  #schedule(job: FakeJob, event: JobEvent, delayMs: number, attempt: number): void {
    // Keep the job (and file) alive until the delivery: the client may drop its references first.
    const entry = { job, file: event.kind === 'file-transferred' || event.kind === 'ranges-transferred' ? event.file : null };
    job.hold();
    entry.file?.hold();
    this.#pending.add(entry);
    this.ctx.timers.schedule(delayMs, `notification ${METHOD[event.kind]}`, () => {
      if (!this.#pending.delete(entry)) return;
      const finish = (hr: number | null) => {
        try {
          if (hr !== null) this.#answered(job, event, attempt, hr);
        } finally {
          entry.file?.drop();
          job.drop();
        }
      };
      let started: Promise<number> | number | null = null;
      try {
        started = this.#deliver(job, event);
      } finally {
        if (typeof started === 'number' || started === null) finish(started);
      }
      if (!(started instanceof Promise)) return;
      const wait = this.ctx.options.holdCallsDuringCallbacks ? new NativeWait(MAX_HOLD_MS) : null;
      this.#inFlight.set(job, wait);
      this.#inFlightCount++;
      const method = METHOD[event.kind];
      this.#started.splice(0).forEach((resolve) => resolve(method));
      started
        .then(
          (hr) => finish(hr),
          (error: unknown) => {
            this.ctx.recordHandlerError(`notification ${method}`, error);
            finish(null);
          },
        )
        .finally(() => {
          this.#inFlightCount--;
          if (this.#inFlight.get(job) === wait) this.#inFlight.delete(job);
          wait?.release();
        });
    });
  }

  /**
   * Calls the client; the HRESULT (main thread), a promise of it (native thread), or null when
   * the call is no longer due.
   */
  #deliver(job: FakeJob, event: JobEvent): Promise<number> | number | null {
    const registered = job.clientCallback;
    if (!registered || this.ctx.disposed) return null;
    // What the event announced must still be true: a job completed meanwhile is not "transferred".
    if (event.kind === 'transferred' && job.state !== JobState.Transferred) return null;
    if (event.kind === 'error' && (job.state !== JobState.Error || !job.error)) return null;
    const native = this.ctx.options.callbackThread === 'native-thread';
    const rt = native ? this.deliveryRuntime() : this.ctx.runtime;
    const callback = ComPtr.borrow(registered.callback, IBackgroundCopyCallback, rt);
    const call = <T extends unknown[]>(ptr: ComPtr<typeof IBackgroundCopyCallback> | ComPtr<typeof IBackgroundCopyCallback2>, name: string, ...args: T) => {
      const target = ptr as unknown as ComPtr<typeof IBackgroundCopyCallback2>;
      const invoke = name as 'FileTransferred';
      return native
        ? target.invokeRaw(invoke, ...(args as unknown as [bigint, bigint])).then((r) => r.hr)
        : target.invokeRawSync(invoke, ...(args as unknown as [bigint, bigint])).hr;
    };
    switch (event.kind) {
      case 'transferred':
        return call(callback, 'JobTransferred', job.ptr);
      case 'error': {
        // The job holds its error object until the delivery ends (finish drops the job).
        const error = job.error as NonNullable<FakeJob['error']>;
        error.hold();
        const result = call(callback, 'JobError', job.ptr, error.ptr);
        if (typeof result === 'number') {
          error.drop();
          return result;
        }
        return result.finally(() => error.drop());
      }
      case 'modification':
        return call(callback, 'JobModification', job.ptr, 0);
      case 'file-transferred':
        return call(ComPtr.borrow(registered.callback2 as bigint, IBackgroundCopyCallback2, rt), 'FileTransferred', job.ptr, event.file.ptr);
      case 'ranges-transferred': {
        // The array lives for the call only (the marshaller's copy), as the service frees its own.
        const ranges = event.ranges.map((r) => ({ InitialOffset: r.offset, Length: r.length }));
        const target = ComPtr.borrow(registered.callback3 as bigint, IBackgroundCopyCallback3, rt);
        return native
          ? target.invokeRaw('FileRangesTransferred', job.ptr, event.file.ptr, ranges).then((r) => r.hr)
          : target.invokeRawSync('FileRangesTransferred', job.ptr, event.file.ptr, ranges).hr;
      }
    }
  }

  #answered(job: FakeJob, event: JobEvent, attempt: number, hr: number): void {
    const method = METHOD[event.kind];
    this.#delivered.set(method, (this.#delivered.get(method) ?? 0) + 1);
    if (!failed(hr)) return;
    this.#failed++;
    const retryable = event.kind === 'transferred' || event.kind === 'error';
    if (retryable && attempt < this.ctx.options.timing.callbackRetries && !this.ctx.disposed) {
      this.#schedule(job, event, this.ctx.options.timing.callbackRetryMs, attempt + 1);
    }
  }
}

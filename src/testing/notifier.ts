/**
 * Calls the client's IBackgroundCopyCallback the way the service does: through the callback
 * object's own native vtable, from the main thread (a timer, never inside a client's call), with
 * borrowed pointers the fake keeps alive for the duration of the call. Failed JobTransferred /
 * JobError calls are retried a bounded number of times (BITS retries them "later").
 */
import { IBackgroundCopyCallback, IBackgroundCopyCallback2, JobState, NotifyFlags } from '../bits';
import { ComPtr, IUnknown, failed } from '../com';
import type { FakeContext } from './context';
import type { FakeFile } from './fake-file';
import type { FakeJob } from './fake-job';
import type { NotificationStats } from './counters';
import { E_NOINTERFACE, S_OK } from './hresults';

/** The client's callback object, as the fake holds it: one AddRef'd reference per interface. */
export interface Sink {
  readonly callback: bigint;
  /** Set when the object also answers IBackgroundCopyCallback2 (FileTransferred). */
  readonly callback2: bigint | null;
}

/** A reason to call the client. */
export type JobEvent =
  | { readonly kind: 'transferred' }
  | { readonly kind: 'error' }
  | { readonly kind: 'modification' }
  | { readonly kind: 'file-transferred'; readonly file: FakeFile };

const METHOD: Record<JobEvent['kind'], string> = {
  transferred: 'JobTransferred',
  error: 'JobError',
  modification: 'JobModification',
  'file-transferred': 'FileTransferred',
};

export class Notifier {
  readonly #delivered = new Map<string, number>();
  #failed = 0;
  /** Deliveries scheduled and not yet made, with the references they hold. */
  readonly #pending = new Set<{ readonly job: FakeJob; readonly file: FakeFile | null }>();

  constructor(private readonly ctx: FakeContext) {}

  /** Deliveries scheduled and not yet made. */
  get pending(): number {
    return this.#pending.size;
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

  stats(): NotificationStats {
    return { delivered: new Map(this.#delivered), failed: this.#failed };
  }

  /**
   * SetNotifyInterface: QueryInterface the given object for IBackgroundCopyCallback (and
   * IBackgroundCopyCallback2) like the real service, keeping the references it gets.
   */
  attach(unknown: bigint): { hr: number; sink: Sink | null } {
    const unk = ComPtr.borrow(unknown, IUnknown, this.ctx.runtime);
    const first = unk.invokeRawSync('QueryInterface', IBackgroundCopyCallback.iid);
    const callback = first.values[0];
    if (failed(first.hr) || callback === null) return { hr: failed(first.hr) ? first.hr : E_NOINTERFACE, sink: null };
    const second = unk.invokeRawSync('QueryInterface', IBackgroundCopyCallback2.iid);
    const callback2 = failed(second.hr) ? null : second.values[0];
    return { hr: S_OK, sink: { callback, callback2 } };
  }

  /** Gives the client's object back its references. */
  detach(sink: Sink): void {
    for (const p of [sink.callback, sink.callback2]) {
      if (p !== null) ComPtr.borrow(p, IUnknown, this.ctx.runtime).invokeRawSync('Release');
    }
  }

  /** Called when something happened to `job`; decides now (flags, options) whether to call. */
  notify(job: FakeJob, event: JobEvent): void {
    if (this.ctx.disposed || !job.sink || !job.alive) return;
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
        if (!(flags & NotifyFlags.FileTransferred) || job.sink.callback2 === null) return;
        break;
    }
    this.#schedule(job, event, 0, 0);
  }

  #schedule(job: FakeJob, event: JobEvent, delayMs: number, attempt: number): void {
    // Keep the job (and file) alive until the delivery: the client may drop its references first.
    const entry = { job, file: event.kind === 'file-transferred' ? event.file : null };
    job.hold();
    entry.file?.hold();
    this.#pending.add(entry);
    this.ctx.timers.schedule(delayMs, `notification ${METHOD[event.kind]}`, () => {
      if (!this.#pending.delete(entry)) return;
      try {
        this.#deliver(job, event, attempt);
      } finally {
        entry.file?.drop();
        job.drop();
      }
    });
  }

  #deliver(job: FakeJob, event: JobEvent, attempt: number): void {
    const sink = job.sink;
    if (!sink || this.ctx.disposed) return;
    // What the event announced must still be true: a job completed meanwhile is not "transferred".
    if (event.kind === 'transferred' && job.state !== JobState.Transferred) return;
    if (event.kind === 'error' && (job.state !== JobState.Error || !job.error)) return;
    const rt = this.ctx.runtime;
    const callback = ComPtr.borrow(sink.callback, IBackgroundCopyCallback, rt);
    let hr: number;
    switch (event.kind) {
      case 'transferred':
        hr = callback.invokeRawSync('JobTransferred', job.ptr).hr;
        break;
      case 'error': {
        const error = job.error as NonNullable<FakeJob['error']>;
        error.hold();
        try {
          hr = callback.invokeRawSync('JobError', job.ptr, error.ptr).hr;
        } finally {
          error.drop();
        }
        break;
      }
      case 'modification':
        hr = callback.invokeRawSync('JobModification', job.ptr, 0).hr;
        break;
      case 'file-transferred':
        hr = ComPtr.borrow(sink.callback2 as bigint, IBackgroundCopyCallback2, rt).invokeRawSync('FileTransferred', job.ptr, event.file.ptr).hr;
        break;
    }
    const method = METHOD[event.kind];
    this.#delivered.set(method, (this.#delivered.get(method) ?? 0) + 1);
    if (!failed(hr)) return;
    this.#failed++;
    const retryable = event.kind === 'transferred' || event.kind === 'error';
    if (retryable && attempt < this.ctx.options.timing.callbackRetries) {
      this.#schedule(job, event, this.ctx.options.timing.callbackRetryMs, attempt + 1);
    }
  }
}

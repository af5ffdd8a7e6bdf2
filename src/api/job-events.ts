/** Listener bookkeeping for a job's notifications. */
import { NotifyFlags, type FileRange } from '../bits';
import type { BackgroundCopyFile } from './file';
import { callUserCallback, warnCallbackFailed } from './user-callback';
import { invalidArgValue, validateFunction } from './validate';

/**
 * Events of `job.on`: 'transferred', 'error' (a JobFailedError), 'modification', 'file-transferred',
 * 'ranges-transferred' (a RangesListener).
 */
export type JobEventName = 'transferred' | 'error' | 'modification' | 'file-transferred' | 'ranges-transferred';
/** A listener of `job.on`; 'error' listeners receive the error. */
export type JobListener = (error?: Error) => void;
/**
 * A 'ranges-transferred' listener: ranges of an on-demand file that arrived since the last event
 * (or the last `requestFileRanges`), bigint offsets and lengths. `file` is disposed once the
 * listener returned (an async one: once its promise settled).
 */
export type RangesListener = (file: BackgroundCopyFile, ranges: readonly FileRange[]) => unknown;

type AnyListener = JobListener | RangesListener;

const FLAG_OF: Record<JobEventName, number> = {
  transferred: NotifyFlags.JobTransferred,
  error: NotifyFlags.JobError,
  modification: NotifyFlags.JobModification,
  'file-transferred': NotifyFlags.FileTransferred,
  'ranges-transferred': NotifyFlags.FileRangesTransferred,
};

const EVENTS = Object.keys(FLAG_OF) as JobEventName[];

export class JobEvents {
  readonly #listeners = new Map<JobEventName, Set<AnyListener>>();
  /** Internal wake-ups (waiters), not counted as listeners for registration. */
  readonly #wakers = new Set<(event: JobEventName) => void>();
  /** Listeners already told that the job is TRANSFERRED / in ERROR (each hears of it once). */
  #told = { transferred: new WeakSet<JobListener>(), error: new WeakSet<JobListener>() };

  on(event: JobEventName, listener: AnyListener): void {
    if (!EVENTS.includes(event)) throw invalidArgValue('event', event, `must be one of ${EVENTS.join(', ')}`);
    validateFunction(listener, 'listener');
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
  }

  off(event: JobEventName, listener: AnyListener): void {
    this.#listeners.get(event)?.delete(listener);
  }

  clear(): void {
    this.#listeners.clear();
    this.#wakers.clear();
  }

  /** BG_NOTIFY_* flags the current listeners need. */
  notifyFlags(): number {
    let flags = 0;
    for (const [event, set] of this.#listeners) if (set.size > 0) flags |= FLAG_OF[event];
    return flags;
  }

  wake(fn: (event: JobEventName) => void): () => void {
    this.#wakers.add(fn);
    return () => this.#wakers.delete(fn);
  }

  /** Calls every listener; one that throws or rejects is reported to 'error' listeners, never rethrown. */
  emit(event: 'modification' | 'file-transferred'): void {
    for (const w of this.#wakers) w(event);
    this.#call([...(this.#listeners.get(event) ?? [])] as JobListener[]);
  }

  /**
   * Calls every 'ranges-transferred' listener with `file` and `ranges`; resolves once each has
   * returned or its promise settled (then the caller disposes `file`). Failures go to 'error'.
   */
  async emitRanges(file: BackgroundCopyFile, ranges: readonly FileRange[]): Promise<void> {
    for (const w of this.#wakers) w('ranges-transferred');
    const frozen = Object.freeze(ranges.map((r) => Object.freeze({ ...r })));
    const listeners = [...(this.#listeners.get('ranges-transferred') ?? [])] as RangesListener[];
    await Promise.all(listeners.map(async (listener) => {
      try {
        await listener(file, frozen);
      } catch (error) {
        this.emitError(error instanceof Error ? error : new Error(String(error)));
      }
    }));
  }

  /**
   * The job is TRANSFERRED, or in ERROR (with `error`): told by the service or seen by us. Each
   * listener hears of it once, however many times it is reported; `forgetStates()` starts over.
   */
  emitState(event: 'transferred' | 'error', error?: Error): void {
    const told = this.#told[event];
    const set = this.#listeners.get(event);
    const pending = ([...(set ?? [])] as JobListener[]).filter((l) => !told.has(l));
    for (const l of pending) told.add(l);
    if (event === 'transferred') {
      for (const w of this.#wakers) w(event);
      this.#call(pending);
      return;
    }
    // With no 'error' listener left (removed, or disposed meanwhile) nobody asked: no warning.
    const e = error ?? new Error('The job is in ERROR');
    for (const w of this.#wakers) w('error');
    this.#callWithError(pending, e);
  }

  /** The job is about to change (files added, resumed): it may enter those states again. */
  forgetStates(): void {
    this.#told = { transferred: new WeakSet(), error: new WeakSet() };
  }

  #call(listeners: readonly JobListener[]): void {
    for (const listener of listeners) {
      // A throw, or an async listener's rejection, goes to 'error' listeners.
      callUserCallback(listener, [], (error) => this.emitError(error));
    }
  }

  #callWithError(listeners: readonly JobListener[], error: Error): void {
    for (const listener of listeners) {
      callUserCallback(listener, [error], (nested) => warnCallbackFailed("An 'error' listener failed", nested));
    }
  }

  /** Delivers to 'error' listeners; with none, Node prints it as a process warning. */
  emitError(error: Error): void {
    for (const w of this.#wakers) w('error');
    const set = this.#listeners.get('error');
    if (!set || set.size === 0) {
      process.emitWarning(error.message, { type: 'DeliveryOptimizationWarning', detail: error.stack });
      return;
    }
    this.#callWithError([...set] as JobListener[], error);
  }
}

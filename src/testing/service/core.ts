/**
 * The inside of a fake service: its books (objects, calls, CoTaskMem, problems) and every
 * context its objects work with (each object sees only its own). `FakeService` is the public face of it.
 */
import { ALL_INTERFACES, CLSID_BackgroundCopyManager, CLSID_DeliveryOptimization, IBackgroundCopyManager } from '../../bits';
import { ComPtr, IEnumUnknown, IUnknown, normalizeGuid, type ActivationResult } from '../../com';
import { IDO_INTERFACES, IDOManager } from '../../ido';
import { FakeIdoManager } from '../ido/fake-manager';
import { FakeIdoDownload, type DownloadList } from '../ido/fake-download';
import type { ObjectContext } from './context';
import { CallCounter } from '../counters';
import { FakeManager } from '../objects/fake-manager';
import type { FakeComObject } from '../objects/fake-object';
import { FakeRuntime } from './runtime';
import { E_NOINTERFACE, E_NOTIMPL, flavourCodes, REGDB_E_CLASSNOTREG, RPC_E_DISCONNECTED, S_OK, type FlavourCodes } from './hresults';
import { Notifier } from './notifier';
import { FakeClassTable } from './class-activation';
import { resolveOptions, type FakeServiceOptions, type MethodFault, type ResolvedOptions } from '../options';
import { NativeWait, nativeWaitSupported } from '../native/native-wait';
import { FakeJob } from '../job/fake-job';
import { Script } from '../scripts';
import { TimerSet } from './timers';
import { wideBytes, write } from '../objects/wire';

/** A 'hang' fault ends after this long at most, so that a forgotten fake cannot pin a thread. */
const DEFAULT_HANG_MS = 60_000;

/** Interfaces the service calls rather than implements. */
const CALLBACK_INTERFACES: ReadonlySet<string> = new Set([
  'IBackgroundCopyCallback', 'IBackgroundCopyCallback2', 'IBackgroundCopyServerCertificateValidationCallback', 'IDODownloadStatusCallback',
]);

/** Every qualified method name the fake implements (IUnknown's excluded), from the tables. */
export const FAKE_METHOD_NAMES: ReadonlySet<string> = new Set(
  [...ALL_INTERFACES, ...IDO_INTERFACES, IEnumUnknown].filter((i) => !CALLBACK_INTERFACES.has(i.name)).flatMap((i) =>
    Object.values(i.methods).filter((m) => m.slot >= IUnknown.slotCount).map((m) => m.qualifiedName)),
);

export class ServiceCore implements ObjectContext {
  readonly options: ResolvedOptions;
  /** The codes of the flavour (BG_E_* or DO_E_*). */
  readonly codes: FlavourCodes;
  /** The fake's COM runtime (CoTaskMem books, activation, its call queue). */
  readonly runtime: FakeRuntime;
  /** What each URL does. */
  readonly script: Script;
  readonly timers: TimerSet;
  /** Calls into the client's objects (job callbacks, IDO status callbacks and streams). */
  readonly notifier: Notifier;
  /** Class objects registered by a notification server in this process (notification by CLSID). */
  readonly classes = new FakeClassTable(() => this.runtime);
  /** The BITS manager: its job list lets go of a job that reached a final state. */
  readonly manager: FakeManager;
  /** The IDO API's manager ('ido' flavour), made on first activation. */
  ido: FakeIdoManager | null = null;
  readonly clsid: string;
  readonly displayName: string;
  readonly objects: FakeComObject[] = [];
  readonly calls = new CallCounter();
  readonly problems: string[] = [];
  readonly handlerErrors: string[] = [];
  disposed = false;
  readonly gated: boolean;
  /** Calls per method as the handlers see them ('fail' faults) and as the gate sees them (delays, hangs). */
  readonly #handlerCalls = new Map<string, number>();
  readonly #gateCalls = new Map<string, number>();
  /** Hung calls, let go by dispose(). */
  readonly #hangs = new Set<NativeWait>();

  constructor(options: FakeServiceOptions) {
    this.options = resolveOptions(options, (name) => FAKE_METHOD_NAMES.has(name));
    const bits = this.options.flavour === 'bits';
    this.codes = flavourCodes(this.options.flavour);
    this.clsid = bits ? CLSID_BackgroundCopyManager : CLSID_DeliveryOptimization;
    this.displayName = bits ? 'fake BITS' : 'fake Delivery Optimization';
    this.script = new Script(this.options.script, this.options.defaultBehaviour);
    this.timers = new TimerSet((what, error) => this.recordHandlerError(`timer (${what})`, error));
    this.notifier = new Notifier(this);
    this.runtime = new FakeRuntime({
      displayName: this.displayName,
      proxyBlanketResult: () => (this.options.proxyBlanket === 'refuse' ? E_NOINTERFACE : S_OK),
      activate: (clsid, iid) => this.activate(clsid, iid),
    });
    const waits = [...this.options.faults.values()].some((list) => list.some((f) => f.kind !== 'fail'));
    this.gated = waits || this.options.holdCallsDuringCallbacks;
    if (this.gated && !nativeWaitSupported()) {
      const message = `The fake's delay / hang faults and held calls wait natively on the caller's thread, which needs linux-x64, win32-x64 or win32-ia32 (this is ${process.platform}-${process.arch})`;
      throw Object.assign(new Error(message), { code: 'ERR_PLATFORM_NOT_SUPPORTED' });
    }
    this.manager = new FakeManager(this);
  }

  #registered = 0;

  createJob(displayName: string, type: number): FakeJob {
    return new FakeJob(this, displayName, type);
  }

  createDownload(list: DownloadList): FakeIdoDownload {
    return new FakeIdoDownload(this, list);
  }

  register(object: FakeComObject): number {
    this.objects.push(object);
    return ++this.#registered;
  }

  countCall(qualifiedName: string): void {
    this.calls.count(qualifiedName);
  }

  forcedResult(qualifiedName: string): number | undefined {
    const fault = this.#nextFault(this.#handlerCalls, qualifiedName, (f) => f.kind === 'fail');
    if (fault?.kind === 'fail') return fault.hresult | 0;
    const forced = this.options.failures.get(qualifiedName);
    if (forced !== undefined) return forced;
    return this.options.notImplemented.has(qualifiedName) ? E_NOTIMPL : undefined;
  }

  waitBefore(object: FakeComObject, qualifiedName: string): bigint | null {
    const fault = this.#nextFault(this.#gateCalls, qualifiedName, (f) => f.kind !== 'fail');
    if (fault?.kind === 'delay') return new NativeWait(fault.ms).enter();
    if (fault?.kind === 'hang') {
      const hang = new NativeWait(fault.maxMs ?? DEFAULT_HANG_MS);
      this.#hangs.add(hang);
      return hang.enter();
    }
    if (this.options.holdCallsDuringCallbacks && object instanceof FakeJob) return this.notifier.inFlight(object)?.enter() ?? null;
    return null;
  }

  /** Counts this call of `name` and answers the first matching fault meant for it. */
  #nextFault(counter: Map<string, number>, name: string, kind: (f: MethodFault) => boolean): MethodFault | undefined {
    const faults = this.options.faults.get(name);
    if (!faults) return undefined;
    const n = (counter.get(name) ?? 0) + 1;
    counter.set(name, n);
    return faults.find((f) => kind(f) && (f.nth === undefined || f.nth === n));
  }

  recordHandlerError(where: string, error: unknown): void {
    this.handlerErrors.push(`${where}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }

  recordProblem(message: string): void {
    this.problems.push(message);
  }

  allocString(text: string): bigint {
    return this.allocBytes(wideBytes(text));
  }

  allocBytes(bytes: Buffer): bigint {
    const ptr = this.runtime.coTaskMemAlloc(bytes.length);
    write.bytes(ptr, bytes);
    return ptr;
  }

  /** CoCreateInstance: the manager, QueryInterface'd through its own vtable off the main thread. */
  async activate(clsid: string, iid: string): Promise<ActivationResult> {
    if (this.disposed) return { hr: RPC_E_DISCONNECTED, ptr: null };
    if (!this.options.classRegistered || normalizeGuid(clsid) !== this.clsid) return { hr: REGDB_E_CLASSNOTREG, ptr: null };
    const wanted = normalizeGuid(iid);
    if (wanted === IDOManager.iid) {
      if (!this.options.ido) return { hr: E_NOINTERFACE, ptr: null };
      this.ido ??= new FakeIdoManager(this);
      const { hr, value } = await ComPtr.borrow(this.ido.ptr, IUnknown, this.runtime).invokeRaw('QueryInterface', wanted);
      return { hr, ptr: value ?? null };
    }
    if (wanted !== IBackgroundCopyManager.iid && wanted !== IUnknown.iid) return { hr: E_NOINTERFACE, ptr: null };
    const { hr, value } = await ComPtr.borrow(this.manager.ptr, IUnknown, this.runtime).invokeRaw('QueryInterface', wanted);
    return { hr, ptr: value ?? null };
  }

  /**
   * Forgets released objects and frees their memory (for long runs: benchmarks, soak tests).
   * After this, a stale call on one of them is no longer detected: sweep only when no client can
   * still hold such a pointer.
   */
  sweep(): number {
    const dead = this.objects.filter((o) => !o.alive);
    for (const o of dead) o.freeMemory();
    const live = this.objects.filter((o) => o.alive);
    this.objects.length = 0;
    this.objects.push(...live);
    return dead.length;
  }

  dispose(): void {
    if (this.disposed) return;
    this.timers.stop();
    for (const hang of this.#hangs) hang.release();
    this.#hangs.clear();
    this.notifier.cancelAll();
    // The client's callback objects get their references back before the jobs go.
    for (const job of this.manager.jobs) job.releaseClientObjects();
    this.disposed = true;
    this.manager.removeAll();
    this.manager.drop();
    this.ido?.removeAll();
    this.ido?.drop();
    // Dead objects can no longer be called by anyone; leaked ones keep their memory (a call
    // on them answers RPC_E_DISCONNECTED instead of touching freed memory).
    for (const o of this.objects) o.freeMemory();
    this.runtime.reclaim();
    this.runtime.tearDown();
  }
}

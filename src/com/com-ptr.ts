/**
 * An interface pointer and the calls through its vtable.
 *
 * Ownership is part of the type: an owned pointer is released exactly once (explicitly, or by the
 * FinalizationRegistry safety net — never after COM teardown); a borrowed pointer (a callback
 * argument) is never released. Calls go through `invoke` (off the JS main thread, queued) or
 * `invokeRawSync` (on the main thread: only for objects that cannot call back into JS-implemented
 * objects, and for benchmarks). Every call's result is a CallResult (see there).
 */
import type { InArgs, OutParam, Param, Returns } from './abi';
import { callNative, decodeFunction, planOf, prepare, vtableEntry, type Bound, type CallPlan } from './call-plan';
import { CallResult } from './call-result';
import type { Interface, Method } from './interface';
import { IUnknown } from './iunknown';
import type { ComRuntime } from './runtime';
import { E_NOINTERFACE, RPC_E_TIMEOUT } from './hresult';
import { failure } from './failure';
import { CallTimeoutError } from './call-queue';
import { track } from './releases';

export { settleReleases } from './releases';
export { CallResult } from './call-result';
export { prototypeOf } from './call-plan';



type MethodsOfInterface<I> = I extends Interface<infer M> ? M : never;
type ParamsOf<I, K extends keyof MethodsOfInterface<I>> = MethodsOfInterface<I>[K] extends Method<infer P> ? P : never;

/** The names of an interface's methods (inherited ones included). */
export type MethodName<I extends Interface> = keyof MethodsOfInterface<I> & string;
/** What a call of `I::K` takes from JS (its in-parameters). */
export type CallArgs<I extends Interface, K extends MethodName<I>> = InArgs<ParamsOf<I, K>>;
/** What a call of `I::K` gives back: nothing, its one out-value, or the tuple of several. */
export type CallValue<I extends Interface, K extends MethodName<I>> = Returns<ParamsOf<I, K>>;

/** Thrown when a released pointer is used; the idiomatic layer checks disposal first. */
export class ReleasedPointerError extends Error {
  constructor(what: string) {
    super(`${what} was already released`);
    this.name = 'ReleasedPointerError';
  }
}

/** What the safety net needs to release a lost pointer; never references the wrapper. */
interface Held {
  readonly ptr: bigint;
  readonly runtime: ComRuntime;
}

function releaseAsync(ptr: bigint, runtime: ComRuntime): Promise<number> {
  const fn = decodeFunction(IUnknown.methods.Release, vtableEntry(ptr, IUnknown.methods.Release.slot));
  return runtime.queue.run<number>((done) => fn.async(ptr, done), { exclusive: true, timeoutMs: runtime.callTimeoutMs });
}

/** Receives the out-values of a call that timed out and then succeeded; it owns them. */
export type LateHandler = (values: unknown[], plan: { readonly params: readonly Param[]; readonly outIndexes: readonly number[] }, runtime: ComRuntime) => void;

/** Late results seen and given back, for tests and diagnostics. */
export const lateResults = { late: 0, released: 0, freed: 0 };

/** The default for a late result: release the interfaces it holds, free its CoTaskMem blocks. */
export const discardResult: LateHandler = (values, plan, runtime) => {
  values.forEach((value, o) => {
    const owns = (plan.params[plan.outIndexes[o]] as OutParam<unknown>).owns;
    if (typeof value !== 'bigint') return;
    if (owns === 'interface') {
      lateResults.released++;
      track(releaseAsync(value, runtime)).catch(() => undefined);
    } else if (owns === 'memory') {
      lateResults.freed++;
      runtime.coTaskMemFree(value);
    }
  });
};

/** Counts of what the safety net did, for tests and diagnostics. */
export const safetyNetStats = { released: 0, skippedAfterTeardown: 0 };

const safetyNet = new FinalizationRegistry<Held>((held) => {
  if (held.runtime.tornDown) {
    safetyNetStats.skippedAfterTeardown++;
    return;
  }
  safetyNetStats.released++;
  track(releaseAsync(held.ptr, held.runtime)).catch(() => undefined);
});


export class ComPtr<I extends Interface = Interface> {
  #ptr: bigint | null;
  /** Asynchronous calls started through this pointer and not yet returned (timed-out ones included). */
  #inFlight = 0;
  /** Of those, the calls that timed out: they may never return (a frozen service). */
  #overdue = 0;
  #drained: Array<() => void> = [];
  readonly #bound = new Map<string, Bound>();
  readonly #held: Held | null;
  #lateHandler: LateHandler | null = null;

  private constructor(
    ptr: bigint,
    readonly iface: I,
    readonly runtime: ComRuntime,
    readonly owned: boolean,
  ) {
    if (typeof ptr !== 'bigint' || ptr === 0n) throw new TypeError(`A ${iface.name} pointer must be a non-null bigint`);
    this.#ptr = ptr;
    this.#held = owned ? { ptr, runtime } : null;
    if (this.#held) safetyNet.register(this, this.#held, this);
  }

  /**
   * Takes over one reference the caller received (from an out-parameter): released once. Every
   * such pointer gets the proxy security the services expect (`runtime.setProxyBlanket`, local,
   * no round trip), here and nowhere else; a service that refuses it still works at its default.
   */
  static own<I extends Interface>(ptr: bigint, iface: I, runtime: ComRuntime): ComPtr<I> {
    const owned = new ComPtr(ptr, iface, runtime, true);
    runtime.setProxyBlanket(ptr);
    return owned;
  }

  /** Wraps a pointer that someone else keeps alive (callback arguments): never released. */
  static borrow<I extends Interface>(ptr: bigint, iface: I, runtime: ComRuntime): ComPtr<I> {
    return new ComPtr(ptr, iface, runtime, false);
  }

  get released(): boolean {
    return this.#ptr === null;
  }

  /** The raw pointer. */
  get ptr(): bigint {
    if (this.#ptr === null) throw new ReleasedPointerError(this.iface.name);
    return this.#ptr;
  }

  /** The method with its plan and decoded function, cached per pointer (one Map lookup per call). */
  #bind(name: string): Bound {
    let bound = this.#bound.get(name);
    if (!bound) {
      const method = this.#method(name);
      bound = { method, plan: planOf(method), fn: decodeFunction(method, vtableEntry(this.ptr, method.slot)) };
      this.#bound.set(name, bound);
    }
    return bound;
  }

  #method(name: PropertyKey): Method {
    const method = (this.iface.methods as Record<PropertyKey, Method>)[name];
    if (!method) throw new TypeError(`${this.iface.name} has no method ${String(name)}`);
    return method;
  }

  /** The out values as an array (for late results). */
  #read(plan: CallPlan, hr: number, outs: Buffer[]): unknown[] {
    const values: unknown[] = new Array(outs.length);
    if (hr < 0) return values.fill(null);
    for (let o = 0; o < outs.length; o++) {
      values[o] = (plan.params[plan.outIndexes[o]] as OutParam<unknown>).read(outs[o], this.runtime);
    }
    return values;
  }

  /** The call's value: nothing, the one out value, or the tuple of several. */
  #result<R>(method: Method, plan: CallPlan, hr: number, outs: Buffer[]): CallResult<R> {
    const values = this.#read(plan, hr, outs);
    const value = values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
    return new CallResult(hr >>> 0, value as R, method.qualifiedName, this.runtime);
  }

  /** Raw call, off the main thread: the HRESULT and the value (null on failure); `.orThrow()` checks it. */
  async invokeRaw<K extends keyof MethodsOfInterface<I> & string>(
    name: K,
    ...inputs: InArgs<ParamsOf<I, K>>
  ): Promise<CallResult<Returns<ParamsOf<I, K>>>> {
    const { method, plan, fn } = this.#bind(name);
    const args: unknown[] = new Array(plan.nativeCount);
    const outs = prepare(plan, inputs, args);
    const self = this.ptr;
    this.#inFlight++;
    let hr: number;
    let timedOut = false;
    // A call that timed out and then succeeded: what it handed out reaches nobody; give it back.
    const onLate = (error: unknown, lateHr: number) => {
      // Only now has the native call let go of the object: a release waiting for it may go on.
      this.#overdue--;
      this.#callReturned();
      if (error || lateHr < 0) return;
      lateResults.late++;
      try {
        (lateHandler ?? discardResult)(this.#read(plan, lateHr, outs), plan, this.runtime);
      } catch {
        // Nothing to report to: the caller has long had its RPC_E_TIMEOUT.
      }
    };
    const lateHandler = this.#lateHandler;
    this.#lateHandler = null;
    try {
      hr = await this.runtime.queue
        .run<number>((done) => fn.async(self, ...args, done), { keepAlive: args, timeoutMs: this.runtime.callTimeoutMs, onLate })
        .catch((error: unknown) => {
          // A call the service never answered: RPC_E_TIMEOUT, typed like any other failure.
          if (error instanceof CallTimeoutError) {
            timedOut = true;
            this.#overdue++;
            throw failure(this.runtime, RPC_E_TIMEOUT, `${method.qualifiedName} (no answer in ${error.timeoutMs} ms)`);
          }
          throw error;
        });
    } finally {
      // A timed-out call still runs natively: it counts until onLate says it returned.
      if (!timedOut) this.#callReturned();
    }
    return this.#result(method, plan, hr, outs);
  }

  #callReturned(): void {
    if (--this.#inFlight === 0) this.#drained.splice(0).forEach((resolve) => resolve());
  }

  /**
   * The next `invoke` / `invokeRaw` through this pointer hands a late result (the call timed
   * out, then succeeded) to `handler` instead of just releasing what it holds: e.g. a job created
   * after its caller gave up is cancelled, then released. The handler owns the values.
   */
  onLateResult(handler: LateHandler): this {
    this.#lateHandler = handler;
    return this;
  }

  /**
   * Raw call on the calling thread: only for objects that cannot call back into JS-implemented
   * objects (the fake calling its clients, IUnknown on a proxy) and for benchmarks.
   */
  invokeRawSync<K extends keyof MethodsOfInterface<I> & string>(
    name: K,
    ...inputs: InArgs<ParamsOf<I, K>>
  ): CallResult<Returns<ParamsOf<I, K>>> {
    const { method, plan, fn } = this.#bind(name);
    const getter = plan.getter;
    if (getter !== null && inputs.length === 0) {
      // No argument list to build, no loops: bench:dispatch holds this path to raw koffi's cost.
      const out = Buffer.alloc(plan.outSizes[0]);
      const hr = fn(this.ptr, out) as number;
      return new CallResult(hr >>> 0, (hr < 0 ? null : getter.read(out, this.runtime)) as Returns<ParamsOf<I, K>>, method.qualifiedName, this.runtime);
    }
    const args: unknown[] = new Array(plan.nativeCount);
    const outs = prepare(plan, inputs, args);
    const hr = callNative(fn, this.ptr, args);
    return this.#result(method, plan, hr, outs);
  }

  /** Calls off the main thread: the value (see CallResult); a failing HRESULT throws. */
  async invoke<K extends keyof MethodsOfInterface<I> & string>(
    name: K,
    ...inputs: InArgs<ParamsOf<I, K>>
  ): Promise<Returns<ParamsOf<I, K>>> {
    return (await this.invokeRaw(name, ...inputs)).orThrow();
  }

  /**
   * QueryInterface, off the main thread. Resolves null for E_NOINTERFACE; other failures throw.
   * The result is owned.
   */
  async query<J extends Interface>(target: J): Promise<ComPtr<J> | null> {
    const result = await (this as unknown as ComPtr<typeof IUnknown>).invokeRaw('QueryInterface', target.iid);
    if (result.hr === E_NOINTERFACE) return null;
    if (result.failed) throw failure(this.runtime, result.hr, `${this.iface.name}::QueryInterface(${target.name})`);
    const ptr = result.value;
    if (ptr === null) return null;
    return ComPtr.own(ptr, target, this.runtime);
  }

  /** A new owned reference to the same object (AddRef; local, no round trip on a proxy). */
  addRef(): ComPtr<I> {
    (this as unknown as ComPtr<typeof IUnknown>).invokeRawSync('AddRef');
    return ComPtr.own(this.ptr, this.iface, this.runtime);
  }

  /**
   * Gives up this reference: at once for the caller (the pointer is unusable from now on); the
   * Release itself runs off the main thread, after the calls still in flight through this pointer
   * have returned (releasing under a running call would free the object it is using), timed-out
   * calls included; the promise does not wait for those.
   * Idempotent; a borrowed pointer is only forgotten.
   */
  release(): Promise<void> {
    const ptr = this.#ptr;
    if (ptr === null) return Promise.resolve();
    this.#ptr = null;
    if (!this.owned) return Promise.resolve();
    safetyNet.unregister(this);
    const runtime = this.runtime;
    const drained = this.#inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => this.#drained.push(resolve));
    const release = () => (runtime.tornDown ? undefined : track(releaseAsync(ptr, runtime)).then(() => undefined));
    if (this.#overdue === 0) return track(drained.then(release));
    // A call that timed out may never return (a frozen service): the Release waits for it, but
    // neither the caller nor settleReleases() does (the Release is tracked once it starts).
    drained.then(release).catch(() => undefined);
    return Promise.resolve();
  }

  [Symbol.dispose](): void {
    void this.release().catch(() => undefined);
  }
}

/**
 * An interface pointer and the calls through its vtable.
 *
 * Ownership is part of the type: an owned pointer is released exactly once (explicitly, or by the
 * FinalizationRegistry safety net — never after COM teardown); a borrowed pointer (a callback
 * argument) is never released. Calls go through `invoke` (off the JS main thread, queued) or
 * `invokeSync` (on the main thread: only for objects that cannot call back into JS-implemented
 * objects, and for benchmarks).
 */
import { koffi, pointerSize, stdcall, type KoffiType } from './koffi';
import type { InArgs, OutParam, OutValues, Param } from './abi';
import type { Interface, Method } from './interface';
import { IUnknown } from './iunknown';
import type { ComRuntime } from './runtime';
import { failed, E_NOINTERFACE } from './hresult';
import { failure } from './failure';
import { CallTimeoutError } from './call-queue';
import { track } from './releases';

export { settleReleases } from './releases';

/** RPC_E_TIMEOUT: the call did not return in time. */
const RPC_E_TIMEOUT = 0x8001011f;

/** A decoded native function, as koffi returns it. */
interface NativeFunction {
  (...args: unknown[]): unknown;
  async(...args: unknown[]): void;
}

export type CallResult<V> = { readonly hr: number; readonly values: V };

type MethodsOfInterface<I> = I extends Interface<infer M> ? M : never;
type ParamsOf<I, K extends keyof MethodsOfInterface<I>> = MethodsOfInterface<I>[K] extends Method<infer P> ? P : never;

/** Thrown when a released pointer is used; the idiomatic layer checks disposal first. */
export class ReleasedPointerError extends Error {
  constructor(what: string) {
    super(`${what} was already released`);
    this.name = 'ReleasedPointerError';
  }
}

const prototypes = new WeakMap<Method, KoffiType>();

/** The koffi prototype of a method, built on first use (with `This` first). */
export function prototypeOf(method: Method): KoffiType {
  let proto = prototypes.get(method);
  if (!proto) {
    const k = koffi();
    const ret = method.returns === 'ulong' ? 'uint32_t' : 'int32_t';
    const args: Array<string | KoffiType> = ['void *'];
    for (const p of method.params) args.push(p.dir === 'in' ? (typeof p.c === 'string' ? p.c : p.c()) : 'void *');
    proto = stdcall() ? k.proto('__stdcall', null, ret, args) : k.proto(null, ret, args);
    prototypes.set(method, proto);
  }
  return proto;
}

/** Decoded functions by method, then by native address: objects of one class share a vtable. */
const decoded = new WeakMap<Method, Map<bigint, NativeFunction>>();

function decodeFunction(method: Method, address: bigint): NativeFunction {
  let byAddress = decoded.get(method);
  if (!byAddress) decoded.set(method, (byAddress = new Map()));
  let fn = byAddress.get(address);
  if (!fn) {
    fn = koffi().decode(address, prototypeOf(method)) as unknown as NativeFunction;
    byAddress.set(address, fn);
  }
  return fn;
}

/**
 * A method's call plan, computed once: which arguments are inputs, which are out-buffers and
 * their sizes. Keeps the per-call work to the encoding itself (bench:dispatch measures it).
 */
interface CallPlan {
  readonly params: readonly Param[];
  readonly outSizes: readonly number[];
  readonly outIndexes: readonly number[];
  readonly inCount: number;
  /** The getter shape (no inputs, one out-parameter): most calls; it takes a shorter path. */
  readonly getter: OutParam<unknown> | null;
}

const plans = new WeakMap<Method, CallPlan>();

function planOf(method: Method): CallPlan {
  let plan = plans.get(method);
  if (!plan) {
    const params = method.params as readonly Param[];
    const outIndexes: number[] = [];
    const outSizes: number[] = [];
    params.forEach((p, i) => {
      if (p.dir === 'out') {
        outIndexes.push(i);
        outSizes.push(p.size());
      }
    });
    const getter = params.length === 1 && params[0].dir === 'out' ? params[0] : null;
    plan = { params, outSizes, outIndexes, inCount: params.length - outIndexes.length, getter };
    plans.set(method, plan);
  }
  return plan;
}

/** Fills `args` (native arguments) from `inputs`; returns the out-parameter buffers. */
function prepare(plan: CallPlan, inputs: readonly unknown[], args: unknown[]): Buffer[] {
  if (inputs.length !== plan.inCount) throw new TypeError(`Expected ${plan.inCount} argument(s), got ${inputs.length}`);
  const params = plan.params;
  const outs: Buffer[] = new Array(plan.outSizes.length);
  let next = 0;
  let o = 0;
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (p.dir === 'in') args[i] = p.encode(inputs[next++]);
    else args[i] = outs[o] = Buffer.alloc(plan.outSizes[o++]);
  }
  return outs;
}

/** A method resolved for one pointer: its plan and its decoded native function. */
interface Bound {
  readonly method: Method;
  readonly plan: CallPlan;
  readonly fn: NativeFunction;
}

/** Calls without spreading for the common arities (spread costs more than the call itself). */
function callNative(fn: NativeFunction, self: bigint, args: unknown[]): number {
  switch (args.length) {
    case 0: return fn(self) as number;
    case 1: return fn(self, args[0]) as number;
    case 2: return fn(self, args[0], args[1]) as number;
    case 3: return fn(self, args[0], args[1], args[2]) as number;
    case 4: return fn(self, args[0], args[1], args[2], args[3]) as number;
    default: return fn(self, ...args) as number;
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

function vtableEntry(ptr: bigint, slot: number): bigint {
  const k = koffi();
  const vtable = k.decode(ptr, 'void *') as bigint;
  return k.decode(vtable, slot * pointerSize(), 'void *') as bigint;
}

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

  /** Takes over one reference the caller received (from an out-parameter): released once. */
  static own<I extends Interface>(ptr: bigint, iface: I, runtime: ComRuntime): ComPtr<I> {
    return new ComPtr(ptr, iface, runtime, true);
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

  #read(plan: CallPlan, hr: number, outs: Buffer[]): unknown[] {
    const values: unknown[] = new Array(outs.length);
    if (hr < 0) return values.fill(null);
    for (let o = 0; o < outs.length; o++) {
      values[o] = (plan.params[plan.outIndexes[o]] as OutParam<unknown>).read(outs[o], this.runtime);
    }
    return values;
  }

  /** Raw call, off the main thread: the HRESULT (unsigned) and the out values (null on failure). */
  async invokeRaw<K extends keyof MethodsOfInterface<I> & string>(
    name: K,
    ...inputs: InArgs<ParamsOf<I, K>>
  ): Promise<CallResult<OutValues<ParamsOf<I, K>>>> {
    const { plan, fn } = this.#bind(name);
    const args: unknown[] = new Array(plan.params.length);
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
            throw failure(RPC_E_TIMEOUT, `${this.iface.name}::${name} (no answer in ${error.timeoutMs} ms)`);
          }
          throw error;
        });
    } finally {
      // A timed-out call still runs natively: it counts until onLate says it returned.
      if (!timedOut) this.#callReturned();
    }
    return { hr: hr >>> 0, values: this.#read(plan, hr, outs) as OutValues<ParamsOf<I, K>> };
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

  /** Raw call on the calling thread. */
  invokeRawSync<K extends keyof MethodsOfInterface<I> & string>(
    name: K,
    ...inputs: InArgs<ParamsOf<I, K>>
  ): CallResult<OutValues<ParamsOf<I, K>>> {
    const { plan, fn } = this.#bind(name);
    const getter = plan.getter;
    if (getter !== null && inputs.length === 0) {
      // No argument list to build, no loops: bench:dispatch holds this path to raw koffi's cost.
      const out = Buffer.alloc(plan.outSizes[0]);
      const hr = fn(this.ptr, out) as number;
      return { hr: hr >>> 0, values: [hr < 0 ? null : getter.read(out, this.runtime)] as OutValues<ParamsOf<I, K>> };
    }
    const args: unknown[] = new Array(plan.params.length);
    const outs = prepare(plan, inputs, args);
    const hr = callNative(fn, this.ptr, args);
    return { hr: hr >>> 0, values: this.#read(plan, hr, outs) as OutValues<ParamsOf<I, K>> };
  }

  /** Calls off the main thread; a failing HRESULT throws (typed by the installed factory). */
  async invoke<K extends keyof MethodsOfInterface<I> & string>(
    name: K,
    ...inputs: InArgs<ParamsOf<I, K>>
  ): Promise<OutValues<ParamsOf<I, K>>> {
    const { hr, values } = await this.invokeRaw(name, ...inputs);
    if (failed(hr)) throw failure(hr, this.#method(name).qualifiedName);
    return values;
  }

  /** `invoke` on the calling thread. */
  invokeSync<K extends keyof MethodsOfInterface<I> & string>(
    name: K,
    ...inputs: InArgs<ParamsOf<I, K>>
  ): OutValues<ParamsOf<I, K>> {
    const { hr, values } = this.invokeRawSync(name, ...inputs);
    if (failed(hr)) throw failure(hr, this.#method(name).qualifiedName);
    return values;
  }

  /**
   * QueryInterface, off the main thread. Resolves null for E_NOINTERFACE; other failures throw.
   * The result is owned.
   */
  async query<J extends Interface>(target: J): Promise<ComPtr<J> | null> {
    const { hr, values } = await (this as unknown as ComPtr<typeof IUnknown>).invokeRaw('QueryInterface', target.iid);
    if (hr === E_NOINTERFACE) return null;
    if (failed(hr)) throw failure(hr, `${this.iface.name}::QueryInterface(${target.name})`);
    const [ptr] = values;
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

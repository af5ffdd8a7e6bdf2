/**
 * The one calling verb of the idiomatic layer: `call(Interface, 'Method', …args)` on one COM object.
 * It checks the wrapper was not disposed, asks the object for `Interface` once (QueryInterface,
 * released with the wrapper), and keeps program order when the wrapper has a CallOrder (a job).
 *
 * Several calls that must reach the service as one step go through `inOrder(step)`: the step gets
 * a `StepCalls`, the only pointer it may use. Its calls do not queue (the step already holds the
 * job's turn), and it has no `inOrder` of its own, so a step cannot wait on itself.
 */
import type { CallArgs, CallResult, CallValue, ComPtr, Interface, MethodName } from '../com';
import { NoInterfaceError, ObjectDisposedError } from '../errors';
import { callKind, type CallOrder } from './call-order';

/** What the calls need of the wrapper that owns the pointers (ComResource). */
export interface CallOwner {
  /** Throws ObjectDisposedError once the wrapper is disposed. */
  ensureLive(): void;
  /** Registers a pointer released with the wrapper. */
  adopt<P extends ComPtr<Interface>>(ptr: P): P;
  readonly disposed: boolean;
  readonly displayName: string;
}

/** The calls a step of `inOrder` may make: unordered (the step holds the turn), disposal-checked. */
export interface StepCalls {
  call<I extends Interface, K extends MethodName<I>>(iface: I, method: K, ...args: CallArgs<I, K>): Promise<CallValue<I, K>>;
  callRaw<I extends Interface, K extends MethodName<I>>(iface: I, method: K, ...args: CallArgs<I, K>): Promise<CallResult<CallValue<I, K>>>;
}

type LooseRaw = (name: string, ...args: unknown[]) => Promise<CallResult<unknown>>;

export class Calls implements StepCalls {
  readonly #base: ComPtr<Interface>;
  readonly #order: CallOrder | null;
  readonly #owner: CallOwner;
  readonly #extensions = new Map<Interface, Promise<ComPtr<Interface>>>();
  readonly #step: StepCalls = {
    call: (iface, method, ...args) => this.#now(iface, method, args).then((r) => r.orThrow()),
    callRaw: (iface, method, ...args) => this.#now(iface, method, args),
  } as StepCalls;

  constructor(base: ComPtr<Interface>, order: CallOrder | null, owner: CallOwner) {
    this.#base = base;
    this.#order = order;
    this.#owner = owner;
  }

  /** `iface::method(…args)`: its value; a failing HRESULT rejects (HResultError and subclasses). */
  async call<I extends Interface, K extends MethodName<I>>(iface: I, method: K, ...args: CallArgs<I, K>): Promise<CallValue<I, K>> {
    return (await this.callRaw(iface, method, ...args)).orThrow();
  }

  /** `iface::method(…args)`: the HRESULT and the value, for callers that handle some failures themselves. */
  callRaw<I extends Interface, K extends MethodName<I>>(iface: I, method: K, ...args: CallArgs<I, K>): Promise<CallResult<CallValue<I, K>>> {
    try {
      this.#owner.ensureLive();
    } catch (error) {
      return Promise.reject(error);
    }
    const run = () => this.#now(iface, method, args) as Promise<CallResult<CallValue<I, K>>>;
    return this.#order ? this.#order.run(callKind(method), run) : run();
  }

  /**
   * Several calls as one write in program order. The step receives the only pointer it may use:
   * calls made through this object's `call` inside the step would queue behind the step itself.
   */
  inOrder<T>(step: (job: StepCalls) => Promise<T>): Promise<T> {
    try {
      this.#owner.ensureLive();
    } catch (error) {
      return Promise.reject(error);
    }
    const run = () => step(this.#step);
    return this.#order ? this.#order.run('write', run) : run();
  }

  /** Whether the object answers QueryInterface for `iface` (the pointer is kept for later calls). */
  async answers(iface: Interface): Promise<boolean> {
    this.#owner.ensureLive();
    if (iface === this.#base.iface) return true;
    try {
      await this.#extension(iface);
      return true;
    } catch (error) {
      if (error instanceof NoInterfaceError) return false;
      throw error;
    }
  }

  /** The call itself, unordered; the pointer of `iface` is asked for once. */
  #now(iface: Interface, method: string, args: readonly unknown[]): Promise<CallResult<unknown>> {
    // The wrapper may have been disposed while this call waited for its turn.
    if (this.#owner.disposed) return Promise.reject(new ObjectDisposedError(this.#owner.displayName));
    if (iface === this.#base.iface) return (this.#base.invokeRaw as LooseRaw)(method, ...args);
    return this.#extension(iface).then((ptr) => (ptr.invokeRaw as LooseRaw)(method, ...args));
  }

  /**
   * Another interface of the same object (IBackgroundCopyJob2, IBackgroundCopyFile5 …), asked for
   * once with QueryInterface and released with the wrapper. Rejects with NoInterfaceError when the
   * service does not have it.
   */
  #extension(iface: Interface): Promise<ComPtr<Interface>> {
    let pending = this.#extensions.get(iface);
    if (!pending) {
      const base = this.#base;
      pending = base.query(iface).then((p) => {
        if (!p) throw new NoInterfaceError(undefined, { operation: `${base.iface.name}::QueryInterface(${iface.name})` });
        // Disposed while QueryInterface was in flight: nobody will release this reference later,
        // and the call waiting for it must not reach the service.
        if (this.#owner.disposed) {
          void p.release().catch(() => undefined);
          throw new ObjectDisposedError(this.#owner.displayName);
        }
        return this.#owner.adopt(p);
      });
      this.#extensions.set(iface, pending);
      pending.catch(() => this.#extensions.delete(iface));
    }
    return pending;
  }
}

/**
 * Base of every idiomatic wrapper: owns COM pointers, releases them exactly once, and refuses use
 * afterwards with ObjectDisposedError. The FinalizationRegistry of `ComPtr` is only a safety net
 * for wrappers that were never disposed.
 *
 * Two ways to let go: `dispose()` / `using` (synchronous: the Release calls are queued and run off
 * the main thread), and `await close()` / `await using` (also waits for them, and for any
 * goodbye the subclass owes the service, such as unregistering notifications). Await `close()`
 * before `process.exit()`.
 */
import type { ComPtr, Interface } from '../com';
import { ObjectDisposedError } from '../errors';
import type { CallOrder } from './call-order';
import { Calls, type CallOwner } from './calls';

export abstract class ComResource {
  #disposed = false;
  #closing: Promise<void> | null = null;
  readonly #owned: Array<ComPtr<Interface>> = [];

  protected abstract get displayName(): string;

  /** True once `dispose()` or `close()` ran: every later call throws ObjectDisposedError. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /** Registers a pointer released with this object. */
  protected adopt<P extends ComPtr<Interface>>(ptr: P): P {
    this.#owned.push(ptr);
    return ptr;
  }

  /**
   * @internal The calling verb on `base` and the other interfaces of its object (see calls.ts): each call
   * disposal-checked, each extra interface asked for once and released with this object, in
   * program order when `order` is given.
   */
  protected callsOn(base: ComPtr<Interface>, order: CallOrder | null = null): Calls {
    const disposed = () => this.#disposed;
    const name = () => this.displayName;
    const owner: CallOwner = {
      ensureLive: () => this.ensureLive(),
      adopt: (ptr) => this.adopt(ptr),
      get disposed() { return disposed(); },
      get displayName() { return name(); },
    };
    return new Calls(base, order, owner);
  }

  protected ensureLive(): void {
    if (this.#disposed) throw new ObjectDisposedError(this.displayName);
  }

  /** Synchronous clean-up before the pointers go (no calls to the service). */
  protected beforeDispose(): void {}

  /** What `close()` tells the service before the pointers go (e.g. unregister notifications). */
  protected async beforeClose(): Promise<void> {}

  /** Releases the COM pointers now (the Release calls run off the main thread). Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.beforeDispose();
    this.#disposed = true;
    for (const ptr of this.#owned.splice(0)) void ptr.release().catch(() => undefined);
  }

  /** Like `dispose()`, but resolves once the service has been told and every Release returned. */
  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    if (this.#disposed) return (this.#closing = Promise.resolve());
    this.#closing = (async () => {
      try {
        await this.beforeClose();
      } catch {
        // The service may be gone; releasing is all that is left to do.
      }
      this.beforeDispose();
      this.#disposed = true;
      await Promise.all(this.#owned.splice(0).map((ptr) => ptr.release().catch(() => undefined)));
    })();
    return this.#closing;
  }

  /** `using`: the same as `dispose()`. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** `await using`: the same as `await close()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}


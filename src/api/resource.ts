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
import { settleReleases } from '../com/releases';
import { NoInterfaceError, ObjectDisposedError } from '../errors';

export abstract class ComResource {
  #disposed = false;
  #closing: Promise<void> | null = null;
  readonly #owned: Array<ComPtr<Interface>> = [];
  readonly #extensions = new Map<Interface, Promise<ComPtr<Interface>>>();

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
   * Another interface of the same object (IBackgroundCopyJob2, IBackgroundCopyFile5 …), asked for
   * once with QueryInterface and released with this object. Rejects with NoInterfaceError when the
   * service does not have it.
   */
  protected extension<I extends Interface>(base: ComPtr<Interface>, iface: I): Promise<ComPtr<I>> {
    this.ensureLive();
    let pending = this.#extensions.get(iface);
    if (!pending) {
      pending = base.query(iface).then((p) => {
        if (!p) throw new NoInterfaceError(undefined, { operation: `${base.iface.name}::QueryInterface(${iface.name})` });
        // Disposed while QueryInterface was in flight: nobody will release this reference later,
        // and the call waiting for it must not reach the service.
        if (this.#disposed) {
          void p.release().catch(() => undefined);
          throw new ObjectDisposedError(this.displayName);
        }
        return this.adopt(p);
      });
      this.#extensions.set(iface, pending);
      pending.catch(() => this.#extensions.delete(iface));
    }
    return pending as Promise<ComPtr<I>>;
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

/**
 * Resolves once every Release that `dispose()` queued so far has returned: await it before the
 * process exits, so it never leaves while still holding references the service would keep.
 */
export function releasesSettled(): Promise<void> {
  return settleReleases();
}

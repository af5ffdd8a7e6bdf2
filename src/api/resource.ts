/**
 * Base of every idiomatic wrapper: owns COM pointers, releases them exactly once on `dispose()`,
 * and refuses use afterwards with ObjectDisposedError. The FinalizationRegistry of `ComPtr` is only
 * a safety net for wrappers that were never disposed.
 */
import type { ComPtr, Interface } from '../com';
import { ObjectDisposedError } from '../errors';

export abstract class ComResource {
  #disposed = false;
  readonly #owned: Array<ComPtr<Interface>> = [];

  protected abstract get displayName(): string;

  get disposed(): boolean {
    return this.#disposed;
  }

  /** Registers a pointer released with this object. */
  protected adopt<P extends ComPtr<Interface>>(ptr: P): P {
    this.#owned.push(ptr);
    return ptr;
  }

  protected ensureLive(): void {
    if (this.#disposed) throw new ObjectDisposedError(this.displayName);
  }

  /** Hook for subclasses (e.g. to unregister notifications) before pointers are released. */
  protected beforeDispose(): void {}

  /** Releases the COM pointers now (the Release calls run off the main thread). Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.beforeDispose();
    this.#disposed = true;
    for (const ptr of this.#owned.splice(0)) void ptr.release().catch(() => undefined);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

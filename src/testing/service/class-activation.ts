/**
 * Notification by CLSID (BITS_JOB_PROPERTY_NOTIFICATION_CLSID) on the fake: when a job that has
 * no callback interface but a notification CLSID is transferred or fails, the service activates
 * that CLSID (what CoCreateInstance(CLSCTX_LOCAL_SERVER) does on Windows), asks the object for
 * IBackgroundCopyCallback and calls it from a native thread, then releases it.
 *
 * Activation is injectable (`activator`); by default it goes through the fake's class table, a
 * `ClassRegistrar` that a notification server in the same process registers its class object
 * with (`fake.classRegistrar`), as COM's class table does for a local server.
 */
import { IBackgroundCopyCallback } from '../../bits';
import { ComPtr, IClassFactory, IUnknown, normalizeGuid, type ClassRegistrar, type ComRuntime } from '../../com';
import { E_NOINTERFACE } from './hresults';

/** CoCreateInstance for the fake: an owned IUnknown of a new object of `clsid`, or null (class not registered). */
export type FakeActivator = (clsid: string) => bigint | null | Promise<bigint | null>;

/** What `fake.classRegistrar` is: the fake's class table, handed to `serveNotifications` as its `registrar`. */
export interface FakeClassRegistrar {
  /** CoRegisterClassObject: keeps a reference to `factory` (an IClassFactory) under `clsid`; returns the cookie. */
  register(clsid: string, factory: bigint): number;
  /** CoRevokeClassObject: lets go of the class object. */
  revoke(cookie: number): void;
  /** CLSIDs the fake activated, in order (failed activations included). */
  readonly activated: readonly string[];
  /** CLSIDs registered now. */
  readonly classes: readonly string[];
}

/** The fake's class table: class objects registered by a server in this process. */
export class FakeClassTable implements ClassRegistrar, FakeClassRegistrar {
  readonly #factories = new Map<number, { clsid: string; factory: bigint }>();
  #cookies = 0;
  /** CLSIDs activated, in order (failed activations included). */
  readonly activated: string[] = [];

  constructor(readonly runtime: () => ComRuntime) {}

  register(clsid: string, factory: bigint): number {
    // COM keeps a reference to a registered class object until it is revoked.
    ComPtr.borrow(factory, IUnknown, this.runtime()).invokeRawSync('AddRef');
    const cookie = ++this.#cookies;
    this.#factories.set(cookie, { clsid: normalizeGuid(clsid), factory });
    return cookie;
  }

  revoke(cookie: number): void {
    const entry = this.#factories.get(cookie);
    if (!entry) return;
    this.#factories.delete(cookie);
    ComPtr.borrow(entry.factory, IUnknown, this.runtime()).invokeRawSync('Release');
  }

  /** Registered CLSIDs. */
  get classes(): string[] {
    return [...this.#factories.values()].map((e) => e.clsid);
  }

  /** The default activator: IClassFactory::CreateInstance of the registered class object, off the main thread. */
  async activate(clsid: string, runtime: ComRuntime): Promise<bigint | null> {
    const entry = [...this.#factories.values()].find((e) => e.clsid === clsid);
    if (!entry) return null;
    const made = await ComPtr.borrow(entry.factory, IClassFactory, runtime).invokeRaw('CreateInstance', null, IUnknown.iid);
    return made.failed ? null : made.value;
  }
}

/**
 * Activates `clsid` and calls the new object's JobTransferred (or JobError with `error`) about
 * `job`; resolves with the HRESULT of the call (REGDB_E_CLASSNOTREG-like failures as null).
 */
export async function notifyByClsid(
  runtime: ComRuntime, activator: (clsid: string) => Promise<bigint | null>, clsid: string, job: bigint, error: bigint | null,
): Promise<number | null> {
  const unknown = await activator(clsid);
  if (unknown === null) return null;
  const object = ComPtr.own(unknown, IUnknown, runtime);
  try {
    const callback = await object.query(IBackgroundCopyCallback);
    if (!callback) return E_NOINTERFACE;
    try {
      const result = error === null ? await callback.invokeRaw('JobTransferred', job) : await callback.invokeRaw('JobError', job, error);
      return result.hr;
    } finally {
      await callback.release();
    }
  } finally {
    await object.release();
  }
}

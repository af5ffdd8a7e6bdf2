/**
 * A COM local server in this process (the server side of CLSCTX_LOCAL_SERVER): a class object
 * implemented in JS (IClassFactory) registered with CoRegisterClassObject, so that COM, having
 * launched this process from the class's LocalServer32 command line, hands it activation requests.
 *
 * Lifetime (COM's rule for local servers, counted here instead of CoAddRefServerProcess): every
 * object the factory made, every LockServer(TRUE) and every `lock()` / `busy()` holds the server;
 * once the last is let go, the server waits `lingerMs` (a new activation cancels that) and then
 * stops: the class object is revoked and `stopped` resolves, so the process can end. A client may
 * also keep an object and never call (BITS keeps an activated callback for the job's later
 * notifications): with no work running (`busy()`) and no activation for `idleTimeoutMs`, the
 * server stops all the same; the client's proxy is then disconnected, and it activates anew.
 *
 * Threads: the process is in the multithreaded apartment, so COM calls the class object and the
 * objects on its RPC threads; koffi queues each call to the JS main thread, which must be free
 * (nothing here waits on it). Registration and revocation run on the main thread: they call only
 * our own objects' IUnknown methods (marshalling), and those run directly on the calling thread.
 */
import { failure } from './failure';
import { guidToBytes } from './guid';
import { CLASS_E_NOAGGREGATION, CO_E_SERVER_STOPPING, E_NOINTERFACE } from './hresult';
import { answer, Implementation, type JsComObject } from './implement';
import { koffi, stdcall } from './koffi';
import type { ComRuntime } from './runtime';
import { IClassFactory } from './standard-interfaces';

/** How a class object is made known to COM (CoRegisterClassObject); the testing fake passes its own. */
export interface ClassRegistrar {
  /** Registers `factory` (an IClassFactory pointer) for `clsid`; returns the cookie. Throws on failure. */
  register(clsid: string, factory: bigint, options: { multipleUse: boolean; runtime: ComRuntime }): number;
  /** Takes the registration back (CoRevokeClassObject). Must not throw. */
  revoke(cookie: number): void;
}

/** One hold on the server; `release()` lets go of it (again: nothing). */
export interface ServerLock {
  release(): void;
}

export type StopReason = 'released' | 'idle' | 'stopped';

export interface LocalServerOptions {
  readonly clsid: string;
  readonly runtime: ComRuntime;
  readonly registrar: ClassRegistrar;
  /** What the class makes: one object per activation (its vtable is built at `start()`). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly implementation: Implementation<any>;
  /**
   * The state of a new object. `lock` holds the server: release it when the object is gone (its
   * final Release, `onFinalRelease`).
   */
  readonly stateFor: (lock: ServerLock) => unknown;
  /** Once nothing holds the server, how long it waits before it stops (default 500 ms). */
  readonly lingerMs?: number;
  /** With no work running, how long it waits for an activation before it stops (default 60 s), objects held or not. */
  readonly idleTimeoutMs?: number;
  /** REGCLS_MULTIPLEUSE (default) or REGCLS_SINGLEUSE (COM launches a new process for the next client). */
  readonly multipleUse?: boolean;
}

interface FactoryState {
  server: LocalServer | null;
}

const factoryImplementation = new Implementation<FactoryState, typeof IClassFactory>({
  iface: IClassFactory,
  freeAfterFinalReleaseMs: 30_000,
  methods: {
    CreateInstance: (state, outer, iid) => {
      if (!state.server) answer(CO_E_SERVER_STOPPING);
      return state.server.createInstance(outer, iid);
    },
    LockServer: (state, lock) => {
      if (!state.server) answer(CO_E_SERVER_STOPPING);
      state.server.lockServer(lock);
    },
  },
});

export class LocalServer {
  /** Resolves when the server has stopped (the class object is revoked). */
  readonly stopped: Promise<StopReason>;
  /** Objects made by the factory, in all. */
  activations = 0;
  #resolve!: (reason: StopReason) => void;
  #locks = 0;
  #serverLocks: ServerLock[] = [];
  #factory: JsComObject<FactoryState> | null = null;
  #cookie: number | null = null;
  #busy = 0;
  #lingerTimer: NodeJS.Timeout | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #keepAlive: NodeJS.Timeout | undefined;
  #state: 'new' | 'serving' | 'stopped' = 'new';

  constructor(readonly options: LocalServerOptions) {
    this.stopped = new Promise((resolve) => (this.#resolve = resolve));
  }

  /** Objects and locks holding the server now. */
  get holds(): number {
    return this.#locks;
  }

  get state(): 'new' | 'serving' | 'stopped' {
    return this.#state;
  }

  /** Registers the class object; activations may arrive from now on. */
  start(): void {
    if (this.#state !== 'new') throw new Error('A local server starts once');
    this.options.implementation.prepare();
    const factory = factoryImplementation.create({ server: this });
    try {
      this.#cookie = this.options.registrar.register(this.options.clsid, factory.ptr, { multipleUse: this.options.multipleUse ?? true, runtime: this.options.runtime });
    } catch (error) {
      factory.state.server = null;
      factory.release();
      throw error;
    }
    this.#factory = factory;
    this.#state = 'serving';
    // COM's calls arrive through koffi, which does not keep the event loop alive by itself.
    this.#keepAlive = setInterval(() => undefined, 2 ** 30);
    this.#armIdle();
  }

  /** Holds the server (work still running for an object already released, say). */
  lock(): ServerLock {
    this.#locks++;
    clearTimeout(this.#lingerTimer);
    return once(() => {
      if (--this.#locks === 0 && this.#state === 'serving') this.#lingerTimer = setTimeout(() => this.stop('released'), this.options.lingerMs ?? 500);
    });
  }

  /** Holds the server for work under way; the idle time counts from the end of the last work. */
  busy(): ServerLock {
    const lock = this.lock();
    this.#busy++;
    clearTimeout(this.#idleTimer);
    return once(() => {
      lock.release();
      if (--this.#busy === 0) this.#armIdle();
    });
  }

  /** Stops now: revokes the class object (objects already handed out keep working). Idempotent. */
  stop(reason: StopReason = 'stopped'): void {
    if (this.#state === 'stopped') return;
    this.#state = 'stopped';
    clearTimeout(this.#lingerTimer);
    clearTimeout(this.#idleTimer);
    clearInterval(this.#keepAlive);
    if (this.#cookie !== null) this.options.registrar.revoke(this.#cookie);
    this.#cookie = null;
    if (this.#factory) {
      this.#factory.state.server = null;
      this.#factory.release();
      this.#factory = null;
    }
    this.#resolve(reason);
  }

  /** IClassFactory::CreateInstance. */
  createInstance(outer: bigint | null, iid: string | null): bigint {
    if (this.#state !== 'serving') answer(CO_E_SERVER_STOPPING);
    if (outer !== null) answer(CLASS_E_NOAGGREGATION);
    const lock = this.lock();
    if (this.#busy === 0) this.#armIdle(); // an activation is activity
    let object: JsComObject;
    try {
      object = this.options.implementation.create(this.options.stateFor(lock));
    } catch (error) {
      lock.release();
      throw error;
    }
    this.activations++;
    // The object's own implementation answers the IID (in JS: see Implementation.query).
    const asked = iid === null ? null : object.implementation.query(object, iid);
    object.release();
    if (asked === null) answer(E_NOINTERFACE);
    return asked;
  }

  /** IClassFactory::LockServer. */
  lockServer(lock: boolean): void {
    if (lock) this.#serverLocks.push(this.lock());
    else this.#serverLocks.pop()?.release();
  }

  #armIdle(): void {
    clearTimeout(this.#idleTimer);
    if (this.#state === 'serving') this.#idleTimer = setTimeout(() => this.stop('idle'), this.options.idleTimeoutMs ?? 60_000);
  }
}

/** A lock whose `release` counts once. */
function once(release: () => void): ServerLock {
  let held = true;
  return {
    release: () => {
      if (!held) return;
      held = false;
      release();
    },
  };
}

const COINIT_MULTITHREADED = 0x0;
const CLSCTX_LOCAL_SERVER = 0x4;
const REGCLS_SINGLEUSE = 0;
const REGCLS_MULTIPLEUSE = 1;

interface RegistrationFunctions {
  CoInitializeEx(reserved: null, coinit: number): number;
  CoRegisterClassObject(clsid: Buffer, unknown: bigint, context: number, flags: number, cookie: Buffer): number;
  CoRevokeClassObject(cookie: number): number;
}

let bound: RegistrationFunctions | undefined;

function bind(): RegistrationFunctions {
  if (bound) return bound;
  const lib = koffi().load('ole32.dll');
  const cc = stdcall();
  bound = {
    CoInitializeEx: lib.func(`int32_t ${cc}CoInitializeEx(void *reserved, uint32_t coinit)`) as unknown as RegistrationFunctions['CoInitializeEx'],
    CoRegisterClassObject: lib.func(`int32_t ${cc}CoRegisterClassObject(void *clsid, void *unknown, uint32_t context, uint32_t flags, void *cookie)`) as unknown as RegistrationFunctions['CoRegisterClassObject'],
    CoRevokeClassObject: lib.func(`int32_t ${cc}CoRevokeClassObject(uint32_t cookie)`) as unknown as RegistrationFunctions['CoRevokeClassObject'],
  };
  return bound;
}

/** CoRegisterClassObject(CLSCTX_LOCAL_SERVER) from the main thread, which joins the multithreaded apartment. */
export const windowsClassRegistrar: ClassRegistrar = {
  register(clsid, factory, { multipleUse, runtime }) {
    const ole = bind();
    // An MTA server: COM calls its objects on RPC threads, never needing this thread to pump messages.
    const init = ole.CoInitializeEx(null, COINIT_MULTITHREADED);
    if (init < 0) throw failure(runtime, init, 'CoInitializeEx(COINIT_MULTITHREADED)');
    const cookie = Buffer.alloc(4);
    const hr = ole.CoRegisterClassObject(guidToBytes(clsid), factory, CLSCTX_LOCAL_SERVER, multipleUse ? REGCLS_MULTIPLEUSE : REGCLS_SINGLEUSE, cookie);
    if (hr < 0) throw failure(runtime, hr, `CoRegisterClassObject({${clsid}})`);
    return cookie.readUInt32LE(0);
  },
  revoke(cookie) {
    bind().CoRevokeClassObject(cookie);
  },
};

/**
 * `createFakeService`: an in-process stand-in for BITS or Delivery Optimization whose objects
 * have real native vtables (koffi-registered callbacks), so the library's calls take the same
 * path as on Windows. Everything is counted, and `assertBalanced` checks the COM contract.
 */
import { settleReleases, type ComRuntime } from '../com';
import type { FakeClassRegistrar } from './service/class-activation';
import type { JobState } from '../bits';
import { balanceProblems } from './service/balance';
import type { FakeStats } from './counters';
import type { FakeServiceOptions } from './options';
import type { ServiceProvider } from './provider';
import { forgetCreatedFake, recordCreatedFake } from './registry';
import { validateBehaviour, type Behaviour } from './scripts';
import { ServiceCore } from './service/core';
import type { CertificateStore } from '../certificates/store';
import { fakeCertificateStore, parseFakeCertificate } from './ido/fake-certificates';
import { DODownloadProperty } from '../ido/enums';

/** A file as the fake sees it (for assertions; the client sees it through COM). */
export interface FakeFileInfo {
  /** The URL given to AddFile. */
  readonly remoteName: string;
  /** The local path (null for a DO file with no DownloadSinkFilePath yet). */
  readonly localName: string | null;
  /** DO file id, if one was given. */
  readonly fileId: string | null;
  /** null while unknown. */
  readonly bytesTotal: bigint | null;
  /** Bytes "transferred" so far. */
  readonly bytesTransferred: bigint;
  /** The file is fully transferred. */
  readonly completed: boolean;
}

/** A job as the fake sees it, including what COM never hands back (credentials). */
export interface FakeJobInfo {
  /** The job GUID. */
  readonly id: string;
  /** Display name. */
  readonly displayName: string;
  /** Description, or null when never set. */
  readonly description: string | null;
  /** BG_JOB_TYPE. */
  readonly type: number;
  /** Current state. */
  readonly state: JobState;
  /** Every state the job went through, in order, starting with SUSPENDED. */
  readonly stateHistory: readonly JobState[];
  /** BG_JOB_PRIORITY. */
  readonly priority: number;
  /** BG_NOTIFY_* flags. */
  readonly notifyFlags: number;
  /** True while a callback object is registered. */
  readonly hasNotifyInterface: boolean;
  /** How often the job went to an error state. */
  readonly errorCount: number;
  /** The files, in the order added. */
  readonly files: readonly FakeFileInfo[];
  /** Credentials given to SetCredentials (the fake keeps the password so tests can check it arrived). */
  readonly credentials: ReadonlyArray<{
    /** BG_AUTH_TARGET. */
    readonly target: number;
    /** BG_AUTH_SCHEME. */
    readonly scheme: number;
    /** User name. */
    readonly userName: string | null;
    /** Password. */
    readonly password: string | null;
  }>;
  /** What SetProxySettings stored. */
  readonly proxy: {
    /** BG_JOB_PROXY_USAGE. */
    readonly usage: number;
    /** Proxy list. */
    readonly list: string | null;
    /** Bypass list. */
    readonly bypass: string | null;
  };
  /** What SetNotifyCmdLine stored. */
  readonly notifyCommandLine: {
    /** Program. */
    readonly program: string | null;
    /** Its parameters. */
    readonly parameters: string | null;
  };
}

/** An IDO download as the fake sees it ('ido' flavour). */
export interface FakeIdoDownloadInfo {
  /** The download id. */
  readonly id: string;
  /** A DODownloadState value. */
  readonly state: number;
  /** The Uri property, if set. */
  readonly uri: string | null;
  /** Bytes delivered so far. */
  readonly bytesTransferred: bigint;
  /** OnStatusChange calls made to the client's callback, and IStream::Write calls made to its stream. */
  readonly statusCalls: number;
  /** IStream::Write calls made. */
  readonly writeCalls: number;
  /** The client's IStream as the fake holds it (a borrowed pointer, for tests that play the service), or null. */
  readonly stream: bigint | null;
  /** True while a status callback is set. */
  readonly hasCallback: boolean;
  /** The client certificate set (SecurityContext), as the fake's store serialized it, or null. */
  readonly clientCertificate: {
    /** Its SHA-1 thumbprint, 40 lowercase hex digits. */
    readonly sha1Hash: string;
    /** Its subject, as the fake's store holds it. */
    readonly subjectName: string;
  } | null;
}

/** A fake BITS / Delivery Optimization service. Pass it to the library as its `service`. */
export class FakeService implements ServiceProvider {
  readonly #core: ServiceCore;
  #expectUnbalanced = false;

  /** Same as `createFakeService(options)`; every fake is recorded for the after-test check. */
  constructor(options: FakeServiceOptions = {}) {
    this.#core = new ServiceCore(options);
    recordCreatedFake(this);
  }

  /** The service imitated: 'bits' or 'delivery-optimization' (the 'ido' flavour is Delivery Optimization). */
  get kind(): 'bits' | 'delivery-optimization' {
    return this.#core.options.flavour;
  }

  /** The fake writes its files on the machine it runs on: POSIX paths are fine. */
  get posixPaths(): boolean {
    return true;
  }

  /** True when activation for IID_IDOManager succeeds (the 'ido' flavour). */
  get hasIdo(): boolean {
    return this.#core.options.ido;
  }

  /** 'fake BITS' or 'fake Delivery Optimization'. */
  get displayName(): string {
    return this.#core.displayName;
  }

  /** @internal The fake's certificate store (option `certificates`). */
  get certificateStore(): CertificateStore {
    return fakeCertificateStore(this.#core.options.certificates);
  }

  /** @internal The fake's runtime: activation, counted CoTaskMem (libc malloc/free), its own async queue. */
  get runtime(): ComRuntime {
    return this.#core.runtime;
  }

  /** CLSID_BackgroundCopyManager (BITS) or CLSID_DeliveryOptimization. */
  get clsid(): string {
    return this.#core.clsid;
  }

  /** Every method call that reached a fake object, IUnknown's included. */
  get nativeCalls(): number {
    return this.#core.calls.total;
  }

  /** True after `dispose()`. */
  get disposed(): boolean {
    return this.#core.disposed;
  }

  /** True after `expectUnbalanced()`. */
  get expectsUnbalanced(): boolean {
    return this.#expectUnbalanced;
  }

  /**
   * The fake's class table, for `serveNotifications(handlers, { service: fake, registrar: fake.classRegistrar })`:
   * a notification server in this process registers its class object here, and a job with a
   * notification CLSID and no callback interface activates it when it is transferred or fails.
   */
  get classRegistrar(): FakeClassRegistrar {
    return this.#core.classes;
  }

  /** Qualified names of every method called so far (`IBackgroundCopyJob::Resume`, `IUnknown::Release`). */
  calledMethods(): Set<string> {
    return this.#core.calls.names();
  }

  /** Sets what happens to transfers of `url` from now on (files already transferring keep theirs). */
  script(url: string, behaviour: Behaviour): void {
    validateBehaviour(behaviour, 'behaviour');
    this.#core.script.set(url, behaviour);
  }

  /** The jobs in the fake's queue (not yet cancelled or acknowledged). */
  jobs(): FakeJobInfo[] {
    return this.#core.manager.jobs.map((j) => ({
      id: j.id,
      displayName: j.displayName,
      description: j.description,
      type: j.type,
      state: j.state,
      stateHistory: [...j.stateHistory],
      priority: j.priority,
      notifyFlags: j.notifyFlags,
      hasNotifyInterface: j.clientCallback !== null,
      errorCount: j.errorCount,
      files: j.files.map((f) => ({
        remoteName: f.remoteName,
        localName: f.localName,
        fileId: f.fileId,
        bytesTotal: f.bytesTotal,
        bytesTransferred: f.bytesTransferred,
        completed: f.completed,
      })),
      credentials: [...j.credentials.values()],
      proxy: { ...j.proxy },
      notifyCommandLine: { program: j.notifyProgram, parameters: j.notifyParameters },
    }));
  }

  /** The IDO downloads not yet finalized or aborted ('ido' flavour; empty otherwise). */
  idoDownloads(): FakeIdoDownloadInfo[] {
    return (this.#core.ido?.downloads ?? []).map((d) => ({
      id: d.id, state: d.state, uri: d.uri, bytesTransferred: d.bytesTransferred, statusCalls: d.statusCalls, writeCalls: d.writeCalls,
      stream: d.stream, hasCallback: d.callback !== null,
      clientCertificate: clientCertificateOf(d.values.get(DODownloadProperty.SecurityContext)),
    }));
  }

  /** A snapshot of every counter, and of every object made so far (released ones included). */
  stats(): FakeStats {
    const core = this.#core;
    const objects = core.objects.map((o) => {
      const refCount = o.refCount;
      return {
        id: o.serial,
        iface: o.kind,
        label: o.label,
        refCount,
        internalRefs: o.internalRefs,
        clientRefs: Math.max(0, refCount - o.internalRefs),
        callsAfterRelease: callsAfterRelease(o),
      };
    });
    return {
      liveObjects: objects.filter((o) => o.refCount > 0).length,
      objects,
      coTaskMem: core.runtime.ledger.stats(),
      bstr: core.runtime.bstrLedger.stats(),
      nativeCalls: core.calls.total,
      calls: core.calls.snapshot(),
      proxyBlankets: core.runtime.proxyBlankets,
      activations: core.runtime.activations,
      initializeCalls: core.runtime.initializeCalls,
      notifications: core.notifier.stats(),
      handlerErrors: [...core.handlerErrors],
    };
  }

  /**
   * Throws an Error listing every reference the client did not release, every call made after a
   * final Release, every CoTaskMem block not freed (or freed wrongly) and every fault found on the
   * way. Call `settle()` first when calls or releases may still be in flight.
   */
  assertBalanced(): void {
    const problems = balanceProblems(this.stats(), this.#core.problems);
    if (problems.length === 0) return;
    throw new Error(`${this.displayName} is not balanced:\n  - ${problems.join('\n  - ')}`);
  }

  /** This fake is meant to end unbalanced (a leak test): the central after-test check skips it. */
  expectUnbalanced(): void {
    this.#expectUnbalanced = true;
  }

  /**
   * Resolves with the callback method's name ('JobTransferred', ...) as soon as the fake's next call
   * into a client's callback object has started on its native thread, while it is still in flight
   * (with `callbackThread: 'native-thread'`, the default).
   */
  nextCallback(): Promise<string> {
    return this.#core.notifier.nextDelivery();
  }

  /**
   * Waits until no call to the fake (timed-out ones included), no release and no notification is
   * in flight (at most `timeoutMs`).
   */
  async settle(timeoutMs = 2000): Promise<void> {
    const core = this.#core;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await core.runtime.queue.idle();
      await settleReleases();
      // argumentsHeld: calls that timed out still run natively, and a Release may wait for them.
      const busy = core.notifier.pending > 0 || core.runtime.queue.active > 0 || core.runtime.queue.queued > 0 || core.runtime.queue.argumentsHeld > 0;
      if (!busy || Date.now() >= deadline) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /**
   * Stops every timer, lets go of every reference the fake holds (and the client's callback
   * objects), frees dead objects and unfreed CoTaskMem, and tears the runtime down: the library
   * releases nothing through it afterwards. Idempotent.
   */
  dispose(): void {
    this.#core.dispose();
    forgetCreatedFake(this);
  }

  /**
   * Forgets released objects and frees their memory; returns how many. For long runs only: a
   * stale call on a swept object is no longer detected (see `stats().objects`).
   */
  sweep(): number {
    return this.#core.sweep();
  }
}

function callsAfterRelease(o: { readonly com: { readonly callsAfterRelease: number } }): number {
  try {
    return o.com.callsAfterRelease;
  } catch {
    return 0;
  }
}

/**
 * Creates a fake service; it is recorded for the central after-test check (`takeCreatedFakes`).
 *
 * @example A download against the fake, in a test
 * ```ts
 * import { BackgroundCopyManager } from 'delivery-optimization';
 * import { createFakeService, fakeContent } from 'delivery-optimization/testing';
 *
 * const fake = createFakeService({ flavour: 'bits', script: { 'https://x/a': { kind: 'succeed', bytes: 1024 } } });
 * const manager = await BackgroundCopyManager.connect({ service: fake });
 * await manager.download('https://x/a', '/tmp/a.bin');     // the file holds fakeContent('https://x/a', 1024)
 * manager.dispose();
 * await fake.settle();
 * fake.assertBalanced();                                   // every AddRef released, every CoTaskMem block freed
 * fake.dispose();
 * ```
 */
export function createFakeService(options: FakeServiceOptions = {}): FakeService {
  return new FakeService(options);
}

/** The SecurityContext the fake stored (hex of the serialized bytes), read back. */
function clientCertificateOf(stored: unknown): FakeIdoDownloadInfo['clientCertificate'] {
  return typeof stored === 'string' ? parseFakeCertificate(Buffer.from(stored, 'hex')) : null;
}

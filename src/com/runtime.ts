/**
 * What a COM client needs from the platform, behind one interface: the Windows implementation
 * loads ole32.dll (`ole32.ts`); the testing fake maps the same calls to libc and counts them.
 */
import { AsyncCallQueue } from './call-queue';
import type { FailureFactory } from './failure';

export interface ActivationResult {
  readonly hr: number;
  readonly ptr: bigint | null;
}

export interface ComRuntime {
  /** 'windows', or the fake's name. */
  readonly name: string;
  /** Calls to the service leave the JS main thread through this queue. */
  readonly queue: AsyncCallQueue;
  /** Joins the process to the multithreaded apartment (idempotent). */
  initialize(): void;
  /**
   * Bound of each call made through this runtime, in ms (0 = none); undefined: the queue's default.
   * Set by `withCallTimeout`, so that one manager's bound never changes another's.
   */
  readonly callTimeoutMs?: number;
  /** `CoCreateInstance(clsid, NULL, CLSCTX_LOCAL_SERVER, iid)`, off the main thread. */
  createInstance(clsid: string, iid: string, options?: { timeoutMs?: number }): Promise<ActivationResult>;
  coTaskMemAlloc(size: number): bigint;
  coTaskMemFree(ptr: bigint): void;
  /** `CoSetProxyBlanket` to impersonate; returns the HRESULT (services may refuse it). */
  setProxyBlanket(ptr: bigint): number;
  /** SysAllocString / SysFreeString (oleaut32), where the runtime has them. */
  sysAllocString?(text: string): bigint;
  sysFreeString?(bstr: bigint): void;
  /** VariantClear (oleaut32) on the VARIANT at `variant`; returns the HRESULT. */
  variantClear?(variant: Buffer): number;
  /** SafeArrayCreateVector / SafeArrayDestroy (oleaut32), where the runtime has them. */
  safeArrayCreateVector?(vt: number, lowerBound: number, count: number): bigint;
  safeArrayDestroy?(array: bigint): number;
  /** Human-readable apartment state, for diagnostics. */
  describeApartment(): string;
  /** True once the process is exiting: nothing may be released any more. */
  readonly tornDown: boolean;
  /** How a failing HRESULT of a call made through this runtime becomes an error (default: ComCallError). */
  readonly failure?: FailureFactory;
}

/** Default bound on koffi async calls in flight (koffi's own cap is 256 by default). */
export const DEFAULT_ASYNC_LIMIT = 64;

/**
 * Default bound on one call to the service. Calls normally take milliseconds; activation may take
 * seconds while the service starts. A hung service (seen on Wine during a stop) then gives
 * RPC_E_TIMEOUT instead of holding a place in the queue forever.
 */
export const DEFAULT_CALL_TIMEOUT_MS = 120_000;

/** What a runtime view changes of its base: the bound of each call, the failure factory. */
export interface RuntimeOptions {
  readonly callTimeoutMs?: number;
  readonly failure?: FailureFactory;
}

/** A runtime with its own call bound and failure factory; everything else is the base runtime's. */
class RuntimeView implements ComRuntime {
  readonly sysAllocString?: (text: string) => bigint;
  readonly sysFreeString?: (bstr: bigint) => void;
  readonly variantClear?: (variant: Buffer) => number;
  readonly safeArrayCreateVector?: (vt: number, lowerBound: number, count: number) => bigint;
  readonly safeArrayDestroy?: (array: bigint) => number;

  constructor(readonly base: ComRuntime, readonly options: RuntimeOptions) {
    const { sysAllocString, sysFreeString, variantClear } = base;
    if (sysAllocString) this.sysAllocString = (text) => sysAllocString.call(base, text);
    if (sysFreeString) this.sysFreeString = (bstr) => sysFreeString.call(base, bstr);
    if (variantClear) this.variantClear = (variant) => variantClear.call(base, variant);
    const { safeArrayCreateVector, safeArrayDestroy } = base;
    if (safeArrayCreateVector) this.safeArrayCreateVector = (vt, lowerBound, count) => safeArrayCreateVector.call(base, vt, lowerBound, count);
    if (safeArrayDestroy) this.safeArrayDestroy = (array) => safeArrayDestroy.call(base, array);
  }

  get callTimeoutMs(): number | undefined {
    return this.options.callTimeoutMs ?? this.base.callTimeoutMs;
  }

  get failure(): FailureFactory | undefined {
    return this.options.failure ?? this.base.failure;
  }

  get name(): string {
    return this.base.name;
  }

  get queue(): AsyncCallQueue {
    return this.base.queue;
  }

  get tornDown(): boolean {
    return this.base.tornDown;
  }

  initialize(): void {
    this.base.initialize();
  }

  createInstance(clsid: string, iid: string, options?: { timeoutMs?: number }): Promise<ActivationResult> {
    const timeoutMs = this.options.callTimeoutMs;
    return this.base.createInstance(clsid, iid, timeoutMs === undefined ? options : { timeoutMs });
  }

  coTaskMemAlloc(size: number): bigint {
    return this.base.coTaskMemAlloc(size);
  }

  coTaskMemFree(ptr: bigint): void {
    this.base.coTaskMemFree(ptr);
  }

  setProxyBlanket(ptr: bigint): number {
    return this.base.setProxyBlanket(ptr);
  }

  describeApartment(): string {
    return this.base.describeApartment();
  }
}

/**
 * `runtime` with `options` (unset ones keep the runtime's own). The queue stays shared (koffi's cap
 * on calls in flight is per process); only the bound and the failure factory are the view's own.
 */
export function withRuntimeOptions(runtime: ComRuntime, options: RuntimeOptions): ComRuntime {
  const base = runtime instanceof RuntimeView ? runtime.base : runtime;
  const previous = runtime instanceof RuntimeView ? runtime.options : {};
  return new RuntimeView(base, {
    callTimeoutMs: options.callTimeoutMs ?? previous.callTimeoutMs,
    failure: options.failure ?? previous.failure,
  });
}

/** `runtime`, with every call bounded by `callTimeoutMs` (0 = no bound). */
export function withCallTimeout(runtime: ComRuntime, callTimeoutMs: number): ComRuntime {
  return withRuntimeOptions(runtime, { callTimeoutMs });
}

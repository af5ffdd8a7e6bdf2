/**
 * What a COM client needs from the platform, behind one interface: the Windows implementation
 * loads ole32.dll (`ole32.ts`); the testing fake maps the same calls to libc and counts them.
 */
import { AsyncCallQueue } from './call-queue';

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
  /** `CoCreateInstance(clsid, NULL, CLSCTX_LOCAL_SERVER, iid)`, off the main thread. */
  createInstance(clsid: string, iid: string): Promise<ActivationResult>;
  coTaskMemAlloc(size: number): bigint;
  coTaskMemFree(ptr: bigint): void;
  /** `CoSetProxyBlanket` to impersonate; returns the HRESULT (services may refuse it). */
  setProxyBlanket(ptr: bigint): number;
  /** SysAllocString / SysFreeString (oleaut32), where the runtime has them. */
  sysAllocString?(text: string): bigint;
  sysFreeString?(bstr: bigint): void;
  /** Human-readable apartment state, for diagnostics. */
  describeApartment(): string;
  /** True once the process is exiting: nothing may be released any more. */
  readonly tornDown: boolean;
}

/** Default bound on koffi async calls in flight (koffi's own cap is 256 by default). */
export const DEFAULT_ASYNC_LIMIT = 64;

/**
 * Default bound on one call to the service. Calls normally take milliseconds; activation may take
 * seconds while the service starts. A hung service (seen on Wine during a stop) then gives
 * RPC_E_TIMEOUT instead of holding a place in the queue forever.
 */
export const DEFAULT_CALL_TIMEOUT_MS = 120_000;

/**
 * The Windows runtime: ole32.dll, bound on first use (importing the package on Linux or macOS
 * loads nothing). The process joins the multithreaded apartment once; koffi's worker threads,
 * which never call CoInitializeEx, then belong to it implicitly, so service calls made from them
 * can receive callbacks on RPC threads while the JS main thread stays free.
 */
import { RPC_E_TIMEOUT } from './hresult';
import { koffi, stdcall } from './koffi';
import { AsyncCallQueue, CallTimeoutError } from './call-queue';
import { guidToBytes } from './guid';
import { readPointer } from './abi';
import { pointerSize } from './koffi';
import { DEFAULT_ASYNC_LIMIT, DEFAULT_CALL_TIMEOUT_MS, type ActivationResult, type ComRuntime } from './runtime';

const CLSCTX_LOCAL_SERVER = 0x4;
const COINIT_MULTITHREADED = 0x0;
const RPC_C_AUTHN_DEFAULT = 0xffffffff;
const RPC_C_AUTHZ_NONE = 0;
const RPC_C_AUTHN_LEVEL_DEFAULT = 0;
const RPC_C_IMP_LEVEL_IMPERSONATE = 3;
const EOAC_STATIC_CLOAKING = 0x20;

interface Ole32 {
  CoInitializeEx(reserved: null, coinit: number): number;
  CoIncrementMTAUsage: ((cookie: Buffer) => number) | null;
  CoCreateInstance: { async(...args: unknown[]): void };
  CoTaskMemAlloc(size: number): bigint | null;
  CoTaskMemFree(ptr: bigint | null): void;
  CoSetProxyBlanket(...args: unknown[]): number;
  CoGetApartmentType: ((type: Buffer, qualifier: Buffer) => number) | null;
}

let bound: Ole32 | undefined;

interface OleAut32 {
  SysAllocString(text: string): bigint | null;
  SysFreeString(bstr: bigint): void;
  VariantClear(variant: Buffer): number;
  SafeArrayCreateVector(vt: number, lowerBound: number, count: number): bigint | null;
  SafeArrayDestroy(array: bigint): number;
}

let boundAut: OleAut32 | undefined;

function bindAut(): OleAut32 {
  if (boundAut) return boundAut;
  const lib = koffi().load('oleaut32.dll');
  const cc = stdcall();
  boundAut = {
    SysAllocString: lib.func(`void * ${cc}SysAllocString(const char16_t *text)`) as unknown as OleAut32['SysAllocString'],
    SysFreeString: lib.func(`void ${cc}SysFreeString(void *bstr)`) as unknown as OleAut32['SysFreeString'],
    VariantClear: lib.func(`int32_t ${cc}VariantClear(void *variant)`) as unknown as OleAut32['VariantClear'],
    SafeArrayCreateVector: lib.func(`void * ${cc}SafeArrayCreateVector(uint16_t vt, int32_t lLbound, uint32_t cElements)`) as unknown as OleAut32['SafeArrayCreateVector'],
    SafeArrayDestroy: lib.func(`int32_t ${cc}SafeArrayDestroy(void *psa)`) as unknown as OleAut32['SafeArrayDestroy'],
  };
  return boundAut;
}

function bind(): Ole32 {
  if (bound) return bound;
  const lib = koffi().load('ole32.dll');
  const cc = stdcall();
  const optional = <T>(decl: string): T | null => {
    try {
      return lib.func(decl) as unknown as T;
    } catch {
      return null; // older Windows, or Wine without the export
    }
  };
  bound = {
    CoInitializeEx: lib.func(`int32_t ${cc}CoInitializeEx(void *reserved, uint32_t coinit)`) as unknown as Ole32['CoInitializeEx'],
    CoIncrementMTAUsage: optional(`int32_t ${cc}CoIncrementMTAUsage(void *cookie)`),
    CoCreateInstance: lib.func(`int32_t ${cc}CoCreateInstance(void *clsid, void *outer, uint32_t ctx, void *iid, void *ppv)`) as unknown as Ole32['CoCreateInstance'],
    CoTaskMemAlloc: lib.func(`void * ${cc}CoTaskMemAlloc(size_t size)`) as unknown as Ole32['CoTaskMemAlloc'],
    CoTaskMemFree: lib.func(`void ${cc}CoTaskMemFree(void *ptr)`) as unknown as Ole32['CoTaskMemFree'],
    CoSetProxyBlanket: lib.func(
      `int32_t ${cc}CoSetProxyBlanket(void *proxy, uint32_t authn, uint32_t authz, void *principal, uint32_t level, uint32_t imp, void *identity, uint32_t caps)`,
    ) as unknown as Ole32['CoSetProxyBlanket'],
    CoGetApartmentType: optional(`int32_t ${cc}CoGetApartmentType(void *type, void *qualifier)`),
  };
  return bound;
}

const APARTMENT_TYPES: Record<number, string> = { [-1]: 'current', 0: 'STA', 1: 'MTA', 2: 'NA', 3: 'main STA' };

class WindowsRuntime implements ComRuntime {
  readonly name = 'windows';
  readonly queue = new AsyncCallQueue(DEFAULT_ASYNC_LIMIT, { timeoutMs: DEFAULT_CALL_TIMEOUT_MS });
  #initialized: string | null = null;
  #tornDown = false;

  constructor() {
    process.once('exit', () => {
      this.#tornDown = true;
    });
  }

  get tornDown(): boolean {
    return this.#tornDown;
  }

  initialize(): void {
    if (this.#initialized) return;
    const ole = bind();
    // CoIncrementMTAUsage keeps an MTA alive without changing the main thread's apartment, which
    // an Electron main process may already have made an STA.
    if (ole.CoIncrementMTAUsage) {
      const cookie = Buffer.alloc(pointerSize());
      const hr = ole.CoIncrementMTAUsage(cookie);
      if (hr >= 0) {
        this.#initialized = 'CoIncrementMTAUsage';
        return;
      }
    }
    const hr = ole.CoInitializeEx(null, COINIT_MULTITHREADED);
    // RPC_E_CHANGED_MODE: the main thread is an STA already; an MTA still exists for workers
    // only if something else created it, so report the state rather than fail here.
    this.#initialized = hr >= 0 ? 'CoInitializeEx(COINIT_MULTITHREADED)' : `CoInitializeEx failed 0x${(hr >>> 0).toString(16)}`;
  }

  createInstance(clsid: string, iid: string, options: { timeoutMs?: number } = {}): Promise<ActivationResult> {
    this.initialize();
    const out = Buffer.alloc(pointerSize());
    const args = [guidToBytes(clsid), null, CLSCTX_LOCAL_SERVER, guidToBytes(iid), out];
    return this.queue
      .run<number>((done) => bind().CoCreateInstance.async(...args, done), { keepAlive: args, timeoutMs: options.timeoutMs })
      .then(
        (hr) => ({ hr: hr >>> 0, ptr: hr < 0 ? null : readPointer(out) }),
        (error: unknown) => {
          if (error instanceof CallTimeoutError) return { hr: RPC_E_TIMEOUT, ptr: null };
          throw error;
        },
      );
  }

  coTaskMemAlloc(size: number): bigint {
    const p = bind().CoTaskMemAlloc(size);
    if (!p) throw new RangeError(`CoTaskMemAlloc(${size}) failed`);
    return p;
  }

  coTaskMemFree(ptr: bigint): void {
    bind().CoTaskMemFree(ptr);
  }

  sysAllocString(text: string): bigint {
    const p = bindAut().SysAllocString(text);
    if (!p) throw new RangeError('SysAllocString failed');
    return p;
  }

  sysFreeString(bstr: bigint): void {
    bindAut().SysFreeString(bstr);
  }

  variantClear(variant: Buffer): number {
    return bindAut().VariantClear(variant) >>> 0;
  }

  safeArrayCreateVector(vt: number, lowerBound: number, count: number): bigint {
    const p = bindAut().SafeArrayCreateVector(vt, lowerBound, count);
    if (!p) throw new RangeError('SafeArrayCreateVector failed');
    return p;
  }

  safeArrayDestroy(array: bigint): number {
    return bindAut().SafeArrayDestroy(array) >>> 0;
  }

  setProxyBlanket(ptr: bigint): number {
    const COLE_DEFAULT_PRINCIPAL = pointerSize() === 8 ? 0xffffffffffffffffn : 0xffffffffn;
    return bind().CoSetProxyBlanket(ptr, RPC_C_AUTHN_DEFAULT, RPC_C_AUTHZ_NONE, COLE_DEFAULT_PRINCIPAL,
      RPC_C_AUTHN_LEVEL_DEFAULT, RPC_C_IMP_LEVEL_IMPERSONATE, null, EOAC_STATIC_CLOAKING) >>> 0;
  }

  describeApartment(): string {
    const ole = bind();
    let current = 'unknown';
    if (ole.CoGetApartmentType) {
      const type = Buffer.alloc(4);
      const qualifier = Buffer.alloc(4);
      const hr = ole.CoGetApartmentType(type, qualifier);
      current = hr >= 0 ? APARTMENT_TYPES[type.readInt32LE(0)] ?? `type ${type.readInt32LE(0)}` : `none (0x${(hr >>> 0).toString(16)})`;
    }
    return `main thread: ${current}; joined with ${this.#initialized ?? 'nothing yet'}`;
  }
}

let instance: WindowsRuntime | undefined;

/** The process-wide Windows runtime. Only call on Windows. */
export function windowsRuntime(): ComRuntime {
  if (process.platform !== 'win32') throw new Error('The ole32 runtime exists only on Windows');
  return (instance ??= new WindowsRuntime());
}

/**
 * The fake's ComRuntime: CoTaskMem maps to the C library's malloc/free (counted, by address),
 * activation hands out the fake's manager, and nothing needs COM to be initialised.
 */
import { AsyncCallQueue, ComPtr, IUnknown, koffi, readPointer, VT_UNKNOWN, type ActivationResult, type ComRuntime } from '../../com';
import { CoTaskMemLedger } from '../counters';

interface CLibrary {
  malloc(size: number): bigint | null;
  free(ptr: bigint): void;
}

let clib: CLibrary | undefined;

/** The platform C library, bound on first use. */
function cLibrary(): CLibrary {
  if (clib) return clib;
  const name = process.platform === 'win32' ? 'msvcrt.dll' : process.platform === 'darwin' ? 'libSystem.B.dylib' : 'libc.so.6';
  const lib = koffi().load(name);
  clib = {
    malloc: lib.func('void *malloc(size_t size)') as unknown as CLibrary['malloc'],
    free: lib.func('void free(void *ptr)') as unknown as CLibrary['free'],
  };
  return clib;
}

/** What the runtime asks of its fake. */
export interface FakeRuntimeHost {
  readonly displayName: string;
  /** HRESULT of CoSetProxyBlanket. */
  proxyBlanketResult(): number;
  /** Activation proper (the CLSID and IID checks and the QueryInterface on the manager). */
  activate(clsid: string, iid: string): Promise<ActivationResult>;
}

/** A ComRuntime whose every effect is counted. */
export class FakeRuntime implements ComRuntime {
  /** Its own queue, so one fake's calls never wait behind another's. */
  readonly queue = new AsyncCallQueue(64);
  readonly ledger = new CoTaskMemLedger();
  /** BSTRs (SysAllocString / SysFreeString), booked like CoTaskMem blocks. */
  readonly bstrLedger = new CoTaskMemLedger();
  variantClears = 0;
  proxyBlankets = 0;
  initializeCalls = 0;
  activations = 0;
  #tornDown = false;

  constructor(readonly host: FakeRuntimeHost) {}

  get name(): string {
    return this.host.displayName;
  }

  /** False until the fake is disposed; then nothing may be released through it any more. */
  get tornDown(): boolean {
    return this.#tornDown;
  }

  /** @internal Called by `FakeService.dispose()`. */
  tearDown(): void {
    this.#tornDown = true;
  }

  initialize(): void {
    this.initializeCalls++;
  }

  createInstance(clsid: string, iid: string): Promise<ActivationResult> {
    this.activations++;
    return this.host.activate(clsid, iid);
  }

  coTaskMemAlloc(size: number): bigint {
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`Bad CoTaskMemAlloc size ${size}`);
    // malloc(0) may answer NULL; CoTaskMemAlloc(0) answers a valid block.
    const ptr = cLibrary().malloc(Math.max(size, 1));
    if (ptr === null || ptr === 0n) throw new Error('CoTaskMemAlloc: out of memory');
    this.ledger.allocated(ptr);
    return ptr;
  }

  coTaskMemFree(ptr: bigint): void {
    // CoTaskMemFree(NULL) is a no-op, and not a free to count.
    if (ptr === null || ptr === undefined || ptr === 0n) return;
    if (this.ledger.release(ptr)) cLibrary().free(ptr);
  }

  /** A BSTR: a 4-byte byte-length prefix, the UTF-16 text, a NUL; the pointer is to the text. */
  sysAllocString(text: string): bigint {
    const bytes = Buffer.alloc(4 + text.length * 2 + 2);
    bytes.writeUInt32LE(text.length * 2, 0);
    bytes.write(text, 4, 'utf16le');
    const base = cLibrary().malloc(bytes.length);
    if (base === null || base === 0n) throw new Error('SysAllocString: out of memory');
    bytes.copy(Buffer.from(koffi().view(base, bytes.length)));
    this.bstrLedger.allocated(base + 4n);
    return base + 4n;
  }

  sysFreeString(bstr: bigint): void {
    if (bstr === null || bstr === undefined || bstr === 0n) return;
    if (this.bstrLedger.release(bstr)) cLibrary().free(bstr - 4n);
  }

  /** VariantClear for what the fake exchanges: frees a BSTR, releases a VT_UNKNOWN, empties the VARIANT. */
  variantClear(variant: Buffer): number {
    this.variantClears++;
    const vt = variant.readUInt16LE(0);
    const ptr = readPointer(variant, 8);
    if (vt === 8 && ptr !== null) this.sysFreeString(ptr);
    if (vt === VT_UNKNOWN && ptr !== null) ComPtr.borrow(ptr, IUnknown, this).invokeRawSync('Release');
    variant.fill(0);
    return 0;
  }

  /** @internal Frees blocks and BSTRs the client never freed (dispose). */
  reclaim(): number {
    const blocks = this.ledger.drain();
    for (const ptr of blocks) cLibrary().free(ptr);
    const bstrs = this.bstrLedger.drain();
    for (const ptr of bstrs) cLibrary().free(ptr - 4n);
    return blocks.length + bstrs.length;
  }

  setProxyBlanket(ptr: bigint): number {
    void ptr;
    this.proxyBlankets++;
    return this.host.proxyBlanketResult();
  }

  describeApartment(): string {
    return 'fake (no apartment)';
  }
}

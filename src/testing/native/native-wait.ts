/**
 * Native waits on the caller's thread, the way a call to a remote service waits for its answer.
 *
 * A fake method is JavaScript, so it always runs on the JS main thread: a JS handler that waited
 * would block everything, including the timers and callbacks the wait is for. A gated vtable puts a
 * few machine instructions in front of each method instead: they ask the fake (`gate`, a
 * registered callback) whether this call must wait, and if so wait on an OS wait object *on the
 * calling thread*, then jump to the method. A call made through the library's path (a koffi worker
 * thread) waits there while the main thread stays free; a synchronous call made on the main thread
 * blocks the main thread, exactly as a synchronous RPC does on Windows.
 *
 * Why machine code at all: the wait must happen on the caller's thread *before* JavaScript is
 * reached (a koffi callback called from another thread is queued to the main thread), and then the
 * method must run with the caller's arguments untouched. No OS function does "wait, then call this
 * with my arguments", so each platform gets one small stub in its own calling convention, with the
 * OS's own wait underneath (wait-posix.ts: libc's sem_timedwait, x86-64 System V; wait-win32.ts:
 * kernel32's WaitForSingleObject on an event, Win64 and ia32 __stdcall). Each is tested where it
 * runs: linux-x64 by the ffi tier, win32 x64 and ia32 by the same ffi tier under Wine
 * (`node scripts/test.js --windows`).
 */
import { koffi, lazyType, pointerSize, type KoffiType } from '../../com';
import { stdcall } from '../../com/koffi';
import { posixWaitBackend } from './wait-posix';
import { win32WaitBackend } from './wait-win32';

/** What one platform provides: wait records, memory, and the gate stub in its calling convention. */
export interface WaitBackend {
  /** A new wait record (never freed: a waiter may still be waking up) ending at `deadline` (epoch ms). */
  newRecord(deadline: number): bigint;
  /** One more caller is about to wait on `record` (already `released` or not). */
  enter(record: bigint, deadline: number, released: boolean): void;
  /** Ends the wait of the `waiters` callers that entered so far and of every later one. */
  release(record: bigint, waiters: number): void;
  /** `size` bytes of ordinary memory (never freed). */
  alloc(size: number): bigint;
  /** `size` bytes of writable, executable memory (never freed). */
  allocCode(size: number): bigint;
  /** Bytes per stub (each stub is padded to it). */
  readonly stubSize: number;
  /** The stub for one slot: gate(this, slot); wait if it answered a record; jump to `target`. */
  stub(slot: number, gate: bigint, target: bigint): number[];
}

/** The backend of this platform, or null where gated vtables cannot be built. */
function backendFor(platform: string, arch: string): (() => WaitBackend) | null {
  if (platform === 'linux' && arch === 'x64') return posixWaitBackend;
  if (platform === 'win32' && (arch === 'x64' || arch === 'ia32')) return win32WaitBackend;
  return null;
}

/** True where gated vtables can be built (linux-x64, win32-x64, win32-ia32). */
export function nativeWaitSupported(): boolean {
  return backendFor(process.platform, process.arch) !== null;
}

let loaded: WaitBackend | undefined;

function backend(): WaitBackend {
  if (loaded) return loaded;
  const make = backendFor(process.platform, process.arch);
  if (!make) throw new Error(`Native waits need linux-x64, win32-x64 or win32-ia32 (this is ${process.platform}-${process.arch})`);
  loaded = make();
  return loaded;
}

/** One wait: it ends when released or when its deadline passes. */
export class NativeWait {
  readonly ptr: bigint;
  readonly #deadline: number;
  #waiters = 0;
  #released = false;

  constructor(timeoutMs: number) {
    this.#deadline = Date.now() + Math.ceil(timeoutMs);
    this.ptr = backend().newRecord(this.#deadline);
  }

  /** One more caller will wait on this record (the gate hands it out). */
  enter(): bigint {
    this.#waiters++;
    backend().enter(this.ptr, this.#deadline, this.#released);
    return this.ptr;
  }

  /** Ends the wait of every caller (idempotent). */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    backend().release(this.ptr, this.#waiters);
  }
}

/** `void *gate(void *self, uint32_t slot)`: a wait record's address, or NULL to go on at once. */
export type GateDecision = (self: bigint, slot: number) => bigint | null;

/**
 * The koffi prototype of a gate callback (`__stdcall` on ia32, as the stub calls it). Named types
 * are process-wide in koffi while module registries may not be (Jest loads this module once per
 * test file): reuse one declared before.
 */
export const gatePrototype: () => KoffiType = lazyType('NativeWaitGate', () => koffi().proto(`void * ${stdcall()}NativeWaitGate(void *self, uint32_t slot)`));

/**
 * A copy of `vtable` (`slots` entries) whose entries from `firstGated` on first call `gate` and wait
 * if it returned a record, then jump to the original entry with the arguments untouched.
 */
export function gatedVtable(vtable: bigint, slots: number, gate: bigint, firstGated: number): bigint {
  const b = backend();
  const k = koffi();
  const ps = pointerSize();
  const code = b.allocCode(slots * b.stubSize);
  const table = b.alloc(slots * ps);
  for (let slot = 0; slot < slots; slot++) {
    const target = k.decode(vtable, slot * ps, 'void *') as bigint;
    if (slot < firstGated) {
      k.encode(table, slot * ps, 'void *', target);
      continue;
    }
    const bytes = b.stub(slot, gate, target);
    if (bytes.length > b.stubSize) throw new Error('stub too long');
    const padded = [...bytes, ...Array<number>(b.stubSize - bytes.length).fill(0xcc)];
    const stub = code + BigInt(slot * b.stubSize);
    k.encode(stub, k.array('uint8_t', b.stubSize), padded);
    k.encode(table, slot * ps, 'void *', stub);
  }
  return table;
}

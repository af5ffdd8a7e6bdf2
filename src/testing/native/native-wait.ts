/**
 * Native waits on the caller's thread, the way a call to a remote service waits for its answer.
 *
 * A fake method is JavaScript, so it always runs on the JS main thread: a JS handler that waited
 * would block everything, including the timers and callbacks the wait is for. A gated vtable puts a
 * few machine instructions in front of each method instead: they ask the fake (`gate`, a
 * registered callback) whether this call must wait, and if so wait on a semaphore *on the calling
 * thread*, then jump to the method. A call made through the library's path (a koffi worker thread)
 * waits there while the main thread stays free; a synchronous call made on the main thread blocks
 * the main thread, exactly as a synchronous RPC does on Windows.
 *
 * x86-64 System V only (Linux): no compiler is needed, but the instructions are that ABI's.
 */
import { koffi, lazyType, type KoffiType } from '../../com';

/** True where gated vtables can be built. */
export function nativeWaitSupported(): boolean {
  return process.platform === 'linux' && process.arch === 'x64';
}

interface Libc {
  malloc(size: number): bigint | null;
  mmap(addr: null, length: number, prot: number, flags: number, fd: number, offset: number): bigint;
  sem_init(sem: bigint, pshared: number, value: number): number;
  sem_post(sem: bigint): number;
  semTimedWait: bigint;
  errnoLocation: bigint;
}

let libc: Libc | undefined;

function c(): Libc {
  if (libc) return libc;
  if (!nativeWaitSupported()) throw new Error(`Native waits need linux-x64 (this is ${process.platform}-${process.arch})`);
  const k = koffi();
  const lib = k.load('libc.so.6');
  libc = {
    malloc: lib.func('void *malloc(size_t size)') as unknown as Libc['malloc'],
    mmap: lib.func('void *mmap(void *addr, size_t length, int prot, int flags, int fd, intptr_t offset)') as unknown as Libc['mmap'],
    sem_init: lib.func('int sem_init(void *sem, int pshared, unsigned int value)') as unknown as Libc['sem_init'],
    sem_post: lib.func('int sem_post(void *sem)') as unknown as Libc['sem_post'],
    // Addresses for the machine code to call (lib.symbol answers the symbol's address).
    semTimedWait: lib.symbol('sem_timedwait') as bigint,
    errnoLocation: lib.symbol('__errno_location') as bigint,
  };
  return libc;
}

/**
 * One wait: a semaphore (32 bytes) and an absolute CLOCK_REALTIME deadline (16 bytes) after it.
 * The wait ends when the semaphore is posted or the deadline passes. Records are never freed (a
 * waiter may still be waking up after a post; 48 bytes per delayed or held call).
 */
export class NativeWait {
  readonly ptr: bigint;
  #waiters = 0;
  #posted = false;

  constructor(timeoutMs: number) {
    const lib = c();
    const ptr = lib.malloc(48);
    if (ptr === null || ptr === 0n) throw new Error('out of memory');
    this.ptr = ptr;
    lib.sem_init(ptr, 0, 0);
    const deadline = BigInt(Date.now()) + BigInt(Math.ceil(timeoutMs));
    const timespec = Buffer.alloc(16);
    timespec.writeBigInt64LE(deadline / 1000n, 0);
    timespec.writeBigInt64LE((deadline % 1000n) * 1_000_000n, 8);
    koffi().encode(ptr + 32n, koffi().array('uint8_t', 16), [...timespec]);
  }

  /** One more caller will wait on this record (the gate hands it out). */
  enter(): bigint {
    this.#waiters++;
    if (this.#posted) c().sem_post(this.ptr);
    return this.ptr;
  }

  /** Ends the wait of every caller (idempotent). */
  release(): void {
    if (this.#posted) return;
    this.#posted = true;
    for (let i = 0; i < this.#waiters; i++) c().sem_post(this.ptr);
  }
}

/** `void *gate(void *self, uint32_t slot)`: a wait record's address, or NULL to go on at once. */
export type GateDecision = (self: bigint, slot: number) => bigint | null;

/**
 * The koffi prototype of a gate callback. Named types are process-wide in koffi while module
 * registries may not be (Jest loads this module once per test file): reuse one declared before.
 */
export const gatePrototype: () => KoffiType = lazyType('NativeWaitGate', () => koffi().proto('void *NativeWaitGate(void *self, uint32_t slot)'));

const STUB_SIZE = 112;

/**
 * A copy of `vtable` (`slots` entries) whose entries from `firstGated` on first call `gate` and wait
 * if it returned a record, then jump to the original entry with the arguments untouched.
 */
export function gatedVtable(vtable: bigint, slots: number, gate: bigint, firstGated: number): bigint {
  const lib = c();
  const k = koffi();
  const PROT_RWX = 7;
  const MAP_PRIVATE_ANONYMOUS = 0x22;
  const code = lib.mmap(null, slots * STUB_SIZE, PROT_RWX, MAP_PRIVATE_ANONYMOUS, -1, 0);
  if (code === null || code === -1n || code === 0xffffffffffffffffn) throw new Error('mmap failed');
  const table = lib.malloc(slots * 8);
  if (table === null || table === 0n) throw new Error('out of memory');
  for (let slot = 0; slot < slots; slot++) {
    const target = k.decode(vtable, slot * 8, 'void *') as bigint;
    if (slot < firstGated) {
      k.encode(table, slot * 8, 'void *', target);
      continue;
    }
    const stub = code + BigInt(slot * STUB_SIZE);
    k.encode(stub, k.array('uint8_t', STUB_SIZE), [...stubBytes(slot, gate, lib.semTimedWait, lib.errnoLocation, target)]);
    k.encode(table, slot * 8, 'void *', stub);
  }
  return table;
}

function u64(value: bigint): number[] {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(value);
  return [...b];
}

/** The stub for one slot (offsets in the comments; jumps are relative to the next instruction). */
function stubBytes(slot: number, gate: bigint, semTimedWait: bigint, errnoLocation: bigint, target: bigint): Buffer {
  const slotBytes = Buffer.alloc(4);
  slotBytes.writeUInt32LE(slot);
  const bytes = [
    0x57, 0x56, 0x52, 0x51, 0x41, 0x50, 0x41, 0x51, //  0: push rdi, rsi, rdx, rcx, r8, r9 (the arguments)
    0x48, 0x83, 0xec, 0x08, //                           8: sub rsp, 8 (16-byte alignment, and a slot for the record)
    0xbe, ...slotBytes, //                              12: mov esi, slot (rdi is still `this`)
    0x48, 0xb8, ...u64(gate), //                        17: movabs rax, gate
    0xff, 0xd0, //                                      27: call rax
    0x48, 0x85, 0xc0, //                                29: test rax, rax
    0x74, 0x2d, //                                      32: je done (79)
    0x48, 0x89, 0x04, 0x24, //                          34: mov [rsp], rax
    0x48, 0x8b, 0x3c, 0x24, //                          38 retry: mov rdi, [rsp]
    0x48, 0x8d, 0x77, 0x20, //                          42: lea rsi, [rdi + 32] (the deadline)
    0x48, 0xb8, ...u64(semTimedWait), //                46: movabs rax, sem_timedwait
    0xff, 0xd0, //                                      56: call rax
    0x85, 0xc0, //                                      58: test eax, eax
    0x74, 0x11, //                                      60: je done (79): posted
    0x48, 0xb8, ...u64(errnoLocation), //               62: movabs rax, __errno_location
    0xff, 0xd0, //                                      72: call rax
    0x83, 0x38, 0x04, //                                74: cmp dword [rax], EINTR
    0x74, 0xd7, //                                      77: je retry (38): a signal, not the deadline
    0x48, 0x83, 0xc4, 0x08, //                          79 done: add rsp, 8
    0x41, 0x59, 0x41, 0x58, 0x59, 0x5a, 0x5e, 0x5f, //  83: pop r9, r8, rcx, rdx, rsi, rdi
    0x48, 0xb8, ...u64(target), //                      91: movabs rax, method
    0xff, 0xe0, //                                     101: jmp rax (its stack arguments are where the caller put them)
  ];
  if (bytes.length > STUB_SIZE) throw new Error('stub too long');
  return Buffer.concat([Buffer.from(bytes), Buffer.alloc(STUB_SIZE - bytes.length, 0xcc)]);
}

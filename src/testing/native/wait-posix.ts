/**
 * Native waits on linux-x64 (native-wait.ts): a libc semaphore with an absolute CLOCK_REALTIME
 * deadline, and a stub in the x86-64 System V calling convention.
 */
import { koffi } from '../../com';
import { le } from './le-bytes';
import type { WaitBackend } from './native-wait';

/** A record: the semaphore (32 bytes), then the deadline as a struct timespec (16 bytes). */
const RECORD_SIZE = 48;
const STUB_SIZE = 112;

export function posixWaitBackend(): WaitBackend {
  const k = koffi();
  const lib = k.load('libc.so.6');
  const malloc = lib.func('void *malloc(size_t size)') as unknown as (size: number) => bigint | null;
  const mmap = lib.func('void *mmap(void *addr, size_t length, int prot, int flags, int fd, intptr_t offset)') as unknown as (
    addr: null, length: number, prot: number, flags: number, fd: number, offset: number) => bigint | null;
  const semInit = lib.func('int sem_init(void *sem, int pshared, unsigned int value)') as unknown as (sem: bigint, pshared: number, value: number) => number;
  const semPost = lib.func('int sem_post(void *sem)') as unknown as (sem: bigint) => number;
  // Addresses for the stub to call (lib.symbol answers the symbol's address).
  const semTimedWait = lib.symbol('sem_timedwait') as bigint;
  const errnoLocation = lib.symbol('__errno_location') as bigint;

  const alloc = (size: number): bigint => {
    const p = malloc(size);
    if (p === null || p === 0n) throw new Error('out of memory');
    return p;
  };

  return {
    stubSize: STUB_SIZE,
    alloc,
    allocCode(size) {
      const PROT_RWX = 7;
      const MAP_PRIVATE_ANONYMOUS = 0x22;
      const code = mmap(null, size, PROT_RWX, MAP_PRIVATE_ANONYMOUS, -1, 0);
      if (code === null || code === 0n || code === 0xffffffffffffffffn) throw new Error('mmap failed');
      return code;
    },
    newRecord(deadline) {
      const ptr = alloc(RECORD_SIZE);
      semInit(ptr, 0, 0);
      const d = BigInt(deadline);
      const timespec = [...le(d / 1000n, 8), ...le((d % 1000n) * 1_000_000n, 8)];
      k.encode(ptr + 32n, k.array('uint8_t', 16), timespec);
      return ptr;
    },
    // A semaphore counts: a caller entering after the release needs its own post.
    enter(record, _deadline, released) {
      if (released) semPost(record);
    },
    release(record, waiters) {
      for (let i = 0; i < waiters; i++) semPost(record);
    },
    stub: (slot, gate, target) => stubBytes(slot, gate, semTimedWait, errnoLocation, target),
  };
}

/** The stub for one slot (offsets in the comments; jumps are relative to the next instruction). */
function stubBytes(slot: number, gate: bigint, semTimedWait: bigint, errnoLocation: bigint, target: bigint): number[] {
  return [
    0x57, 0x56, 0x52, 0x51, 0x41, 0x50, 0x41, 0x51, //  0: push rdi, rsi, rdx, rcx, r8, r9 (the arguments)
    0x48, 0x83, 0xec, 0x08, //                           8: sub rsp, 8 (16-byte alignment, and a slot for the record)
    0xbe, ...le(slot, 4), //                            12: mov esi, slot (rdi is still `this`)
    0x48, 0xb8, ...le(gate, 8), //                      17: movabs rax, gate
    0xff, 0xd0, //                                      27: call rax
    0x48, 0x85, 0xc0, //                                29: test rax, rax
    0x74, 0x2d, //                                      32: je done (79)
    0x48, 0x89, 0x04, 0x24, //                          34: mov [rsp], rax
    0x48, 0x8b, 0x3c, 0x24, //                          38 retry: mov rdi, [rsp]
    0x48, 0x8d, 0x77, 0x20, //                          42: lea rsi, [rdi + 32] (the deadline)
    0x48, 0xb8, ...le(semTimedWait, 8), //              46: movabs rax, sem_timedwait
    0xff, 0xd0, //                                      56: call rax
    0x85, 0xc0, //                                      58: test eax, eax
    0x74, 0x11, //                                      60: je done (79): posted
    0x48, 0xb8, ...le(errnoLocation, 8), //             62: movabs rax, __errno_location
    0xff, 0xd0, //                                      72: call rax
    0x83, 0x38, 0x04, //                                74: cmp dword [rax], EINTR
    0x74, 0xd7, //                                      77: je retry (38): a signal, not the deadline
    0x48, 0x83, 0xc4, 0x08, //                          79 done: add rsp, 8
    0x41, 0x59, 0x41, 0x58, 0x59, 0x5a, 0x5e, 0x5f, //  83: pop r9, r8, rcx, rdx, rsi, rdi
    0x48, 0xb8, ...le(target, 8), //                    91: movabs rax, method
    0xff, 0xe0, //                                     101: jmp rax (its stack arguments are where the caller put them)
  ];
}

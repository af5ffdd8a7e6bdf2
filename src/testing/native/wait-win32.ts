/**
 * Native waits on Windows x64 and ia32 (native-wait.ts): a manual-reset event of kernel32 and
 * WaitForSingleObject with the time left, from a stub in Win64 or ia32 `__stdcall` convention.
 */
import { koffi, pointerSize, stdcall } from '../../com/koffi';
import { le } from './le-bytes';
import type { WaitBackend } from './native-wait';

const STUB_SIZE = 80;

export function win32WaitBackend(): WaitBackend {
  const k = koffi();
  const cc = stdcall();
  const ps = pointerSize();
  const kernel32 = k.load('kernel32.dll');
  const localAlloc = kernel32.func(`void * ${cc}LocalAlloc(uint32_t flags, uintptr_t bytes)`) as unknown as (flags: number, bytes: number) => bigint | null;
  const virtualAlloc = kernel32.func(`void * ${cc}VirtualAlloc(void *address, uintptr_t size, uint32_t type, uint32_t protect)`) as unknown as (
    a: null, s: number, t: number, p: number) => bigint | null;
  const createEvent = kernel32.func(`void * ${cc}CreateEventW(void *attributes, int32_t manualReset, int32_t initialState, void *name)`) as unknown as (
    a: null, manual: number, initial: number, name: null) => bigint | null;
  const setEvent = kernel32.func(`int32_t ${cc}SetEvent(void *event)`) as unknown as (event: bigint) => number;
  // The address for the stub to call.
  const waitForSingleObject = kernel32.symbol('WaitForSingleObject') as bigint;

  const alloc = (size: number): bigint => {
    const p = localAlloc(0 /* LMEM_FIXED */, size);
    if (p === null || p === 0n) throw new Error('out of memory');
    return p;
  };

  return {
    stubSize: STUB_SIZE,
    alloc,
    allocCode(size) {
      const MEM_COMMIT_RESERVE = 0x3000;
      const PAGE_EXECUTE_READWRITE = 0x40;
      const code = virtualAlloc(null, size, MEM_COMMIT_RESERVE, PAGE_EXECUTE_READWRITE);
      if (code === null || code === 0n) throw new Error('VirtualAlloc failed');
      return code;
    },
    // A record: the event's handle, then the milliseconds the next waiter waits (uint32).
    newRecord() {
      const record = alloc(ps + 4);
      const event = createEvent(null, 1, 0, null);
      if (event === null || event === 0n) throw new Error('CreateEventW failed');
      k.encode(record, 0, 'void *', event);
      k.encode(record, ps, 'uint32_t', 0);
      return record;
    },
    // WaitForSingleObject takes a relative timeout: each waiter gets the time left to the deadline.
    // A set manual-reset event lets every later waiter through.
    enter(record, deadline) {
      k.encode(record, ps, 'uint32_t', Math.max(0, deadline - Date.now()));
    },
    release(record) {
      setEvent(k.decode(record, 0, 'void *') as bigint);
    },
    stub: ps === 8 ? (slot, gate, target) => win64Stub(slot, gate, waitForSingleObject, target) : (slot, gate, target) => ia32Stub(slot, gate, waitForSingleObject, target),
  };
}

/** Win64: arguments in rcx, rdx, r8, r9 (then the stack); 32 bytes of shadow space for each call. */
function win64Stub(slot: number, gate: bigint, wait: bigint, target: bigint): number[] {
  return [
    0x51, 0x52, 0x41, 0x50, 0x41, 0x51, //               0: push rcx, rdx, r8, r9 (the register arguments)
    0x48, 0x83, 0xec, 0x28, //                           6: sub rsp, 40 (shadow space, 16-byte alignment)
    0xba, ...le(slot, 4), //                            10: mov edx, slot (rcx is still `this`)
    0x48, 0xb8, ...le(gate, 8), //                      15: movabs rax, gate
    0xff, 0xd0, //                                      25: call rax
    0x48, 0x85, 0xc0, //                                27: test rax, rax
    0x74, 0x12, //                                      30: je done (50)
    0x48, 0x8b, 0x08, //                                32: mov rcx, [rax] (the event)
    0x8b, 0x50, 0x08, //                                35: mov edx, [rax + 8] (the milliseconds)
    0x48, 0xb8, ...le(wait, 8), //                      38: movabs rax, WaitForSingleObject
    0xff, 0xd0, //                                      48: call rax
    0x48, 0x83, 0xc4, 0x28, //                          50 done: add rsp, 40
    0x41, 0x59, 0x41, 0x58, 0x5a, 0x59, //              54: pop r9, r8, rdx, rcx
    0x48, 0xb8, ...le(target, 8), //                    60: movabs rax, method
    0xff, 0xe0, //                                      70: jmp rax (its stack arguments are where the caller put them)
  ];
}

/** ia32 `__stdcall`: every argument on the stack, the callee pops them; eax, ecx, edx are free. */
function ia32Stub(slot: number, gate: bigint, wait: bigint, target: bigint): number[] {
  return [
    0x68, ...le(slot, 4), //                             0: push slot
    0xff, 0x74, 0x24, 0x08, //                           5: push dword [esp + 8] (`this`)
    0xb8, ...le(gate, 4), //                             9: mov eax, gate
    0xff, 0xd0, //                                      14: call eax (pops its two arguments)
    0x85, 0xc0, //                                      16: test eax, eax
    0x74, 0x0c, //                                      18: je done (32)
    0xff, 0x70, 0x04, //                                20: push dword [eax + 4] (the milliseconds)
    0xff, 0x30, //                                      23: push dword [eax] (the event)
    0xb8, ...le(wait, 4), //                            25: mov eax, WaitForSingleObject
    0xff, 0xd0, //                                      30: call eax
    0xb8, ...le(target, 4), //                          32 done: mov eax, method
    0xff, 0xe0, //                                      37: jmp eax (the caller's stack untouched)
  ];
}

/**
 * The calling convention of the library's JS-implemented COM objects, checked by a strict native
 * caller. On x86 every COM method is __stdcall: the callee removes its arguments from the stack.
 * A callback registered as cdecl leaves them there, and code that trusts the callee (MSVC-built
 * Windows code without frame pointers, e.g. the RPC stubs that deliver JobTransferred) then runs
 * with a shifted stack. Wine's own callers restore the stack from a frame pointer and hide the
 * mistake (measured: the whole ia32 tier passed with __stdcall dropped from the callbacks), so the
 * caller here is a few bytes of machine code that reports how many bytes the callee left behind.
 *
 * Outgoing calls need no such probe: koffi's x86 call path restores the stack pointer after every
 * call, so their convention has no visible effect (docs/testing.md, "Architectures").
 */
import * as koffi from 'koffi';
import { callbackImplementation, type CallbackSink } from '../../src/api/notifications';
import { guidToBytes } from '../../src/com/guid';
import { IBackgroundCopyFile } from '../../src/bits';
import { Implementation, settleReleases, windowsRuntime } from '../../src/com';

/** A file object of our own for FileRangesTransferred to AddRef and Release (nothing else is called). */
const fakeFile = new Implementation<Record<string, never>>({ iface: IBackgroundCopyFile, methods: {} });

const MEM_COMMIT = 0x1000;
const MEM_RESERVE = 0x2000;
const MEM_RELEASE = 0x8000;
const PAGE_EXECUTE_READWRITE = 0x40;
const IID_IUNKNOWN = '00000000-0000-0000-c000-000000000046';
const IID_IBACKGROUNDCOPYCALLBACK = '97ea99c7-0186-4ad4-8df9-c5b4e0ed6b22';
const IID_IBACKGROUNDCOPYCALLBACK3 = '98c97bd2-e32b-4ad8-a528-95fd8b16bd42';

const x86 = process.arch === 'ia32';
const ptrSize = x86 ? 4 : 8;

/**
 * int32 strictCall(void *fn, uint32 argc, uintptr *argv, int32 *leftOnStack)
 * x86 (cdecl): pushes argv[argc-1] … argv[0], calls fn, stores (stack pointer before the pushes) −
 * (stack pointer after the call): 0 when the callee popped its arguments (__stdcall).
 * x64 (Microsoft x64): argv[0..3] in rcx, rdx, r8, r9 with 32 bytes of shadow space, argv[4] on
 * the stack above it; the stack must come back unchanged (0).
 */
const STRICT_CALL_X86 = [
  0x55, //                   push ebp
  0x89, 0xe5, //             mov ebp, esp
  0x53, 0x56, 0x57, //       push ebx; push esi; push edi
  0x8b, 0x4d, 0x0c, //       mov ecx, [ebp+12]      argc
  0x8b, 0x75, 0x10, //       mov esi, [ebp+16]      argv
  0x89, 0xe3, //             mov ebx, esp           stack pointer before the pushes (callee-saved)
  0x85, 0xc9, //       loop: test ecx, ecx
  0x74, 0x07, //             jz call
  0xff, 0x74, 0x8e, 0xfc, // push dword [esi+ecx*4-4]
  0x49, //                   dec ecx
  0xeb, 0xf5, //             jmp loop
  0xff, 0x55, 0x08, //  call: call [ebp+8]
  0x89, 0xd9, //             mov ecx, ebx
  0x29, 0xe1, //             sub ecx, esp           bytes the callee left on the stack
  0x8b, 0x55, 0x14, //       mov edx, [ebp+20]
  0x89, 0x0a, //             mov [edx], ecx
  0x89, 0xdc, //             mov esp, ebx
  0x5f, 0x5e, 0x5b, 0x5d, // pop edi; pop esi; pop ebx; pop ebp
  0xc3, //                   ret                    (eax: the callee's result)
];
const STRICT_CALL_X64 = [
  0x53, 0x56, 0x57, //             push rbx; push rsi; push rdi
  0x48, 0x83, 0xec, 0x30, //       sub rsp, 48            shadow space + a 5th argument (rsp stays 16-aligned)
  0x48, 0x89, 0xe3, //             mov rbx, rsp
  0x4c, 0x89, 0xce, //             mov rsi, r9            leftOnStack
  0x48, 0x89, 0xc8, //             mov rax, rcx           fn
  0x4d, 0x89, 0xc2, //             mov r10, r8            argv (5 slots)
  0x4d, 0x8b, 0x5a, 0x20, //       mov r11, [r10+32]
  0x4c, 0x89, 0x5c, 0x24, 0x20, // mov [rsp+32], r11      the 5th argument, above the shadow space
  0x49, 0x8b, 0x0a, //             mov rcx, [r10]
  0x49, 0x8b, 0x52, 0x08, //       mov rdx, [r10+8]
  0x4d, 0x8b, 0x42, 0x10, //       mov r8, [r10+16]
  0x4d, 0x8b, 0x4a, 0x18, //       mov r9, [r10+24]
  0xff, 0xd0, //                   call rax
  0x48, 0x89, 0xd9, //             mov rcx, rbx
  0x48, 0x29, 0xe1, //             sub rcx, rsp
  0x89, 0x0e, //                   mov [rsi], ecx
  0x48, 0x89, 0xdc, //             mov rsp, rbx
  0x48, 0x83, 0xc4, 0x30, //       add rsp, 48
  0x5f, 0x5e, 0x5b, //             pop rdi; pop rsi; pop rbx
  0xc3, //                         ret
];

describe(`calling convention of JS-implemented COM objects (${process.arch}), seen by a strict native caller`, () => {
  const kernel32 = koffi.load('kernel32.dll');
  const VirtualAlloc = kernel32.func('__stdcall', 'VirtualAlloc', 'void *', ['void *', 'uintptr_t', 'uint32_t', 'uint32_t']);
  const VirtualFree = kernel32.func('__stdcall', 'VirtualFree', 'int', ['void *', 'uintptr_t', 'uint32_t']);
  // int32 strictCall(void *fn, uint32 argc, void *argv, int32 *leftOnStack), cdecl on x86
  const StrictCall = koffi.proto('int32_t', ['void *', 'uint32_t', 'void *', 'void *']);
  let code: unknown;
  let strictCall: (fn: bigint, argc: number, argv: Buffer, left: Buffer) => number;

  const events: string[] = [];
  const sink: CallbackSink = {
    transferred: () => events.push('transferred'),
    error: () => events.push('error'),
    modification: () => events.push('modification'),
    fileTransferred: () => events.push('fileTransferred'),
    rangesTransferred: (file, ranges) => {
      events.push(`rangesTransferred ${ranges.map((r) => `${r.offset}+${r.length}`).join(',')}`);
      void file.release();
    },
    listenerFailed: (error) => events.push(`listenerFailed: ${String(error)}`),
  };
  // The runtime is only used by JobError (to AddRef the error it is given); not called here.
  // The runtime: JobError AddRefs its error through it, FileRangesTransferred its file (a fake's own object here).
  const object = callbackImplementation.create({ runtime: windowsRuntime(), sink });

  /** Calls vtable slot `slot` of the callback object with `args` (after This) through the strict caller. */
  function callSlot(slot: number, args: Array<bigint | number>): { result: number; leftOnStack: number } {
    const vtable = koffi.decode(object.ptr, 'void *') as bigint;
    const fn = koffi.decode(vtable, slot * ptrSize, 'void *') as bigint;
    const all = [object.ptr, ...args].map(BigInt);
    const argv = Buffer.alloc(Math.max(5, all.length) * ptrSize);
    all.forEach((v, i) => (x86 ? argv.writeUInt32LE(Number(v), i * 4) : argv.writeBigUInt64LE(v, i * 8)));
    const left = Buffer.alloc(4);
    const result = strictCall(fn, all.length, argv, left);
    return { result, leftOnStack: left.readInt32LE(0) };
  }

  beforeAll(() => {
    const bytes = x86 ? STRICT_CALL_X86 : STRICT_CALL_X64;
    code = VirtualAlloc(null, 4096, MEM_COMMIT | MEM_RESERVE, PAGE_EXECUTE_READWRITE);
    expect(code).not.toBeNull();
    koffi.encode(code, 'uint8_t', bytes, bytes.length);
    const fn = koffi.decode(code, StrictCall);
    strictCall = (f, argc, argv, left) => fn(f, argc, argv, left) as number;
  });

  afterAll(() => {
    object.release();
    if (code) VirtualFree(code, 0, MEM_RELEASE);
  });

  /** QueryInterface through the strict caller; returns its result and the pointer it wrote. */
  function queryInterface(iid: string): { result: number; leftOnStack: number; ppv: bigint | null } {
    const riid = koffi.alloc('uint8_t', 16) as bigint;
    const ppv = koffi.alloc('void *', 1) as bigint;
    try {
      koffi.encode(riid, 'uint8_t', [...guidToBytes(iid)], 16);
      koffi.encode(ppv, 'void *', 0n);
      const r = callSlot(0, [riid, ppv]);
      return { ...r, ppv: koffi.decode(ppv, 'void *') as bigint | null };
    } finally {
      koffi.free(riid);
      koffi.free(ppv);
    }
  }

  test('QueryInterface(IBackgroundCopyCallback) (3 arguments): S_OK, the object itself, and the callee cleaned the stack', () => {
    expect(queryInterface(IID_IBACKGROUNDCOPYCALLBACK)).toEqual({ result: 0, leftOnStack: 0, ppv: object.ptr });
    expect(callSlot(2, [])).toEqual({ result: 1, leftOnStack: 0 }); // Release the reference QI added
  });

  test('AddRef / Release (This only): the counts, and the callee cleaned the stack', () => {
    expect(callSlot(1, [])).toEqual({ result: 2, leftOnStack: 0 });
    expect(callSlot(2, [])).toEqual({ result: 1, leftOnStack: 0 });
  });

  test('QueryInterface(IUnknown) then JobTransferred and JobModification (2 and 3 arguments): S_OK, the events arrive, the callee cleaned the stack', async () => {
    expect(queryInterface(IID_IUNKNOWN)).toEqual({ result: 0, leftOnStack: 0, ppv: object.ptr });
    expect(callSlot(2, [])).toEqual({ result: 1, leftOnStack: 0 });
    expect(callSlot(3, [0n])).toEqual({ result: 0, leftOnStack: 0 }); // JobTransferred(job)
    expect(callSlot(5, [0n, 0])).toEqual({ result: 0, leftOnStack: 0 }); // JobModification(job, reserved)
    await new Promise((resolve) => setImmediate(resolve)); // listeners run on a later turn
    expect(events).toEqual(['transferred', 'modification']);
  });

  test('QueryInterface(IBackgroundCopyCallback3), then FileRangesTransferred (slot 7, 5 arguments): the ranges arrive, the callee cleaned the stack', async () => {
    expect(queryInterface(IID_IBACKGROUNDCOPYCALLBACK3)).toEqual({ result: 0, leftOnStack: 0, ppv: object.ptr });
    expect(callSlot(2, [])).toEqual({ result: 1, leftOnStack: 0 });
    const file = fakeFile.create({});
    const ranges = koffi.alloc('uint8_t', 32) as bigint;
    try {
      const b = Buffer.alloc(32);
      b.writeBigUInt64LE(0x1_0000_0000n, 0); // offsets and lengths past 32 bits: each UINT64 read whole
      b.writeBigUInt64LE(512n, 8);
      b.writeBigUInt64LE(7n, 16);
      b.writeBigUInt64LE(0x2_0000_0001n, 24);
      koffi.encode(ranges, 'uint8_t', [...b], 32);
      events.length = 0;
      expect(callSlot(7, [0n, file.ptr, 2, ranges])).toEqual({ result: 0, leftOnStack: 0 }); // (job, file, rangeCount, ranges)
      await new Promise((resolve) => setImmediate(resolve));
      expect(events).toEqual(['rangesTransferred 4294967296+512,7+8589934593']);
      await settleReleases();
    } finally {
      koffi.free(ranges);
      file.release();
    }
    expect(fakeFile.liveCount).toBe(0); // the reference the callback took was given back
  });
});

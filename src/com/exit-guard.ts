/**
 * The process exits when the program says so, whatever native call is in flight.
 *
 * Why this is needed: koffi runs `.async` calls on libuv's thread pool, and when Node exits
 * (`process.exit()`, an uncaught exception, an unhandled rejection) it joins every pool thread
 * (`uv_library_shutdown`) after the 'exit' event. A pool thread that has not returned never joins:
 * - a call to a service that stopped answering (a frozen svchost) waits for its reply;
 * - a call whose callee calls back into a JS-implemented object (the service QueryInterfaces our
 *   callback sink during SetNotifyInterface; every method of the testing fake) waits in koffi for
 *   the JS main thread, which is exiting and will never run the callback.
 * Either way the process hangs at exit forever (or until the service answers).
 *
 * The guard: while native calls are in flight, the last 'exit' listener ends the process at once
 * with the OS's immediate exit (TerminateProcess on Windows, `_exit` elsewhere), after the other
 * 'exit' listeners have run, the exit code is known and, for a fatal exception, the error has been
 * printed as Node would. With nothing in flight it does nothing and Node exits normally.
 */
import { inspect } from 'util';
import { writeSync } from 'fs';
import { isMainThread } from 'worker_threads';
import { koffi, stdcall } from './koffi';

/** Native calls started and not yet returned, over every queue of the process. */
let inFlight = 0;
let installed = false;
let immediateExit: ((code: number) => void) | null = null;
/** The error that is ending the process, between 'uncaughtExceptionMonitor' and 'exit'. */
let fatal: { error: unknown } | null = null;

/** Native calls in flight now (for tests and diagnostics). */
export function nativeCallsInFlight(): number {
  return inFlight;
}

/** Counts a native call on the thread pool; installs the guard on first use. */
export function nativeCallStarted(): void {
  inFlight++;
  if (!installed) install();
}

/** The native call returned (its pool thread is free again). */
export function nativeCallEnded(): void {
  inFlight--;
}

/** Binds the OS's immediate exit now, so that nothing needs loading while the process exits. */
function bindImmediateExit(): (code: number) => void {
  const k = koffi();
  if (process.platform === 'win32') {
    const kernel32 = k.load('kernel32.dll');
    const cc = stdcall();
    const current = kernel32.func(`void * ${cc}GetCurrentProcess()`) as unknown as () => bigint;
    const terminate = kernel32.func(`int32_t ${cc}TerminateProcess(void *process, uint32_t code)`) as unknown as (p: bigint, c: number) => number;
    const blockSignals = wineSignalBlocker();
    return (code) => {
      blockSignals?.();
      void terminate(current(), code >>> 0);
    };
  }
  const libc = k.load(process.platform === 'darwin' ? 'libSystem.B.dylib' : 'libc.so.6');
  const exit = libc.func('void _exit(int status)') as unknown as (status: number) => void;
  return (code) => exit(code | 0);
}

/**
 * @internal Under Wine, a function that blocks every signal of the calling thread; null elsewhere.
 *
 * Why: under Wine, a signal reached the thread in TerminateProcess on itself as its server call
 * returned, and the handler waited on a lock a killed thread held: node.exe hung at exit, 5 runs
 * in 211 on x64, and in both runs of one `npm test` on the ia32 WoW64 bed (gdb on x64, each time:
 * NtTerminateProcess > wine_server_call > signal handler > pthread_mutex_lock, no other thread
 * left). Most likely the SIGQUIT with which Wine's server kills the other threads (one still being
 * created has no Unix thread id yet: its signal goes to the whole process). With its signals
 * blocked the terminating thread goes on to _exit. Wine runs Windows code as a Linux process of the
 * same width (Debian's Wine 8: 32-bit node.exe is an i386 process), so a raw rt_sigprocmask system
 * call does it; never on Windows (no `wine_get_version` there).
 */
export function wineSignalBlocker(): (() => void) | null {
  const stub = SIGNAL_BLOCK_STUBS[process.arch];
  if (process.platform !== 'win32' || !stub) return null;
  const k = koffi();
  const kernel32 = k.load('kernel32.dll');
  try {
    k.load('ntdll.dll').func('const char *wine_get_version()');
  } catch {
    return null; // Windows itself
  }
  const alloc = kernel32.func(`void * ${stdcall()}VirtualAlloc(void *address, uintptr_t size, uint32_t type, uint32_t protect)`) as unknown as (a: null, s: number, t: number, p: number) => bigint | null;
  const MEM_COMMIT_RESERVE = 0x3000;
  const PAGE_EXECUTE_READWRITE = 0x40;
  const code = alloc(null, 64, MEM_COMMIT_RESERVE, PAGE_EXECUTE_READWRITE);
  if (code === null || code === 0n) return null;
  const bytes = [...stub(code + BigInt(MASK_OFFSET)), ...Array<number>(8).fill(0xff)]; // the mask: every signal
  k.encode(code, k.array('uint8_t', bytes.length), bytes);
  // An unnamed prototype: koffi's type names are process-wide, and this module may load more than once (Jest).
  const block = k.decode(code, k.proto(null, 'int32_t', [])) as unknown as () => number;
  return () => void block();
}

/** Where the stubs below find the signal mask: right after their code, in the same page. */
const MASK_OFFSET = 32;

/** `rt_sigprocmask(SIG_BLOCK, mask, NULL, 8)` as machine code of each width, padded to the mask. */
const SIGNAL_BLOCK_STUBS: Partial<Record<string, (mask: bigint) => number[]>> = {
  x64: () => [
    0x57, 0x56, //                               0: push rdi, rsi (callee-saved in the Windows ABI)
    0xb8, 0x0e, 0x00, 0x00, 0x00, //             2: mov eax, 14 (rt_sigprocmask)
    0x31, 0xff, //                               7: xor edi, edi (SIG_BLOCK)
    0x48, 0x8d, 0x35, 0x10, 0x00, 0x00, 0x00, // 9: lea rsi, [rip + 16] (the mask at 32)
    0x31, 0xd2, //                              16: xor edx, edx (no old set)
    0x41, 0xba, 0x08, 0x00, 0x00, 0x00, //      18: mov r10d, 8 (sizeof(sigset_t) for the kernel)
    0x0f, 0x05, //                              24: syscall
    0x5e, 0x5f, //                              26: pop rsi, rdi
    0xc3, //                                    28: ret
    0xcc, 0xcc, 0xcc, //                        29: padding
  ],
  ia32: (mask) => [
    0x53, 0x56, //                               0: push ebx, esi (callee-saved)
    0xb8, 0xaf, 0x00, 0x00, 0x00, //             2: mov eax, 175 (rt_sigprocmask on i386)
    0x31, 0xdb, //                               7: xor ebx, ebx (SIG_BLOCK)
    0xb9, ...le32(mask), //                      9: mov ecx, <the mask's address>
    0x31, 0xd2, //                              14: xor edx, edx (no old set)
    0xbe, 0x08, 0x00, 0x00, 0x00, //            16: mov esi, 8 (sizeof(sigset_t) for the kernel)
    0xcd, 0x80, //                              21: int 0x80
    0x5e, 0x5b, //                              23: pop esi, ebx
    0xc3, //                                    25: ret
    0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, //      26: padding
  ],
};

function le32(value: bigint): number[] {
  return [0, 8, 16, 24].map((shift) => Number((value >> BigInt(shift)) & 0xffn));
}

function install(): void {
  installed = true;
  // In a worker, process.exit() ends the worker, not the process: nothing to guard there.
  if (!isMainThread) return;
  try {
    immediateExit = bindImmediateExit();
  } catch {
    return; // No way to exit at once here: Node's own exit is all there is.
  }
  process.on('uncaughtExceptionMonitor', (error) => {
    // Fatal only when nobody handles it; then 'exit' follows synchronously, before Node prints it.
    const handled = process.listenerCount('uncaughtException') > 0 || process.hasUncaughtExceptionCaptureCallback();
    fatal = handled ? null : { error };
  });
  process.on('exit', onExit);
}

function exitCode(code: number): number {
  const set = Number(process.exitCode);
  return Number.isInteger(set) ? set : code;
}

function onExit(code: number): void {
  if (inFlight === 0 || immediateExit === null) return;
  // Listeners added after this one would never run: run them first.
  const listeners = process.listeners('exit');
  for (const listener of listeners.slice(listeners.indexOf(onExit) + 1)) {
    try {
      listener.call(process, code);
    } catch {
      // An exception at this point cannot be reported anywhere; the exit goes on.
    }
  }
  if (fatal) {
    // Node prints a fatal error only after 'exit'; print it the same way before leaving.
    const { error } = fatal;
    const text = error instanceof Error ? inspect(error) : `Uncaught ${inspect(error)}`;
    try {
      writeSync(2, `${text}\n\nNode.js ${process.version}\n`);
    } catch {
      // stderr closed: nothing to print to.
    }
  }
  immediateExit(exitCode(code));
}

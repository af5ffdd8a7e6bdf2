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
import { koffi } from './koffi';

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
    const cc = k.sizeof('void *') === 4 ? '__stdcall ' : '';
    const current = kernel32.func(`void * ${cc}GetCurrentProcess()`) as unknown as () => bigint;
    const terminate = kernel32.func(`int32_t ${cc}TerminateProcess(void *process, uint32_t code)`) as unknown as (p: bigint, c: number) => number;
    return (code) => void terminate(current(), code >>> 0);
  }
  const libc = k.load(process.platform === 'darwin' ? 'libSystem.B.dylib' : 'libc.so.6');
  const exit = libc.func('void _exit(int status)') as unknown as (status: number) => void;
  return (code) => exit(code | 0);
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

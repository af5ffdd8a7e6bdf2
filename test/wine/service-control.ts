/**
 * Test-only control of the BITS service, for the reliability tests (docs/reliability.md): read its
 * state and process id from the service control manager, stop it the orderly way, or kill its
 * process the hard way. Raw koffi on advapi32/kernel32 from the test process; the library itself
 * never touches the service.
 *
 * Measured under Wine 8.0 (docs/reliability.md has the figures):
 * - BITS (qmgr.dll) runs in its own `svchost.exe -k netsvcs` (SERVICE_WIN32_OWN_PROCESS, Start = 3:
 *   started on demand by COM activation). `tasklist` prints nothing and `sc queryex` fails in Wine 8,
 *   so the process id comes from QueryServiceStatusEx (`wmic process` lists the processes, without
 *   command lines).
 * - `net stop bits` / `sc stop bits` (ControlService STOP) work: an idle service stops in ~40 ms; a
 *   busy one stays STOP_PENDING until its running transfer ends. Jobs are not kept.
 * - After TerminateProcess on that svchost, the SCM still says RUNNING with the dead pid, and
 *   rpcss.exe keeps the dead process's class registration for BITS: every CoCreateInstance then
 *   fails with RPC_S_SERVER_UNAVAILABLE, even after StartService has started a new BITS process,
 *   until rpcss restarts. `recoverAfterKill()` kills rpcss.exe too; COM starts it again on the next
 *   activation (and BITS with it). On Windows the SCM and COM notice a dead server by themselves.
 *
 * Killing is meant for the Wine test bed only: on Windows it needs administrator rights, and BITS
 * may share its svchost with other services.
 */
import * as koffi from 'koffi';

const SC_MANAGER_CONNECT = 0x0001;
const SERVICE_QUERY_STATUS = 0x0004;
const SERVICE_START = 0x0010;
const SERVICE_STOP = 0x0020;
const SC_STATUS_PROCESS_INFO = 0;
const SERVICE_CONTROL_STOP = 1;
const PROCESS_TERMINATE = 0x0001;
const SYNCHRONIZE = 0x00100000;
const PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
const WAIT_OBJECT_0 = 0;

/** dwCurrentState values. */
export enum ServiceState {
  Stopped = 1,
  StartPending = 2,
  StopPending = 3,
  Running = 4,
  ContinuePending = 5,
  PausePending = 6,
  Paused = 7,
}

export interface ServiceStatus {
  readonly state: ServiceState;
  /** 0 when the service has no process (stopped). */
  readonly pid: number;
  readonly win32ExitCode: number;
}

interface Api {
  OpenSCManagerW(machine: null, db: null, access: number): unknown;
  OpenServiceW(scm: unknown, name: string, access: number): unknown;
  QueryServiceStatusEx(svc: unknown, level: number, buf: Buffer, size: number, needed: Buffer): number;
  ControlService(svc: unknown, control: number, status: Buffer): number;
  StartServiceW(svc: unknown, argc: number, argv: null): number;
  CloseServiceHandle(h: unknown): number;
  OpenProcess(access: number, inherit: number, pid: number): unknown;
  TerminateProcess(h: unknown, code: number): number;
  WaitForSingleObject(h: unknown, ms: number): number;
  CloseHandle(h: unknown): number;
  QueryFullProcessImageNameW(h: unknown, flags: number, name: Buffer, size: Buffer): number;
  GetLastError(): number;
}

let api: Api | undefined;

function bind(): Api {
  if (api) return api;
  const advapi = koffi.load('advapi32.dll');
  const kernel = koffi.load('kernel32.dll');
  // Plain 'void *' handles: koffi type names are process-wide, and Jest loads this module once
  // per test file in the same process (a named type would be declared twice).
  const SC_HANDLE = 'void *';
  const HANDLE = 'void *';
  api = {
    OpenSCManagerW: advapi.func('__stdcall', 'OpenSCManagerW', SC_HANDLE, ['str16', 'str16', 'uint32_t']),
    OpenServiceW: advapi.func('__stdcall', 'OpenServiceW', SC_HANDLE, [SC_HANDLE, 'str16', 'uint32_t']),
    QueryServiceStatusEx: advapi.func('__stdcall', 'QueryServiceStatusEx', 'int', [SC_HANDLE, 'int', 'void *', 'uint32_t', 'void *']),
    ControlService: advapi.func('__stdcall', 'ControlService', 'int', [SC_HANDLE, 'uint32_t', 'void *']),
    StartServiceW: advapi.func('__stdcall', 'StartServiceW', 'int', [SC_HANDLE, 'uint32_t', 'void *']),
    CloseServiceHandle: advapi.func('__stdcall', 'CloseServiceHandle', 'int', [SC_HANDLE]),
    OpenProcess: kernel.func('__stdcall', 'OpenProcess', HANDLE, ['uint32_t', 'int', 'uint32_t']),
    TerminateProcess: kernel.func('__stdcall', 'TerminateProcess', 'int', [HANDLE, 'uint32_t']),
    WaitForSingleObject: kernel.func('__stdcall', 'WaitForSingleObject', 'uint32_t', [HANDLE, 'uint32_t']),
    CloseHandle: kernel.func('__stdcall', 'CloseHandle', 'int', [HANDLE]),
    QueryFullProcessImageNameW: kernel.func('__stdcall', 'QueryFullProcessImageNameW', 'int', [HANDLE, 'uint32_t', 'void *', 'void *']),
    GetLastError: kernel.func('__stdcall', 'GetLastError', 'uint32_t', []),
  } as unknown as Api;
  return api;
}

function withService<T>(access: number, fn: (svc: unknown, a: Api) => T, name = 'BITS'): T {
  const a = bind();
  const scm = a.OpenSCManagerW(null, null, SC_MANAGER_CONNECT);
  if (!scm) throw new Error(`OpenSCManagerW failed: error ${a.GetLastError()}`);
  try {
    const svc = a.OpenServiceW(scm, name, access);
    if (!svc) throw new Error(`OpenServiceW(${name}) failed: error ${a.GetLastError()}`);
    try {
      return fn(svc, a);
    } finally {
      a.CloseServiceHandle(svc);
    }
  } finally {
    a.CloseServiceHandle(scm);
  }
}

/** A service's state and process id (QueryServiceStatusEx). */
export function serviceStatus(name: string): ServiceStatus {
  return withService(SERVICE_QUERY_STATUS, (svc, a) => {
    const buf = Buffer.alloc(36); // SERVICE_STATUS_PROCESS: 9 DWORDs
    const needed = Buffer.alloc(4);
    if (!a.QueryServiceStatusEx(svc, SC_STATUS_PROCESS_INFO, buf, buf.length, needed)) {
      throw new Error(`QueryServiceStatusEx failed: error ${a.GetLastError()}`);
    }
    return { state: buf.readUInt32LE(4) as ServiceState, pid: buf.readUInt32LE(28), win32ExitCode: buf.readUInt32LE(12) };
  }, name);
}

/** The BITS service's state and process id. */
export function bitsStatus(): ServiceStatus {
  return serviceStatus('BITS');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls the service until `done(status)` or the deadline; returns the last status read. */
export async function waitForBits(done: (s: ServiceStatus) => boolean, timeoutMs = 10_000): Promise<ServiceStatus> {
  const deadline = Date.now() + timeoutMs;
  let s = bitsStatus();
  while (!done(s) && Date.now() < deadline) {
    await sleep(20);
    s = bitsStatus();
  }
  return s;
}

/** Starts BITS through the SCM (COM activation does the same on demand). True when it was started. */
export function startBits(): boolean {
  return withService(SERVICE_START, (svc, a) => a.StartServiceW(svc, 0, null) !== 0);
}

/** Asks the service to stop (SERVICE_CONTROL_STOP, as `net stop bits`). Returns the Win32 error (0 on success). */
export function stopBits(): number {
  return withService(SERVICE_STOP, (svc, a) => (a.ControlService(svc, SERVICE_CONTROL_STOP, Buffer.alloc(28)) ? 0 : a.GetLastError()));
}

export interface KillResult {
  /** The process that was killed. */
  readonly pid: number;
  /** How long TerminateProcess + the wait for the process to be gone took. */
  readonly ms: number;
}

/**
 * A handle on one process. Holding it pins the process object, so a pid that Wine hands out again
 * after the process exited (it does: pids wrap around quickly) can never make us kill another
 * process.
 */
export class ProcessHandle {
  #h: unknown;

  private constructor(readonly pid: number, h: unknown) {
    this.#h = h;
  }

  /**
   * Opens the process if it exists and its image is `image` (e.g. 'svchost.exe'); null when there
   * is no such process or it is another program (the pid was reused).
   */
  static open(pid: number, image: string): ProcessHandle | null {
    const a = bind();
    const h = a.OpenProcess(PROCESS_TERMINATE | SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, 0, pid);
    if (!h) return null;
    const handle = new ProcessHandle(pid, h);
    if (handle.imageName().toLowerCase() !== image.toLowerCase() || !handle.alive()) {
      handle.close();
      return null;
    }
    return handle;
  }

  #handle(): unknown {
    if (!this.#h) throw new Error(`the handle of process ${this.pid} is closed`);
    return this.#h;
  }

  /** The executable's file name, without its folder ('' when unknown). */
  imageName(): string {
    const buf = Buffer.alloc(2 * 1024);
    const size = Buffer.alloc(4);
    size.writeUInt32LE(1024, 0);
    if (!bind().QueryFullProcessImageNameW(this.#handle(), 0, buf, size)) return '';
    const full = buf.toString('utf16le', 0, size.readUInt32LE(0) * 2);
    return full.slice(full.lastIndexOf('\\') + 1);
  }

  alive(): boolean {
    return bind().WaitForSingleObject(this.#handle(), 0) !== WAIT_OBJECT_0;
  }

  /** Waits (without blocking the event loop) until the process is gone; true when it went within `timeoutMs`. */
  async waitForExit(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.alive()) {
      if (Date.now() > deadline) return false;
      await sleep(25);
    }
    return true;
  }

  /** TerminateProcess, then wait (10 s at most) until the process is gone. */
  kill(): KillResult {
    const a = bind();
    const t0 = Date.now();
    if (!a.TerminateProcess(this.#handle(), 1)) throw new Error(`TerminateProcess(${this.pid}) failed: error ${a.GetLastError()}`);
    const w = a.WaitForSingleObject(this.#handle(), 10_000);
    if (w !== WAIT_OBJECT_0) throw new Error(`process ${this.pid} still there 10 s after TerminateProcess (wait ${w})`);
    return { pid: this.pid, ms: Date.now() - t0 };
  }

  close(): void {
    if (this.#h) bind().CloseHandle(this.#h);
    this.#h = null;
  }
}

/** A handle on the process hosting BITS (its svchost.exe), or null when BITS has no live process. */
export function openBitsProcess(): ProcessHandle | null {
  const { pid } = bitsStatus();
  return pid ? ProcessHandle.open(pid, 'svchost.exe') : null;
}

/**
 * Wine only: kills the process hosting BITS (TerminateProcess, as `taskkill /F /PID`), and waits
 * until it is gone. Throws when BITS has no live svchost.exe (after a kill, Wine's SCM keeps the
 * dead pid: it is checked, never killed blindly).
 */
export function killBits(): KillResult {
  const { pid, state } = bitsStatus();
  const handle = pid ? ProcessHandle.open(pid, 'svchost.exe') : null;
  if (!handle) throw new Error(`BITS has no live process (state ${ServiceState[state]}, pid ${pid})`);
  try {
    return handle.kill();
  } finally {
    handle.close();
  }
}

/**
 * Wine only: after `killBits()`, restarts rpcss.exe (kills it; COM starts it again on the next
 * call) so that the next CoCreateInstance starts a new BITS instead of reaching the dead one
 * through rpcss's stale class registration. Returns what was killed.
 */
export function recoverAfterKill(): KillResult {
  const rpcss = serviceStatus('RpcSs');
  const handle = rpcss.pid ? ProcessHandle.open(rpcss.pid, 'rpcss.exe') : null;
  if (!handle) throw new Error(`RpcSs has no live rpcss.exe (state ${ServiceState[rpcss.state]}, pid ${rpcss.pid})`);
  try {
    return handle.kill();
  } finally {
    handle.close();
  }
}

/**
 * Makes sure BITS can be reached before a test file starts: connects once; when that fails with
 * ServiceUnavailableError on Wine (BITS died earlier, e.g. the qmgr crash described in helpers.ts,
 * and rpcss still hands out the dead instance), restarts rpcss and tries again. Returns what it
 * had to do ('ok' or 'recovered: ...'); throws when BITS stays unreachable.
 */
export async function ensureBitsUsable(timeoutMs = 30_000): Promise<string> {
  const { BackgroundCopyManager, ServiceUnavailableError } = await import('../../src');
  const attempt = async (): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const connect = BackgroundCopyManager.connect({ service: 'bits' });
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`connecting to BITS took more than ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      (await Promise.race([connect, timeout])).dispose();
    } finally {
      clearTimeout(timer);
    }
  };
  try {
    await attempt();
    return 'ok';
  } catch (error) {
    if (!(error instanceof ServiceUnavailableError)) throw error;
    const before = bitsStatus();
    const killed = recoverAfterKill();
    await attempt();
    return `recovered: connect failed with ${error.code} (SCM: BITS ${ServiceState[before.state]}, pid ${before.pid}); restarted rpcss (pid ${killed.pid})`;
  }
}

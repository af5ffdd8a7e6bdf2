/**
 * Shared set-up of the wine tier (docs/testing.md): a BITS connection, a loopback HTTP fixture, a
 * fresh temporary folder per test file, and a janitor that cancels every job a test created.
 *
 * These tests run inside Windows node.exe (under Wine on Linux, or on real Windows). Where Wine 8
 * and Windows differ, the test names say "Wine: X (Windows: Y)" and the Wine-only expectations
 * are registered with `wineOnly` (skipped on real Windows). Measured Wine facts: /work/shared/testbed.md.
 *
 * Never point a job's local path at a file that matters: Wine's Cancel deletes an existing file at
 * the local path. Every local path here lives in the temporary folder of `makeTempDir`.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as koffi from 'koffi';
import { BackgroundCopyManager, type BackgroundCopyJob, isFinalState, JobState } from '../../src';
import { startHttpFixture, type HttpFixture } from '../fixtures/http-server';
import { bitsStatus, ensureBitsUsable, killBits, recoverAfterKill, ServiceState, stopBits, waitForBits } from './service-control';

export { expectedSha256 } from '../fixtures/http-server';

/** True when ntdll exports wine_get_version (Wine), false on real Windows. */
export const onWine: boolean = (() => {
  try {
    koffi.load('ntdll.dll').func('const char *wine_get_version()');
    return true;
  } catch {
    return false;
  }
})();

/** A test whose expectation is Wine 8's own behaviour (skipped on real Windows). */
export const wineOnly: jest.It = onWine ? test : test.skip;

/** The fixed start of the name of every test that only Windows can answer (scripts/test.js counts them). */
export const WAITING_FOR_WINDOWS = '[waiting for Windows]';

/**
 * A test only real Windows can answer (Delivery Optimization, SMB shares, MAX_PATH, ACLs …): its
 * name starts with WAITING_FOR_WINDOWS; skipped under Wine, run on a Windows runner. Registered on
 * every bed alike, so each bed counts the same tests.
 */
export function waitingForWindows(name: string, fn: jest.ProvidesCallback, timeoutMs?: number): void {
  (onWine ? test.skip : test)(`${WAITING_FOR_WINDOWS} ${name}`, fn, timeoutMs);
}

export const E_NOTIMPL = 0x80004001;
export const E_NOINTERFACE = 0x80004002;
export const BG_E_NOT_FOUND = 0x80200001;
export const BG_E_INVALID_STATE = 0x80200002;
export const BG_E_EMPTY = 0x80200003;
export const BG_S_PARTIAL_COMPLETE = 0x00200017;
export const BG_S_UNABLE_TO_DELETE_FILES = 0x0020001a;
export const RPC_X_NULL_REF_POINTER = 0x800706f4;
export const ERROR_NOACCESS_HR = 0x800703e6;

/** Display names of the tier's jobs start with this, so leftovers are easy to spot in EnumJobs. */
export const JOB_PREFIX = 'do-wine-test';

/** A new empty folder for one test file: Z:\tmp\do-wine-XXXXXX under Wine (= /tmp on Linux), %TEMP% on Windows. */
export function makeTempDir(prefix = 'do-wine-'): string {
  const base = onWine ? 'Z:\\tmp' : os.tmpdir();
  return fs.mkdtempSync(path.join(base, prefix));
}

export function sha256File(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects with an Error naming `what` when `promise` takes longer than `ms` (deadlock guard). */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms (deadlock?)`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `read` until `done(value)` or the deadline; returns the last value read (the caller asserts on it). */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000, intervalMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await sleep(intervalMs);
    value = await read();
  }
  return value;
}

/** Waits until the job leaves QUEUED / CONNECTING / TRANSFERRING; returns the state it reached. */
export function settle(job: BackgroundCopyJob, timeoutMs = 15_000): Promise<JobState> {
  return pollUntil(
    () => job.getState(),
    (s) => s !== JobState.Queued && s !== JobState.Connecting && s !== JobState.Transferring,
    timeoutMs,
  );
}

/**
 * Size of the file behind `WineEnv.cancellableUrl()`: a download that lasts seconds under Wine
 * (~30 MiB/s) and that a test may cancel mid-way.
 *
 * Wine 8 quirk (measured; not in testbed.md): Cancel of a TRANSFERRING job whose HTTP read is
 * waiting for data (a slow server, e.g. /slow?ms=50: every time) corrupts the service: a moment
 * later, when its worker thread takes a later job, it crashes (page fault reading
 * 0xFFFFFFFFFFFFFFFF in qmgr). Every call on the old connection then fails with RPC_S_CALL_FAILED /
 * RPC_S_SERVER_UNAVAILABLE, and new connections fail for a few seconds. /slow?ms=2 still crashed
 * once in a full run. A file served from disk by /files (data always ready) did not crash in 6
 * standalone runs (a crash was still seen once in a suite run, maybe while the service stopped);
 * a generated /bytes of hundreds of MiB did not crash either, but the fixture then writes without
 * yielding and starves the JS main thread, where our COM call completions land.
 * So: cancellable transfers use /files, no test leaves a /slow transfer for the janitor, and
 * `useWineEnv` restarts BITS after every test that cancelled a transfer (restartBits).
 * Also Wine: while data keeps arriving, its worker sees the cancel only when a read finds no data
 * ready, so Cancel blocks (1–3 s measured) and may only take effect at the end of the file.
 */
export const CANCELLABLE_SIZE = 128 * 1024 * 1024;

/**
 * What getJob says about a job some time after it was cancelled and released: 'NOT_FOUND', or
 * its state when the service still has it (the new reference is released at once).
 */
export async function stateAfterCancel(manager: BackgroundCopyManager, id: string, delayMs = 150): Promise<JobState | 'NOT_FOUND'> {
  await sleep(delayMs);
  let job: BackgroundCopyJob;
  try {
    job = await manager.getJob(id);
  } catch (e) {
    if ((e as { code?: string }).code === 'BG_E_NOT_FOUND' || (e as { code?: string }).code === 'DO_E_JOB_NOT_FOUND') return 'NOT_FOUND';
    throw e;
  }
  try {
    return await job.getState();
  } finally {
    job.dispose();
  }
}

/** A loopback port nothing listens on (bound, then closed again). */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Cancels (when not final yet) and disposes every job handed to `track`; only disposes the
 * wrappers handed to `release` (jobs listed by EnumJobs that may belong to someone else: never
 * cancel those, Wine's Cancel deletes files).
 */
export class JobJanitor {
  readonly #jobs = new Map<BackgroundCopyJob, boolean>();

  track<J extends BackgroundCopyJob>(job: J): J {
    this.#jobs.set(job, true);
    return job;
  }

  release<J extends BackgroundCopyJob>(job: J): J {
    if (!this.#jobs.has(job)) this.#jobs.set(job, false);
    return job;
  }

  /** Resolves with the number of jobs it cancelled while they were queued, connecting or transferring. */
  async cleanup(): Promise<number> {
    const jobs = [...this.#jobs];
    this.#jobs.clear();
    let active = 0;
    for (const [job, cancel] of jobs) {
      if (job.disposed) continue;
      try {
        if (!cancel) continue;
        const state = await withTimeout(job.getState(), 10_000, 'cleanup GetState');
        if (!isFinalState(state)) await withTimeout(job.cancel(), 10_000, 'cleanup Cancel');
        if (state === JobState.Queued || state === JobState.Connecting || state === JobState.Transferring) active++;
      } catch {
        // already gone, or the service refuses: nothing more to do
      } finally {
        job.dispose();
      }
    }
    return active;
  }
}

/**
 * Wine only: replaces the BITS service process with a fresh one (see CANCELLABLE_SIZE: a cancelled
 * transfer can leave qmgr corrupted): an orderly stop (as `net stop bits`); when it does not end,
 * a kill plus an rpcss restart (service-control.ts). Then checks that BITS can be reached again.
 */
export async function restartBits(): Promise<string> {
  if (!onWine) return 'not on Wine: left alone';
  if (bitsStatus().state !== ServiceState.Stopped) {
    stopBits();
    const s = await waitForBits((x) => x.state === ServiceState.Stopped, 5_000);
    if (s.state !== ServiceState.Stopped) {
      try {
        killBits();
      } catch {
        // no live process
      }
      recoverAfterKill();
    }
  }
  return ensureBitsUsable();
}

/** Every job EnumJobs lists (wrappers released after the test, jobs not cancelled). */
export async function listJobs(env: Pick<WineEnv, 'manager' | 'janitor'>, options: { allUsers?: boolean } = {}): Promise<BackgroundCopyJob[]> {
  const listed = await env.manager.jobs(options);
  for (const j of listed) env.janitor.release(j);
  return listed;
}

export interface WineEnv {
  readonly manager: BackgroundCopyManager;
  readonly http: HttpFixture;
  /** This file's temporary folder (Windows path). */
  readonly dir: string;
  readonly janitor: JobJanitor;
  /** A fresh local path inside `dir`. */
  localPath(name?: string): string;
  /** URL of a CANCELLABLE_SIZE file served from `dir` by /files (created on first use). */
  cancellableUrl(): string;
  /** A tracked new job named `${JOB_PREFIX}: <name>`. */
  createJob(name: string): Promise<BackgroundCopyJob>;
  /**
   * Wine: give the next test a fresh BITS process (after this test cancelled a transfer; the
   * janitor asks for it by itself when it cancels one).
   */
  restartServiceAfterTest(): void;
  /** A tracked job with one file, resumed, and settled (TRANSFERRED / ERROR). */
  runJob(name: string, url: string, localPath?: string): Promise<{ job: BackgroundCopyJob; localPath: string; state: JobState }>;
}

let pathCounter = 0;

/**
 * Registers beforeAll / afterEach / afterAll for a test file and returns the environment (its
 * fields are usable from inside tests and hooks only).
 */
export function useWineEnv(): WineEnv {
  let manager: BackgroundCopyManager | undefined;
  let http: HttpFixture | undefined;
  let dir: string | undefined;
  const janitor = new JobJanitor();
  let restartNeeded = false;

  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`${what} is not set up (use it inside a test or hook)`);
    return v;
  };

  const env: WineEnv = {
    get manager() {
      return need(manager, 'manager');
    },
    get http() {
      return need(http, 'http fixture');
    },
    get dir() {
      return need(dir, 'temp dir');
    },
    janitor,
    localPath(name = 'file.bin') {
      pathCounter += 1;
      return path.join(env.dir, `${pathCounter}-${name}`);
    },
    cancellableUrl() {
      const file = path.join(env.dir, 'cancellable.bin');
      if (!fs.existsSync(file)) fs.writeFileSync(file, Buffer.alloc(CANCELLABLE_SIZE, 0x5a));
      return env.http.url('/files/cancellable.bin');
    },
    async createJob(name) {
      return janitor.track(await env.manager.createJob(`${JOB_PREFIX}: ${name}`));
    },
    restartServiceAfterTest() {
      restartNeeded = true;
    },
    async runJob(name, url, localPath = env.localPath()) {
      const job = await env.createJob(name);
      await job.addFile(url, localPath);
      await job.resume();
      const state = await settle(job);
      return { job, localPath, state };
    },
  };

  beforeAll(async () => {
    // an earlier test file may have left BITS dead (see CANCELLABLE_SIZE)
    if (onWine) await ensureBitsUsable();
    dir = makeTempDir();
    http = await startHttpFixture({ dir });
    manager = await BackgroundCopyManager.connect({ service: 'bits' });
  });

  afterEach(async () => {
    if ((await janitor.cleanup()) > 0) restartNeeded = true;
    if (restartNeeded && onWine) {
      restartNeeded = false;
      manager?.dispose();
      manager = undefined;
      await restartBits();
      manager = await BackgroundCopyManager.connect({ service: 'bits' });
    }
  });

  afterAll(async () => {
    await janitor.cleanup();
    manager?.dispose();
    await http?.close();
    if (dir) {
      try {
        fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
      } catch (e) {
        process.emitWarning(`could not remove the test folder ${dir}: ${(e as Error).message}`);
      }
    }
  });

  return env;
}

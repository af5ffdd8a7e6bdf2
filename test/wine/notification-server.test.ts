/**
 * Notification by CLSID, the server side, under Wine (issue 22 item 5): a script registered by
 * registerNotificationServer is launched by COM (Wine's combase/rpcss) when this process — another
 * process — calls CoCreateInstance(CLSCTX_LOCAL_SERVER); it is handed a real Wine BITS job pointer
 * through JobTransferred, runs the handler (which writes a marker file), and its node.exe ends
 * within 5 s after this process releases the callback. Unregistering leaves no key (reg.exe reads
 * the registry). Wine's BITS side: IBackgroundCopyJob5 is missing, so setNotificationClsid fails.
 */
import { spawnSync } from 'child_process';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { BackgroundCopyManager, JobPropertyId, listNotificationServers, registerNotificationServer, unregisterNotificationServer } from '../../src';
import { IBackgroundCopyCallback, IBackgroundCopyCallback2, IBackgroundCopyManager, JobType, CLSID_BackgroundCopyManager } from '../../src/bits';
import { ComPtr, windowsRuntime } from '../../src/com';
import { JOB_PREFIX, makeTempDir, onWine, pollUntil, waitingForWindows, wineOnly } from './helpers';

const REGDB_E_CLASSNOTREG = 0x80040154;

jest.setTimeout(240_000);

const root = path.resolve(__dirname, '..', '..');
const dir = makeTempDir('do-wine-notify-');

interface MarkerLine {
  readonly event: string;
  readonly [key: string]: unknown;
}

function readMarker(file: string): MarkerLine[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as MarkerLine);
}

/** The woken script: the library through ts-register-cached (the bed's NODE_PATH baked in: COM's launch does not pass ours on). */
function writeServerScript(clsid: string, marker: string): string {
  const script = path.join(dir, `server-${clsid.slice(0, 8)}.cjs`);
  fs.writeFileSync(script, `
process.env.NODE_PATH = ${JSON.stringify(process.env.NODE_PATH ?? '')};
require('module').Module._initPaths();
require(${JSON.stringify(path.join(root, 'test', 'support', 'ts-register-cached.js'))});
const fs = require('fs');
const koffi = require(${JSON.stringify(path.join(root, 'node_modules', 'koffi'))});
const lib = require(${JSON.stringify(path.join(root, 'src'))});
if (process.argv.includes('--warm')) process.exit(0);
const marker = ${JSON.stringify(marker)};
const log = (o) => fs.appendFileSync(marker, JSON.stringify(o) + '\\n');
const cc = process.arch === 'ia32' ? '__stdcall ' : '';
const threadId = koffi.load('kernel32.dll').func('uint32_t ' + cc + 'GetCurrentThreadId()');
process.on('warning', (w) => log({ event: 'warning', message: String(w.message) }));
process.on('uncaughtException', (e) => { log({ event: 'uncaught', message: String(e && e.stack) }); process.exit(9); });
process.on('exit', (code) => log({ event: 'exit', code, at: Date.now() }));
log({ event: 'started', pid: process.pid, argv: process.argv.slice(2), mainThread: threadId(), at: Date.now() });
lib.serveNotifications({
  clsid: ${JSON.stringify(clsid)},
  onJobTransferred: async (job) => {
    log({ event: 'transferred', id: job.id, displayName: await job.getDisplayName(), state: await job.getState(), thread: threadId(), at: Date.now() });
  },
}, { lingerMs: 500, idleTimeoutMs: 60000 }).catch((e) => { log({ event: 'failed', message: String(e && e.stack) }); process.exit(8); });
`);
  return script;
}

function regQuery(clsid: string): { status: number | null; stdout: string } {
  const r = spawnSync('reg', ['query', `HKCU\\Software\\Classes\\CLSID\\{${clsid}}`, '/s'], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout };
}

/**
 * Wine 8 maps HKEY_CLASSES_ROOT to HKLM\Software\Classes alone (kernelbase registry.c: root_key_names),
 * so its COM never sees per-user classes; Windows merges HKCU\Software\Classes over it. Under Wine the
 * test copies the key the API wrote into HKLM (the prefix is the user's own: no elevation there).
 */
function mirrorToMachine(clsid: string, commandLine: string): () => void {
  const key = `HKLM\\Software\\Classes\\CLSID\\{${clsid}}`;
  const r = spawnSync('reg', ['add', `${key}\\LocalServer32`, '/ve', '/d', commandLine, '/f'], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`reg add failed: ${r.stdout} ${r.stderr}`);
  return () => void spawnSync('reg', ['delete', key, '/f'], { encoding: 'utf8', timeout: 60_000 });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('bad input is refused before anything is written: non-GUID clsid, relative or missing script', () => {
  const script = path.join(dir, 'exists.cjs');
  fs.writeFileSync(script, '');
  expect(() => registerNotificationServer({ clsid: 'not-a-guid', script })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
  expect(() => registerNotificationServer({ clsid: randomUUID(), script: 'relative\\server.cjs' })).toThrow(/absolute path/);
  const missingClsid = randomUUID();
  expect(() => registerNotificationServer({ clsid: missingClsid, script: path.join(dir, 'missing.cjs') })).toThrow(/existing file/);
  expect(regQuery(missingClsid).status).toBe(1);
});

test('a registered script is launched by COM from another process, handed a real BITS job, runs its handler, and ends within 5 s of the release; unregister leaves no key', async () => {
  const clsid = randomUUID();
  const marker = path.join(dir, `marker-${clsid.slice(0, 8)}.jsonl`);
  const script = writeServerScript(clsid, marker);
  // Transpile the library once, outside COM's launch timeout.
  const warm = spawnSync(process.execPath, [script, '--warm'], { encoding: 'utf8', timeout: 180_000 });
  expect({ status: warm.status, stderr: warm.stderr }).toEqual({ status: 0, stderr: '' });

  const registration = registerNotificationServer({ clsid, script });
  try {
    expect(registration.commandLine).toBe(`"${process.execPath}" "${script}"`);
    const reg = regQuery(clsid);
    expect(reg.status).toBe(0);
    expect(reg.stdout).toContain('LocalServer32');
    expect(reg.stdout).toContain(`"${script}"`);
    expect(listNotificationServers()).toContainEqual({ clsid, script, commandLine: registration.commandLine, stale: false });

    const runtime = windowsRuntime();
    runtime.initialize();
    let unmirror = () => undefined as void;
    if (onWine) {
      const unseen = await runtime.createInstance(clsid, IBackgroundCopyCallback.iid);
      expect(unseen.hr).toBe(REGDB_E_CLASSNOTREG); // Wine: HKCU classes are not merged into HKCR
      unmirror = mirrorToMachine(clsid, registration.commandLine);
    }
    // A real Wine BITS job, by its raw pointer, as BITS would hand it.
    const bits = await runtime.createInstance(CLSID_BackgroundCopyManager, IBackgroundCopyManager.iid);
    expect(bits.hr).toBe(0);
    const manager = ComPtr.own(bits.ptr as bigint, IBackgroundCopyManager, runtime);
    const displayName = `${JOB_PREFIX} notify ${clsid.slice(0, 8)}`;
    const [jobId, jobPtr] = await manager.invoke('CreateJob', displayName, JobType.Download);
    try {
      const started = Date.now();
      const activated = await runtime.createInstance(clsid, IBackgroundCopyCallback.iid, { timeoutMs: 120_000 });
      const activationMs = Date.now() - started;
      expect({ hr: activated.hr, pointer: activated.ptr !== null }).toEqual({ hr: 0, pointer: true });
      const callback = ComPtr.own(activated.ptr as bigint, IBackgroundCopyCallback, runtime);
      // The object answers IBackgroundCopyCallback2 too (FileTransferred).
      const second = await callback.query(IBackgroundCopyCallback2);
      expect(second).not.toBeNull();
      await second?.release();
      await callback.invoke('JobTransferred', jobPtr);
      const lines = await pollUntil(async () => readMarker(marker), (l) => l.some((x) => x.event === 'transferred'), 60_000, 50);
      const startedLine = lines.find((l) => l.event === 'started');
      const transferred = lines.find((l) => l.event === 'transferred');
      expect(transferred).toMatchObject({ id: jobId, displayName, state: 3 /* SUSPENDED */ });
      const pid = startedLine?.pid as number;
      expect(alive(pid)).toBe(true);
      await callback.release();
      const released = Date.now();
      await pollUntil(async () => alive(pid), (a) => !a, 20_000, 50);
      const exitMs = Date.now() - released;
      const all = readMarker(marker);
      console.log(`[notification-server] ${JSON.stringify({ activationMs, exitMs, argv: startedLine?.argv, mainThread: startedLine?.mainThread, handlerThread: transferred?.thread, lines: all.map((l) => l.event) })}`);
      expect(alive(pid)).toBe(false);
      expect(exitMs).toBeLessThanOrEqual(5_000);
      expect(all.map((l) => l.event)).toEqual(['started', 'transferred', 'exit']);
      expect(startedLine?.argv).toEqual(['-Embedding']); // COM adds it to the registered command line
      expect(transferred?.thread).toBe(startedLine?.mainThread); // the handler runs on the JS main thread
      expect(all.find((l) => l.event === 'exit')).toMatchObject({ code: 0 });
    } finally {
      const job = ComPtr.own(jobPtr as bigint, (await import('../../src/bits')).IBackgroundCopyJob, runtime);
      await job.invoke('Cancel').catch(() => undefined);
      await job.release();
      await manager.release();
      unmirror();
    }
  } finally {
    expect(unregisterNotificationServer(clsid)).toBe(true);
  }
  expect(regQuery(clsid).status).toBe(1);
  expect(listNotificationServers().map((s) => s.clsid)).not.toContain(clsid);
  expect(unregisterNotificationServer(clsid)).toBe(false);
});

test('a registration whose script is gone is listed as stale (what doctor prints); a key another program wrote is neither replaced nor removed', () => {
  const clsid = randomUUID();
  const script = path.join(dir, 'soon-gone.cjs');
  fs.writeFileSync(script, '');
  registerNotificationServer({ clsid, script });
  try {
    expect(listNotificationServers().find((s) => s.clsid === clsid)).toMatchObject({ script, stale: false });
    fs.unlinkSync(script);
    expect(listNotificationServers().find((s) => s.clsid === clsid)).toMatchObject({ script, stale: true });
  } finally {
    expect(unregisterNotificationServer(clsid)).toBe(true);
  }
  expect(regQuery(clsid).status).toBe(1);

  const foreign = randomUUID();
  const key = `HKCU\\Software\\Classes\\CLSID\\{${foreign}}`;
  expect(spawnSync('reg', ['add', `${key}\\LocalServer32`, '/ve', '/d', 'C:\\other\\app.exe', '/f'], { encoding: 'utf8' }).status).toBe(0);
  try {
    const mine = path.join(dir, 'mine.cjs');
    fs.writeFileSync(mine, '');
    expect(() => registerNotificationServer({ clsid: foreign, script: mine })).toThrow(/already registered for this user by another program/);
    expect(() => unregisterNotificationServer(foreign)).toThrow(/registered by another program/);
    const after = regQuery(foreign);
    expect(after.stdout).toContain('C:\\other\\app.exe');
    expect(after.stdout).not.toContain('mine.cjs');
  } finally {
    spawnSync('reg', ['delete', key, '/f'], { encoding: 'utf8' });
  }
});

waitingForWindows('setNotificationClsid / notifyOnFinish set BITS_JOB_PROPERTY_NOTIFICATION_CLSID (read back by getProperty)', async () => {
  const manager = await BackgroundCopyManager.connect({ service: 'bits' });
  try {
    const clsid = randomUUID();
    const job = await manager.createJob(`${JOB_PREFIX} notify-clsid`, { notifyOnFinish: clsid });
    try {
      expect(await job.getProperty(JobPropertyId.NotificationClsid)).toBe(clsid);
    } finally {
      await job.cancel();
      job.dispose();
    }
  } finally {
    manager.dispose();
  }
});

wineOnly('Wine: setNotificationClsid fails with NoInterfaceError (Wine 8 has no IBackgroundCopyJob5; Windows: set)', async () => {
  const manager = await BackgroundCopyManager.connect({ service: 'bits' });
  try {
    const job = await manager.createJob(`${JOB_PREFIX} notify-clsid`);
    try {
      await expect(job.setNotificationClsid(randomUUID())).rejects.toMatchObject({ name: 'NoInterfaceError' });
    } finally {
      await job.cancel();
      job.dispose();
    }
  } finally {
    manager.dispose();
  }
});

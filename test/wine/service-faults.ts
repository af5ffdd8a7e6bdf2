/**
 * Service faults for the exit-safety tests, beyond service-control.ts: freezing BITS (SIGSTOP on
 * its Wine process: the service then never answers, like a hung svchost) and thawing it.
 *
 * Wine only. A Windows process cannot signal a Unix process, so this runs a shell through Wine's
 * `start /unix`. The BITS process is the svchost of this Wine prefix (WINEPREFIX in its
 * environment: other prefixes on the machine belong to others) that has qmgr.dll mapped.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { BackgroundCopyManager } from '../../src';
import { ensureBitsUsable, killBits as kill, recoverAfterKill, type KillResult } from './service-control';

const END = '-- end of script --';

/** Runs a shell script on the Unix side; returns what it printed. */
function shell(script: string): string {
  const base = `/tmp/do-service-faults-${process.pid}-${Date.now()}`;
  const windows = (unix: string) => `Z:${unix.replace(/\//g, '\\')}`;
  // The script goes in a file: start's command line would mangle quotes.
  fs.writeFileSync(windows(`${base}.sh`), `(${script}) > ${base}.txt 2>&1; echo "${END}" >> ${base}.txt\n`);
  try {
    const r = spawnSync('start.exe', ['/wait', '/unix', '/bin/sh', `${base}.sh`], { timeout: 20_000 });
    if (r.error) throw r.error;
    // `start /wait /unix` does not wait for a Unix program: wait for the script's last line.
    const limit = Date.now() + 20_000;
    for (;;) {
      const text = fs.existsSync(windows(`${base}.txt`)) ? fs.readFileSync(windows(`${base}.txt`), 'utf8') : '';
      if (text.includes(END)) return text;
      if (Date.now() > limit) throw new Error(`the shell script did not finish: ${text}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  } finally {
    fs.rmSync(windows(`${base}.sh`), { force: true });
    fs.rmSync(windows(`${base}.txt`), { force: true });
  }
}

/** Unix pids of this prefix's BITS processes, after sending them `signal`. */
function signalBits(signal: 'STOP' | 'CONT'): number[] {
  const text = shell(
    'for p in $(pgrep -f svchost.exe); do ' +
      '  tr "\\0" "\\n" < /proc/$p/environ 2>/dev/null | grep -qx "WINEPREFIX=$WINEPREFIX" || continue; ' +
      '  grep -q qmgr.dll /proc/$p/maps 2>/dev/null || continue; ' +
      `  kill -${signal} $p && echo "pid $p"; ` +
      'done; echo "prefix $WINEPREFIX"',
  );
  if (!/^prefix \S/m.test(text)) throw new Error(`could not list the BITS processes: ${text}`);
  return [...text.matchAll(/^pid (\d+)$/gm)].map((m) => Number(m[1]));
}

/** Stops BITS's process (SIGSTOP): calls to it then wait for ever. Returns its Unix pids. */
export function freezeBits(): number[] {
  const pids = signalBits('STOP');
  if (pids.length === 0) throw new Error('no BITS process found to freeze');
  return pids;
}

/** Lets a frozen BITS run again. */
export function thawBits(): number[] {
  return signalBits('CONT');
}

export function killBits(): KillResult {
  return kill();
}

/**
 * Puts BITS back after a scenario left it `frozen` or `killed`, and cancels the jobs whose
 * display name starts with `prefix` (left by a process that ended without cleaning up).
 */
export async function restoreBits(condition: 'healthy' | 'killed' | 'frozen', prefix: string): Promise<void> {
  if (condition === 'frozen') thawBits();
  if (condition === 'killed') {
    recoverAfterKill();
    await ensureBitsUsable();
  }
  const manager = await BackgroundCopyManager.connect({ service: 'bits' });
  for (const job of await manager.jobs()) {
    if ((await job.getDisplayName()).startsWith(prefix)) await job.cancel().catch(() => undefined);
    job.dispose();
  }
  await manager.close();
}

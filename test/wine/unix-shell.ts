/**
 * Runs a shell script on the Unix side of Wine, from the Windows node.exe of the wine tier, without
 * blocking the event loop (the test's loopback HTTP server lives in this process and must keep
 * serving). service-faults.ts has a blocking twin for one-off SIGSTOP/SIGCONT.
 *
 * Wine only: `start /unix` hands a Unix program to the host; it inherits this process's
 * environment (WINEPREFIX, NODE_PATH, TESTBED_*), so a `wine` it starts joins this prefix.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';

const END = '-- end of script --';
let counter = 0;

/** `Z:\tmp\x` for `/tmp/x` (Wine maps Z: to the Unix root). */
export function fromUnixPath(unix: string): string {
  return `Z:${unix.replace(/\//g, '\\')}`;
}

/** `/tmp/x` for `Z:\tmp\x`; throws for a path outside Z: (nothing on the Unix side can reach it). */
export function toUnixPath(windows: string): string {
  if (!/^z:\\/i.test(windows)) throw new Error(`${windows} is not on Wine's Z: drive`);
  return windows.slice(2).replace(/\\/g, '/');
}

/** A word for sh: single-quoted, so nothing in it is expanded. */
export function shQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `script` with /bin/sh on the host; resolves with what it printed (stdout and stderr). */
export async function unixShell(script: string, timeoutMs = 30_000): Promise<string> {
  counter += 1;
  const base = `/tmp/do-unix-shell-${process.pid}-${counter}`;
  const out = fromUnixPath(`${base}.txt`);
  // The script goes in a file: start's command line would mangle quotes.
  fs.writeFileSync(fromUnixPath(`${base}.sh`), `(${script}\n) > ${base}.txt 2>&1; echo "${END}" >> ${base}.txt\n`);
  try {
    const child = spawn('start.exe', ['/wait', '/unix', '/bin/sh', `${base}.sh`], { stdio: 'ignore' });
    const started = new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', () => resolve());
    });
    // `start /wait /unix` does not wait for a Unix program: wait for the script's last line.
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
      if (text.includes(END)) {
        await started;
        return text.slice(0, text.lastIndexOf(END));
      }
      if (Date.now() > deadline) throw new Error(`the Unix shell script did not finish in ${timeoutMs} ms: ${script}\n${text}`);
      await pause(25);
    }
  } finally {
    fs.rmSync(fromUnixPath(`${base}.sh`), { force: true });
    fs.rmSync(out, { force: true });
  }
}

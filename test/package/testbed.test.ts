/**
 * `delivery-optimization testbed` from the tarball alone (docs/testbed.md): fresh `npm init -y`
 * projects whose node_modules were installed on Linux (so no win32 koffi build, the user's case) run
 * TypeScript scripts with Windows node under Wine against Wine's real BITS, each project in its own
 * Wine prefix. The per-user cache is a temporary XDG_CACHE_HOME; npm's own cache keeps the downloads fast.
 */
import { spawnSync, type SpawnSyncReturns } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tarball } from './tarball';

const hasWine = process.platform === 'linux' && spawnSync('sh', ['-c', 'command -v wine && command -v wineserver'], { stdio: 'ignore' }).status === 0;
const required = (process.env.CI && !['0', 'false'].includes(process.env.CI)) || process.env.REQUIRE_WINE === '1';
const describeWine = hasWine || required ? describe : describe.skip;

const DOWNLOAD_SCRIPT = `import { BackgroundCopyManager } from 'delivery-optimization';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const expected: string = process.argv[process.argv.indexOf('--sha') + 1];
const url: string = process.env.TESTBED_SERVE_URL + 'blob.bin';
const dest: string = process.env.TESTBED_SCRATCH_DIR + '\\\\blob.bin';
const manager = await BackgroundCopyManager.connect({ service: 'bits' });
try {
  const result = await manager.download(url, dest);
  console.log('job', result.jobId ?? '');
} finally {
  manager.dispose();
}
const actual = createHash('sha256').update(readFileSync(dest)).digest('hex');
console.log('sha256', actual);
process.exitCode = actual === expected ? 0 : 1;
`;

/** Leaves a job behind (never resumed, never cancelled): it lives as long as the prefix's BITS service. */
const LEAVE_JOB_SCRIPT = `import { BackgroundCopyManager } from 'delivery-optimization';
const manager = await BackgroundCopyManager.connect({ service: 'bits' });
const job = await manager.createJob(process.argv[2]);
await job.addFile(process.env.TESTBED_SERVE_URL + 'blob.bin', process.env.TESTBED_SCRATCH_DIR + '\\\\left.bin');
console.log('left', job.id);
job.dispose();
manager.dispose();
`;

const LIST_JOBS_SCRIPT = `import { BackgroundCopyManager } from 'delivery-optimization';
const manager = await BackgroundCopyManager.connect({ service: 'bits' });
const names: string[] = [];
for (const job of await manager.jobs()) {
  names.push(await job.getDisplayName());
  job.dispose();
}
manager.dispose();
console.log('jobs ' + JSON.stringify(names));
`;

describeWine('testbed from the installed package (Wine)', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'do-testbed-pkg-'));
  const cache = path.join(work, 'cache');
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cache, TESTBED_STREAM: '1' };
  delete env.TESTBED_ARCH;
  delete env.TESTBED_WINEARCH;
  const prefixes: string[] = [];

  const sh = (cwd: string, cmd: string, args: string[], timeout = 240_000): SpawnSyncReturns<string> =>
    spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });
  const testbed = (cwd: string, ...args: string[]) => sh(cwd, 'npx', ['--no-install', 'delivery-optimization', 'testbed', ...args]);
  const show = (r: SpawnSyncReturns<string>) => `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
  const wineserver = (prefix: string, flag: string) => spawnSync('wineserver', [flag], { env: { ...env, WINEPREFIX: prefix }, stdio: 'ignore', timeout: 60_000 });

  /** A fresh `npm init -y` project with the tarball installed, a folder to serve and the scripts. */
  function project(name: string, type?: 'module'): { dir: string; sha: string; blob: Buffer; script: string } {
    const dir = path.join(work, name);
    fs.mkdirSync(path.join(dir, 'www'), { recursive: true });
    for (const args of [['init', '-y'], ['install', '--no-audit', '--no-fund', tarball()]]) {
      const r = sh(dir, 'npm', args);
      if (r.status !== 0) throw new Error(`npm ${args.join(' ')}: ${show(r)}`);
    }
    if (type) sh(dir, 'npm', ['pkg', 'set', `type=${type}`]);
    const blob = crypto.randomBytes(300_000);
    fs.writeFileSync(path.join(dir, 'www', 'blob.bin'), blob);
    // .mts in a CommonJS project (npm init -y), .ts in an ESM one: docs/testbed.md says which runs where
    const ext = type === 'module' ? '.ts' : '.mts';
    fs.writeFileSync(path.join(dir, `download${ext}`), DOWNLOAD_SCRIPT);
    fs.writeFileSync(path.join(dir, `leave-job${ext}`), LEAVE_JOB_SCRIPT);
    fs.writeFileSync(path.join(dir, `list-jobs${ext}`), LIST_JOBS_SCRIPT);
    return { dir, sha: crypto.createHash('sha256').update(blob).digest('hex'), blob, script: `download${ext}` };
  }

  function prefixOf(dir: string): string {
    const r = testbed(dir, 'status', '--json');
    const status = JSON.parse(r.stdout) as { ready: boolean; prefix: string };
    expect(status.ready).toBe(true);
    return status.prefix;
  }

  function jobNames(dir: string, script: string): string[] {
    const r = testbed(dir, 'run', '--serve', 'www', script);
    expect({ code: r.status, out: r.stdout }).toMatchObject({ code: 0 });
    const line = r.stdout.split('\n').find((l) => l.startsWith('jobs '));
    if (!line) throw new Error(`no job list: ${show(r)}`);
    return JSON.parse(line.slice(5)) as string[];
  }

  /** Every file of a prefix with its size and mtime: any write shows. */
  function snapshot(dir: string): Map<string, string> {
    const out = new Map<string, string>();
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        const st = fs.lstatSync(p);
        out.set(path.relative(dir, p), `${st.size}:${st.mtimeMs}`);
        if (e.isDirectory()) walk(p);
      }
    };
    walk(dir);
    return out;
  }

  afterAll(() => {
    for (const prefix of prefixes) {
      wineserver(prefix, '-k');
      wineserver(prefix, '-w');
    }
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('runs a TypeScript script against real BITS and downloads a file; a second project gets its own prefix and does not touch the first', () => {
    // project A: a CommonJS project (npm init -y), an .mts script; the first run sets the bed up
    const a = project('project-a');
    const t0 = Date.now();
    const first = testbed(a.dir, 'run', '--serve', 'www', '--scratch', 'scratch', a.script, '--sha', a.sha);
    const firstMs = Date.now() - t0;
    expect({ code: first.status, out: first.stdout }).toEqual({ code: 0, out: expect.stringContaining(`sha256 ${a.sha}`) });
    expect(fs.readFileSync(path.join(a.dir, 'scratch', 'blob.bin')).equals(a.blob)).toBe(true);
    expect(first.stderr).toMatch(/Wine prefix, WINEARCH=win64 \(winecfg -v win10 \+ wineserver -w\): done/);
    const prefixA = prefixOf(a.dir);
    prefixes.push(prefixA);
    expect(prefixA.startsWith(path.join(cache, 'delivery-optimization', 'testbed') + path.sep)).toBe(true);
    expect(fs.existsSync(path.join(prefixA, 'system.reg'))).toBe(true);

    // A's BITS service kept alive (wineserver -p) with a job left in it
    wineserver(prefixA, '-k');
    wineserver(prefixA, '-w');
    expect(wineserver(prefixA, '-p').status).toBe(0);
    const marker = `project-a-${crypto.randomBytes(4).toString('hex')}`;
    const left = testbed(a.dir, 'run', '--serve', 'www', 'leave-job.mts', marker);
    expect({ code: left.status, out: left.stdout }).toMatchObject({ code: 0, out: expect.stringContaining('left ') });
    expect(jobNames(a.dir, 'list-jobs.mts')).toContain(marker); // the check below can see a job when it is there

    // project B: an ESM project, a .ts script; its own prefix, and A's job is not in its BITS
    const b = project('project-b', 'module');
    const t1 = Date.now();
    const second = testbed(b.dir, 'run', '--serve', 'www', '--scratch', 'scratch', b.script, '--sha', b.sha);
    const secondMs = Date.now() - t1;
    expect({ code: second.status, out: second.stdout }).toEqual({ code: 0, out: expect.stringContaining(`sha256 ${b.sha}`) });
    expect(fs.readFileSync(path.join(b.dir, 'scratch', 'blob.bin')).equals(b.blob)).toBe(true);
    expect(jobNames(b.dir, 'list-jobs.ts')).not.toContain(marker);
    const prefixB = prefixOf(b.dir);
    prefixes.push(prefixB);
    expect(prefixB).not.toBe(prefixA);
    expect(jobNames(a.dir, 'list-jobs.mts')).toContain(marker); // still there: B's runs did not stop A's service

    // with A's service stopped, another run in B writes nothing in A's prefix
    wineserver(prefixA, '-k');
    wineserver(prefixA, '-w');
    const before = snapshot(prefixA);
    const again = testbed(b.dir, 'run', '--serve', 'www', b.script, '--sha', b.sha);
    expect(again.status).toBe(0);
    expect(snapshot(prefixA)).toEqual(before);
    process.stdout.write(`testbed timings: first run in project A (fresh prefix) ${firstMs} ms, first run in project B ${secondMs} ms\n`);
  }, 600_000);
});

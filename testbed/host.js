'use strict';
/**
 * The Linux host side of the Wine test bed: what is installed, installing Wine with apt, fetching npm
 * packages, and the messages that say what is missing and how to get it. Plain CommonJS, no
 * dependencies (scripts/testbed.js loads it right after `npm ci`, before any build).
 */
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

/** Thrown when the test bed cannot be had on this machine (wrong OS, no Wine and no root, no registry, …). */
class TestbedUnavailable extends Error {
  constructor(message) {
    super(message);
    this.name = 'TestbedUnavailable';
    this.code = 'TESTBED_UNAVAILABLE';
  }
}

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

function isRoot() { return typeof process.getuid === 'function' && process.getuid() === 0; }

/** Run a command synchronously; throw with its output when it fails. */
function sh(cmd, args, opts) {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: opts.env || process.env,
    encoding: 'utf8',
    stdio: opts.inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
    timeout: opts.timeoutMs,
  });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0 && !opts.allowFail) {
    const out = `${r.stdout || ''}${r.stderr || ''}`.trim();
    throw Object.assign(new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}${out ? `:\n${out}` : ''}`), { output: out, status: r.status });
  }
  return r;
}

/** Debian's 32-bit half of Wine (package wine32:i386): its loader sits beside wine64's. */
function hasWine32() {
  return fs.existsSync('/usr/lib/wine/wine') || fs.existsSync('/usr/lib/i386-linux-gnu/wine/i386-windows/kernel32.dll');
}

/** What decides whether Wine can be installed here; tests pass their own. */
function hostFacts() {
  return {
    platform: process.platform,
    debian: fs.existsSync('/etc/debian_version'),
    apt: !!which('apt-get'),
    root: isRoot(),
  };
}

const WINE_INSTALL = 'apt-get install -y --no-install-recommends wine64 wine';
const WINE32_INSTALL = 'dpkg --add-architecture i386 && apt-get update && apt-get install -y --no-install-recommends wine32:i386';

/**
 * Why Wine (or wine32 with `ia32`) cannot be installed by us, and what to run instead; null when we
 * can install it (Debian-like, apt-get, root).
 */
function wineMissingMessage(facts, ia32 = false) {
  if (facts.platform === 'win32') {
    return 'this is Windows: the Wine test bed is not needed here. Run your script with node directly '
      + '(node script.js; a .ts file with Node >= 22.18, or npx tsx script.ts), against the real BITS service';
  }
  if (facts.platform !== 'linux') {
    return `the Wine test bed needs Linux with apt (Debian or Ubuntu); this is ${facts.platform}. Run it in a Debian/Ubuntu container or CI job, or on Windows with node directly`;
  }
  const what = ia32 ? 'wine32:i386 (32-bit Wine, for --arch ia32)' : 'Wine';
  if (!facts.debian || !facts.apt) {
    return `${what} is not installed, and this is not a Debian-like system with apt-get: install Wine 8 or newer (64-bit${ia32 ? ' and 32-bit' : ''}) with your distribution's package manager`;
  }
  if (!facts.root) {
    const sudo = ia32 ? 'sudo dpkg --add-architecture i386 && sudo apt-get update && sudo apt-get install -y --no-install-recommends wine32:i386'
      : `sudo apt-get update && sudo ${WINE_INSTALL}`;
    return `${what} is not installed, and this process is not root, so it cannot install it. Run:\n  ${sudo}\nthen run this command again`;
  }
  return null;
}

function requireApt(facts, ia32) {
  const message = wineMissingMessage(facts, ia32);
  if (message) throw new TestbedUnavailable(message);
}

const aptEnv = () => ({ ...process.env, DEBIAN_FRONTEND: 'noninteractive' });
const apt = (args) => spawnSync('apt-get', args, { env: aptEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
const aptTail = (r) => `${r.stdout || ''}${r.stderr || ''}`.trim().split('\n').slice(-15).join('\n');

function installWine(log, facts = hostFacts()) {
  requireApt(facts, false);
  const aptArgs = WINE_INSTALL.split(' ').slice(1);
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
function installWine32(log, facts = hostFacts()) {
  requireApt(facts, true);
  const foreign = sh('dpkg', ['--print-foreign-architectures'], { allowFail: true }).stdout.split(/\s+/);
  if (!foreign.includes('i386')) {
    log('dpkg --add-architecture i386');
    sh('dpkg', ['--add-architecture', 'i386'], {});
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

/** The error for an `npm pack` that failed: most often no route to the registry. */
function packFailure(spec, output) {
  // npm's own lines that say what failed (code, FetchError, 404 …), without its stack and object dump
  const tail = String(output || '').trim().split('\n')
    .filter((l) => l.trim() && !/^npm (error|ERR!)(\s{2,}|\s*$|\s*}|.*complete log)/.test(l))
    .slice(0, 5).join('\n');
  return new TestbedUnavailable(
    `could not fetch ${spec} from the npm registry (npm pack failed). The test bed downloads Windows node and koffi's `
    + 'win32 build once, with npm: check the network, the registry (npm config get registry) and any proxy '
    + `(npm config get https-proxy), then run this command again.${tail ? `\nnpm said:\n${tail}` : ''}`,
  );
}

/** `npm pack <spec>` into `dir` (reusing a tarball from an earlier run); the tarball's path. */
function npmPack(dir, spec, file) {
  fs.mkdirSync(dir, { recursive: true });
  const tgz = path.join(dir, file);
  if (fs.existsSync(tgz)) return tgz;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  try {
    sh(npm, ['pack', spec, '--pack-destination', dir, '--loglevel=error', '--no-fund', '--no-audit'], { cwd: dir, timeoutMs: 10 * 60 * 1000 });
  } catch (e) {
    throw packFailure(spec, e.output || e.message);
  }
  if (!fs.existsSync(tgz)) throw new Error(`npm pack ${spec} did not produce ${tgz}`);
  return tgz;
}

/** Untar an npm tarball; its "package/" folder ends up at `dest` (atomically, through a temp folder). */
function untarPackage(tgz, dest, keepPackageDir) {
  const tmp = `${dest}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  sh('tar', ['xzf', tgz, '-C', tmp], {});
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  if (keepPackageDir) {
    fs.renameSync(tmp, dest);
  } else {
    fs.renameSync(path.join(tmp, 'package'), dest);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

module.exports = {
  TestbedUnavailable, toWinPath, which, readJson, sleepSync, secs, isRoot, sh, hasWine32, hostFacts, wineMissingMessage,
  installWine, installWine32, packFailure, npmPack, untarPackage, WINE_INSTALL, WINE32_INSTALL,
};

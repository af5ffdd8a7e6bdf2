'use strict';
/**
 * `delivery-optimization testbed setup|status|run|clean` (src/cli/commands/testbed.ts parses the
 * command line and calls testbedCommand): the Wine test bed for users' own scripts and CI, with
 * downloads in the per-user cache and a Wine prefix per project (testbed/layouts.js userLayout).
 * Docs: docs/testbed.md.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { createBed } = require('./bed');
const { TestbedUnavailable, toWinPath, hostFacts, wineMissingMessage, secs } = require('./host');
const { userLayout, cacheHome } = require('./layouts');
const { serveDir } = require('./serve');

const PACKAGE_ROOT = path.resolve(__dirname, '..');
const SCRIPT_EXTENSIONS = ['.js', '.cjs', '.mjs', '.ts', '.mts', '.cts'];

/** A bad command line for `testbed` (the CLI turns it into its UsageError: exit code 2). */
class TestbedUsageError extends Error {
  constructor(message) {
    super(message);
    this.name = 'TestbedUsageError';
    this.code = 'ERR_USAGE';
  }
}

/** The test bed runs on Linux only; elsewhere, say what to do instead. */
function requireLinux(platform = process.platform) {
  if (platform !== 'linux') throw new TestbedUnavailable(wineMissingMessage({ ...hostFacts(), platform }));
}

/** A script the bed can run: it exists and Windows node 22 knows its extension. */
function checkScript(script, cwd) {
  if (!script) throw new TestbedUsageError('run needs a script: testbed run <script.ts|.js> [args...]');
  const ext = path.extname(script).toLowerCase();
  if (!SCRIPT_EXTENSIONS.includes(ext)) {
    throw new TestbedUsageError(`${script}: the test bed runs ${SCRIPT_EXTENSIONS.join(' ')} files (TypeScript through Node 22's type stripping)`);
  }
  const abs = path.resolve(cwd, script);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isFile()) throw new TestbedUsageError(`${script}: no such file`);
  return abs;
}

/** `--prefix DIR` must be a Wine prefix, or a folder that is empty or not there yet (set-up replaces a broken prefix). */
function checkPrefix(prefix, cwd) {
  if (prefix === undefined) return undefined;
  const abs = path.resolve(cwd, prefix);
  if (!fs.existsSync(abs)) return abs;
  if (!fs.statSync(abs).isDirectory()) throw new TestbedUsageError(`--prefix ${prefix}: not a folder`);
  if (fs.readdirSync(abs).length > 0 && !fs.existsSync(path.join(abs, 'system.reg'))) {
    throw new TestbedUsageError(`--prefix ${prefix}: this folder is not a Wine prefix (no system.reg); give an empty or new folder`);
  }
  return abs;
}

/** `--timeout <seconds>` as milliseconds. */
function timeoutMs(value) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new TestbedUsageError(`--timeout ${value}: give a number of seconds greater than 0`);
  return Math.round(n * 1000);
}

function bedFor(o, io) {
  const cwd = io.cwd || process.cwd();
  const prefix = checkPrefix(o.prefix, cwd);
  let layout;
  try {
    layout = userLayout({ packageRoot: io.packageRoot || PACKAGE_ROOT, cwd, cache: cacheHome(io.env || process.env), prefix });
  } catch (e) {
    throw new TestbedUnavailable(e.message);
  }
  return createBed(layout);
}

/** Which project a bed belongs to: kept beside its markers, shown by `status`. */
function recordProject(tb) {
  const L = tb.layout;
  fs.mkdirSync(L.state, { recursive: true });
  fs.writeFileSync(path.join(L.state, 'project.json'), JSON.stringify({ project: L.project, prefix: L.prefix('win64') }, null, 2) + '\n');
}

async function setup(o, io) {
  const tb = bedFor(o, io);
  recordProject(tb);
  const t0 = Date.now();
  const r = tb.ensureTestbed({ arch: o.arch, quiet: false, force: o.force === true });
  if (o.json) {
    io.stdout.write(JSON.stringify({
      ready: true, project: tb.layout.project, prefix: r.prefix, arch: r.bed.arch, nodeVersion: r.nodeVersion, koffi: r.koffiVersion,
      steps: r.steps, totalMs: Date.now() - t0,
    }, null, 2) + '\n');
    return 0;
  }
  io.stdout.write(`test bed ready (${secs(Date.now() - t0)}): ${r.bed.label}, node.exe ${r.nodeVersion}, koffi ${r.koffiVersion}\n`
    + `project: ${tb.layout.project}\nprefix:  ${r.prefix}\n`);
  return 0;
}

function status(o, io) {
  const tb = bedFor(o, io);
  const s = tb.status({ arch: o.arch });
  const L = tb.layout;
  const report = { ready: s.ready, missing: s.missing, project: L.project, prefix: L.prefix('win64'), cache: L.home, arch: s.arch, wine: s.wine, nodeVersion: s.nodeVersion, koffi: s.koffi };
  if (o.json) {
    io.stdout.write(JSON.stringify(report, null, 2) + '\n');
  } else {
    io.stdout.write([
      `ready:   ${s.ready ? 'yes' : `no (missing: ${s.missing.join('; ')})`}`,
      `project: ${L.project}`, `prefix:  ${report.prefix}`, `cache:   ${L.home}`, `arch:    ${s.arch}`,
      `wine:    ${s.wine || 'not installed'}`, `node:    ${s.nodeVersion} (Windows)`, `koffi:   ${s.koffi || 'not installed'}`,
    ].join('\n') + '\n');
    if (!s.ready) io.stdout.write('run `delivery-optimization testbed setup` to build it\n');
  }
  // Not ready is 'not possible here (yet)', the CLI's notSupported (3), as when run cannot have the bed;
  // 1 means a failed job everywhere else in the CLI.
  return s.ready ? 0 : 3;
}

async function run(o, io) {
  const cwd = io.cwd || process.cwd();
  const script = checkScript(o.script, cwd);
  const watchdog = timeoutMs(o.timeout);
  const serveRoot = o.serve !== undefined ? path.resolve(cwd, o.serve) : undefined;
  if (serveRoot !== undefined && !(fs.existsSync(serveRoot) && fs.statSync(serveRoot).isDirectory())) {
    throw new TestbedUsageError(`--serve ${o.serve}: no such folder`);
  }
  const tb = bedFor(o, io);
  recordProject(tb);
  tb.ensureTestbed({ arch: o.arch, quiet: false });
  const log = (m) => process.stderr.write(`[testbed] ${m}\n`);
  const scratch = o.scratch !== undefined ? path.resolve(cwd, o.scratch) : fs.mkdtempSync(path.join(os.tmpdir(), 'testbed-scratch-'));
  fs.mkdirSync(scratch, { recursive: true });
  const env = { TESTBED_SCRATCH_DIR: toWinPath(scratch) };
  let server = null;
  try {
    if (serveRoot !== undefined) {
      server = await serveDir(serveRoot);
      env.TESTBED_SERVE_URL = server.url;
      log(`serving ${serveRoot} at ${server.url} (TESTBED_SERVE_URL)`);
    }
    log(`scratch folder ${env.TESTBED_SCRATCH_DIR} (TESTBED_SCRATCH_DIR)${o.scratch === undefined ? ', deleted after the run' : ''}`);
    const r = await tb.runFile(script, o.args || [], { arch: o.arch, cwd, env, timeoutMs: watchdog });
    if (r.timedOut) log(`watchdog: stopped after ${secs(r.ms)} (--timeout)`);
    log(`exit ${r.code} after ${secs(r.ms)} (output also in ${r.stdoutFile}, .err)`);
    return r.code;
  } finally {
    if (server) await server.close();
    if (o.scratch === undefined) fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function clean(o, io) {
  const log = (m) => io.stdout.write(`${m}\n`);
  if (o.all) {
    const cache = cacheHome(io.env || process.env);
    const projects = path.join(cache, 'projects');
    for (const key of fs.existsSync(projects) ? fs.readdirSync(projects) : []) {
      const pj = (() => { try { return JSON.parse(fs.readFileSync(path.join(projects, key, 'project.json'), 'utf8')); } catch { return null; } })();
      stopServer(pj && pj.prefix ? pj.prefix : path.join(projects, key, 'prefix'));
    }
    fs.rmSync(cache, { recursive: true, force: true });
    log(`removed ${cache}`);
    return 0;
  }
  const tb = bedFor(o, io);
  tb.clean(log);
  const explicit = tb.layout.explicitPrefix;
  if (explicit && fs.existsSync(path.join(explicit, 'system.reg'))) {
    fs.rmSync(explicit, { recursive: true, force: true });
    log(`removed ${explicit}`);
  }
  return 0;
}

function stopServer(prefix) {
  if (!fs.existsSync(path.join(prefix, 'system.reg'))) return;
  require('child_process').spawnSync('wineserver', ['-k'], { env: { ...process.env, WINEPREFIX: prefix }, stdio: 'ignore', timeout: 60 * 1000 });
}

/**
 * Runs one `testbed` action; resolves to its exit code (`run`: the script's).
 * @throws {TestbedUsageError} bad options; {TestbedUnavailable} the bed cannot be had here (what is missing, how to fix it)
 */
async function testbedCommand(action, options, io) {
  requireLinux(io.platform);
  switch (action) {
    case 'setup': return setup(options, io);
    case 'status': return status(options, io);
    case 'run': return run(options, io);
    case 'clean': return clean(options, io);
    default: throw new TestbedUsageError(`unknown testbed action "${action}" (setup, status, run, clean)`);
  }
}

module.exports = { testbedCommand, TestbedUsageError, TestbedUnavailable, checkScript, checkPrefix, timeoutMs, requireLinux, SCRIPT_EXTENSIONS };

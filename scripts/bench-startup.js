#!/usr/bin/env node
'use strict';
/**
 * bench:startup — start-up costs as ratios to a bare `node -e 0` measured in the same rounds
 * (scripts/bench/harness.js), so that a slow or busy machine scales both sides alike:
 *   require_overhead  time inside `require('delivery-optimization')` (the built dist/, measured in
 *                     the child) / wall time of `node -e 0`.              goal ≤ 0.10 (adds ≤ 10 %)
 *   explain           wall time of `delivery-optimization explain 0x80070005` / `node -e 0`.  goal ≤ 1.5
 *   compile_cache     explain / the same with NODE_DISABLE_COMPILE_CACHE=1: what the bin's
 *                     module.enableCompileCache() saves where Node has it (22.1+; 1.0 on older Node);
 *                     compile_cache_inproc the same, timed inside the process (performance.now() at
 *                     exit: from the process's start to its end, without the cost of spawning it)
 * and that importing the package loaded no native module (a failure if it did).
 *   npm run bench:startup [-- --smoke]      (builds dist/ first)
 */
const { execFileSync, spawnSync } = require('child_process');
const path = require('path');
const fs = require('fs');
const os = require('os');
const { smoke, interleave, ratios, Report } = require('./bench/harness');

const root = path.resolve(__dirname, '..');
const ROUNDS = smoke ? 5 : 21;
const dist = path.join(root, 'dist');
if (!fs.existsSync(path.join(dist, 'index.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}

const probe = `
  const t0 = process.hrtime.bigint();
  require(${JSON.stringify(dist)});
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const native = Object.keys(require.cache).filter((k) => /node_modules[\\\\/](koffi|@koromix)|\\.node$/.test(k));
  process.stdout.write(JSON.stringify({ ms, native, modules: Object.keys(require.cache).length }));
`;

function wallMs(args, env = process.env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: root, env });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
  return ms;
}

/** CPU time of the main thread's process at exit, per variant: steadier than wall time on a loaded machine. */
const cpuMs = { inproc: [], inprocNoCache: [] };
/** Time from the process's start to its exit, measured inside it (a preload prints it, and the CPU time). */
function inProcessMs(args, env, preload, variant) {
  const r = spawnSync(process.execPath, ['-r', preload, ...args], { stdio: ['ignore', 'ignore', 'pipe'], cwd: root, env, encoding: 'utf8' });
  const m = /STARTUP_MS=([\d.]+) CPU_MS=([\d.]+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`node ${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
  cpuMs[variant].push(Number(m[2]));
  return Number(m[1]);
}

let native = [];
let modules = 0;
/**
 * The layout of an installed package (bin/, dist/, package.json, no src/): in a checkout the bin
 * script also compares dist/ with src/ to pick ts-node, which users never pay for.
 */
function installedLayout() {
  // Windows node under Wine cannot make symbolic links: there dist/ is copied, into a folder below
  // this checkout's node_modules, from which the package's dependencies resolve as they would
  // when installed.
  const copy = process.platform === 'win32';
  const base = copy ? path.join(root, 'node_modules', '.cache') : os.tmpdir();
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, 'do-startup-'));
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.copyFileSync(path.join(root, 'bin', 'delivery-optimization.js'), path.join(dir, 'bin', 'delivery-optimization.js'));
  fs.copyFileSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
  if (copy) {
    fs.cpSync(dist, path.join(dir, 'dist'), { recursive: true });
  } else {
    fs.symlinkSync(dist, path.join(dir, 'dist'), 'dir');
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  }
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function main() {
  const layout = installedLayout();
  const bin = path.join(layout, 'bin', 'delivery-optimization.js');
  const preload = path.join(layout, 'startup-probe.js');
  fs.writeFileSync(preload, "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write('STARTUP_MS=' + performance.now() + ' CPU_MS=' + (u.user + u.system) / 1000 + '\\n'); });\n");
  const noCache = { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' };
  wallMs(['-e', '0']); // warm the file cache
  wallMs([bin, 'explain', '0x80070005']);
  const s = await interleave(ROUNDS, {
    node: () => wallMs(['-e', '0']),
    require: () => {
      const r = JSON.parse(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' }));
      native = r.native;
      modules = r.modules;
      return r.ms;
    },
    explain: () => wallMs([bin, 'explain', '0x80070005']),
    explainNoCache: () => wallMs([bin, 'explain', '0x80070005'], noCache),
    inproc: () => inProcessMs([bin, 'explain', '0x80070005'], process.env, preload, 'inproc'),
    inprocNoCache: () => inProcessMs([bin, 'explain', '0x80070005'], noCache, preload, 'inprocNoCache'),
  });
  const report = new Report('startup', `start-up against \`node -e 0\`, ${ROUNDS} interleaved rounds of fresh processes`);
  report.figure('require_overhead', ratios(s.require, s.node), { goal: 0.1, text: "time in require('delivery-optimization') / `node -e 0`" });
  report.figure('explain', ratios(s.explain, s.node), { goal: 1.5, text: '`delivery-optimization explain 0x80070005` / `node -e 0`' });
  const hasCache = typeof require('module').enableCompileCache === 'function';
  report.figure('compile_cache', ratios(s.explain, s.explainNoCache), { text: `explain / explain with NODE_DISABLE_COMPILE_CACHE=1 (node ${process.version}: ${hasCache ? 'has' : 'has no'} module.enableCompileCache)` });
  report.figure('compile_cache_inproc', ratios(s.inproc, s.inprocNoCache), { text: 'the same, timed inside the process (start to exit)' });
  report.figure('compile_cache_cpu', ratios(cpuMs.inproc, cpuMs.inprocNoCache), { text: 'the same in CPU time of the process (all threads, at exit)' });
  report.figure('inproc_cpu_ms', cpuMs.inproc, { digits: 1, unit: ' ms' });
  report.figure('inproc_nocache_cpu_ms', cpuMs.inprocNoCache, { digits: 1, unit: ' ms' });
  report.figure('inproc_ms', s.inproc, { digits: 1, unit: ' ms', text: 'explain, start to exit inside the process' });
  report.figure('inproc_nocache_ms', s.inprocNoCache, { digits: 1, unit: ' ms', text: 'the same, compile cache off' });
  report.figure('node_ms', s.node, { digits: 1, unit: ' ms', text: '`node -e 0`, wall' });
  report.figure('require_ms', s.require, { digits: 1, unit: ' ms' });
  report.figure('explain_ms', s.explain, { digits: 1, unit: ' ms', text: 'wall' });
  report.figure('explain_nocache_ms', s.explainNoCache, { digits: 1, unit: ' ms', text: 'wall, compile cache off' });
  report.fact('modules_loaded', modules, "files in require.cache after require('delivery-optimization')");
  report.fact('native_modules_loaded', native.length);
  if (native.length) report.fail(`importing the package loaded native code: ${native.join(', ')}`);
  report.noise(s.calibration);
  report.print();
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

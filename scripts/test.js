#!/usr/bin/env node
'use strict';
/**
 * `npm test`: every test tier, then a summary (docs/testing.md).
 *
 *   1. typecheck  tsc -p tsconfig.json --noEmit
 *   2. unit+ffi   jest --selectProjects unit ffi           (this node)
 *   3. package    jest --selectProjects package            (the tarball from `npm pack`, packed once here and
 *                 handed over in DO_TARBALL, installed in fresh projects as npm users do)
 *   4. wine       jest --selectProjects wine --runInBand   (Windows node.exe under Wine, scripts/testbed.js;
 *                 on Windows itself: with this node, natively; these are the "real Windows" tests),
 *                 once per bed: x64, then ia32 on WoW64 (32-bit node, 64-bit prefix), then ia32 in a
 *                 pure 32-bit prefix. Every bed must run the same number of tests as x64.
 *
 * When Wine cannot be had (not Linux, not Debian, not root, apt or npm failed) the wine tier is
 * reported as "wine tier SKIPPED: <reason>" and the exit code is that of the other tiers, unless
 * CI is set or REQUIRE_WINE=1: then it is a failure.
 *
 * usage: node scripts/test.js [--only typecheck|fast|package|wine] [--arch x64|ia32] [--winearch win64|win32]
 *                             [--windows] [-- <extra jest args for every Jest run>]
 *   npm test              all tiers
 *   npm run test:wine     = node scripts/test.js --only wine (Wine is required then)
 *   --arch / --winearch   only the wine beds that match (e.g. --arch ia32: both ia32 beds)
 *   --windows             the Windows run (npm run test:windows). On Linux: this whole script again,
 *                         run by Windows node under Wine (x64, then ia32 on WoW64; --arch picks one),
 *                         so every tier sees process.platform === 'win32' and no Linux node takes
 *                         part. On Windows: the same as without it. What cannot run there is
 *                         SKIPPED with its reason, and the skips are counted (WINDOWS_SKIPS below).
 */
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const JEST = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** The wine tier's beds, in order (scripts/testbed.js bedOf). */
const WINE_BEDS = [
  { arch: 'x64', winearch: 'win64' },
  { arch: 'ia32', winearch: 'win64' },
  { arch: 'ia32', winearch: 'win32' },
];

function parseArgs(argv) {
  const o = { only: null, arch: null, winearch: null, windows: false, jestArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { o.jestArgs = argv.slice(i + 1); break; }
    if (a === '--windows') { o.windows = true; continue; }
    const m = /^--(only|arch|winearch)(?:=(.*))?$/.exec(a);
    if (m) o[m[1]] = m[2] !== undefined ? m[2] : argv[++i];
    else o.jestArgs.push(a);
  }
  if (o.arch && !['x64', 'ia32'].includes(o.arch)) throw new Error(`--arch must be x64 or ia32 (got ${o.arch})`);
  if (o.winearch && !['win64', 'win32'].includes(o.winearch)) throw new Error(`--winearch must be win64 or win32 (got ${o.winearch})`);
  if (o.only && !['typecheck', 'fast', 'package', 'wine'].includes(o.only)) {
    throw new Error(`--only must be typecheck, fast, package or wine (got ${o.only})`);
  }
  return o;
}

const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

function banner(title) {
  process.stdout.write(`\n=== ${title} ===\n`);
}

/** Jest's output without its colour codes. */
function stripAnsi(text) {
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}

/** The Jest summary lines ("Test Suites: …", "Tests: …", or "No tests found…") of an output. */
function jestSummary(text) {
  const clean = stripAnsi(text);
  const lines = clean.split(/\r?\n/);
  const pick = (re) => lines.filter((l) => re.test(l)).pop();
  const parts = [pick(/^Test Suites:/), pick(/^Tests:/)].filter(Boolean);
  if (!parts.length) {
    const none = pick(/No tests found/);
    if (none) parts.push(none.trim());
  }
  return parts.join(' | ');
}

/**
 * The failed tests of a Jest output, each with the first lines of its error, so that the end of a
 * CI log names what failed (the log is often cut in the middle).
 */
function jestFailures(text, maxLinesEach = 8) {
  // Jest repeats every failure under "Summary of all failing tests": read up to there only.
  const lines = stripAnsi(text).split(/\r?\n/);
  const end = lines.findIndex((l) => l.startsWith('Summary of all failing tests'));
  const out = [];
  let file = '';
  for (let i = 0; i < (end < 0 ? lines.length : end); i++) {
    const failed = /^FAIL (?:\S+ )?(\S+\.test\.ts)/.exec(lines[i]);
    if (failed) file = failed[1];
    if (!/^\s+● /.test(lines[i]) || /● Console$/.test(lines[i])) continue;
    const block = [`${lines[i].trim()}${file ? `  (${file})` : ''}`];
    for (let j = i + 1; j < lines.length && block.length <= maxLinesEach; j++) {
      if (/^\s+● /.test(lines[j]) || /^(Test Suites|Tests):/.test(lines[j].trim())) break;
      if (lines[j].trim()) block.push(`    ${lines[j].trim()}`);
    }
    out.push(block.join('\n'));
  }
  return out;
}

/** Run a command with this node, showing its output live and keeping a copy. */
function run(args, opts = {}) {
  return new Promise((resolve) => {
    const env = { ...process.env, ...(opts.env || {}) };
    if (process.stdout.isTTY && env.FORCE_COLOR === undefined) env.FORCE_COLOR = '1';
    const t0 = Date.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d) => { text += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { text += d; process.stderr.write(d); });
    child.on('error', (e) => resolve({ code: 1, ms: Date.now() - t0, text: String(e) }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), ms: Date.now() - t0, text }));
  });
}

async function tierTypecheck() {
  banner('typecheck: tsc -p tsconfig.json --noEmit');
  const r = await run([TSC, '-p', 'tsconfig.json', '--noEmit']);
  const errors = (r.text.match(/error TS\d+/g) || []).length;
  return { name: 'typecheck', status: r.code === 0 ? 'PASS' : 'FAIL', ms: r.ms, detail: r.code === 0 ? 'no errors' : `${errors} error(s)` };
}

async function tierFast(jestArgs) {
  banner('unit + ffi: jest --selectProjects unit ffi');
  const r = await run([JEST, '--selectProjects', 'unit', 'ffi', '--passWithNoTests', ...jestArgs]);
  return { name: 'unit+ffi', status: r.code === 0 ? 'PASS' : 'FAIL', ms: r.ms, detail: jestSummary(r.text) || `exit ${r.code}`, failures: jestFailures(r.text) };
}

async function tierPackage(jestArgs) {
  if (UNDER_WINE) return { name: 'package', status: 'SKIPPED', ms: 0, detail: WINDOWS_SKIPS.package };
  banner('package: npm pack, then jest --selectProjects package');
  const t0 = Date.now();
  let tarball;
  try {
    tarball = require('./pack').packTarball({ stderr: 'inherit' });
  } catch (e) {
    return { name: 'package', status: 'FAIL', ms: Date.now() - t0, detail: `npm pack failed: ${String(e.message).split('\n')[0]}` };
  }
  const r = await run([JEST, '--selectProjects', 'package', '--passWithNoTests', ...jestArgs], { env: { DO_TARBALL: tarball } });
  fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
  return { name: 'package', status: r.code === 0 ? 'PASS' : 'FAIL', ms: Date.now() - t0, detail: jestSummary(r.text) || `exit ${r.code}`, failures: jestFailures(r.text) };
}

/** Passed + failed + skipped + todo of a Jest summary ("Tests: 1 failed, 2 skipped, 40 passed, 43 total"). */
function jestTotal(detail) {
  const m = /Tests:[^|]*?(\d+) total/.exec(detail || '');
  return m ? Number(m[1]) : null;
}

async function tierWine(jestArgs, required, sel) {
  // --verbose lists every test by name, so the summary can count the ones waiting for Windows.
  const wineJest = ['--selectProjects', 'wine', '--runInBand', '--passWithNoTests', '--verbose', ...jestArgs];
  if (process.platform === 'win32') {
    if (sel !== WINE_BEDS[0]) return null; // the local node is the only bed
    banner('wine tier, natively on Windows: jest --selectProjects wine --runInBand');
    const r = await run([JEST, ...wineJest]);
    const detail = [jestSummary(r.text) || `exit ${r.code}`, waitingForWindows(r.text)].filter(Boolean).join(' | ');
    return { name: 'wine (native Windows)', status: r.code === 0 ? 'PASS' : 'FAIL', ms: r.ms, detail };
  }
  const testbed = require('./testbed');
  const bed = testbed.bedOf(sel);
  const name = `wine ${bed.label}`;
  banner(`${name}: jest --selectProjects wine --runInBand, Windows node.exe (${bed.arch}) under Wine (WINEARCH=${bed.winearch})`);
  const t0 = Date.now();
  try {
    testbed.ensureTestbed({ ...sel, quiet: false });
  } catch (e) {
    const reason = String(e.message).split('\n')[0];
    if (required) {
      process.stdout.write(`${name} tier FAILED: the test bed could not be set up (${required}): ${e.message}\n`);
      return { name, status: 'FAIL', ms: Date.now() - t0, detail: `set-up failed: ${reason}` };
    }
    process.stdout.write(`${name} tier SKIPPED: ${e.message}\n`);
    return { name, status: 'SKIPPED', ms: Date.now() - t0, detail: reason };
  }
  const setupMs = Date.now() - t0;
  testbed.stopWineserver(sel); // fresh services for each bed (x64 and WoW64 share a prefix)
  const runBed = async (args) => {
    const r = await testbed.runJest(args, { ...sel, quiet: true }); // runJest adds --selectProjects wine --runInBand
    let text = '';
    for (const f of [r.stdoutFile, r.stderrFile]) {
      try { text += fs.readFileSync(f, 'utf8'); } catch { /* none */ }
    }
    return { ...r, text };
  };
  const r = await runBed(wineJest.slice(3));
  const failures = jestFailures(r.text);
  const detail = [
    r.timedOut ? `watchdog timeout after ${secs(r.ms)}` : jestSummary(r.text) || `exit ${r.code}`,
    waitingForWindows(r.text),
    setupMs > 1000 ? `set-up ${secs(setupMs)}` : '',
  ].filter(Boolean).join(' | ');
  const result = { name, status: r.code === 0 ? 'PASS' : 'FAIL', ms: Date.now() - t0, detail, failures };
  const failedFiles = r.code === 0 || r.timedOut ? [] : failedTestFiles(r.text);
  if (failedFiles.length && failedFiles.length <= MAX_WINE_RETRY_FILES) {
    // Wine's BITS is an emulation that sometimes crashes or wedges (docs/testing.md): a failed file
    // runs once more, alone, on fresh services. Both results are reported; a test that fails twice fails.
    testbed.stopWineserver(sel);
    const again = await runBed([...failedFiles.map((f) => f.replace(/\//g, '[\\\\/]')), ...wineJest.slice(3)]);
    const retryDetail = `retried ${failedFiles.join(', ')}: ${jestSummary(again.text) || `exit ${again.code}`}`;
    result.detail += ` | ${retryDetail}`;
    if (again.code === 0) {
      result.status = 'PASS';
      result.failures = [];
      result.flaky = failures.map((f) => f.split('\n')[0]);
      result.detail = result.detail.replace(/Tests:(\s+)(\d+) failed, (\d+) passed/, (m, sp, failed, passed) => `Tests:${sp}${Number(passed) + Number(failed)} passed (${failed} after a retry)`);
    } else {
      result.failures = jestFailures(again.text);
    }
    result.ms = Date.now() - t0;
  }
  return result;
}

/**
 * The tests only real Windows can answer (test/wine/helpers.ts waitingForWindows: named
 * `[waiting for Windows] …`, skipped under Wine): how many were skipped here, or ran on Windows.
 */
function waitingForWindows(text) {
  const clean = stripAnsi(text);
  const skipped = (clean.match(/○ skipped \[waiting for Windows\]/g) || []).length;
  const ran = (clean.match(/[✓✕√×] \[waiting for Windows\]/g) || []).length;
  if (skipped) return `${skipped} waiting for Windows (skipped under Wine)`;
  return ran ? `${ran} waiting-for-Windows tests ran` : '';
}

/** At most this many failed files are retried; more means something is broken, not flaky. */
const MAX_WINE_RETRY_FILES = 2;

/** The test files Jest reported as failed ("FAIL wine test/wine/x.test.ts"), with forward slashes. */
function failedTestFiles(text) {
  const clean = stripAnsi(text);
  const files = new Set();
  for (const m of clean.matchAll(/^FAIL (?:wine )?(\S+\.test\.ts)/gm)) files.add(m[1].replace(/\\/g, '/'));
  return [...files];
}

/**
 * Every bed runs the same test files, so a bed that ran fewer tests than x64 lost some (a suite
 * that failed to load, a skip that should not be there): that fails the run.
 */
function checkSameCount(wineResults) {
  const ran = wineResults.filter((r) => r.status !== 'SKIPPED' && jestTotal(r.detail) !== null);
  const first = ran[0];
  if (!first) return;
  for (const r of ran.slice(1)) {
    if (jestTotal(r.detail) !== jestTotal(first.detail)) {
      r.status = 'FAIL';
      r.detail += ` | ran ${jestTotal(r.detail)} tests, ${first.name} ran ${jestTotal(first.detail)}`;
    }
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.windows && process.platform !== 'win32') return windowsUnderWine(opts);
  const t0 = Date.now();
  const wineRequired = opts.only === 'wine' ? 'npm run test:wine'
    : process.env.REQUIRE_WINE === '1' ? 'REQUIRE_WINE=1'
      : process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0' ? `CI=${process.env.CI}` : null;
  const results = [];
  if (!opts.only || opts.only === 'typecheck') results.push(await tierTypecheck());
  if (!opts.only || opts.only === 'fast') results.push(await tierFast(opts.jestArgs));
  if (!opts.only || opts.only === 'package') results.push(await tierPackage(opts.jestArgs));
  if (!opts.only || opts.only === 'wine') {
    const beds = process.platform === 'win32' ? [WINE_BEDS[0]]
      : WINE_BEDS.filter((b) => (!opts.arch || b.arch === opts.arch) && (!opts.winearch || b.winearch === opts.winearch));
    if (!beds.length) throw new Error(`no wine bed matches --arch ${opts.arch} --winearch ${opts.winearch}`);
    const wine = [];
    for (const bed of beds) {
      const r = await tierWine(opts.jestArgs, wineRequired, bed);
      if (r) wine.push(r);
      // no Wine at all: the other beds would say the same
      if (r && r.status === 'SKIPPED' && bed.arch === 'x64') break;
    }
    checkSameCount(wine);
    results.push(...wine);
  }

  const failed = results.some((r) => r.status === 'FAIL');
  const failures = results.flatMap((r) => (r.failures || []).map((f) => `[${r.name}] ${f}`));
  const flaky = results.flatMap((r) => (r.flaky || []).map((f) => `[${r.name}] ${f}`));
  if (flaky.length) process.stdout.write(`\n=== failed once, passed when retried alone (Wine flake: see docs/testing.md) ===\n${flaky.join('\n')}\n`);
  if (failures.length) process.stdout.write(`\n=== failed tests ===\n${failures.slice(0, 12).join('\n')}\n`);
  const w = Math.max(5, ...results.map((r) => r.name.length));
  const lines = results.map((r) => `  ${r.name.padEnd(w)}  ${r.status.padEnd(7)}  ${secs(r.ms).padStart(7)}  ${r.detail}`);
  process.stdout.write(`\n=== test summary ===\n${lines.join('\n')}\n  ${'total'.padEnd(w)}  ${(failed ? 'FAIL' : 'PASS').padEnd(7)}  ${secs(Date.now() - t0).padStart(7)}\n`);
  // One plain line with the totals over every Jest run, for tools that read the closing line.
  const totals = { passed: 0, failed: 0, skipped: 0 };
  for (const r of results) {
    const tests = /Tests:\s+([^|]*)/.exec(r.detail || '');
    if (!tests) continue;
    for (const key of Object.keys(totals)) {
      const m = new RegExp(`(\\d+) ${key}`).exec(tests[1]);
      if (m) totals[key] += Number(m[1]);
    }
  }
  if (process.platform === 'win32') printWindowsSkips(results);
  process.stdout.write(`tests: ${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}\n`);
  return failed ? 1 : 0;
}

/** Set by `--windows` on Linux for the Windows node it starts under Wine. */
const UNDER_WINE = process.platform === 'win32' && process.env.DO_TEST_UNDER_WINE === '1';

/** Why each part that does not run in the Windows run under Wine is skipped. */
const WINDOWS_SKIPS = {
  package: 'the Wine bed has node.exe only, no npm to pack the tarball and install it in fresh projects (runs on a real Windows runner)',
};

/**
 * The Windows run's skips: whole tiers (WINDOWS_SKIPS), then single tests, whose reasons are
 * the `skipOnWindows('reason')` / `WINDOWS_ONLY_SKIP` markers of the test files (test/support/platform.ts).
 */
function printWindowsSkips(results) {
  const tiers = results.filter((r) => r.status === 'SKIPPED').map((r) => `${r.name} tier: ${r.detail}`);
  const tests = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const f = path.join(dir, e.name);
      if (e.isDirectory()) walk(f);
      else if (e.name.endsWith('.test.ts')) {
        for (const m of fs.readFileSync(f, 'utf8').matchAll(/skip(OnWindows|UnderWine|OnIa32Host)\(\s*'([^']+)'/g)) {
          if ((m[1] === 'UnderWine' && !UNDER_WINE) || (m[1] === 'OnIa32Host' && process.arch !== 'ia32')) continue;
          tests.push(`${path.relative(ROOT, f).replace(/\\/g, '/')}: ${m[2]}`);
        }
      }
    }
  };
  walk(path.join(ROOT, 'test', 'unit'));
  walk(path.join(ROOT, 'test', 'ffi'));
  const all = [...tiers, ...tests];
  process.stdout.write(`\n=== skipped on Windows: ${all.length} (${tiers.length} tier(s), ${tests.length} test marker(s); Jest counts each test a marker skips) ===\n${all.map((l) => `  - ${l}`).join('\n')}\n`);
}

/**
 * `--windows` on Linux: this script again, run by Windows node under Wine, once per arch (x64, then
 * ia32 on WoW64), with stdio to files (testbed runNode). Its own summary is shown as it runs; here
 * one line per arch, with the skips that run counted.
 */
async function windowsUnderWine(opts) {
  const testbed = require('./testbed');
  const t0 = Date.now();
  const arches = opts.arch ? [opts.arch] : ['x64', 'ia32'];
  const rows = [];
  for (const arch of arches) {
    const sel = { arch, winearch: 'win64' };
    banner(`Windows run (${arch}): node scripts/test.js with Windows node.exe under Wine`);
    const t1 = Date.now();
    try {
      testbed.ensureTestbed({ ...sel, quiet: false });
    } catch (e) {
      rows.push({ name: `windows ${arch}`, status: 'FAIL', ms: Date.now() - t1, detail: `set-up failed: ${String(e.message).split('\n')[0]}` });
      continue;
    }
    testbed.stopWineserver(sel);
    const inner = [testbed.toWinPath(__filename), ...(opts.only ? ['--only', opts.only] : []), '--', ...opts.jestArgs];
    const r = await testbed.runNode(inner, {
      ...sel, quiet: true, name: `test-windows-${arch}`, cwd: ROOT, env: { DO_TEST_UNDER_WINE: '1' },
      timeoutMs: Number(process.env.TESTBED_TIMEOUT) > 0 ? Number(process.env.TESTBED_TIMEOUT) * 1000 : 40 * 60 * 1000,
    });
    let text = '';
    try { text = stripAnsi(fs.readFileSync(r.stdoutFile, 'utf8')); } catch { /* none */ }
    const last = (re) => text.split(/\r?\n/).filter((l) => re.test(l)).pop() || '';
    const detail = [r.timedOut ? `watchdog timeout after ${secs(r.ms)}` : '', last(/^tests: /), last(/^=== skipped on Windows: /).replace(/=/g, '').trim()]
      .filter(Boolean).join(' | ') || `exit ${r.code}`;
    rows.push({ name: `windows ${arch}`, status: r.code === 0 ? 'PASS' : 'FAIL', ms: Date.now() - t1, detail });
  }
  const failed = rows.some((r) => r.status === 'FAIL');
  const lines = rows.map((r) => `  ${r.name.padEnd(12)}  ${r.status.padEnd(7)}  ${secs(r.ms).padStart(7)}  ${r.detail}`);
  process.stdout.write(`\n=== Windows runs (under Wine) ===\n${lines.join('\n')}\n  ${'total'.padEnd(12)}  ${(failed ? 'FAIL' : 'PASS').padEnd(7)}  ${secs(Date.now() - t0).padStart(7)}\n`);
  return failed ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (e) => {
  process.stderr.write(`scripts/test.js: ${e && e.stack || e}\n`);
  process.exitCode = 1;
});

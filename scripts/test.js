#!/usr/bin/env node
'use strict';
/**
 * `npm test`: every test tier, then a summary (docs/testing.md).
 *
 *   1. typecheck  tsc -p tsconfig.json --noEmit
 *   2. unit+ffi   jest --selectProjects unit ffi           (this node)
 *   3. wine       jest --selectProjects wine --runInBand   (Windows node.exe under Wine, scripts/testbed.js;
 *                 on Windows itself: with this node, natively; these are the "real Windows" tests)
 *
 * When Wine cannot be had (not Linux, not Debian, not root, apt or npm failed) the wine tier is
 * reported as "wine tier SKIPPED: <reason>" and the exit code is that of the other tiers, unless
 * CI is set or REQUIRE_WINE=1: then it is a failure.
 *
 * usage: node scripts/test.js [--only typecheck|fast|wine] [-- <extra jest args for every Jest run>]
 *   npm test              all tiers
 *   npm run test:wine     = node scripts/test.js --only wine (Wine is required then)
 */
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const JEST = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

function parseArgs(argv) {
  const o = { only: null, jestArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { o.jestArgs = argv.slice(i + 1); break; }
    if (a === '--only') o.only = argv[++i];
    else if (a.startsWith('--only=')) o.only = a.slice(7);
    else o.jestArgs.push(a);
  }
  if (o.only && !['typecheck', 'fast', 'wine'].includes(o.only)) {
    throw new Error(`--only must be typecheck, fast or wine (got ${o.only})`);
  }
  return o;
}

const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

function banner(title) {
  process.stdout.write(`\n=== ${title} ===\n`);
}

/** The Jest summary lines ("Test Suites: …", "Tests: …", or "No tests found…") of an output. */
function jestSummary(text) {
  const clean = text.replace(/\x1b\[[0-9;]*m/g, '');
  const lines = clean.split(/\r?\n/);
  const pick = (re) => lines.filter((l) => re.test(l)).pop();
  const parts = [pick(/^Test Suites:/), pick(/^Tests:/)].filter(Boolean);
  if (!parts.length) {
    const none = pick(/No tests found/);
    if (none) parts.push(none.trim());
  }
  return parts.join(' | ');
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
  return { name: 'unit+ffi', status: r.code === 0 ? 'PASS' : 'FAIL', ms: r.ms, detail: jestSummary(r.text) || `exit ${r.code}` };
}

async function tierWine(jestArgs, required) {
  const wineJest = ['--selectProjects', 'wine', '--runInBand', '--passWithNoTests', ...jestArgs];
  if (process.platform === 'win32') {
    banner('wine tier, natively on Windows: jest --selectProjects wine --runInBand');
    const r = await run([JEST, ...wineJest]);
    return { name: 'wine (native Windows)', status: r.code === 0 ? 'PASS' : 'FAIL', ms: r.ms, detail: jestSummary(r.text) || `exit ${r.code}` };
  }
  banner('wine: jest --selectProjects wine --runInBand, Windows node.exe under Wine');
  const testbed = require('./testbed');
  const t0 = Date.now();
  try {
    testbed.ensureTestbed({ quiet: false });
  } catch (e) {
    const reason = String(e.message).split('\n')[0];
    if (required) {
      process.stdout.write(`wine tier FAILED: the test bed could not be set up (${required}): ${e.message}\n`);
      return { name: 'wine', status: 'FAIL', ms: Date.now() - t0, detail: `set-up failed: ${reason}` };
    }
    process.stdout.write(`wine tier SKIPPED: ${e.message}\n`);
    return { name: 'wine', status: 'SKIPPED', ms: Date.now() - t0, detail: reason };
  }
  const setupMs = Date.now() - t0;
  const r = await testbed.runJest(wineJest.slice(3), { quiet: true }); // runJest adds --selectProjects wine --runInBand
  let text = '';
  for (const f of [r.stdoutFile, r.stderrFile]) {
    try { text += fs.readFileSync(f, 'utf8'); } catch { /* none */ }
  }
  const detail = [
    r.timedOut ? `watchdog timeout after ${secs(r.ms)}` : jestSummary(text) || `exit ${r.code}`,
    setupMs > 1000 ? `set-up ${secs(setupMs)}` : '',
  ].filter(Boolean).join(' | ');
  return { name: 'wine', status: r.code === 0 ? 'PASS' : 'FAIL', ms: Date.now() - t0, detail };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  const wineRequired = opts.only === 'wine' ? 'npm run test:wine'
    : process.env.REQUIRE_WINE === '1' ? 'REQUIRE_WINE=1'
      : process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0' ? `CI=${process.env.CI}` : null;
  const results = [];
  if (!opts.only || opts.only === 'typecheck') results.push(await tierTypecheck());
  if (!opts.only || opts.only === 'fast') results.push(await tierFast(opts.jestArgs));
  if (!opts.only || opts.only === 'wine') results.push(await tierWine(opts.jestArgs, wineRequired));

  const failed = results.some((r) => r.status === 'FAIL');
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
  process.stdout.write(`tests: ${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}\n`);
  return failed ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (e) => {
  process.stderr.write(`scripts/test.js: ${e && e.stack || e}\n`);
  process.exitCode = 1;
});

#!/usr/bin/env node
'use strict';
/**
 * The ffi tier, N times in a row, under background CPU load (issue 10, acceptance 4): a flaky
 * test shows up here rather than in someone's CI. Each run is a fresh `jest --selectProjects ffi`;
 * the load is one busy worker thread per core (or --load), spinning for the whole soak.
 *
 *   node scripts/ffi-soak.js [--runs 10] [--load <workers>] [-- <more jest args, e.g. a test path>]
 *   npm run test:ffi-soak -- --runs 3
 *
 * Prints one line per run (PASS/FAIL, Jest's test counts, time, the failed tests' names), then a
 * final line; exits 1 when any run failed. Each run's full output is kept in a temporary folder
 * (its path is printed) for the failures, with Jest's JSON results (run-<i>.json).
 */
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Worker } = require('worker_threads');

const root = path.resolve(__dirname, '..');
const argv = process.argv.slice(2);
const dashdash = argv.indexOf('--');
const own = dashdash === -1 ? argv : argv.slice(0, dashdash);
const jestExtra = dashdash === -1 ? [] : argv.slice(dashdash + 1);

function option(name, fallback) {
  const i = own.indexOf(name);
  if (i === -1) return fallback;
  const value = Number(own[i + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} needs a whole number, got ${own[i + 1]}`);
  return value;
}

const runs = option('--runs', 10);
const load = option('--load', os.cpus().length);
const logs = fs.mkdtempSync(path.join(os.tmpdir(), 'ffi-soak-'));

/** One busy thread: the machine stays loaded while Jest runs (its workers compete for the cores). */
function startLoad(count) {
  const spin = 'const { parentPort } = require("worker_threads"); let stop = false; parentPort.on("message", () => { stop = true; });' +
    ' (function loop() { const until = Date.now() + 50; while (Date.now() < until); if (!stop) setImmediate(loop); })();';
  return Array.from({ length: count }, () => new Worker(spin, { eval: true }));
}

function runJest(i) {
  const log = path.join(logs, `run-${i}.log`);
  const started = Date.now();
  return new Promise((resolve) => {
    const out = fs.openSync(log, 'w');
    // --json --outputFile: each run's results per test as well (scripts/ffi-census.js counts them).
    const json = path.join(logs, `run-${i}.json`);
    const child = spawn(process.execPath, [path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--selectProjects', 'ffi', '--ci', '--json', '--outputFile', json, ...jestExtra], {
      cwd: root,
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    child.on('close', (code) => {
      const text = fs.readFileSync(log, 'utf8');
      const counts = /^Tests:\s+(.*)$/m.exec(text)?.[1] ?? 'no test summary';
      let failed = [];
      try {
        const results = JSON.parse(fs.readFileSync(json, 'utf8')).testResults;
        for (const file of results) {
          const name = path.relative(root, file.name);
          const tests = file.assertionResults.filter((a) => a.status === 'failed').map((a) => `${name}: ${a.fullName}`);
          // A file that failed outside its tests (a hook, a crash) has no failed test to name.
          failed.push(...(tests.length > 0 || file.status !== 'failed' ? tests : [`${name}: ${(file.message || 'failed').split('\n').find((l) => l.trim()) ?? 'failed'}`]));
        }
      } catch {
        failed = code === 0 ? [] : ['(no JSON results: see the log)'];
      }
      resolve({ code, counts, failed, seconds: Math.round((Date.now() - started) / 1000), log });
    });
  });
}

async function main() {
  const workers = startLoad(load);
  const started = Date.now();
  let failures = 0;
  console.log(`ffi soak: ${runs} run(s) of jest --selectProjects ffi ${jestExtra.join(' ')}, ${load} busy worker(s) on ${os.cpus().length} core(s); logs in ${logs}`);
  try {
    for (let i = 1; i <= runs; i++) {
      const r = await runJest(i);
      const ok = r.code === 0;
      if (!ok) failures++;
      console.log(`run ${i}/${runs}: ${ok ? 'PASS' : 'FAIL'}  ${r.counts}  ${r.seconds} s${ok ? '' : `  (exit ${r.code}, ${r.log})`}`);
      for (const name of r.failed) console.log(`    ✕ ${name}`);
    }
  } finally {
    for (const w of workers) w.postMessage('stop');
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const minutes = ((Date.now() - started) / 60000).toFixed(1);
  console.log(`ffi soak: ${runs - failures}/${runs} runs passed, ${failures} failed, under ${load} busy worker(s), ${minutes} min`);
  process.exitCode = failures === 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

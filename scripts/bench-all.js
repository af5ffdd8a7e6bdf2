#!/usr/bin/env node
'use strict';
/**
 * bench:all — runs every benchmark, then prints one table of their figures (median, spread over
 * rounds, goal) with the machine and its noise. `--runs=N` runs the whole set N times in a row (the
 * machine is shared: a figure counts when its runs agree). `--json=<file>` writes every result as
 * JSON. `--write-docs` stores them in docs/performance.json (with --only, only the benchmarks that
 * ran are replaced, run by run) and writes docs/performance.md and its pictures from that file
 * (scripts/bench/report.js: nothing in the page is copied by hand). `--smoke` runs the short modes
 * (CI's `bench:smoke`): the table then only shows that every benchmark still runs.
 *   npm run bench:all [-- --smoke] [-- --runs=2 | --run=N] [-- --write-docs] [-- --json=<file>] [-- --wine-parts=wait]
 *                     [-- --only=dispatch,startup,stream,memory,curves,wine,wine-ia32]
 * Exit code: non-zero when a benchmark failed (crashed, unbalanced counters), not for a missed goal.
 * A new benchmark only has to be listed in BENCHES and write its Report (scripts/bench/harness.js)
 * to BENCH_RESULT_FILE: its figures, curves and goals then appear in the table and the page.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const smoke = process.argv.includes('--smoke');
const writeDocs = process.argv.includes('--write-docs');
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const jsonArg = process.argv.find((a) => a.startsWith('--json='));
const runsArg = process.argv.find((a) => a.startsWith('--runs='));
const runCount = runsArg ? Math.max(1, Number(runsArg.slice(7)) || 1) : 1;
/** --run=N: the results are run N (1-based) in docs/performance.json, e.g. to redo one run's benchmarks with --only. */
const runArg = process.argv.find((a) => a.startsWith('--run='));
/** --wine-parts=wait,…: only those parts of bench:wine (its other results in docs/performance.json are kept). */
const wineParts = process.argv.find((a) => a.startsWith('--wine-parts='));
const firstRun = runArg ? Math.max(1, Number(runArg.slice(6)) || 1) - 1 : 0;
const { writeReport } = require('./bench/report');

const BENCHES = [
  { name: 'dispatch', script: 'bench:dispatch', what: 'our vtable call helper against raw koffi on the same native slot (CPU time, alternating blocks)' },
  { name: 'startup', script: 'bench:startup', what: 'require and the CLI against a bare `node -e 0`, fresh processes' },
  { name: 'stream', script: 'bench:stream', what: 'DODownload.stream() on the testing fake against fs.writeSync of the same chunks (wall and CPU time)' },
  { name: 'memory', script: 'bench:memory', what: '10⁶ calls + 10⁴ job cycles through the testing fake: what the library owns vs the allocator' },
  { name: 'curves', script: 'bench:curves', what: "the library's cost per item at 10 / 100 / 1,000 jobs and 1 / 100 / 1,000 files, on the fake service (no Wine, no RPC)" },
  { name: 'wine', script: 'bench:wine', what: "Wine's real BITS service: per call vs a native C client, scale, event latency, cost of waiting" },
  { name: 'wine-ia32', script: 'bench:wine', args: ['--arch', 'ia32'], what: 'the same with 32-bit node and a 32-bit native client, against the 64-bit service (WoW64)' },
];
const selected = onlyArg ? BENCHES.filter((b) => onlyArg.slice(7).split(',').includes(b.name)) : BENCHES;

function machine() {
  const cpus = os.cpus();
  let wine = null;
  const w = spawnSync('wine', ['--version'], { encoding: 'utf8' });
  if (w.status === 0) wine = w.stdout.trim();
  let distro = os.type();
  try {
    const rel = fs.readFileSync('/etc/os-release', 'utf8');
    distro = (/^PRETTY_NAME="?([^"\n]+)"?/m.exec(rel) || [])[1] || distro;
  } catch { /* not Linux */ }
  return {
    host: `${distro}, ${os.arch()}, kernel ${os.release()}`,
    cpu: `${cpus.length} × ${cpus[0] ? cpus[0].model.trim() : 'unknown CPU'}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
    node: process.version,
    wine,
  };
}

function run(bench, dir) {
  const file = path.join(dir, `${bench.name}.json`);
  const args = ['run', '-s', bench.script, '--', ...(smoke ? ['--smoke'] : []), ...(bench.args || []),
    ...(wineParts && bench.script === 'bench:wine' ? [`--parts=${wineParts.slice(13)}`] : [])];
  console.log(`\n::: npm ${args.join(' ')}`);
  const t0 = Date.now();
  const started = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const load0 = os.loadavg()[0];
  const r = spawnSync('npm', args, { stdio: 'inherit', cwd: root, env: { ...process.env, BENCH_RESULT_FILE: file } });
  const results = [];
  for (const f of fs.readdirSync(dir).filter((x) => x === `${bench.name}.json` || x.startsWith(`${bench.name}.json.`)).sort((a, b) => a.length - b.length || a.localeCompare(b))) {
    results.push(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
    fs.rmSync(path.join(dir, f));
  }
  return {
    name: bench.name, command: `npm run ${[bench.script, ...(bench.args ? ['--', ...bench.args] : [])].join(' ')}`, what: bench.what,
    started, smoke, status: r.status, seconds: (Date.now() - t0) / 1000, load: [load0, os.loadavg()[0]], results,
  };
}

function fmt(v, digits) {
  return typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : String(v);
}

function rows(benches) {
  const out = [];
  for (const run of benches) {
    for (const result of run.results) {
      for (const f of result.figures) {
        out.push({
          bench: result.bench,
          figure: f.name,
          median: `${fmt(f.median, f.digits)}${f.unit}`,
          spread: f.n > 1 ? `${fmt(f.lo, f.digits)} – ${fmt(f.hi, f.digits)} (${f.n})` : '—',
          goal: f.goal === undefined ? '' : `${f.atLeast ? '≥' : '≤'} ${fmt(f.goal, f.digits)}${f.unit}`,
          verdict: f.met === null ? '' : f.met ? 'met' : `missed by ${fmt(Math.abs(f.median - f.goal), f.digits)}${f.unit}`,
          text: f.text,
          noise: result.noisePct,
        });
      }
    }
  }
  return out;
}

function printTable(table) {
  const cols = ['bench', 'figure', 'median', 'spread', 'goal', 'verdict'];
  const width = Object.fromEntries(cols.map((c) => [c, Math.max(c.length, ...table.map((r) => String(r[c]).length))]));
  const line = (r) => cols.map((c) => String(r[c]).padEnd(width[c])).join('  ');
  console.log(`\n${line(Object.fromEntries(cols.map((c) => [c, c])))}`);
  for (const r of table) console.log(line(r));
}

/** docs/performance.json with the benchmarks of these runs replaced (the others kept, run by run). */
function mergeIntoDocs(m, runs) {
  const file = path.join(root, 'docs', 'performance.json');
  const old = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : { runs: [] };
  const data = { machine: m, runs: [] };
  for (let i = 0; i < Math.max(firstRun + runs.length, onlyArg ? old.runs.length : 0); i++) {
    const fresh = runs[i - firstRun] ? runs[i - firstRun].benches : [];
    const before = (onlyArg && old.runs[i] ? old.runs[i].benches : []);
    const kept = before.filter((b) => !fresh.some((f) => f.name === b.name));
    // a benchmark run in part (--wine-parts) keeps the results of its other parts
    const merged = fresh.map((f) => {
      const prior = wineParts && before.find((b) => b.name === f.name);
      if (!prior) return f;
      const results = prior.results.map((r) => f.results.find((x) => x.bench === r.bench) || r);
      return { ...f, results: [...results, ...f.results.filter((x) => !results.includes(x))] };
    });
    const order = (b) => BENCHES.findIndex((x) => x.name === b.name);
    data.runs.push({ benches: [...kept, ...merged].sort((a, b) => order(a) - order(b)) });
  }
  fs.writeFileSync(file, `${JSON.stringify(data, null, 1)}\n`);
  return data;
}

function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'do-bench-all-'));
  const runs = [];
  let failed = 0;
  try {
    for (let i = 0; i < runCount; i++) {
      if (runCount > 1) console.log(`\n::::: run ${i + 1} of ${runCount}`);
      const benches = [];
      for (const bench of selected) {
        const r = run(bench, dir);
        benches.push(r);
        if (r.status !== 0) {
          failed++;
          console.log(`::: ${bench.script} FAILED (exit ${r.status})`);
        }
      }
      runs.push({ benches });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const m = machine();
  console.log(`\nmachine: ${m.host}; ${m.cpu}; ${m.memory}; node ${m.node}${m.wine ? `; ${m.wine}` : ''}`);
  runs.forEach((r, i) => {
    if (runCount > 1) console.log(`\nrun ${i + 1}:`);
    printTable(rows(r.benches));
    for (const b of r.benches) for (const x of b.results) if (x.noisePct !== null) console.log(`noise ${x.bench}: ${fmt(x.noisePct, 0)} %`);
  });
  if (jsonArg) {
    fs.writeFileSync(path.resolve(jsonArg.slice(7)), `${JSON.stringify({ machine: m, runs }, null, 1)}\n`);
    console.log(`wrote ${jsonArg.slice(7)}`);
  }
  if (writeDocs) {
    const written = writeReport(mergeIntoDocs(m, runs));
    console.log(`wrote docs/performance.json, ${written.map((f) => `docs/${f}`).join(', ')}`);
  }
  console.log(`\nbenchmarks: ${selected.length * runCount - failed} of ${selected.length * runCount} ran cleanly`);
  process.exitCode = failed ? 1 : 0;
}

main();

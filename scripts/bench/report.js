#!/usr/bin/env node
'use strict';
/**
 * docs/performance.md and its pictures, from the JSON that `bench:all` writes (docs/performance.json):
 *   node scripts/bench/report.js [data.json] [--out=<folder>]     (defaults: docs/performance.json, docs/)
 * Nothing in the page is copied by hand: tables, curves (docs/performance-curves.svg) and the call
 * timeline (docs/performance-trace.svg) all come from the data; docs/performance-notes.md is
 * appended as it is. Every figure shows each run beside the others (the machine is shared: a
 * figure is only as good as its runs agree). Plain CommonJS, no dependencies, deterministic output
 * (test/unit/bench-report.test.ts checks that the committed pages match the committed data).
 */
const fs = require('fs');
const path = require('path');
const { curvesSvg, traceSvg } = require('./report-svg');

const root = path.resolve(__dirname, '..', '..');

function fmt(v, digits) {
  if (v === null || v === undefined) return '—'; // NaN in the data (JSON has no NaN)
  return typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : String(v);
}
const esc = (s) => String(s).replace(/\|/g, '\\|');

/** Every result of every run, keyed by `<bench>/<figure>` etc., in first-seen order. */
function collect(data) {
  const figures = new Map();
  const facts = new Map();
  const curves = new Map();
  const dense = () => Array.from({ length: data.runs.length }, () => undefined);
  data.runs.forEach((run, i) => {
    for (const b of run.benches) {
      for (const result of b.results) {
        for (const f of result.figures) {
          const key = `${result.bench}\u0000${f.name}`;
          if (!figures.has(key)) figures.set(key, { bench: result.bench, f, runs: dense() });
          figures.get(key).runs[i] = f;
        }
        for (const f of result.facts) {
          const key = `${result.bench}\u0000${f.name}`;
          if (!facts.has(key)) facts.set(key, { bench: result.bench, f, runs: dense() });
          facts.get(key).runs[i] = f;
        }
        for (const c of result.curves || []) {
          const key = `${result.bench}\u0000${c.name}`;
          if (!curves.has(key)) curves.set(key, { bench: result.bench, c, runs: dense() });
          curves.get(key).runs[i] = c;
        }
      }
    }
  });
  return { figures: [...figures.values()], facts: [...facts.values()], curves: [...curves.values()] };
}

function median(f) {
  return f ? `${fmt(f.median, f.digits)}${f.unit}` : '—';
}
function spread(f) {
  return f && f.n > 1 ? `${fmt(f.lo, f.digits)} – ${fmt(f.hi, f.digits)} (${f.n})` : '—';
}
/** The spreads of a row's runs, or nothing when no run has one (a single value). */
function spreads(row) {
  const s = row.runs.map(spread);
  return s.every((x) => x === '—') ? '' : s.join('; ');
}
function goalOf(f) {
  return f.goal === undefined || f.goal === null ? '' : `${f.atLeast ? '≥' : '≤'} ${fmt(f.goal, f.digits)}${f.unit}`;
}
/** met / missed by how much, per run. */
function verdict(row) {
  const parts = row.runs.map((f) => (!f || f.met === null || f.met === undefined ? '—' : f.met ? 'met' : `missed by ${fmt(Math.abs(f.median - f.goal), f.digits)}${f.unit}`));
  if (parts.every((p) => p === 'met')) return 'met';
  return parts.join(' / ');
}

function machineSection(data, lines) {
  const m = data.machine;
  lines.push('## Machine', '');
  lines.push(`* ${m.host}; ${m.cpu}; ${m.memory} RAM; Linux node ${m.node}${m.wine ? `; ${m.wine} with Windows node 22 for \`bench:wine\`` : ''}.`);
  lines.push('* The machine was shared with other work while the benchmarks ran (two cores for several');
  lines.push('  processes): each figure is given for every run, and the load average and calibration noise per');
  lines.push('  benchmark say how busy the machine was.', '');
  lines.push('| run | benchmark | command | started | took | load average (start → end) | noise (calibration spread) |', '|---|---|---|---|---|---|---|');
  data.runs.forEach((run, i) => {
    for (const b of run.benches) {
      const noise = b.results.map((x) => (x.noisePct === null ? null : `${fmt(x.noisePct, 0)} %`)).filter(Boolean).join(', ') || '—';
      lines.push(`| ${i + 1} | ${b.name} | \`${b.command}\` | ${b.started}${b.smoke ? ' (smoke)' : ''} | ${fmt(b.seconds, 0)} s | ${fmt(b.load[0], 1)} → ${fmt(b.load[1], 1)} | ${noise} |`);
    }
  });
}

function curveTable(entry, runCount, lines) {
  const { bench, c } = entry;
  lines.push(`#### ${bench}: ${c.title} (${c.perItemUnit})`, '');
  const series = c.series.map((s) => s.name);
  const head = ['size'];
  for (const s of series) head.push(`${s}: per item`, `${s}: marginal`);
  lines.push(`| ${head.map(esc).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
  const sizes = [...new Set(entry.runs.filter(Boolean).flatMap((r) => r.series.flatMap((s) => s.points.map((p) => p.x))))].sort((a, b) => a - b);
  for (const x of sizes) {
    const cells = [`${x} ${c.xLabel}`];
    for (const name of series) {
      const per = [];
      const marg = [];
      for (let i = 0; i < runCount; i++) {
        const s = entry.runs[i] && entry.runs[i].series.find((y) => y.name === name);
        const p = s && s.points.find((q) => q.x === x);
        per.push(p ? fmt(p.perItem.median, c.digits) : '—');
        marg.push(p && p.marginal ? fmt(p.marginal.median, c.digits) : '—');
      }
      cells.push(per.join(' / '), marg.join(' / '));
    }
    lines.push(`| ${cells.map(esc).join(' | ')} |`);
  }
  const fits = [];
  const growths = [];
  for (const name of series) {
    const f = [];
    const g = [];
    for (let i = 0; i < runCount; i++) {
      const s = entry.runs[i] && entry.runs[i].series.find((y) => y.name === name);
      f.push(s ? fmt(s.fit.perItem, c.digits) : '—');
      g.push(s ? fmt(s.growth, 2) : '—');
    }
    fits.push(`${name} ${f.join(' / ')}`);
    growths.push(`${name} ${g.join(' / ')}`);
  }
  lines.push('', `Fitted cost per item (least squares over the sizes): ${fits.join('; ')}. Growth (last step's marginal cost / first step's; 1.00 = linear): ${growths.join('; ')}.`, '');
}

/** docs/performance.md from the data and the hand-written notes. */
function markdown(data, notes, pictures) {
  const { figures, facts, curves } = collect(data);
  const runCount = data.runs.length;
  const runs = runCount === 1 ? 'run 1' : Array.from({ length: runCount }, (_, i) => `run ${i + 1}`).join(' / ');
  const lines = [];
  lines.push('# Performance', '');
  lines.push('<!-- Generated by `npm run bench:all -- --write-docs` (scripts/bench/report.js, from docs/performance.json). Do not edit by hand: rerun it, or `node scripts/bench/report.js` after editing performance-notes.md. -->', '');
  lines.push('Every benchmark runs its variants in **interleaved rounds** (the order rotates each round), so a busy');
  lines.push('moment of a shared machine hits all of them alike, and reports the **median** with the **spread**');
  lines.push('(lowest – highest round; the number of rounds in brackets). Ratios are taken per round, against a');
  lines.push('reference measured in the same run (raw koffi, `node -e 0`, a native C client), never against a');
  lines.push('figure from another day. Each run also times a fixed pure-JS calibration loop in every round: its');
  lines.push('spread is the **noise** of the machine during that run. A missed goal is a result (printed as');
  lines.push('such), not a failure; a benchmark fails only when something breaks (a crash, unbalanced COM');
  lines.push(`counters). \`npm run bench:smoke\` (CI) runs them all in a short mode. Figures are given as ${runs}.`, '');
  machineSection(data, lines);

  lines.push('', '## Goals', '');
  lines.push(`| benchmark | figure | goal | ${runs}: median | spread (rounds) | verdict | what |`, '|---|---|---|---|---|---|---|');
  for (const row of figures.filter((r) => goalOf(r.f))) {
    lines.push(`| ${row.bench} | \`${row.f.name}\` | ${esc(goalOf(row.f))} | ${esc(row.runs.map(median).join(' / '))} | ${esc(spreads(row))} | ${esc(verdict(row))} | ${esc(row.f.text)} |`);
  }

  if (curves.length) {
    lines.push('', '## Growth curves', '');
    lines.push('Each measure at three or four sizes. **Per item** is the total divided by the size; **marginal** is');
    lines.push('what each added item cost from the previous size (fixed costs drop out): a flat marginal cost is a');
    lines.push(`linear curve. Cells are ${runs}.`, '');
    if (pictures.curves) lines.push(`![Cost per item against size, every curve](${pictures.curves})`, '');
    for (const entry of curves) curveTable(entry, runCount, lines);
  }
  if (pictures.trace) {
    lines.push('## Does Wine\'s BITS answer calls in parallel?', '');
    lines.push('20 ms from the middle of the native client\'s per-call traces, one thread and four threads, at the');
    lines.push('largest size of `wine_scale` (each bar is one call, from its start to its end on that thread; the');
    lines.push('`trace_*` facts below summarise the whole traces):', '');
    lines.push(`![Per-call timeline of the native client, one thread and four threads](${pictures.trace})`, '');
  }

  lines.push('## All figures', '');
  lines.push(`| benchmark | figure | ${runs}: median | spread (rounds) | goal | what |`, '|---|---|---|---|---|---|');
  for (const row of figures) {
    lines.push(`| ${row.bench} | \`${row.f.name}\` | ${esc(row.runs.map(median).join(' / '))} | ${esc(spreads(row))} | ${esc(goalOf(row.f))} | ${esc(row.f.text)} |`);
  }
  if (facts.length) {
    lines.push('', `| benchmark | fact | ${runs} | what |`, '|---|---|---|---|');
    for (const row of facts) lines.push(`| ${row.bench} | \`${row.f.name}\` | ${esc(row.runs.map((f) => (f ? f.value : '—')).join(' / '))} | ${esc(row.f.text)} |`);
  }
  lines.push('', '## The benchmarks', '');
  const seen = new Set();
  for (const run of data.runs) {
    for (const b of run.benches) {
      if (seen.has(b.name)) continue;
      seen.add(b.name);
      lines.push(`* \`${b.command}\` — ${b.what}.`);
    }
  }
  if (notes) lines.push('', notes.trim());
  lines.push('');
  return lines.join('\n');
}

/** Every file the report consists of: { 'performance.md': text, … }. */
function generate(data, notes) {
  const all = data.runs.flatMap((r) => r.benches.flatMap((b) => b.results));
  const files = {};
  const pictures = {};
  const curves = curvesSvg(data);
  if (curves) {
    files['performance-curves.svg'] = curves;
    pictures.curves = 'performance-curves.svg';
  }
  const trace = traceSvg(all.filter((r) => (r.traces || []).length));
  if (trace) {
    files['performance-trace.svg'] = trace;
    pictures.trace = 'performance-trace.svg';
  }
  files['performance.md'] = markdown(data, notes, pictures);
  return files;
}

function notesText(dir) {
  const file = path.join(dir, 'performance-notes.md');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

function writeReport(data, dir = path.join(root, 'docs')) {
  const files = generate(data, notesText(dir));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return Object.keys(files);
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const outArg = args.find((a) => a.startsWith('--out='));
  const dir = outArg ? path.resolve(outArg.slice(6)) : path.join(root, 'docs');
  const file = args.find((a) => !a.startsWith('--')) || path.join(root, 'docs', 'performance.json');
  const written = writeReport(JSON.parse(fs.readFileSync(file, 'utf8')), dir);
  console.log(`wrote ${written.map((f) => path.join(path.relative(root, dir), f)).join(', ')}`);
}

module.exports = { generate, writeReport, notesText, collect };

'use strict';
/**
 * What every benchmark shares, so that their figures mean the same thing on any machine:
 *
 * - **Interleaved rounds.** Each round runs every variant once, in an order that rotates from round
 *   to round; a slow moment of a shared machine then hits all variants alike, and the per-round
 *   ratio cancels it. Results are medians over rounds, with the spread (lowest–highest round).
 * - **Calibration.** A fixed pure-JS loop is timed in every round. Its spread is the machine's noise
 *   during the run, printed with the results; a figure whose spread is no wider than that noise is
 *   as good as the machine allows.
 * - **One result line.** The last line a benchmark prints is `name=value` pairs (medians first,
 *   then `<name>_lo` / `<name>_hi`, goals and the noise), which `bench:all` collects into one table.
 *   With BENCH_RESULT_FILE set, the same figures (and their descriptions) are written there as JSON.
 * - **Curves.** A measure taken at several sizes (jobs, files, watchers) is a curve: the cost per item
 *   at each size, the change from one size to the next (1.00 = linear), a least-squares line
 *   total = fixed + per-item × size, and a `<curve>_<series>_growth` figure (per-item cost at the
 *   largest size / at the smallest, per round) whose goal is "flat within 20 %".
 * - **Exit code.** Non-zero only when something failed (a crash, unbalanced counters); a missed
 *   goal is a result, printed as such.
 *
 * Plain CommonJS, so that Linux node, ts-node scripts and Windows node under Wine can all load it.
 */
const fs = require('fs');

const smoke = process.argv.includes('--smoke');

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** The q-quantile (0..1) by linear interpolation. */
function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return s[lo] + (s[hi] - s[lo]) * (i - lo);
}

let calibrationSink = 0;
/**
 * A fixed amount of pure JS work (integer hashing, no allocation): its time tracks how much CPU the
 * machine gives us right now. Returns nanoseconds.
 */
function calibrate(iterations = 2_000_000) {
  const t0 = process.hrtime.bigint();
  let x = 0x9e3779b9 | 0;
  for (let i = 0; i < iterations; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  calibrationSink ^= x;
  return Number(process.hrtime.bigint() - t0);
}

/** Relative spread of samples: (highest − lowest) / median, in percent. */
function spreadPct(xs) {
  const m = median(xs);
  return m ? ((Math.max(...xs) - Math.min(...xs)) / m) * 100 : NaN;
}

/**
 * Runs `rounds` interleaved rounds of the named variants (sync or async functions returning a
 * number, usually ns per operation), with one calibration per round. Returns the samples by name,
 * plus `calibration` (ns).
 */
async function interleave(rounds, variants) {
  const names = Object.keys(variants);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  samples.calibration = [];
  for (let r = 0; r < rounds; r++) {
    samples.calibration.push(calibrate());
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + r) % names.length];
      samples[name].push(await variants[name](r));
    }
  }
  return samples;
}

/** Per-round ratios a[i] / b[i]. */
function ratios(a, b) {
  return a.map((x, i) => x / b[i]);
}

function fmt(value, digits) {
  if (typeof value !== 'number') return String(value);
  if (!Number.isFinite(value)) return String(value);
  return value.toFixed(digits);
}

/** Least-squares line y = fixed + perItem × x through the points. */
function fitLine(points) {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  const perItem = sxx ? points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0) / sxx : NaN;
  return { perItem, fixed: my - perItem * mx };
}

function summary(xs) {
  const ys = xs.filter((x) => Number.isFinite(x));
  return { median: median(ys), lo: Math.min(...ys), hi: Math.max(...ys), n: ys.length };
}

/**
 * A curve's JSON: for every series, each size's total and per-item cost (median, spread), the
 * marginal cost per item from the previous size ((total − previous total) / added items: fixed
 * costs drop out), the fitted line, and the growth: the marginal cost of the last step over that
 * of the first, from the medians (with two sizes: the per-item costs); 1.00 = linear, NaN when the
 * first step cost nothing measurable.
 *   series: { ours: [{ x: 10, samples: [totals…] }, …], native: […] }
 * `perItemScale` turns total / x into the per-item unit (e.g. 1e-3 for ns → µs per item).
 */
function curveOf(name, { title = '', xLabel, totalUnit, perItemUnit, perItemScale = 1, series, own = [], digits = 2, text = '' }) {
  const out = { name, title, xLabel, totalUnit, perItemUnit, digits, text, series: [] };
  for (const [label, points] of Object.entries(series)) {
    const sorted = [...points].sort((a, b) => a.x - b.x);
    const rows = sorted.map((p, i) => ({
      x: p.x,
      total: summary(p.samples),
      perItem: summary(p.samples.map((v) => (v / p.x) * perItemScale)),
      marginal: i === 0 ? null : summary(p.samples.map((v, r) => ((v - sorted[i - 1].samples[r]) / (p.x - sorted[i - 1].x)) * perItemScale)),
    }));
    const fit = fitLine(rows.map((r) => ({ x: r.x, y: r.total.median })));
    // Growth from the medians (a step's marginal cost per round is too noisy when the step is small).
    const med = rows.map((r) => r.total.median);
    const step = (i) => (med[i] - med[i - 1]) / (rows[i].x - rows[i - 1].x);
    const k = rows.length - 1;
    const growth = k >= 2 ? (step(1) > 0 ? step(k) / step(1) : NaN) : (med[k] / rows[k].x) / (med[0] / rows[0].x);
    out.series.push({ name: label, own: own.includes(label), points: rows, fit: { perItem: fit.perItem * perItemScale, fixed: fit.fixed }, growth });
  }
  return out;
}

/**
 * Collects a benchmark's figures and prints them: a readable line per figure, then the result line.
 *   const report = new Report('dispatch', 'our vtable call against raw koffi');
 *   report.figure('dispatch', ratios, { goal: 1.10, digits: 2, text: 'ours / raw koffi' });
 *   report.noise(samples.calibration);
 *   report.print();
 */
class Report {
  constructor(bench, title) {
    this.bench = bench;
    this.title = title;
    this.figures = [];
    this.facts = [];
    this.curves = [];
    this.traces = [];
    this.noisePct = null;
    this.failures = [];
  }

  /**
   * A measured figure: median and spread of its samples. `goal` is an upper bound unless
   * `atLeast` is set. `unit` is for the readable line only.
   */
  figure(name, samples, { goal, atLeast = false, digits = 2, unit = '', text = '' } = {}) {
    const xs = samples.filter((x) => Number.isFinite(x));
    const f = {
      name, text, unit, digits, goal, atLeast,
      median: median(xs), lo: Math.min(...xs), hi: Math.max(...xs), n: xs.length,
    };
    f.met = goal === undefined || !Number.isFinite(f.median) ? null : atLeast ? f.median >= goal : f.median <= goal;
    this.figures.push(f);
    return f;
  }

  /**
   * A curve (see curveOf). Every series named in `own` (the library's, not a reference) also
   * gets a `<name>_<series>_growth` figure with the goal "cost per item flat within 20 %".
   */
  curve(name, options) {
    const c = curveOf(name, options);
    this.curves.push(c);
    for (const s of c.series) {
      if (!s.own) continue;
      this.figure(`${name}_${s.name}_growth`, [s.growth], {
        goal: 1.2, text: s.points.length >= 3
          ? `${c.title}: marginal cost per item from ${s.points[s.points.length - 2].x} to ${s.points[s.points.length - 1].x} ${c.xLabel} / from ${s.points[0].x} to ${s.points[1].x} (1.00 = linear)`
          : `${c.title}: cost per item at ${s.points[s.points.length - 1].x} ${c.xLabel} / at ${s.points[0].x} (1.00 = linear)`,
      });
    }
    return c;
  }

  /** A window of a per-call trace: `calls` are { lane, call, start, end } in ms (the timeline picture). */
  trace(name, { title, lanes, calls }) {
    this.traces.push({ name, title, lanes, calls });
  }

  /** A plain fact (counts, sizes, booleans) printed as it is. */
  fact(name, value, text = '') {
    this.facts.push({ name, value, text });
  }

  /** The calibration samples of the run (ns): their spread is the noise. */
  noise(calibrationNs) {
    this.noisePct = spreadPct(calibrationNs);
    this.calibrationMs = median(calibrationNs) / 1e6;
  }

  /** Something that makes the run a failure (exit code 1), as opposed to a missed goal. */
  fail(message) {
    this.failures.push(message);
  }

  print() {
    console.log(`\n${this.bench}: ${this.title}${smoke ? ' (smoke run: figures are not meaningful)' : ''}`);
    for (const f of this.figures) {
      const goal = f.goal === undefined ? '' : `  goal ${f.atLeast ? '≥' : '≤'} ${fmt(f.goal, f.digits)}${f.unit}: ${f.met ? 'met' : `MISSED by ${fmt(Math.abs(f.median - f.goal), f.digits)}${f.unit}`}`;
      console.log(`  ${f.name.padEnd(24)} ${fmt(f.median, f.digits)}${f.unit}  (spread ${fmt(f.lo, f.digits)}–${fmt(f.hi, f.digits)}, ${f.n} rounds)${goal}${f.text ? `  — ${f.text}` : ''}`);
    }
    for (const x of this.facts) console.log(`  ${x.name.padEnd(24)} ${x.value}${x.text ? `  — ${x.text}` : ''}`);
    for (const c of this.curves) {
      console.log(`  curve ${c.name}: ${c.title} (${c.perItemUnit})`);
      for (const s of c.series) {
        const cells = s.points.map((p) => `${p.x}: ${fmt(p.perItem.median, c.digits)}${p.marginal === null ? '' : ` (marginal ${fmt(p.marginal.median, c.digits)})`}`);
        console.log(`    ${s.name.padEnd(18)} ${cells.join('  ')}  fit ${fmt(s.fit.perItem, c.digits)} per item + ${fmt(s.fit.fixed, 1)} ${c.totalUnit}`);
      }
    }
    if (this.noisePct !== null) console.log(`  noise: calibration loop ${fmt(this.calibrationMs, 1)} ms, spread ${fmt(this.noisePct, 0)} % over the run`);
    for (const m of this.failures) console.log(`  FAILURE: ${m}`);
    const pairs = [];
    for (const f of this.figures) pairs.push(`${f.name}=${fmt(f.median, f.digits)}`);
    for (const x of this.facts) pairs.push(`${x.name}=${x.value}`);
    for (const f of this.figures) pairs.push(`${f.name}_lo=${fmt(f.lo, f.digits)}`, `${f.name}_hi=${fmt(f.hi, f.digits)}`);
    for (const f of this.figures) if (f.goal !== undefined) pairs.push(`${f.name}_goal=${f.atLeast ? '>=' : '<='}${fmt(f.goal, f.digits)}`);
    if (this.noisePct !== null) pairs.push(`noise_pct=${fmt(this.noisePct, 0)}`);
    const file = process.env.BENCH_RESULT_FILE;
    if (file) {
      fs.writeFileSync(file, JSON.stringify({
        bench: this.bench, title: this.title, smoke, figures: this.figures, facts: this.facts, curves: this.curves, traces: this.traces,
        noisePct: this.noisePct, calibrationMs: this.calibrationMs ?? null, failures: this.failures,
      }, null, 2));
    }
    console.log(pairs.join(' '));
    if (this.failures.length) process.exitCode = 1;
  }
}

module.exports = { smoke, median, quantile, calibrate, spreadPct, interleave, ratios, Report, curveOf, fitLine, get calibrationSink() { return calibrationSink; } };

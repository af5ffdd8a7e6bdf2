'use strict';
/**
 * The pictures of docs/performance.md, as hand-written SVG (no dependencies, deterministic):
 * - curvesSvg: one panel per curve and benchmark (x64 and ia32 side by side): cost per item against
 *   size (log scale), a line per series, run 1 solid and later runs dashed;
 * - traceSvg: the per-call timeline windows of the traced benchmarks (first run), on one time scale:
 *   a lane per thread, a bar per call.
 */
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
const CALL_COLORS = { GetState: '#1f77b4', GetProgress: '#2ca02c', GetError: '#d62728', Release: '#aaaaaa' };
const DASHES = ['', '6 4', '2 3', '8 3 2 3'];

const PANEL_W = 420;
const PANEL_H = 250;
const M = { left: 62, right: 12, top: 40, bottom: 44 };

function xmlEscape(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
const n = (v) => (Math.round(v * 10) / 10).toString();

/** Round tick steps (1, 2, 5 × 10^k) from 0 to at least max. */
function ticks(max) {
  if (!(max > 0)) return [0, 1];
  const raw = max / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * p).find((s) => s >= raw);
  const out = [];
  for (let v = 0; v < max + step * 0.999; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function label(v) {
  if (v === 0) return '0';
  if (Math.abs(v) >= 1000) return v.toFixed(0);
  if (Math.abs(v) >= 1) return Number(v.toPrecision(3)).toString();
  return Number(v.toPrecision(2)).toString();
}

/** Panels: [{ bench, c, runs: [curve per run] }], grouped by curve name, x64 before ia32. */
function panelsOf(data) {
  const byKey = new Map();
  data.runs.forEach((run, i) => {
    for (const b of run.benches) {
      for (const r of b.results) {
        for (const c of r.curves || []) {
          const key = `${c.name}\u0000${r.bench}`;
          if (!byKey.has(key)) byKey.set(key, { bench: r.bench, c, runs: [] });
          byKey.get(key).runs[i] = c;
        }
      }
    }
  });
  const names = [...new Set([...byKey.values()].map((p) => p.c.name))];
  return names.flatMap((name) => [...byKey.values()].filter((p) => p.c.name === name));
}

function panel(p, ox, oy) {
  const out = [];
  const w = PANEL_W - M.left - M.right;
  const h = PANEL_H - M.top - M.bottom;
  const all = p.runs.filter(Boolean).flatMap((c) => c.series.flatMap((s) => s.points));
  const xs = [...new Set(all.map((q) => q.x))].sort((a, b) => a - b);
  const lx = (x) => Math.log10(Math.max(x, 1e-9));
  const x0 = lx(xs[0]);
  const x1 = lx(xs[xs.length - 1]);
  const X = (x) => ox + M.left + (x1 > x0 ? ((lx(x) - x0) / (x1 - x0)) * w : w / 2);
  const yTicks = ticks(Math.max(...all.map((q) => q.perItem.median).filter(Number.isFinite), 0));
  const yMax = yTicks[yTicks.length - 1];
  const Y = (y) => oy + M.top + h - (Math.max(0, y) / yMax) * h;
  out.push(`<text x="${n(ox + M.left)}" y="${n(oy + 16)}" font-weight="bold">${xmlEscape(`${p.c.title} — ${p.bench}`)}</text>`);
  out.push(`<text x="${n(ox + M.left)}" y="${n(oy + 30)}" font-size="11" fill="#555">${xmlEscape(p.c.perItemUnit)}</text>`);
  for (const t of yTicks) {
    out.push(`<line x1="${n(ox + M.left)}" x2="${n(ox + M.left + w)}" y1="${n(Y(t))}" y2="${n(Y(t))}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${n(ox + M.left - 6)}" y="${n(Y(t) + 4)}" text-anchor="end" font-size="11">${label(t)}</text>`);
  }
  for (const x of xs) {
    out.push(`<line x1="${n(X(x))}" x2="${n(X(x))}" y1="${n(oy + M.top)}" y2="${n(oy + M.top + h)}" stroke="#f0f0f0"/>`);
    out.push(`<text x="${n(X(x))}" y="${n(oy + M.top + h + 16)}" text-anchor="middle" font-size="11">${x}</text>`);
  }
  out.push(`<text x="${n(ox + M.left + w / 2)}" y="${n(oy + M.top + h + 34)}" text-anchor="middle" font-size="11" fill="#555">${xmlEscape(p.c.xLabel)} (log scale)</text>`);
  out.push(`<rect x="${n(ox + M.left)}" y="${n(oy + M.top)}" width="${n(w)}" height="${n(h)}" fill="none" stroke="#999"/>`);
  const names = [...new Set(p.runs.filter(Boolean).flatMap((c) => c.series.map((s) => s.name)))];
  p.runs.forEach((c, run) => {
    if (!c) return;
    for (const s of c.series) {
      const color = COLORS[names.indexOf(s.name) % COLORS.length];
      const pts = s.points.filter((q) => Number.isFinite(q.perItem.median));
      const d = pts.map((q) => `${n(X(q.x))},${n(Y(q.perItem.median))}`).join(' ');
      const dash = DASHES[run % DASHES.length];
      out.push(`<polyline points="${d}" fill="none" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
      for (const q of pts) out.push(`<circle cx="${n(X(q.x))}" cy="${n(Y(q.perItem.median))}" r="3" fill="${color}"/>`);
    }
  });
  names.forEach((name, i) => {
    const ly = oy + M.top + 12 + i * 14;
    const lx0 = ox + M.left + w - 150;
    out.push(`<line x1="${n(lx0)}" x2="${n(lx0 + 16)}" y1="${n(ly - 4)}" y2="${n(ly - 4)}" stroke="${COLORS[i % COLORS.length]}" stroke-width="2"/>`);
    out.push(`<text x="${n(lx0 + 20)}" y="${n(ly)}" font-size="11">${xmlEscape(name)}</text>`);
  });
  return out;
}

function svgDocument(width, height, body, title) {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${xmlEscape(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** The curves picture, or null when the data has no curve. */
function curvesSvg(data) {
  const panels = panelsOf(data);
  if (!panels.length) return null;
  const cols = 2;
  const rows = Math.ceil(panels.length / cols);
  const head = 28;
  const body = [`<text x="12" y="18" font-size="12" fill="#333">${xmlEscape(`Cost per item against size (medians). ${data.runs.length > 1 ? 'Run 1 solid, run 2 dashed.' : ''}`.trim())}</text>`];
  panels.forEach((p, i) => body.push(...panel(p, (i % cols) * PANEL_W, head + Math.floor(i / cols) * PANEL_H)));
  return svgDocument(cols * PANEL_W, head + rows * PANEL_H, body, 'Growth curves of bench:all');
}

/** The per-call timeline picture (first run of each traced benchmark), or null without traces. */
function traceSvg(results) {
  const seen = new Set();
  const traces = [];
  for (const r of results) {
    for (const t of r.traces || []) {
      if (seen.has(`${r.bench}/${t.name}`)) continue;
      seen.add(`${r.bench}/${t.name}`);
      traces.push({ bench: r.bench, ...t });
    }
  }
  if (!traces.length) return null;
  const width = 840;
  const lane = 22;
  const left = 70;
  const right = 12;
  const body = [];
  let y = 8;
  const end = Math.max(1, ...traces.flatMap((t) => t.calls.map((c) => c.end)));
  for (const t of traces) {
    const X = (ms) => left + (ms / end) * (width - left - right);
    body.push(`<text x="${left}" y="${n(y + 14)}" font-weight="bold">${xmlEscape(`${t.bench}: ${t.title}`)}</text>`);
    y += 24;
    for (let l = 0; l < t.lanes; l++) {
      body.push(`<text x="${left - 6}" y="${n(y + l * lane + 15)}" text-anchor="end" font-size="11">thread ${l}</text>`);
      body.push(`<line x1="${left}" x2="${width - right}" y1="${n(y + l * lane + lane / 2)}" y2="${n(y + l * lane + lane / 2)}" stroke="#eee"/>`);
    }
    for (const c of t.calls) {
      const color = CALL_COLORS[c.call] || '#666';
      body.push(`<rect x="${n(X(c.start))}" y="${n(y + c.lane * lane + 3)}" width="${n(Math.max(0.5, X(c.end) - X(c.start)))}" height="${lane - 6}" fill="${color}" stroke="#fff" stroke-width="0.5"><title>${xmlEscape(`${c.call} ${(c.end - c.start).toFixed(3)} ms`)}</title></rect>`);
    }
    y += t.lanes * lane + 4;
    for (const tk of ticks(end)) {
      if (tk > end) break;
      body.push(`<text x="${n(X(tk))}" y="${n(y + 12)}" text-anchor="middle" font-size="11">${label(tk)}</text>`);
    }
    body.push(`<text x="${width - right}" y="${n(y + 26)}" text-anchor="end" font-size="11" fill="#555">ms</text>`);
    y += 34;
  }
  let lx = left;
  for (const [name, color] of Object.entries(CALL_COLORS)) {
    body.push(`<rect x="${lx}" y="${n(y)}" width="12" height="10" fill="${color}"/><text x="${lx + 16}" y="${n(y + 9)}" font-size="11">${name}</text>`);
    lx += 110;
  }
  y += 20;
  return svgDocument(width, Math.ceil(y), body, 'Per-call timeline of the native client');
}

module.exports = { curvesSvg, traceSvg, ticks };

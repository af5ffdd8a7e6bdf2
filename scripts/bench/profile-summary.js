#!/usr/bin/env node
'use strict';
/**
 * Summarises V8 CPU profiles (`--cpu-prof`): self time by function and by where the code lives
 * (the library, koffi, ts-node, Node's own JS, and the native/idle/GC buckets), so a missed
 * benchmark goal can be explained from a measurement.
 *   node scripts/bench/profile-summary.js <file.cpuprofile>… [--top 20]
 */
const fs = require('fs');

function bucketOf(node) {
  const url = node.callFrame.url || '';
  const name = node.callFrame.functionName;
  if (name === '(idle)' || name === '(program)' || name === '(garbage collector)') return name;
  if (/[\\/]src[\\/]com[\\/]/.test(url)) return 'library: src/com';
  if (/[\\/]src[\\/]/.test(url) || /[\\/]dist[\\/]/.test(url)) return 'library: other';
  if (/koffi/.test(url)) return 'koffi (JS side)';
  if (/ts-node|typescript/.test(url)) return 'ts-node';
  if (/[\\/]scripts[\\/]/.test(url)) return 'benchmark script';
  if (url.startsWith('node:') || !url) return name ? 'node internals' : '(native)';
  return 'other';
}

function summarise(file, top) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const deltas = profile.timeDeltas;
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) || 0) + (deltas[i] || 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const buckets = new Map();
  const functions = new Map();
  for (const [id, us] of self) {
    const node = byId.get(id);
    const b = bucketOf(node);
    buckets.set(b, (buckets.get(b) || 0) + us);
    const key = `${node.callFrame.functionName || '(anonymous)'} ${(node.callFrame.url || '').split(/[\\/]/).slice(-2).join('/')}:${node.callFrame.lineNumber + 1}`;
    functions.set(key, (functions.get(key) || 0) + us);
  }
  const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
  console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
  for (const [b, us] of [...buckets].sort((x, y) => y[1] - x[1])) console.log(`  ${pct(us)}  ${b}`);
  console.log('  top functions by self time:');
  for (const [f, us] of [...functions].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`  ${pct(us)}  ${f}`);
}

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 15;
if (!args.length) {
  console.error('usage: node scripts/bench/profile-summary.js <file.cpuprofile>… [--top N]');
  process.exit(2);
}
for (const f of args) summarise(f, top);

#!/usr/bin/env node
'use strict';
/**
 * bench:startup — how long `require('delivery-optimization')` takes in a fresh Linux node (the
 * built package in dist/), and that it loaded no native code. Goal: < 30 ms.
 * Median of N fresh processes; prints `name=value` pairs on its last line.
 *   npm run bench:startup [-- --smoke]
 */
const { execFileSync } = require('child_process');
const path = require('path');
const fs = require('fs');

const root = path.resolve(__dirname, '..');
const runs = process.argv.includes('--smoke') ? 5 : 21;
if (!fs.existsSync(path.join(root, 'dist', 'index.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}

const probe = `
  const t0 = process.hrtime.bigint();
  require(${JSON.stringify(path.join(root, 'dist'))});
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const native = Object.keys(require.cache).filter((k) => /node_modules[\\\\/](koffi|@koromix)|\\.node$/.test(k));
  process.stdout.write(JSON.stringify({ ms, native }));
`;
const samples = [];
let native = [];
for (let i = 0; i < runs; i++) {
  const r = JSON.parse(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' }));
  samples.push(r.ms);
  native = r.native;
}
samples.sort((a, b) => a - b);
const median = samples[Math.floor(samples.length / 2)];
console.log(`runs=${runs} min_ms=${samples[0].toFixed(1)} max_ms=${samples[samples.length - 1].toFixed(1)}`);
console.log(`startup_ms=${median.toFixed(1)} native_modules_loaded=${native.length} goal_ms=30`);

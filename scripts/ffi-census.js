#!/usr/bin/env node
'use strict';
/**
 * How many ffi tests exercise the fake itself and how many the library through the fake (issue 10).
 * The rule is by file: test/ffi/fake-*.test.ts test the exported fake (its behaviour, options,
 * layouts, balance checks, called through raw pointers); every other file under test/ffi drives
 * the library (src/com, src/api, the CLI) with the fake as its service. Counts come from Jest's own
 * results, so test.each rows count one by one:
 *
 *   npx jest --selectProjects ffi --json --outputFile /tmp/ffi.json && node scripts/ffi-census.js /tmp/ffi.json
 *   node scripts/ffi-census.js /tmp/ffi-soak-XXXX/run-1.json      (scripts/ffi-soak.js keeps one per run)
 */
const fs = require('fs');
const path = require('path');

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/ffi-census.js <jest --json output>');
  process.exit(2);
}
const root = path.resolve(__dirname, '..');
const results = JSON.parse(fs.readFileSync(file, 'utf8'));
const rows = results.testResults
  .map((r) => ({ file: path.relative(root, r.name), tests: r.assertionResults.length, passed: r.assertionResults.filter((a) => a.status === 'passed').length }))
  .filter((r) => r.file.startsWith(`test${path.sep}ffi${path.sep}`))
  .sort((a, b) => a.file.localeCompare(b.file));
const isFake = (f) => /^fake-.*\.test\.ts$/.test(path.basename(f)) && path.dirname(f) === path.join('test', 'ffi');
const groups = { 'the fake itself': rows.filter((r) => isFake(r.file)), 'the library through the fake': rows.filter((r) => !isFake(r.file)) };
for (const [name, list] of Object.entries(groups)) {
  const total = list.reduce((n, r) => n + r.tests, 0);
  console.log(`${name}: ${total} tests in ${list.length} files`);
  for (const r of list) console.log(`  ${String(r.tests).padStart(4)}  ${r.file}`);
}
const all = rows.reduce((n, r) => n + r.tests, 0);
const fake = groups['the fake itself'].reduce((n, r) => n + r.tests, 0);
console.log(`ffi census: ${all} tests; the fake itself ${fake} (${Math.round((100 * fake) / all)} %), the library through the fake ${all - fake} (${Math.round((100 * (all - fake)) / all)} %)`);

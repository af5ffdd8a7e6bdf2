#!/usr/bin/env node
'use strict';
/**
 * Runs every benchmark in its short smoke mode (CI calls this after `npm test` so the scripts
 * cannot rot). Figures from smoke runs are not meaningful; the goals are not asserted.
 */
const { spawnSync } = require('child_process');

const benches = ['bench:dispatch', 'bench:startup', 'bench:memory', 'bench:wine'];
let failed = 0;
for (const name of benches) {
  console.log(`\n::: npm run ${name} -- --smoke`);
  const r = spawnSync('npm', ['run', '-s', name, '--', '--smoke'], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`::: ${name} FAILED (exit ${r.status})`);
  }
}
console.log(`\nbenchmark smoke runs: ${benches.length - failed} of ${benches.length} ran cleanly`);
process.exitCode = failed ? 1 : 0;

#!/usr/bin/env node
'use strict';
/**
 * Every benchmark in its short smoke mode (CI calls this after `npm test` so the scripts cannot
 * rot): `bench:all --smoke`. Figures from smoke runs are not meaningful; no goal is asserted.
 */
const { spawnSync } = require('child_process');
const path = require('path');

const r = spawnSync(process.execPath, [path.join(__dirname, 'bench-all.js'), '--smoke', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exitCode = r.status ?? 1;

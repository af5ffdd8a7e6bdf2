#!/usr/bin/env node
'use strict';
/**
 * `delivery-optimization` / `dopt`. Runs the built CLI (dist/cli/main.js) when it is at least as
 * new as the sources; in a checkout without a fresh build it runs src/cli/main.ts through ts-node
 * (transpile-only), so `npm run cli`, `npm run demo` and the Wine test bed never use a stale dist.
 */
// Node 22.1+ keeps the compiled code of the modules loaded from here on disk, so the next start
// skips compiling them (NODE_DISABLE_COMPILE_CACHE=1 turns it off); older Node has no such function.
const { enableCompileCache } = require('module');
if (typeof enableCompileCache === 'function') {
  try {
    enableCompileCache();
  } catch {
    // A cache that cannot be set up (read-only temp folder) only costs the speed-up.
  }
}

const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const built = path.join(root, 'dist', 'cli', 'main.js');
const source = path.join(root, 'src', 'cli', 'main.ts');

/** Newest mtime of the .ts files under dir (a checkout has a few dozen: this takes about a millisecond). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function useBuilt() {
  if (!fs.existsSync(built)) return false;
  if (!fs.existsSync(source)) return true; // installed package: dist only
  return fs.statSync(built).mtimeMs >= newestSource(path.join(root, 'src'));
}

if (useBuilt()) {
  require(built).main();
} else {
  if (!fs.existsSync(source)) {
    process.stderr.write(`delivery-optimization: neither ${built} nor ${source} exists; run "npm run build".\n`);
    process.exit(70);
  }
  let tsNode;
  try {
    tsNode = require('ts-node');
  } catch {
    process.stderr.write('delivery-optimization: the CLI is not built and ts-node is missing: run "npm ci" (or "npm run build").\n');
    process.exit(70);
  }
  tsNode.register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
  require(source).main();
}

#!/usr/bin/env node
'use strict';
/**
 * Post-build step: rewrites dist/index.js (as tsc emitted it) into a lazy entry point.
 *
 * tsc's entry requires every module of the library at once (about 40 files), which made
 * `require('delivery-optimization')` cost a third of a bare `node -e 0` (bench:startup). The lazy
 * entry defines the same names as getters that load their module on first use; the types
 * (dist/index.d.ts) are tsc's, unchanged. The `0 && (module.exports = …)` line is never run: it
 * tells Node's CommonJS lexer the export names, so `import { X } from 'delivery-optimization'`
 * keeps working from ES modules.
 *   node scripts/build/lazy-entry.js [distDir]
 */
const fs = require('fs');
const path = require('path');

function lazyEntry(dist) {
  const entry = path.join(dist, 'index.js');
  const eager = fs.readFileSync(entry, 'utf8');
  if (eager.includes('@generated lazy entry')) return; // already rewritten
  const modules = [...new Set([...eager.matchAll(/require\("(\.[^"]+)"\)/g)].map((m) => m[1]))];
  const exports = require(entry);
  const loaded = modules.map((m) => [m, require(path.join(dist, m))]);
  const owner = {};
  for (const name of Object.keys(exports)) {
    if (name === '__esModule') continue;
    const found = loaded.find(([, mod]) => Object.prototype.hasOwnProperty.call(mod, name) && mod[name] === exports[name]);
    if (!found) throw new Error(`lazy-entry: no module of ${entry} exports ${name}`);
    owner[name] = found[0];
  }
  const names = Object.keys(owner);
  if (names.length === 0) throw new Error(`lazy-entry: ${entry} exports nothing`);
  const header = eager.match(/\/\*\*[\s\S]*?\*\//);
  const out = `"use strict";
// @generated lazy entry (scripts/build/lazy-entry.js): each name loads its module on first use.
${header ? header[0] + '\n' : ''}Object.defineProperty(exports, "__esModule", { value: true });
const owners = ${JSON.stringify(owner, null, 2)};
for (const name of Object.keys(owners)) {
  Object.defineProperty(exports, name, { enumerable: true, get: () => require(owners[name])[name] });
}
// Export names for ES module importers (read by Node's CommonJS lexer, never executed).
0 && (module.exports = { ${names.join(', ')} });
`;
  fs.writeFileSync(entry, out);
}

if (require.main === module) lazyEntry(path.resolve(process.argv[2] || path.join(__dirname, '..', '..', 'dist')));
module.exports = { lazyEntry };

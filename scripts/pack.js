'use strict';
/**
 * `npm pack` of this repository (its prepack builds dist/), shared by scripts/test.js (the package
 * tier packs once), scripts/consumers.js and test/package/tarball.ts (a file run alone).
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');

/**
 * Packs into `dir` (default: a new temporary folder) and returns the tarball's path.
 * @param {{ dir?: string, stderr?: 'pipe' | 'inherit' }} [options] stderr: npm's own messages (default piped away)
 */
function packTarball({ dir = fs.mkdtempSync(path.join(os.tmpdir(), 'do-tarball-')), stderr = 'pipe' } = {}) {
  // npm is npm.cmd on Windows: execFile needs a shell there.
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir],
    { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', stderr], shell: process.platform === 'win32' });
  const [info] = JSON.parse(out.slice(out.indexOf('[')));
  return path.join(dir, info.filename);
}

module.exports = { packTarball };

'use strict';
/**
 * Where a test bed keeps its files (testbed/bed.js createBed):
 *   repoLayout   the repository's git-ignored `.testbed/` (scripts/testbed.js, the wine tier)
 *   userLayout   a user's project: downloads shared in the per-user cache, a Wine prefix per project
 */
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { koffiVersionFrom } = require('./bed');

/** The repository's `.testbed/`: one 64-bit prefix (x64 and ia32 on WoW64) and one 32-bit prefix. */
function repoLayout(root) {
  const home = path.join(root, '.testbed');
  return {
    tag: 'testbed',
    root,
    home,
    modules: path.join(home, 'node_modules'),
    prefix: (winearch) => path.join(home, winearch === 'win32' ? 'prefix-win32' : 'prefix'),
    // the x64 marker keeps its old name, so an existing x64 bed stays ready
    marker: (id) => path.join(home, id === 'x64' ? 'ready.json' : `ready-${id}.json`),
    logs: path.join(home, 'logs'),
    lock: path.join(home, 'lock'),
    typescript: 'ts-node',
    cleanWinearches: ['win64', 'win32'],
    cleanDirs: [home],
  };
}

/** `$XDG_CACHE_HOME/delivery-optimization/testbed`, or `~/.cache/…` (an absolute XDG_CACHE_HOME only, as the spec says). */
function cacheHome(env = process.env, home = os.homedir()) {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.cache');
  return path.join(base, 'delivery-optimization', 'testbed');
}

/** The project a folder belongs to: the nearest folder, from `cwd` up, with a package.json (else `cwd`). */
function projectRoot(cwd) {
  const start = path.resolve(cwd);
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}

/** A folder name for a project (or a --prefix folder): readable, and unique by the full real path. */
function stateKey(dir) {
  let real = path.resolve(dir);
  try { real = fs.realpathSync(real); } catch { /* not there yet */ }
  const hash = crypto.createHash('sha256').update(real).digest('hex').slice(0, 12);
  const name = path.basename(real).replace(/[^\w.-]+/g, '_').slice(0, 40) || 'root';
  return `${name}-${hash}`;
}

/**
 * A user's bed: node.exe and the npm tarballs shared under `cache`, koffi's win32 build per koffi
 * version (`koffi-<v>/node_modules`), and per project (`projects/<key>/`) the Wine prefix, the
 * ready markers and the run logs. `prefix` (an explicit --prefix folder) replaces the project's prefix;
 * its markers and logs are kept under a key of that folder.
 * @param {{ packageRoot: string, cwd: string, cache?: string, prefix?: string }} o
 */
function userLayout(o) {
  const cache = o.cache || cacheHome();
  const project = projectRoot(o.cwd);
  const prefix = o.prefix ? path.resolve(o.cwd, o.prefix) : null;
  const state = path.join(cache, 'projects', stateKey(prefix || project));
  const kv = koffiVersionFrom(o.packageRoot);
  const winePrefix = prefix || path.join(state, 'prefix');
  return {
    tag: 'testbed',
    root: o.packageRoot,
    home: cache,
    project,
    state,
    modules: path.join(cache, `koffi-${kv}`, 'node_modules'),
    prefix: (winearch) => (winearch === 'win32' ? `${winePrefix}-win32` : winePrefix),
    marker: (id) => path.join(state, `ready-${id}.json`),
    logs: path.join(state, 'logs'),
    lock: path.join(cache, 'lock'),
    typescript: 'strip',
    explicitPrefix: prefix,
    cleanWinearches: ['win64'],
    cleanDirs: [state], // an explicit --prefix folder is the user's: testbed/user.js decides
  };
}

module.exports = { repoLayout, userLayout, cacheHome, projectRoot, stateKey };

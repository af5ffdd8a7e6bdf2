#!/usr/bin/env node
'use strict';
/**
 * bench:wine — the library against a native C client, both talking to Wine's real BITS service,
 * plus what waiting costs, how it scales, and event latency (scripts/bench-wine-inner.ts lists
 * the parts). Builds bench/native-client.c with Debian's mingw-w64 (installed with apt when missing,
 * as root), serves the slow downloads of the waiting part from this (Linux) process, so that their
 * CPU is not counted against the library, then runs the inner script under Wine.
 *   npm run bench:wine [-- --smoke] [-- --parts=calls,scale,files,latency,addfiles,wait] [-- --arch ia32 [--winearch win32]]
 *   BENCH_CPU_PROF=<dir> npm run bench:wine -- --parts=calls   also writes a V8 CPU profile of each part it runs
 *   (start-up excluded) into <dir> (read it with `node scripts/bench/profile-summary.js <dir>/*.cpuprofile`)
 * With --arch ia32 both sides are 32-bit (node-win-x86, and the client built with i686-w64-mingw32-gcc).
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const testbed = require('./testbed');

const root = path.resolve(__dirname, '..');
const smoke = process.argv.includes('--smoke');
const partsArg = process.argv.find((a) => a.startsWith('--parts='));
// --arch / --winearch anywhere in the arguments (scripts/testbed.js validates them)
const bedArgs = process.argv.slice(2).flatMap((a, i, all) => (/^--(arch|winearch)$/.test(a) ? [a, all[i + 1]] : /^--(arch|winearch)=/.test(a) ? [a] : []));
const { sel } = testbed.parseBedOptions(bedArgs);
const bed = testbed.bedOf(sel);
const CC = bed.arch === 'ia32' ? 'i686-w64-mingw32-gcc' : 'x86_64-w64-mingw32-gcc';
const CC_PACKAGE = bed.arch === 'ia32' ? 'gcc-mingw-w64-i686' : 'gcc-mingw-w64-x86-64';

function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

function buildNativeClient() {
  if (!have(CC)) {
    if (process.getuid && process.getuid() === 0 && have('apt-get')) {
      console.log(`installing ${CC} (${CC_PACKAGE}) with apt-get`);
      const r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', CC_PACKAGE], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
      if (r.status !== 0) throw new Error(`apt-get could not install ${CC_PACKAGE}`);
    } else {
      throw new Error(`${CC} is missing: apt-get install ${CC_PACKAGE}`);
    }
  }
  const exe = path.join(root, '.testbed', bed.arch === 'x64' ? 'native-client.exe' : `native-client-${bed.arch}.exe`);
  const src = path.join(root, 'bench', 'native-client.c');
  if (!fs.existsSync(exe) || fs.statSync(exe).mtimeMs < fs.statSync(src).mtimeMs) {
    const r = spawnSync(CC, ['-O2', '-o', exe, src, '-lole32', '-luuid'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('building the native client failed');
  }
  return exe;
}

async function main() {
  testbed.ensureTestbed({ ...sel, quiet: true });
  const exe = buildNativeClient();
  require('ts-node').register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
  const { startHttpFixture } = require('../test/fixtures/http-server');
  const server = await startHttpFixture({ lifetimeMs: 30 * 60 * 1000 });
  const tmp = fs.mkdtempSync(path.join(root, '.testbed', 'bench-'));
  try {
    const env = {
      BENCH_SLOW_URL: `http://127.0.0.1:${server.port}`,
      BENCH_TMP: testbed.toWinPath(tmp),
      ...(smoke ? { BENCH_SMOKE: '1' } : {}),
      ...(partsArg ? { BENCH_PARTS: partsArg.slice('--parts='.length) } : {}),
      ...(process.env.BENCH_RESULT_FILE ? { BENCH_RESULT_FILE: testbed.toWinPath(process.env.BENCH_RESULT_FILE) } : {}),
      ...(process.env.BENCH_CPU_PROF ? { BENCH_CPU_PROF: testbed.toWinPath(path.resolve(process.env.BENCH_CPU_PROF)) } : {}),
    };
    const result = await testbed.runFile(path.join(root, 'scripts', 'bench-wine-inner.ts'), [testbed.toWinPath(exe)], { ...sel, env, timeoutMs: 30 * 60 * 1000 });
    console.log(`(${bed.label}: node ${bed.arch}, native client built with ${CC})`);
    process.exitCode = result.code;
  } finally {
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`bench:wine: ${e.message}`);
  process.exitCode = 1;
});

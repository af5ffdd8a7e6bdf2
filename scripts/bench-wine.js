#!/usr/bin/env node
'use strict';
/**
 * bench:wine — the library against a native C client, both talking to Wine's real BITS service,
 * plus what waiting costs, how it scales, and event latency (scripts/bench-wine-inner.ts lists
 * the parts). Builds bench/native-client.c with Debian's mingw-w64 (installed with apt when missing,
 * as root), serves the slow downloads of the waiting part from this (Linux) process, so that their
 * CPU is not counted against the library, then runs the inner script under Wine.
 *   npm run bench:wine [-- --smoke] [-- --parts=calls,scale,latency,wait]
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const testbed = require('./testbed');

const root = path.resolve(__dirname, '..');
const smoke = process.argv.includes('--smoke');
const partsArg = process.argv.find((a) => a.startsWith('--parts='));
const CC = 'x86_64-w64-mingw32-gcc';

function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

function buildNativeClient() {
  if (!have(CC)) {
    if (process.getuid && process.getuid() === 0 && have('apt-get')) {
      console.log(`installing ${CC} (gcc-mingw-w64-x86-64) with apt-get`);
      const r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'gcc-mingw-w64-x86-64'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
      if (r.status !== 0) throw new Error('apt-get could not install gcc-mingw-w64-x86-64');
    } else {
      throw new Error(`${CC} is missing: apt-get install gcc-mingw-w64-x86-64`);
    }
  }
  const exe = path.join(root, '.testbed', 'native-client.exe');
  const src = path.join(root, 'bench', 'native-client.c');
  if (!fs.existsSync(exe) || fs.statSync(exe).mtimeMs < fs.statSync(src).mtimeMs) {
    const r = spawnSync(CC, ['-O2', '-o', exe, src, '-lole32', '-luuid'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('building the native client failed');
  }
  return exe;
}

async function main() {
  testbed.ensureTestbed({ quiet: true });
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
    };
    const result = await testbed.runFile(path.join(root, 'scripts', 'bench-wine-inner.ts'), [testbed.toWinPath(exe)], { env, timeoutMs: 30 * 60 * 1000 });
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

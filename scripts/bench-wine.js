#!/usr/bin/env node
'use strict';
/**
 * bench:wine — the library against a native C client, both talking to Wine's real BITS service.
 * Builds bench/native-client.c with Debian's mingw-w64 (installed with apt when missing, as root),
 * then runs scripts/bench-wine-inner.ts under Wine. Last line: `getState=<ratio> status=<ratio>`.
 *   npm run bench:wine [-- --smoke] [--arch ia32 [--winearch win32]]
 * With --arch ia32 both sides are 32-bit (node-win-x86, and the client built with i686-w64-mingw32-gcc).
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const testbed = require('./testbed');

const root = path.resolve(__dirname, '..');
const smoke = process.argv.includes('--smoke');
const { sel } = testbed.parseBedOptions(process.argv.slice(2).filter((a) => a !== '--smoke'));
const bed = testbed.bedOf(sel);
const CC = bed.arch === 'ia32' ? 'i686-w64-mingw32-gcc' : 'x86_64-w64-mingw32-gcc';
const CC_PACKAGE = bed.arch === 'ia32' ? 'gcc-mingw-w64-i686' : 'gcc-mingw-w64-x86-64';

function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

async function main() {
  testbed.ensureTestbed({ ...sel, quiet: true });
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
  const n = smoke ? 50 : 400;
  const rounds = smoke ? 2 : 7;
  const result = await testbed.runFile(path.join(root, 'scripts', 'bench-wine-inner.ts'), [testbed.toWinPath(exe), String(n), String(rounds)], { ...sel });
  console.log(`(${bed.label}: node ${bed.arch}, native client ${CC})`);
  process.exitCode = result.code;
}

main().catch((e) => {
  console.error(`bench:wine: ${e.message}`);
  process.exitCode = 1;
});

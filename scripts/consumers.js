#!/usr/bin/env node
'use strict';
/**
 * `npm run check:consumers`: the package as a new user gets it. Packs the tarball (`npm pack`, which
 * builds), unpacks it into one shared `node_modules` and generates one consumer project per setup
 * (docs/testing.md, "Consumer matrix"):
 *
 *   cjs           plain CommonJS (.cjs), run with node
 *   esm           native ESM (.mjs), run with node
 *   ts5-node16    module/moduleResolution node16, a CommonJS (.cts) and an ESM (.mts) file
 *   ts5-nodenext  module nodenext, "type": "module"
 *   ts5-bundler   module esnext + moduleResolution bundler
 *   ts5-node10    module commonjs (node10 resolution: no "exports", typesVersions instead)
 *   ts7-node16, ts7-nodenext, ts7-bundler   the same with TypeScript 7 (no ts7-node10: TypeScript 7
 *                 removed moduleResolution node10, error TS5108)
 *
 * Every TypeScript setup is `strict` with `skipLibCheck: false` and `lib: ["ES2022"]` + `types: ["node"]`
 * (what the README promises), type-checked with `tsc --noEmit`: TypeScript 5 is the repository's own
 * `typescript`, TypeScript 7 the devDependency alias `typescript7` (npm's `typescript` today; a native
 * compiler whose `bin/tsc` starts the platform binary from an optional dependency). The runtime dependencies (koffi,
 * commander, cli-progress) and @types/node are linked from this repository's node_modules instead of
 * installed from the registry: the check is offline and takes seconds, and what it tests is what
 * the tarball holds.
 *
 * usage: node scripts/consumers.js [--keep]   prints one line per setup; exit 1 when one fails
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, execFile } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const { packTarball } = require('./pack');
/** The compilers of the matrix, by the prefix of a setup's name. */
const COMPILERS = {
  ts5: path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
  ts7: path.join(ROOT, 'node_modules', 'typescript7', 'bin', 'tsc'),
};
const TSC = COMPILERS.ts5;

function linkDependency(nodeModules, name) {
  const target = path.join(nodeModules, name);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules', name), target, 'dir');
}

/** The tarball unpacked as `node_modules/delivery-optimization`, its dependencies linked beside it. */
function installTarball(tarball, dir) {
  const nodeModules = path.join(dir, 'node_modules');
  const pkgDir = path.join(nodeModules, 'delivery-optimization');
  fs.mkdirSync(pkgDir, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1']);
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  for (const name of [...Object.keys(pkg.dependencies || {}), '@types/node']) linkDependency(nodeModules, name);
  return pkgDir;
}

/** What every TypeScript consumer writes: the main API, the testing and diagnostics subpaths, errors and enums. */
const TS_CONSUMER = `import { BackgroundCopyManager, JobState, JobFailedError, HResultError, explainHResult, stateName, type JobStatus } from 'delivery-optimization';
import { createFakeService, verifyFakes, takeCreatedFakes, type FakeServiceOptions } from 'delivery-optimization/testing';
import { ERROR_CLASS_CODES, type SystemMessageSource } from 'delivery-optimization/diagnostics';

export const mappedClasses: number = ERROR_CLASS_CODES.length;
export const noText: SystemMessageSource = () => null;

const options: FakeServiceOptions = { flavour: 'bits', script: { 'https://example.test/a.bin': { kind: 'succeed', bytes: 64 } } };

export async function run(target: string): Promise<string> {
  const manager = await BackgroundCopyManager.connect({ service: createFakeService(options) });
  try {
    const job = await manager.createJob('consumer');
    await job.addFile('https://example.test/a.bin', target);
    await job.resume();
    const status: JobStatus = await job.waitForCompletion({ pollIntervalMs: 5 });
    const final: JobState = status.state;
    await job.complete();
    job.dispose();
    return stateName(final);
  } catch (error) {
    if (error instanceof JobFailedError && error.jobError) return error.jobError.code;
    if (error instanceof HResultError) return explainHResult(error.hresult).code;
    throw error;
  } finally {
    manager.dispose();
    await verifyFakes(takeCreatedFakes());
  }
}
`;

/** The same in JavaScript, for the runtime checks. */
const JS_BODY = `
const options = { flavour: 'bits', script: { 'https://example.test/a.bin': { kind: 'succeed', bytes: 64 } } };
async function run(target) {
  const manager = await BackgroundCopyManager.connect({ service: createFakeService(options) });
  try {
    const job = await manager.createJob('consumer');
    await job.addFile('https://example.test/a.bin', target);
    await job.resume();
    const status = await job.waitForCompletion({ pollIntervalMs: 5 });
    await job.complete();
    job.dispose();
    return status.stateName + ' ' + fs.statSync(target).size;
  } finally {
    manager.dispose();
    await verifyFakes(takeCreatedFakes());
  }
}
run(path.join(os.tmpdir(), 'do-consumer-' + process.pid + '.bin')).then((r) => console.log(r));
`;

function tsconfig(compilerOptions, include) {
  return JSON.stringify({
    compilerOptions: { target: 'ES2022', lib: ['ES2022'], types: ['node'], strict: true, skipLibCheck: false, noEmit: true, ...compilerOptions },
    include,
  }, null, 2);
}

/** The TypeScript setups, for one compiler (`ts5` or `ts7`). */
function typeScriptSetups(compiler) {
  const setups = [
    {
      name: 'node16',
      files: {
        'package.json': '{ "private": true }',
        'tsconfig.json': tsconfig({ module: 'node16', moduleResolution: 'node16' }, ['*.cts', '*.mts']),
        'consumer.cts': TS_CONSUMER,
        'consumer.mts': TS_CONSUMER,
      },
    },
    {
      name: 'nodenext',
      files: {
        'package.json': '{ "private": true, "type": "module" }',
        'tsconfig.json': tsconfig({ module: 'nodenext', moduleResolution: 'nodenext' }, ['*.ts']),
        'consumer.ts': TS_CONSUMER,
      },
    },
    {
      name: 'bundler',
      files: {
        'package.json': '{ "private": true, "type": "module" }',
        'tsconfig.json': tsconfig({ module: 'esnext', moduleResolution: 'bundler' }, ['*.ts']),
        'consumer.ts': TS_CONSUMER,
      },
    },
    {
      name: 'node10',
      files: {
        'package.json': '{ "private": true }',
        'tsconfig.json': tsconfig({ module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '5.0' }, ['*.ts']),
        'consumer.ts': TS_CONSUMER,
      },
    },
  ];
  return setups
    .filter((s) => !(compiler === 'ts7' && s.name === 'node10'))
    .map((s) => ({ ...s, name: `${compiler}-${s.name}`, tsc: COMPILERS[compiler] }));
}

/** Each setup: its files, and how it is checked (`tsc`: the compiler's path) or run (`node`). */
const SETUPS = [
  {
    name: 'cjs',
    files: {
      'package.json': '{ "private": true }',
      'index.cjs': `'use strict';\nconst fs = require('fs'); const os = require('os'); const path = require('path');\nconst { BackgroundCopyManager } = require('delivery-optimization');\nconst { createFakeService, verifyFakes, takeCreatedFakes } = require('delivery-optimization/testing');\nif (!require('delivery-optimization/diagnostics').ERROR_CLASS_CODES.length) throw new Error('no diagnostics');\n${JS_BODY}`,
    },
    run: ['index.cjs'],
  },
  {
    name: 'esm',
    files: {
      'package.json': '{ "private": true, "type": "module" }',
      'index.mjs': `import fs from 'fs'; import os from 'os'; import path from 'path';\nimport { BackgroundCopyManager } from 'delivery-optimization';\nimport { createFakeService, verifyFakes, takeCreatedFakes } from 'delivery-optimization/testing';\nimport { ERROR_CLASS_CODES } from 'delivery-optimization/diagnostics';\nif (!ERROR_CLASS_CODES.length) throw new Error('no diagnostics');\n${JS_BODY}`,
    },
    run: ['index.mjs'],
  },
  ...typeScriptSetups('ts5'),
  ...typeScriptSetups('ts7'),
];

function runNode(args, cwd) {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ ok: !error, output: `${stdout}${stderr}`.trim() });
    });
  });
}

/**
 * Installs the tarball (packed here unless `tarball` is given) and checks every setup; resolves to
 * `{ dir, tarball, results: [{ name, ok, output }] }`.
 */
async function checkConsumers({ dir = fs.mkdtempSync(path.join(os.tmpdir(), 'do-consumers-')), setups = SETUPS, tarball = packTarball({ dir }) } = {}) {
  installTarball(tarball, dir);
  for (const setup of setups) {
    const project = path.join(dir, setup.name);
    fs.mkdirSync(project, { recursive: true });
    for (const [file, text] of Object.entries(setup.files)) fs.writeFileSync(path.join(project, file), text);
  }
  // Two at a time: the machine has two cores.
  const results = [];
  const queue = [...setups];
  const worker = async () => {
    for (let setup = queue.shift(); setup; setup = queue.shift()) {
      const project = path.join(dir, setup.name);
      const r = await runNode(setup.tsc ? [setup.tsc, '-p', project] : setup.run, project);
      results.push({ name: setup.name, ...r });
    }
  };
  await Promise.all([worker(), worker()]);
  results.sort((a, b) => setups.findIndex((s) => s.name === a.name) - setups.findIndex((s) => s.name === b.name));
  return { dir, tarball, results };
}

module.exports = { SETUPS, COMPILERS, installTarball, checkConsumers, TSC };

if (require.main === module) {
  const keep = process.argv.includes('--keep');
  checkConsumers().then(({ dir, results }) => {
    for (const r of results) process.stdout.write(`${r.ok ? 'ok  ' : 'FAIL'}  ${r.name}${r.output ? `\n${r.output.replace(/^/gm, '      ')}` : ''}\n`);
    if (keep) process.stdout.write(`projects kept in ${dir}\n`);
    else fs.rmSync(dir, { recursive: true, force: true });
    process.exitCode = results.every((r) => r.ok) ? 0 : 1;
  }, (e) => { process.stderr.write(`${e.stack || e}\n`); process.exitCode = 1; });
}

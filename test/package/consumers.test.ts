/**
 * The package as a new user installs it: the packed tarball in the consumer setups of
 * scripts/consumers.js (CommonJS, ESM, and TypeScript 5 and 7 under each module resolution), and the
 * package linters `attw` and `publint` on that same tarball.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tarball } from './tarball';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { checkConsumers, SETUPS, COMPILERS } = require('../../scripts/consumers.js') as {
  SETUPS: { name: string }[];
  COMPILERS: Record<'ts5' | 'ts7', string>;
  checkConsumers(options: { tarball: string }): Promise<{ dir: string; tarball: string; results: { name: string; ok: boolean; output: string }[] }>;
};

const root = path.resolve(__dirname, '../..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

function run(file: string, args: string[]): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
      (error, stdout, stderr) => resolve({ ok: !error, output: `${stdout}${stderr}` }));
  });
}

let checked: Awaited<ReturnType<typeof checkConsumers>>;

beforeAll(async () => {
  checked = await checkConsumers({ tarball: tarball() });
}, 300_000);

afterAll(() => {
  if (checked) fs.rmSync(checked.dir, { recursive: true, force: true });
});

test('the matrix: CommonJS, ESM, TypeScript 5 under four resolutions and TypeScript 7 under three', () => {
  expect(SETUPS.map((s) => s.name)).toEqual([
    'cjs', 'esm', 'ts5-node16', 'ts5-nodenext', 'ts5-bundler', 'ts5-node10', 'ts7-node16', 'ts7-nodenext', 'ts7-bundler',
  ]);
});

test.each([['ts5', '5'], ['ts7', '7']] as const)('the %s rows run TypeScript %s', async (compiler, major) => {
  const r = await run(process.execPath, [COMPILERS[compiler], '--version']);
  expect(r.output).toMatch(new RegExp(`^Version ${major}\\.`));
});

test('TypeScript 7 refuses moduleResolution node10 (TS5108), so the README does not list it for TypeScript 7', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'do-ts7-node10-'));
  try {
    fs.writeFileSync(path.join(dir, 'a.ts'), 'export const a = 1;\n');
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', moduleResolution: 'node10', noEmit: true }, files: ['a.ts'] }));
    const r = await run(process.execPath, [COMPILERS.ts7, '-p', dir]);
    expect(r.output).toContain('TS5108');
    expect(r.ok).toBe(false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

test.each(SETUPS.map((s) => s.name))('consumer setup %s works from the packed tarball', (name) => {
  const result = checked.results.find((r) => r.name === name)!;
  expect(result.output).toBe(name === 'cjs' || name === 'esm' ? 'TRANSFERRED 64' : '');
  expect(result.ok).toBe(true);
});

test('attw (are the types wrong) finds no problem in the tarball', async () => {
  const r = await run(bin('attw'), [checked.tarball, '--format', 'ascii']);
  expect(r.output).toContain('No problems found');
  expect(r.ok).toBe(true);
}, 120_000);

test('publint finds nothing to say about the unpacked tarball', async () => {
  const r = await run(bin('publint'), ['run', path.join(checked.dir, 'node_modules', 'delivery-optimization'), '--pack', 'false', '--level', 'suggestion']);
  expect(r.output).toContain('All good!');
  expect(r.ok).toBe(true);
}, 120_000);

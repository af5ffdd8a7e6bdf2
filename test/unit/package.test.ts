/**
 * The package as a new user installs it: the packed tarball in six consumer setups
 * (scripts/consumers.js), and the package linters `attw` and `publint` on that same tarball.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { checkConsumers, SETUPS } = require('../../scripts/consumers.js') as {
  SETUPS: { name: string }[];
  checkConsumers(): Promise<{ dir: string; tarball: string; results: { name: string; ok: boolean; output: string }[] }>;
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
  checked = await checkConsumers();
}, 300_000);

afterAll(() => {
  if (checked) fs.rmSync(checked.dir, { recursive: true, force: true });
});

test('the matrix has at least six setups', () => {
  expect(SETUPS.map((s) => s.name)).toEqual(['cjs', 'esm', 'ts-node16', 'ts-nodenext', 'ts-bundler', 'ts-node10']);
});

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

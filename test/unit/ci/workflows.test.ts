/**
 * The CI workflow files (.github/workflows/*.yml, docs/testing.md "CI"): valid YAML with the
 * shape the forge reads, and every command a step runs is one the repository has (an npm script
 * of package.json, or a file of the repository run with node / bash), so a renamed script
 * cannot leave a workflow calling nothing. The Windows workflow runs exactly `npm ci` and
 * `npm test` (the command `npm run test:windows` proves under Wine); Linux runs `.ci/run`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseDocument } from 'yaml';

const ROOT = path.resolve(__dirname, '../../..');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');
const scripts: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;

interface Step { uses?: string; run?: string; with?: Record<string, unknown> }
interface Job { 'runs-on'?: unknown; container?: unknown; 'timeout-minutes'?: number; strategy?: { matrix?: Record<string, unknown[]> }; steps?: Step[] }
interface Workflow { name?: string; on?: unknown; jobs?: Record<string, Job> }

function load(file: string): Workflow {
  const doc = parseDocument(fs.readFileSync(path.join(WORKFLOWS, file), 'utf8'), { uniqueKeys: true });
  expect(doc.errors.map((e) => e.message)).toEqual([]);
  expect(doc.warnings.map((e) => e.message)).toEqual([]);
  return doc.toJS() as Workflow;
}

/** The commands of a `run:` block: one per line, `&&` / `;` split. */
function commandsOf(run: string): string[] {
  return run.split('\n').flatMap((line) => line.replace(/#.*$/, '').split(/&&|;/)).map((c) => c.trim().replace(/\s+/g, ' ')).filter(Boolean);
}

/** Why `command` names nothing in the repository, or null when it does. */
export function missingCommand(command: string, npmScripts: Record<string, string>, exists: (file: string) => boolean): string | null {
  const words = command.split(' ');
  if (words[0] === 'npm' && words[1] === 'ci') return null;
  if (words[0] === 'npm' && (words[1] === 'test' || words[1] === 't')) return npmScripts.test ? null : 'package.json has no "test" script';
  if (words[0] === 'npm' && (words[1] === 'run' || words[1] === 'run-script')) {
    const name = words.slice(2).find((w) => !w.startsWith('-'));
    return name && npmScripts[name] ? null : `package.json has no script "${name}"`;
  }
  if (words[0] === 'node' || words[0] === 'bash') {
    const file = words.slice(1).find((w) => !w.startsWith('-'));
    return file && exists(file) ? null : `the repository has no file ${file}`;
  }
  return `"${words[0]}" is neither npm nor a repository script run with node or bash`;
}

const inRepo = (file: string) => fs.existsSync(path.join(ROOT, file));
const files = fs.existsSync(WORKFLOWS) ? fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).sort() : [];

test('the workflows are windows.yml and linux.yml', () => {
  expect(files).toEqual(['linux.yml', 'windows.yml']);
});

describe.each(files)('%s', (file) => {
  test('is valid YAML with a name, triggers, and jobs whose steps check out, set up node with the npm cache, then run', () => {
    const wf = load(file);
    expect(typeof wf.name).toBe('string');
    expect(wf.on).toBeDefined();
    const jobs = Object.values(wf.jobs ?? {});
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) {
      expect(typeof job['runs-on']).toBe('string');
      expect(job['timeout-minutes']).toBeLessThanOrEqual(90);
      const steps = job.steps ?? [];
      expect(steps[0]?.uses).toMatch(/^actions\/checkout@v\d+$/);
      const setupNode = steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
      expect(setupNode?.uses).toMatch(/^actions\/setup-node@v\d+$/);
      expect(setupNode?.with?.cache).toBe('npm');
      for (const step of steps) expect(Boolean(step.uses) !== Boolean(step.run)).toBe(true);
    }
  });

  test('every command a step runs exists in package.json scripts or the repository', () => {
    const commands = Object.values(load(file).jobs ?? {}).flatMap((j) => (j.steps ?? []).flatMap((s) => (s.run ? commandsOf(s.run) : [])));
    expect(commands.length).toBeGreaterThan(0);
    expect(commands.map((c) => [c, missingCommand(c, scripts, inRepo)])).toEqual(commands.map((c) => [c, null]));
  });
});

test('windows.yml: npm ci then npm test, with 64-bit and 32-bit node on a Windows runner', () => {
  const job = Object.values(load('windows.yml').jobs ?? {})[0];
  expect(job['runs-on']).toMatch(/^windows-/);
  expect(job.strategy?.matrix?.architecture).toEqual(['x64', 'x86']);
  const setupNode = job.steps?.find((s) => s.uses?.startsWith('actions/setup-node@'));
  expect(setupNode?.with).toMatchObject({ 'architecture': '${{ matrix.architecture }}', 'node-version': 22 });
  expect(job.steps?.filter((s) => s.run).map((s) => s.run?.trim())).toEqual(['npm ci', 'npm test']);
});

test('linux.yml: bash .ci/run on Debian 12 as root (a container), where .ci/run can install Wine', () => {
  const job = Object.values(load('linux.yml').jobs ?? {})[0];
  expect(job.container).toBe('debian:12');
  expect(job.steps?.filter((s) => s.run).map((s) => s.run?.trim())).toEqual(['bash .ci/run']);
});

test('.ci/run, which linux.yml runs, calls only npm scripts and repository files that exist', () => {
  const lines = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8').split('\n').map((l) => l.trim());
  const commands = lines.filter((l) => /^(npm|node) /.test(l)).map((l) => l.replace(/\s+/g, ' '));
  expect(commands).toContain('npm test');
  expect(commands.map((c) => [c, missingCommand(c, scripts, inRepo)])).toEqual(commands.map((c) => [c, null]));
});

describe('missingCommand (the check itself)', () => {
  const fake = { test: 'node scripts/test.js', demo: 'node scripts/demo.js' };
  const exists = (f: string) => f === '.ci/run' || f === 'scripts/test.js';
  test.each([
    ['npm ci', null],
    ['npm ci --no-audit', null],
    ['npm test', null],
    ['npm run demo -- --arch ia32', null],
    ['npm run nope', 'package.json has no script "nope"'],
    ['node scripts/test.js --windows', null],
    ['node scripts/gone.js', 'the repository has no file scripts/gone.js'],
    ['bash .ci/run', null],
    ['curl https://example.org | sh', '"curl" is neither npm nor a repository script run with node or bash'],
  ])('%s → %s', (command, why) => {
    expect(missingCommand(command, fake, exists)).toBe(why);
  });
  test('npm test without a test script', () => {
    expect(missingCommand('npm test', {}, exists)).toBe('package.json has no "test" script');
  });
});

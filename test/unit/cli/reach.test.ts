/**
 * The CLI's reach (PowerShell BitsTransfer / bitsadmin parity) on the testing fake: several files
 * per job, --from-file, job settings on download and `set`, credentials without argv, list --name,
 * cancel --all, and the progress fallback where the terminal cannot redraw.
 */
import * as fs from 'fs';
import { BackgroundCopyManager, type BackgroundCopyJob } from '../../../src/api';
import { AuthScheme, AuthTarget, JobPriority, ProxyUsage } from '../../../src/bits';
import { fakeContent } from '../../../src/testing';
import type { Prompter } from '../../../src/cli/prompt';
import { pairsFromFile } from '../../../src/cli/file-list';
import { wildcardRegExp } from '../../../src/cli/wildcard';
import { buffer, cli, fakeFixture, json, type FakeFixture } from './helpers';
import { run } from '../../../src/cli/main';
import { skipUnderWine } from '../../support/platform';

const A = 'http://fake.test/a.bin';
const B = 'http://fake.test/b.bin';
const SCRIPT = {
  [A]: { kind: 'succeed', bytes: 3000, durationMs: 20 },
  [B]: { kind: 'succeed', bytes: 5000, durationMs: 20 },
} as const;
const SECRET = 'pa55-w0rd-never-shown';
const TOKEN = 'Bearer tok-never-shown';

let f: FakeFixture;
beforeEach(() => {
  f = fakeFixture({ script: SCRIPT });
});
afterEach(async () => {
  await f.done();
});

/** Runs `fn` on the fake's only job through the library (to read back what the CLI set). */
async function onlyJob<T>(fn: (job: BackgroundCopyJob) => Promise<T>): Promise<T> {
  const m = await BackgroundCopyManager.connect({ service: f.fake });
  try {
    const [job] = await m.jobs();
    try {
      return await fn(job);
    } finally {
      job.dispose();
    }
  } finally {
    m.dispose();
  }
}

async function cancelAll(): Promise<void> {
  await cli(['cancel', '--all', '--yes', '--bits'], { connect: f.connect });
}

/** A prompter that answers with `answers` in order and records the questions. */
function scriptedPrompter(answers: string[], interactive = true): Prompter & { questions: string[] } {
  const questions: string[] = [];
  const next = async (q: string) => {
    questions.push(q);
    return answers.shift() ?? '';
  };
  return { interactive, questions, secret: next, confirm: async (q) => /^y/i.test(await next(q)) };
}

const noTerminal = scriptedPrompter([], false);

describe('download: several files in one job', () => {
  test('two <url> <dest> pairs: one job, both files with their content', async () => {
    const r = await cli(['download', A, f.file('a.bin'), B, f.file('b.bin'), '--bits', '--progress=none'], { connect: f.connect });
    expect(r.code).toBe(0);
    expect(fs.readFileSync(f.file('a.bin')).equals(fakeContent(A, 3000))).toBe(true);
    expect(fs.readFileSync(f.file('b.bin')).equals(fakeContent(B, 5000))).toBe(true);
    expect(r.stdout).toMatch(/^Downloaded 7\.8 KiB in .* to 2 files$/m);
    expect(r.stderr).toMatch(/^fake BITS job [0-9a-f-]{36}: 2 files$/m);
    expect(f.fake.calledMethods()).toContain('IBackgroundCopyJob::AddFileSet');
  });

  test('--from-file: a CSV with a header row, quotes and a comment', async () => {
    const list = f.file('list.csv');
    fs.writeFileSync(list, `Source,Destination\n# first\n"${A}",${f.file('c1.bin')}\n${B},"${f.file('c2.bin')}"\n`);
    const r = await cli(['download', '--from-file', list, '--bits', '--json'], { connect: f.connect });
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ files: [{ url: A, localPath: f.file('c1.bin') }, { url: B, localPath: f.file('c2.bin') }] });
    expect(fs.readFileSync(f.file('c2.bin')).equals(fakeContent(B, 5000))).toBe(true);
  });

  test('--from-file: TSV by extension (a path relative to the working directory), added to the pairs given on the command line', async () => {
    const list = f.file('list.tsv');
    fs.writeFileSync(list, `${B}\t${f.file('t2.bin')}\n`);
    const r = await cli(['download', A, f.file('t1.bin'), '--from-file', 'list.tsv', '--bits', '--json'], { connect: f.connect, cwd: f.dir });
    expect(r.code).toBe(0);
    expect((json(r).files as unknown[]).length).toBe(2);
    expect(fs.existsSync(f.file('t2.bin'))).toBe(true);
  });

  test('a list row without a destination, and two files to one path, are usage errors before any job exists', async () => {
    const list = f.file('bad.csv');
    fs.writeFileSync(list, `${A}\n`);
    const r1 = await cli(['download', '--from-file', list, '--bits'], { connect: f.connect });
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/entry 1 needs two columns/);
    const r2 = await cli(['download', A, f.file('same.bin'), B, f.file('same.bin'), '--bits'], { connect: f.connect });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/two files would be written to .*same\.bin/);
    expect(f.fake.jobs()).toEqual([]);
  });

  test('pairsFromFile: CRLF, BOM, TSV detected from a tab in the first line', () => {
    expect(pairsFromFile('x.txt', `\uFEFFurl,dest\r\n${A},a.bin\r\n`)).toEqual([{ url: A, dest: 'a.bin' }]);
    expect(pairsFromFile('x.txt', `${A}\ta,b.bin\n`)).toEqual([{ url: A, dest: 'a,b.bin' }]);
  });
});

describe('job settings', () => {
  const ALL = [
    '--priority', 'high', '--header', 'X-Trace: 1', '--header', `Authorization: ${TOKEN}`, '--proxy', 'proxy.test:8080',
    '--proxy-bypass', '<local>', '--retry-delay', '90', '--no-progress-timeout', '15m', '--max-time', '2h', '--user', 'alice',
  ];

  async function expectAllSet(job: BackgroundCopyJob): Promise<void> {
    expect(await job.getPriority()).toBe(JobPriority.High);
    expect(await job.getCustomHeaders()).toBe(`X-Trace: 1\r\nAuthorization: ${TOKEN}`);
    expect(await job.getProxySettings()).toEqual({ usage: ProxyUsage.Override, proxyList: 'proxy.test:8080', bypassList: '<local>' });
    expect(await job.getMinimumRetryDelay()).toBe(90);
    expect(await job.getNoProgressTimeout()).toBe(900);
    expect(await job.getMaximumDownloadTime()).toBe(7200);
    expect(f.fake.jobs()[0].credentials).toEqual([{ target: AuthTarget.Server, scheme: AuthScheme.Basic, userName: 'alice', password: SECRET }]);
  }

  test('download applies every setting; the password comes from DOPT_PASSWORD; no secret is printed', async () => {
    const r = await cli(['download', A, f.file('s.bin'), '--bits', '--no-complete', '--progress=plain', ...ALL], { connect: f.connect, env: { DOPT_PASSWORD: SECRET } });
    expect(r.code).toBe(0);
    await onlyJob(expectAllSet);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(r.stdout + r.stderr).not.toContain('tok-never-shown');
    const j = await cli(['download', B, f.file('s2.bin'), '--bits', '--json', ...ALL.slice(2, 6)], { connect: f.connect });
    expect(json(j).settings).toEqual(['headers']);
    expect(j.stdout).not.toContain('tok-never-shown');
    await cancelAll();
  });

  test('set <id> applies the same settings to an existing job (password from a no-echo prompt)', async () => {
    const started = await cli(['download', A, f.file('set.bin'), '--bits', '--no-complete', '--progress=none', '--json'], { connect: f.connect });
    const id = String(json(started).jobId);
    const prompter = scriptedPrompter([SECRET]);
    const r = await cli(['set', id, '--bits', '--name', 'renamed', ...ALL], { connect: f.connect, prompter, env: {} });
    expect(r.code).toBe(0);
    expect(prompter.questions).toEqual(['Password for alice: ']);
    expect(r.stdout).toBe(`Updated job ${id}: displayName, priority, headers, proxy, retryDelay, noProgressTimeout, maxTime, credentials.\n`);
    await onlyJob(async (job) => {
      await expectAllSet(job);
      expect(await job.getDisplayName()).toBe('renamed');
    });
    const j = await cli(['set', id, '--bits', '--json', '--retry-delay', '1m'], { connect: f.connect });
    expect(json(j)).toMatchObject({ ok: true, command: 'set', jobId: id, changed: ['retryDelay'] });
    await onlyJob(async (job) => expect(await job.getMinimumRetryDelay()).toBe(60));
    await cancelAll();
  });

  test('--password-env names the variable', async () => {
    const r = await cli(['download', A, f.file('pe.bin'), '--bits', '--no-complete', '--progress=none', '--user', 'bob', '--password-env', 'MY_PW', '--auth-scheme', 'digest', '--auth-target', 'proxy'],
      { connect: f.connect, env: { MY_PW: SECRET } });
    expect(r.code).toBe(0);
    expect(f.fake.jobs()[0].credentials).toEqual([{ target: AuthTarget.Proxy, scheme: AuthScheme.Digest, userName: 'bob', password: SECRET }]);
    await cancelAll();
  });

  test.each([
    ['--user name:password (never echoed)', ['--user', `alice:${SECRET}`], /--user takes a name only/],
    ['--user without a password and no terminal', ['--user', 'alice'], /--user needs a password: set DOPT_PASSWORD/],
    ['--password-env of an unset variable', ['--user', 'alice', '--password-env', 'NOPE'], /NOPE: that environment variable is not set/],
    ['a malformed header (value never echoed)', ['--header', `no colon ${SECRET}`], /--header #1 is not "Name: value"/],
    ['--proxy-bypass without --proxy', ['--proxy-bypass', 'x'], /--proxy-bypass needs --proxy/],
    ['a bad duration', ['--retry-delay', '5 minutes'], /expected a duration in whole seconds/],
    ['a duration past 32 bits', ['--max-time', '50000d'], /at most 4294967295 s/],
  ])('%s: exit 2 before any job exists', async (_name, args, message) => {
    const r = await cli(['download', A, f.file('u.bin'), '--bits', ...args], { connect: f.connect, prompter: noTerminal, env: {} });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(f.fake.jobs()).toEqual([]);
  });

  test('set with nothing to set is a usage error', async () => {
    const r = await cli(['set', '0fe5563c-2db5-466d-bb2f-8d0850ff99e4', '--bits'], { connect: f.connect });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nothing to set/);
  });
});

describe('list --name, cancel --all', () => {
  async function twoJobs(): Promise<string[]> {
    const ids: string[] = [];
    for (const [name, url, file] of [['Nightly update', A, 'n.bin'], ['report 7', B, 'r.bin']] as const) {
      const r = await cli(['download', url, f.file(file), '--bits', '--no-complete', '--json', '--name', name], { connect: f.connect });
      ids.push(String(json(r).jobId));
    }
    return ids;
  }

  test('list --name filters by wildcard, case-insensitively', async () => {
    const [nightly, report] = await twoJobs();
    const r = await cli(['list', '--bits', '--name', 'nightly*'], { connect: f.connect });
    expect(r.stdout).toContain(nightly);
    expect(r.stdout).not.toContain(report);
    const j = json(await cli(['list', '--bits', '--json', '--name', 'report ?'], { connect: f.connect }));
    expect((j.jobs as Array<{ id: string }>).map((x) => x.id)).toEqual([report]);
    expect(j.name).toBe('report ?');
    const none = await cli(['list', '--bits', '--name', 'x*'], { connect: f.connect });
    expect(none.stdout).toBe('No fake BITS jobs named "x*" (current user).\n');
    await cancelAll();
  });

  test('wildcardRegExp: *, ?, sets, and literal regex characters', () => {
    expect(wildcardRegExp('a*c').test('ABBC')).toBe(true);
    expect(wildcardRegExp('a?c').test('ac')).toBe(false);
    expect(wildcardRegExp('[rb]ed').test('bed')).toBe(true);
    expect(wildcardRegExp('v1.0 (x)').test('v1.0 (x)')).toBe(true);
    expect(wildcardRegExp('v1.0').test('v1x0')).toBe(false);
  });

  test('cancel --all asks first; "n" cancels nothing, "y" cancels every job', async () => {
    const ids = await twoJobs();
    const no = scriptedPrompter(['n']);
    const r1 = await cli(['cancel', '--all', '--bits'], { connect: f.connect, prompter: no });
    expect(r1.code).toBe(0);
    expect(no.questions).toEqual(['Cancel these 2 job(s)? [y/N] ']);
    expect(r1.stderr).toMatch(/Nothing cancelled/);
    expect(f.fake.jobs()).toHaveLength(2);
    const r2 = await cli(['cancel', '--all', '--bits'], { connect: f.connect, prompter: scriptedPrompter(['y']) });
    expect(r2.code).toBe(0);
    for (const id of ids) expect(r2.stdout).toContain(`Cancelled job ${id}.`);
    expect(f.fake.jobs()).toEqual([]);
  });

  test('cancel --all without a terminal needs --yes; with --yes --json it reports each job', async () => {
    await twoJobs();
    const refused = await cli(['cancel', '--all', '--bits'], { connect: f.connect, prompter: noTerminal });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/add --yes/);
    expect(f.fake.jobs()).toHaveLength(2);
    const r = await cli(['cancel', '--all', '--yes', '--bits', '--json'], { connect: f.connect, prompter: noTerminal });
    expect(json(r)).toMatchObject({ ok: true, command: 'cancel', cancelled: 2, failed: 0 });
    expect(f.fake.jobs()).toEqual([]);
  });

  test('cancel with an id and --all, or with neither, is a usage error', async () => {
    expect((await cli(['cancel', '--bits'], { connect: f.connect })).stderr).toMatch(/needs a job id or name \(or --all\)/);
    expect((await cli(['cancel', '0fe5563c-2db5-466d-bb2f-8d0850ff99e4', '--all', '--bits'], { connect: f.connect })).code).toBe(2);
  });
});

describe('progress where the terminal cannot redraw', () => {
  test('auto on a terminal that cannot redraw (Wine console, TERM=dumb) prints plain lines', async () => {
    const stderr = buffer(true);
    const stdout = buffer();
    const code = await run(['download', A, f.file('w.bin'), '--bits'], { connect: f.connect, pollIntervalMs: 5, stdout, stderr, canRedraw: () => false });
    expect(code).toBe(0);
    expect(stderr.text()).not.toMatch(/\x1b\[/);
    expect(stderr.text()).toMatch(/^100% \| 2\.9 KiB \/ 2\.9 KiB .*TRANSFERRED$/m);
  });

  skipUnderWine('the CLI never redraws in the Wine console (canRedraw)').test('canRedraw (on Linux): only a terminal, not TERM=dumb', async () => {
    const { canRedraw } = await import('../../../src/cli/context');
    expect(canRedraw({ write: () => true, isTTY: false }, {})).toBe(false);
    expect(canRedraw({ write: () => true, isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(canRedraw({ write: () => true, isTTY: true }, { TERM: 'xterm-256color' })).toBe(true);
  });
});

test('every command takes --json', async () => {
  const r = await cli(['--help'], {});
  const commands = [...r.stdout.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]).filter((c) => c !== 'help');
  expect(commands.length).toBeGreaterThanOrEqual(11);
  for (const command of commands) {
    const help = await cli([command, '--help'], {});
    expect([command, help.stdout]).toEqual([command, expect.stringContaining('--json')]);
  }
});

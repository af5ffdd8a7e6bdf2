/**
 * Issue 21, the job life cycle from the shell, in-process against the testing fake: `create`,
 * `add`, `download --async|--suspended`, `resume --wait`, `complete`, `cancel`, `take-ownership`,
 * `replace-prefix`, `upload`, `upload-reply`; jobs by id or display name; bad input refused
 * (exit 2) before anything is created.
 */
import * as fs from 'fs';
import { JobState, JobType } from '../../../src/bits';
import { fakeContent } from '../../../src/testing';
import { cli, json, fakeFixture, expectNoStack, type FakeFixture } from './helpers';
import { until } from '../../support/wait';

const OK = 'http://fake.test/ok.bin';
const TWO = 'http://fake.test/two.bin';
const SLOW = 'http://fake.test/slow.bin';
const MISSING = 'http://fake.test/missing';
const HANG = 'http://fake.test/hang';
const UP = 'http://fake.test/upload/report.txt';
const SCRIPT = {
  [OK]: { kind: 'succeed', bytes: 64 * 1024, durationMs: 30 },
  [TWO]: { kind: 'succeed', bytes: 1000, durationMs: 10 },
  [SLOW]: { kind: 'succeed', bytes: 256 * 1024, durationMs: 300 },
  [MISSING]: { kind: 'fail', hresult: 0x80190194 },
  [HANG]: { kind: 'hang' },
  [UP]: { kind: 'succeed', bytes: 5, durationMs: 10 },
} as const;

let f: FakeFixture;
beforeEach(() => {
  f = fakeFixture({ script: SCRIPT });
});
afterEach(async () => {
  await f.done();
});

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const created = () => f.fake.calledMethods().has('IBackgroundCopyManager::CreateJob');

describe('create, add, resume --wait', () => {
  test('create makes a SUSPENDED job and prints its id; add by name; resume --wait transfers and completes it', async () => {
    const c = await cli(['create', '--bits', '--name', 'nightly sync', '--priority', 'high'], { connect: f.connect });
    expect(c.code).toBe(0);
    const id = c.stdout.trim();
    expect(id).toMatch(ID);
    expect(c.stderr).toContain(`delivery-optimization resume ${id} --bits`);
    expect(f.fake.jobs()).toMatchObject([{ id, displayName: 'nightly sync', state: JobState.Suspended, priority: 1, type: JobType.Download, files: [] }]);

    const a = await cli(['add', 'nightly*', OK, f.file('ok.bin'), TWO, f.file('two.bin'), '--bits', '--json'], { connect: f.connect });
    expect(a.code).toBe(0);
    expect(json(a)).toMatchObject({ command: 'add', ok: true, jobId: id, type: 'download', state: 'SUSPENDED', files: [{ url: OK, localPath: f.file('ok.bin') }, { url: TWO }] });
    expect(f.fake.jobs()[0].files).toHaveLength(2);

    const r = await cli(['resume', 'NIGHTLY SYNC', '--wait', '--bits', '--progress=plain'], { connect: f.connect });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Completed job ${id}: 65\\.0 KiB transferred\\.$`, 'm'));
    expect(r.stderr).toMatch(/TRANSFERRED$/m);
    expect(fs.readFileSync(f.file('ok.bin')).equals(fakeContent(OK, 64 * 1024))).toBe(true);
    expect(fs.readFileSync(f.file('two.bin')).equals(fakeContent(TWO, 1000))).toBe(true);
    expect(f.fake.jobs()).toEqual([]);
  });

  test('create --json with files and settings: the document names the settings, never their values', async () => {
    const c = await cli(['create', OK, f.file('c.bin'), '--bits', '--json', '--header', 'Authorization: Bearer s3cret'], { connect: f.connect });
    expect(c.code).toBe(0);
    const doc = json(c);
    expect(doc).toMatchObject({ command: 'create', ok: true, service: 'bits', type: 'download', state: 'SUSPENDED', settings: ['headers'], files: [{ url: OK, localPath: f.file('c.bin') }] });
    expect(c.stdout).not.toContain('s3cret');
    expect(f.fake.jobs()[0]).toMatchObject({ id: doc.jobId, displayName: `delivery-optimization: ${OK}` });
  });

  test('resume --wait --no-complete leaves the job TRANSFERRED; complete by id finishes it', async () => {
    const id = (await cli(['create', OK, f.file('nc.bin'), '--bits'], { connect: f.connect })).stdout.trim();
    const r = await cli(['resume', id, '--wait', '--no-complete', '--bits', '--json'], { connect: f.connect });
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ command: 'resume', jobId: id, state: 'TRANSFERRED', bytesTransferred: String(64 * 1024), completion: null });
    expect(fs.existsSync(f.file('nc.bin'))).toBe(false);
    const c = await cli(['complete', id, '--bits'], { connect: f.connect });
    expect(c.code).toBe(0);
    expect(fs.existsSync(f.file('nc.bin'))).toBe(true);
  });

  test('resume --wait on a job that fails: exit 1 with the JobError, and the job is left for the user (not cancelled)', async () => {
    const id = (await cli(['create', MISSING, f.file('m.bin'), '--bits'], { connect: f.connect })).stdout.trim();
    const r = await cli(['resume', id, '--wait', '--bits', '--progress=none'], { connect: f.connect });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ {2}code +BG_E_HTTP_ERROR_404$/m);
    expect(f.fake.jobs()).toMatchObject([{ id, state: JobState.Error }]);
    expect(f.fake.calledMethods()).not.toContain('IBackgroundCopyJob::Cancel');
  });

  test('Ctrl-C during resume --wait stops waiting (exit 130) and leaves the job running', async () => {
    const id = (await cli(['create', HANG, f.file('h.bin'), '--bits'], { connect: f.connect })).stdout.trim();
    const controller = new AbortController();
    const pending = cli(['resume', id, '--wait', '--bits', '--progress=none'], { connect: f.connect, signal: controller.signal });
    await until(() => f.fake.jobs().some((j) => j.state === JobState.Transferring), 'a job TRANSFERRING');
    controller.abort();
    expect((await pending).code).toBe(130);
    expect(f.fake.jobs()).toMatchObject([{ id, state: JobState.Transferring }]);
    expect(f.fake.calledMethods()).not.toContain('IBackgroundCopyJob::Cancel');
    expect((await cli(['cancel', id, '--bits'], { connect: f.connect })).code).toBe(0);
  });

  test('add to an upload job that has its file: exit 2, nothing added', async () => {
    const src = f.file('up.txt');
    fs.writeFileSync(src, 'hello');
    const id = (await cli(['create', '--type', 'upload', UP, src, '--bits'], { connect: f.connect })).stdout.trim();
    const r = await cli(['add', id, UP, src, '--bits'], { connect: f.connect });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: an upload job takes one file \(BITS allows one per upload job\); this one has its file already$/m);
    expect(f.fake.jobs()[0].files).toHaveLength(1);
    await cli(['cancel', id, '--bits'], { connect: f.connect });
  });
});

describe('download --async and --suspended', () => {
  test('--async prints the id and returns with the job running; resume --wait completes it later', async () => {
    const r = await cli(['download', SLOW, f.file('a.bin'), '--bits', '--async'], { connect: f.connect });
    expect(r.code).toBe(0);
    const id = r.stdout.trim();
    expect(id).toMatch(ID);
    expect(r.stderr).toContain(`resume --wait ${id} --bits`);
    const [job] = f.fake.jobs();
    expect(job.id).toBe(id);
    expect([JobState.Queued, JobState.Connecting, JobState.Transferring, JobState.Transferred]).toContain(job.state);
    expect(job.stateHistory).not.toContain(JobState.Cancelled);
    const w = await cli(['resume', id, '--wait', '--bits', '--progress=none'], { connect: f.connect });
    expect(w.code).toBe(0);
    expect(fs.readFileSync(f.file('a.bin')).equals(fakeContent(SLOW, 256 * 1024))).toBe(true);
  });

  test('Ctrl-C never cancels an --async job: with the signal already aborted the job is made and left running', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await cli(['download', HANG, f.file('h.bin'), '--bits', '--async', '--json'], { connect: f.connect, signal: controller.signal });
    expect(r.code).toBe(0);
    const doc = json(r);
    expect(doc).toMatchObject({ command: 'download', ok: true, type: 'download', files: [{ url: HANG }] });
    expect(f.fake.jobs()).toMatchObject([{ id: doc.jobId }]);
    expect(f.fake.calledMethods()).not.toContain('IBackgroundCopyJob::Cancel');
    await cli(['cancel', String(doc.jobId), '--bits'], { connect: f.connect });
  });

  test('--suspended makes the job with its files and does not start it', async () => {
    const r = await cli(['download', OK, f.file('s.bin'), '--bits', '--suspended', '--json'], { connect: f.connect });
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ state: 'SUSPENDED' });
    expect(f.fake.jobs()).toMatchObject([{ state: JobState.Suspended, stateHistory: [JobState.Suspended] }]);
    await cli(['cancel', String(json(r).jobId), '--bits'], { connect: f.connect });
  });

  test.each([
    [['--async', '--progress', 'bar'], /^error: --async returns at once, so there is no progress to show: --progress bar does not go with it$/m],
    [['--async', '--suspended'], /^error: --async starts the job and --suspended does not: give one of them$/m],
    [['--suspended', '--no-complete'], /^error: --suspended does not complete the job anyway/m],
    [['--async', '--api', 'ido'], /^error: --async makes a BITS-style job: not with --api ido$/m],
    [['--suspended', '-o', '-'], /^error: --suspended makes a BITS-style job: not with -o -$/m],
  ])('download %j: exit 2 before any job exists', async (flags, message) => {
    const argv = flags.includes('-o') ? ['download', OK, ...flags] : ['download', OK, f.file('x.bin'), ...(flags.includes('--api') ? [] : ['--bits']), ...flags];
    const r = await cli(argv, { connect: f.connect });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expectNoStack(r.stderr);
    expect(created()).toBe(false);
  });
});

describe('jobs by display name', () => {
  async function named(name: string): Promise<string> {
    return (await cli(['create', '--bits', '--name', name], { connect: f.connect })).stdout.trim();
  }

  test('an ambiguous name: exit 2, the candidates listed, no job touched', async () => {
    const a = await named('backup a');
    const b = await named('backup b');
    await named('other');
    const r = await cli(['cancel', 'backup*', '--bits'], { connect: f.connect });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: 2 jobs match the name "backup*"; give one of their ids:');
    expect(r.stderr).toContain(`  ${a}  backup a`);
    expect(r.stderr).toContain(`  ${b}  backup b`);
    expect(f.fake.jobs()).toHaveLength(3);
    const one = await cli(['cancel', 'backup [b]', '--bits', '--json'], { connect: f.connect });
    expect(one.code).toBe(0);
    expect(json(one)).toMatchObject({ jobId: b, action: 'cancel' });
    expect(f.fake.jobs().map((j) => j.id)).not.toContain(b);
  });

  test('a name matching nothing: exit 6 (no such job), in JSON too', async () => {
    await named('present');
    const r = await cli(['complete', 'absent*', '--bits', '--json'], { connect: f.connect });
    expect(r.code).toBe(6);
    expect(json(r)).toMatchObject({ ok: false, error: { name: 'UsageError', exitCode: 6, message: expect.stringContaining('no job of yours is named "absent*"') } });
  });

  test('suspend and take-ownership by name', async () => {
    const id = await named('mine');
    expect((await cli(['suspend', 'mine', '--bits'], { connect: f.connect })).stdout).toBe(`Suspended job ${id}.\n`);
    const t = await cli(['take-ownership', 'MINE', '--bits', '--json'], { connect: f.connect });
    expect(t.code).toBe(0);
    expect(json(t)).toMatchObject({ command: 'take-ownership', jobId: id, action: 'take-ownership', result: null });
    expect(f.fake.calledMethods()).toContain('IBackgroundCopyJob::TakeOwnership');
  });

  test('show, set and watch by name; --api ido refuses a name (IDO downloads have none)', async () => {
    const id = await named('report 7');
    const s = await cli(['show', 'report ?', '--bits', '--json'], { connect: f.connect });
    expect(s.code).toBe(0);
    expect(json(s)).toMatchObject({ command: 'show', job: { id, displayName: 'report 7' } });
    const d = await cli(['set', 'REPORT*', '--description', 'nightly', '--bits', '--json'], { connect: f.connect });
    expect(json(d)).toMatchObject({ command: 'set', jobId: id, changed: ['description'] });
    await cli(['add', 'report 7', TWO, f.file('two.bin'), '--bits'], { connect: f.connect });
    await cli(['resume', 'report 7', '--bits'], { connect: f.connect });
    const w = await cli(['watch', 'report*', '--bits', '--progress=none'], { connect: f.connect });
    expect(w.code).toBe(0);
    expect(w.stdout).toContain(`Job ${id} is TRANSFERRED`);
    const ido = await cli(['show', 'report 7', '--api', 'ido'], { connect: f.connect });
    expect(ido.code).toBe(2);
    expect(ido.stderr).toContain("--api ido takes a download id (GUID), not a name ('report 7')");
  });
});

describe('replace-prefix', () => {
  test('rewrites the remote names that start with <old>', async () => {
    const id = (await cli(['create', OK, f.file('r1.bin'), TWO, f.file('r2.bin'), '--bits'], { connect: f.connect })).stdout.trim();
    const r = await cli(['replace-prefix', id, 'http://fake.test/', 'http://mirror.test/', '--bits', '--json'], { connect: f.connect });
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ jobId: id, remoteNames: ['http://mirror.test/ok.bin', 'http://mirror.test/two.bin'] });
    expect(f.fake.jobs()[0].files.map((x) => x.remoteName)).toEqual(['http://mirror.test/ok.bin', 'http://mirror.test/two.bin']);
    await cli(['cancel', id, '--bits'], { connect: f.connect });
  });
});

describe('upload and upload-reply', () => {
  test('upload sends one file in an upload job and completes it', async () => {
    const src = f.file('report.txt');
    fs.writeFileSync(src, 'hello');
    const r = await cli(['upload', src, UP, '--bits', '--json'], { connect: f.connect });
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ command: 'upload', ok: true, type: 'upload', url: UP, localPath: src, state: 'ACKNOWLEDGED', reply: null });
    expect(f.fake.calledMethods()).toContain('IBackgroundCopyJob::Complete');
    expect(f.fake.jobs()).toEqual([]);
  });

  test('upload-reply with --reply-file: the reply file name and data (the fake sends no reply: 0 bytes)', async () => {
    const src = f.file('report.txt');
    fs.writeFileSync(src, 'hello');
    const r = await cli(['upload-reply', src, UP, '--bits', '--json', '--reply-file', f.file('reply.bin')], { connect: f.connect });
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ command: 'upload-reply', type: 'upload-reply', reply: { file: f.file('reply.bin'), bytes: 0, dataBase64: '' } });
    expect(f.fake.calledMethods()).toContain('IBackgroundCopyJob2::GetReplyData');
  });

  test('create --type upload-reply takes --reply-file; the job type reaches CreateJob', async () => {
    const src = f.file('u.txt');
    fs.writeFileSync(src, 'x');
    const r = await cli(['create', '--type', 'upload-reply', UP, src, '--reply-file', f.file('rep.bin'), '--bits', '--json'], { connect: f.connect });
    expect(r.code).toBe(0);
    expect(f.fake.jobs()).toMatchObject([{ type: JobType.UploadReply, files: [{ remoteName: UP, localName: src }] }]);
    await cli(['cancel', String(json(r).jobId), '--bits'], { connect: f.connect });
  });

  test.each([
    [['create', '--type', 'upload', UP, 'A', UP, 'B'], /^error: an upload job takes one file \(BITS allows one per upload job\), not 2$/m],
    [['upload', 'no-such-file.txt', UP], /^error: .*no-such-file\.txt: no such file to upload$/m],
    [['create', '--reply-file', 'r.bin'], /^error: --reply-file goes with --type upload-reply$/m],
    [['add', 'x'], /^error: nothing to add/m],
    [['resume', 'x', '--no-complete'], /^error: --no-complete and --progress go with --wait$/m],
  ])('%j: exit 2 before any job exists', async (argv, message) => {
    fs.writeFileSync(f.file('A'), 'a');
    fs.writeFileSync(f.file('B'), 'b');
    const r = await cli([...argv, '--bits'], { connect: f.connect, cwd: f.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(created()).toBe(false);
  });
});

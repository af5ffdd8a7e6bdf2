/**
 * The commands in-process against the testing fake (real vtables, scripted transfers): what they
 * print, what they leave behind, and that every COM reference is released (fake.assertBalanced).
 */
import * as fs from 'fs';
import * as path from 'path';
import { BackgroundCopyManager } from '../../../src/api';
import { JobState } from '../../../src/bits';
import { ClassNotRegisteredError, PlatformNotSupportedError } from '../../../src/errors';
import { fakeContent } from '../../../src/testing';
import type { Connect } from '../../../src/cli/service';
import { cli, expectNoStack, fakeFixture, json, type FakeFixture } from './helpers';
import { skipUnderWine } from '../../support/platform';
import { until } from '../../support/wait';

const OK = 'http://fake.test/ok.bin';
const SLOW = 'http://fake.test/slow.bin';
const MISSING = 'http://fake.test/missing';
const HANG = 'http://fake.test/hang';
const SCRIPT = {
  [OK]: { kind: 'succeed', bytes: 64 * 1024, durationMs: 30 },
  [SLOW]: { kind: 'succeed', bytes: 256 * 1024, durationMs: 300 },
  [MISSING]: { kind: 'fail', hresult: 0x80190194 },
  [HANG]: { kind: 'hang' },
} as const;

let f: FakeFixture;
beforeEach(() => {
  f = fakeFixture({ script: SCRIPT });
});
afterEach(async () => {
  await f.done();
});

/** A job created outside the CLI (watch/show/cancel need one). */
async function startJob(url: string, name: string): Promise<string> {
  const m = await BackgroundCopyManager.connect({ service: f.fake });
  const job = await m.createJob('test job');
  try {
    await job.addFile(url, f.file(name));
    await job.resume();
    return job.id;
  } finally {
    job.dispose();
    m.dispose();
  }
}

describe('download', () => {
  test('success: the file has the content, the job is ACKNOWLEDGED, exit 0', async () => {
    const r = await cli(['download', OK, f.file('ok.bin'), '--bits', '--progress=plain'], { connect: f.connect });
    expect(r.code).toBe(0);
    expect(fs.readFileSync(f.file('ok.bin')).equals(fakeContent(OK, 64 * 1024))).toBe(true);
    expect(r.stdout).toMatch(/^Downloaded 64\.0 KiB in \d+\.\ds \(.+\/s\) to .*ok\.bin$/m);
    expect(r.stderr).toMatch(/^fake BITS job [0-9a-f-]{36}: http:\/\/fake\.test\/ok\.bin -> /m);
    expect(r.stderr).toMatch(/100% \| 64\.0 KiB \/ 64\.0 KiB .* \| TRANSFERRED$/m);
    // Like Windows, the fake drops ACKNOWLEDGED and CANCELLED jobs from its list.
    expect(f.fake.jobs()).toEqual([]);
    expect(f.fake.calledMethods()).toContain('IBackgroundCopyJob::Complete');
    expect(f.fake.calledMethods()).not.toContain('IBackgroundCopyJob::Cancel');
  });

  test('a relative destination resolves against the working directory', async () => {
    const r = await cli(['download', OK, 'rel.bin', '--bits', '--progress=none'], { connect: f.connect, cwd: f.dir });
    expect(r.code).toBe(0);
    expect(fs.existsSync(f.file('rel.bin'))).toBe(true);
  });

  test('--priority and --name reach the job', async () => {
    const r = await cli(['download', OK, f.file('p.bin'), '--bits', '--priority', 'foreground', '--name', 'my job', '--progress=none', '--no-complete'], { connect: f.connect });
    expect(r.code).toBe(0);
    expect(f.fake.jobs()[0]).toMatchObject({ priority: 0, displayName: 'my job', state: JobState.Transferred });
  });

  test('issue 20: a missing destination folder is refused before a job exists (exit 1, nothing transferred); --no-complete keeps today\'s job', async () => {
    const target = path.join(f.dir, 'no-such-folder', 'x.bin');
    const r = await cli(['download', OK, target, '--bits', '--progress=none'], { connect: f.connect });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: Cannot download to ${target}: its destination folder does not exist`);
    expect(r.stderr).toContain('Nothing was transferred');
    expectNoStack(r.stderr);
    expect(f.fake.calledMethods()).not.toContain('IBackgroundCopyManager::CreateJob');
    // Without --complete the job is kept for `complete <id>`, which waits for the folder.
    const kept = await cli(['download', OK, target, '--bits', '--progress=none', '--no-complete'], { connect: f.connect });
    expect(kept.code).toBe(0);
    expect(f.fake.jobs()[0]).toMatchObject({ state: JobState.Transferred });
  });

  test('failure: exit 1, the JobError block, and the job is cancelled', async () => {
    const r = await cli(['download', MISSING, f.file('missing.bin'), '--bits'], { connect: f.connect });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: job [0-9a-f-]{36} failed in state ERROR$/m);
    expect(r.stderr).toMatch(/^JobError$/m);
    expect(r.stderr).toMatch(/^ {2}code +BG_E_HTTP_ERROR_404$/m);
    expect(r.stderr).toMatch(/^ {2}hresult +0x80190194 \(-2145844844\)$/m);
    expect(r.stderr).toMatch(/^ {2}context +REMOTE_FILE \(5\)$/m);
    expect(r.stderr).toMatch(/^ {2}file +http:\/\/fake\.test\/missing\n +-> .*missing\.bin/m);
    expect(r.stderr).toMatch(/^ {2}protocol +http$/m);
    expect(r.stderr).toMatch(/^hint: `delivery-optimization explain 0x80190194`/m);
    expectNoStack(r.stderr);
    expect(f.fake.jobs()).toEqual([]);
    expect(f.fake.calledMethods()).toContain('IBackgroundCopyJob::Cancel');
  });

  test('a job in ERROR without error information says so', async () => {
    f.fake.script('http://fake.test/refused', { kind: 'fail', hresult: 0x80200010, withErrorObject: false });
    const r = await cli(['download', 'http://fake.test/refused', f.file('r.bin'), '--bits'], { connect: f.connect });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/JobError: none\. The service gave no error information/);
  });

  test('--no-complete leaves the job TRANSFERRED and says how to finish it', async () => {
    const r = await cli(['download', OK, f.file('nc.bin'), '--bits', '--no-complete', '--progress=none'], { connect: f.connect });
    expect(r.code).toBe(0);
    const [job] = f.fake.jobs();
    expect(job.state).toBe(JobState.Transferred);
    expect(r.stdout).toContain(`delivery-optimization complete ${job.id} --bits`);
    expect(fs.existsSync(f.file('nc.bin'))).toBe(false);
  });

  test('Ctrl-C (the signal) cancels the job and exits 130', async () => {
    const controller = new AbortController();
    const pending = cli(['download', HANG, f.file('hang.bin'), '--bits', '--progress=none'], { connect: f.connect, signal: controller.signal });
    await until(() => f.fake.jobs().some((j) => j.state === JobState.Transferring), 'a job TRANSFERRING');
    controller.abort();
    const r = await pending;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/^Cancelled job [0-9a-f-]{36}\.$/m);
    expect(r.stderr).toMatch(/^interrupted$/m);
    expect(f.fake.jobs()).toEqual([]);
    expect(f.fake.calledMethods()).toContain('IBackgroundCopyJob::Cancel');
  });

  skipUnderWine('timing: the fake holds TRANSIENT_ERROR 20 ms, less than one poll round under Wine').test('a transient error shows in the progress and the download goes on', async () => {
    f.fake.script('http://fake.test/flaky', { kind: 'transient', hresult: 0x80200010, then: { kind: 'succeed', bytes: 1000, durationMs: 20 } });
    const r = await cli(['download', 'http://fake.test/flaky', f.file('flaky.bin'), '--bits', '--progress=plain'], { connect: f.connect, pollIntervalMs: 2 });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/TRANSIENT_ERROR \(BG_E_NETWORK_DISCONNECTED\)/);
  });
});

describe('progress output', () => {
  test('--progress=bar off a terminal prints cli-progress frames, one per line, no repeats', async () => {
    const r = await cli(['download', SLOW, f.file('bar.bin'), '--bits', '--progress=bar'], { connect: f.connect, pollIntervalMs: 20 });
    expect(r.code).toBe(0);
    const frames = r.stderr.split('\n').filter((l) => /^[\u2588\u2591]{30} /.test(l));
    expect(frames.length).toBeGreaterThanOrEqual(1);
    expect(frames[frames.length - 1]).toMatch(/^\u2588{30} +100% \| 256\.0 KiB \/ 256\.0 KiB \| .+\/s \| ETA 0s \| TRANSFERRED$/);
    expect(new Set(frames).size).toBe(frames.length);
    expect(r.stderr).not.toMatch(/\x1b\[/);
  });

  skipUnderWine('the CLI never redraws in the Wine console (canRedraw)').test('auto on a terminal draws the bar in place (escape sequences)', async () => {
    const stderr = { isTTY: true, columns: 120, text: '', write(s: string) { this.text += s; return true; } };
    const { run } = await import('../../../src/cli/main');
    const code = await run(['download', OK, f.file('tty.bin'), '--bits'], { connect: f.connect, stderr, stdout: { write: () => true }, pollIntervalMs: 10 });
    expect(code).toBe(0);
    expect(stderr.text).toMatch(/\x1b\[/);
    expect(stderr.text).toMatch(/\u2588{30} +100%/);
  });

  test('auto off a terminal prints plain lines; --json prints no progress', async () => {
    const plain = await cli(['download', OK, f.file('a.bin'), '--bits'], { connect: f.connect });
    expect(plain.stderr).not.toMatch(/[\u2588\u2591]/);
    expect(plain.stderr).toMatch(/^100% \| 64\.0 KiB/m);
    const quiet = await cli(['download', OK, f.file('b.bin'), '--bits', '--json'], { connect: f.connect });
    expect(quiet.stderr).toBe('');
  });
});

describe('list, show, control', () => {
  test('list: a table of jobs; none → a sentence', async () => {
    const empty = await cli(['list', '--bits'], { connect: f.connect });
    expect(empty).toMatchObject({ code: 0, stdout: 'No fake BITS jobs (current user).\n' });
    const id = await startJob(OK, 'l.bin');
    await until(() => f.fake.jobs()[0].state === JobState.Transferred, 'the job TRANSFERRED');
    const r = await cli(['list', '--bits'], { connect: f.connect });
    expect(r.code).toBe(0);
    const [header, row] = r.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID +STATE +BYTES +FILES +NAME$/);
    expect(row).toMatch(new RegExp(`^${id} +TRANSFERRED +64\\.0 KiB / 64\\.0 KiB +1/1 +test job$`));
    expect((await cli(['cancel', id, '--bits'], { connect: f.connect })).code).toBe(0);
  });

  test('list --all-users passes the flag', async () => {
    const r = await cli(['list', '--bits', '--all-users'], { connect: f.connect });
    expect(r.stdout).toMatch(/\(all users\)/);
  });

  test('show: state, bytes, files and the JobError', async () => {
    const id = await startJob(MISSING, 's.bin');
    await until(() => f.fake.jobs()[0].state === JobState.Error, 'the job in ERROR');
    const r = await cli(['show', `{${id.toUpperCase()}}`, '--bits'], { connect: f.connect });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Job ${id}$`, 'm'));
    expect(r.stdout).toMatch(/^ {2}state +ERROR$/m);
    expect(r.stdout).toMatch(/^File 1\n {2}url +http:\/\/fake\.test\/missing$/m);
    expect(r.stdout).toMatch(/^ {2}code +BG_E_HTTP_ERROR_404$/m);
    await cli(['cancel', id, '--bits'], { connect: f.connect });
  });

  test('show of an unknown job: exit 6', async () => {
    const r = await cli(['show', '00000000-0000-0000-0000-000000000001', '--bits'], { connect: f.connect });
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/BG_E_NOT_FOUND/);
  });

  test('resume, complete, cancel, and their errors', async () => {
    const m = await BackgroundCopyManager.connect({ service: f.fake });
    const job = await m.createJob('suspended');
    await job.addFile(OK, f.file('c.bin'));
    const id = job.id;
    job.dispose();
    m.dispose();
    expect(await cli(['resume', id, '--bits'], { connect: f.connect })).toMatchObject({ code: 0, stdout: `Resumed job ${id}.\n` });
    await until(() => f.fake.jobs()[0].state === JobState.Transferred, 'the job TRANSFERRED');
    expect(await cli(['complete', id, '--bits'], { connect: f.connect })).toMatchObject({ code: 0, stdout: `Completed job ${id}.\n` });
    expect(fs.existsSync(f.file('c.bin'))).toBe(true);
    // Windows and the fake forget a completed job (BG_E_NOT_FOUND, exit 6); Wine answers BG_E_INVALID_STATE (exit 7).
    const again = await cli(['cancel', id, '--bits'], { connect: f.connect });
    expect(again.code).toBe(6);
    expect(again.stderr).toMatch(/BG_E_NOT_FOUND/);
  });

  test('suspend where the service does not implement it (Wine): exit 3', async () => {
    const g = fakeFixture({ script: SCRIPT, notImplemented: ['IBackgroundCopyJob::Suspend'] });
    try {
      const m = await BackgroundCopyManager.connect({ service: g.fake });
      const job = await m.createJob('x');
      const id = job.id;
      job.dispose();
      m.dispose();
      const r = await cli(['suspend', id, '--bits'], { connect: g.connect });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/E_NOTIMPL[\s\S]*hint: BITS does not implement this call/);
      await cli(['cancel', id, '--bits'], { connect: g.connect });
    } finally {
      await g.done();
    }
  });

  test('complete of a job in ERROR is BG_S_PARTIAL_COMPLETE: exit 1', async () => {
    const id = await startJob(MISSING, 'e.bin');
    await until(() => f.fake.jobs()[0].state === JobState.Error, 'the job in ERROR');
    const r = await cli(['complete', id, '--bits'], { connect: f.connect });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/not kept \(Complete returned BG_S_PARTIAL_COMPLETE\)/);
  });
});

describe('watch', () => {
  test('until TRANSFERRED: exit 0 and the hint to complete', async () => {
    const id = await startJob(SLOW, 'w.bin');
    const r = await cli(['watch', id, '--bits', '--progress=plain'], { connect: f.connect });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^Watching fake BITS job/m);
    expect(r.stdout).toMatch(new RegExp(`^Job ${id} is TRANSFERRED \\(256\\.0 KiB\\)\\.\\n\`delivery-optimization complete ${id} --bits\` writes its files\\.$`, 'm'));
    await cli(['cancel', id, '--bits'], { connect: f.connect });
  });

  test('until ERROR: exit 1 and the JobError block; the job is left alone', async () => {
    const id = await startJob(MISSING, 'we.bin');
    const r = await cli(['watch', id, '--bits'], { connect: f.connect });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ {2}code +BG_E_HTTP_ERROR_404$/m);
    expect(f.fake.jobs()[0].state).toBe(JobState.Error);
    await cli(['cancel', id, '--bits'], { connect: f.connect });
  });

  test('Ctrl-C stops watching, exit 130, the job goes on', async () => {
    const id = await startJob(HANG, 'wh.bin');
    const controller = new AbortController();
    const pending = cli(['watch', id, '--bits'], { connect: f.connect, signal: controller.signal });
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    const r = await pending;
    expect(r.code).toBe(130);
    expect(f.fake.jobs()[0].state).toBe(JobState.Transferring);
    await cli(['cancel', id, '--bits'], { connect: f.connect });
  });
});

describe('doctor', () => {
  const wine = async () => ({
    platform: 'win32', arch: 'x64', osRelease: '10.0.18362', node: 'v22.23.3', wine: '8.0', koffi: { ok: true, version: '3.3.4', error: null },
  });

  test('Wine: BITS works, Delivery Optimization is not registered → exit 0 with a diagnosis', async () => {
    const connect: Connect = async (service) => {
      if (service === 'delivery-optimization') throw new ClassNotRegisteredError(undefined, { service: 'Delivery Optimization' });
      return f.connect(service);
    };
    const r = await cli(['doctor'], { connect, probe: wine, apartment: () => 'main thread: MTA' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}platform +win32 x64 \(OS 10\.0\.18362\), Wine 8\.0$/m);
    expect(r.stdout).toMatch(/^ {2}koffi +loads \(3\.3\.4\)$/m);
    expect(r.stdout).toMatch(/^ {2}apartment +main thread: MTA$/m);
    expect(r.stdout).toMatch(/^Delivery Optimization\n {2}FAILS: ClassNotRegisteredError: REGDB_E_CLASSNOTREG 0x80040154\n {2}diagnosis: Wine has no Delivery Optimization/m);
    expect(r.stdout).toMatch(/^BITS\n {2}OK: activated, 0 job\(s\) visible to you$/m);
    expect(r.stdout).toMatch(/^verdict: BITS works, Delivery Optimization does not: add --bits/m);
  });

  test('Linux: nothing works → exit 3 and the plain-words reason', async () => {
    const r = await cli(['doctor'], { connect: async () => { throw new PlatformNotSupportedError({ platform: 'linux', feature: 'Connecting' }); } });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/diagnosis: Delivery Optimization is a Windows service and this is linux/);
    expect(r.stdout).toMatch(/^ {2}apartment +n\/a/m);
    expect(r.stdout).toMatch(/^verdict: Nothing to download with here/m);
  });

  test('issue 20: Windows node without koffi\'s win32 build: exit 3 (not 70 "a bug"), names the package and the fix, keeps Wine', async () => {
    const raw = 'Cannot find the native Koffi module; did you install it correctly?';
    const noKoffi = async () => ({
      ...(await wine()), wine: 'unknown version', koffi: { ok: false, version: '3.3.4', error: raw, nativePackage: '@koromix/koffi-win32-x64@3.3.4' },
    });
    // What connecting does then: koffi's own error, untyped.
    const connect: Connect = async () => { throw new Error(raw); };
    const r = await cli(['doctor'], { connect, probe: noKoffi, apartment: () => null });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^ {2}platform +win32 x64 \(OS 10\.0\.18362\), Wine unknown version$/m);
    expect(r.stdout).toContain(`koffi      FAILS: ${raw}`);
    expect(r.stdout).toMatch(/diagnosis: koffi's native build for win32-x64 did not load: the package @koromix\/koffi-win32-x64@3\.3\.4 /);
    expect(r.stdout).toContain('node scripts/testbed.js');
    expect(r.stdout).toMatch(/^BITS\n {2}FAILS: KoffiNotLoadedError: ERR_KOFFI_NOT_LOADED\n {2}diagnosis: not checked: koffi did not load/m);
    expect(r.stdout).not.toMatch(/FAILS: Error:/);
    expect(r.stdout).toMatch(/^verdict: Nothing can be activated until koffi loads: install @koromix\/koffi-win32-x64@3\.3\.4/m);
    const doc = json(await cli(['doctor', '--json'], { connect, probe: noKoffi, apartment: () => null }));
    expect(doc).toMatchObject({ ok: false, wine: 'unknown version', koffi: { ok: false, nativePackage: '@koromix/koffi-win32-x64@3.3.4' } });
    expect(doc.services).toMatchObject({ bits: { ok: false, error: { name: 'KoffiNotLoadedError', code: 'ERR_KOFFI_NOT_LOADED', exitCode: 3 } } });
  });

  test('issue 20: on a Windows machine (not Wine) the fix is to reinstall with npm there', async () => {
    const noKoffi = async () => ({ ...(await wine()), wine: null, koffi: { ok: false, version: null, error: 'No native build', nativePackage: '@koromix/koffi-win32-ia32' } });
    const r = await cli(['doctor'], { connect: async () => { throw new Error('No native build'); }, probe: noKoffi, apartment: () => null });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/koffi +FAILS: No native build\n {2}diagnosis: koffi's native build for win32-x64 did not load: the package @koromix\/koffi-win32-ia32 .*Reinstall on this machine with npm/);
  });

  test('--json', async () => {
    const r = await cli(['doctor', '--json'], { connect: f.connect, probe: wine, apartment: () => 'MTA' });
    expect(json(r)).toMatchObject({ ok: true, command: 'doctor', wine: '8.0', apartment: 'MTA', services: { bits: { ok: true, jobs: 0, error: null } } });
  });
});

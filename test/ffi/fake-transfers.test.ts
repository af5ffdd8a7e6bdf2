/**
 * The state machine on real timers (spec §8), in both flavours: scripted successes, failures,
 * transient errors and hangs; Complete writes the deterministic content to disk.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ErrorContext, IBackgroundCopyError, IBackgroundCopyFile, IBackgroundCopyJob, IBackgroundCopyManager, JobState } from '../../src/bits';
import { ComPtr, UINT64_MAX } from '../../src/com';
import { createFakeService, fakeContent, type FakeService, type FakeServiceOptions } from '../../src/testing';
import { until } from '../support/wait';

type Job = ComPtr<typeof IBackgroundCopyJob>;

const flavours = ['bits', 'delivery-optimization'] as const;
const codes = {
  bits: { empty: 0x80200003, invalidState: 0x80200002, unavailable: 0x8020000f, notFound: 0x80200001, fileNotAvailable: 0x80200004 },
  'delivery-optimization': { empty: 0x80d02004, invalidState: 0x80d02013, unavailable: 0x80d02014, notFound: 0x80d02003, fileNotAvailable: 0x80d02010 },
};

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'do-fake-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function newJob(options: FakeServiceOptions): Promise<{ fake: FakeService; manager: ComPtr<typeof IBackgroundCopyManager>; job: Job; id: string }> {
  // DO adds files through IDeliveryOptimizationJob*; these tests use the BITS AddFile in both flavours.
  const fake = createFakeService({ addFile: 'supported', ...options });
  const { ptr } = await fake.runtime.createInstance(fake.clsid, IBackgroundCopyManager.iid);
  const manager = ComPtr.own(ptr as bigint, IBackgroundCopyManager, fake.runtime);
  const [id, jobPtr] = await manager.invoke('CreateJob', 'transfer', 0);
  return { fake, manager, job: ComPtr.own(jobPtr as bigint, IBackgroundCopyJob, fake.runtime), id };
}

async function state(job: Job): Promise<JobState> {
  return await job.invoke('GetState');
}

/** Polls GetState every 2 ms; returns every distinct state seen until `until` (or throws). */
async function watch(job: Job, until: JobState, timeoutMs = 3000): Promise<JobState[]> {
  const seen: JobState[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await state(job);
    if (seen[seen.length - 1] !== s) seen.push(s);
    if (s === until) return seen;
    if (Date.now() > deadline) throw new Error(`state ${JobState[until]} not reached; seen ${seen.map((x) => JobState[x]).join(' → ')}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe.each(flavours)('%s', (flavour) => {
  const c = codes[flavour];

  test('Resume with no files: *_EMPTY, the job stays SUSPENDED', async () => {
    const { job, manager } = await newJob({ flavour });
    expect((await job.invokeRaw('Resume')).hr).toBe(c.empty);
    expect(await state(job)).toBe(JobState.Suspended);
    await job.release();
    await manager.release();
  });

  test('success: states, progress in steps, Complete writes the content', async () => {
    const url = 'http://files.test/one.bin';
    const { fake, job, manager, id } = await newJob({ flavour, script: { [url]: { kind: 'succeed', bytes: 4096, durationMs: 40 } } });
    const local = path.join(dir, `${flavour}-one.bin`);
    await job.invoke('AddFile', url, local);
    await job.invoke('Resume');
    const seen = await watch(job, JobState.Transferred);
    // The fake's own record of its transitions (polling may miss a short state on a loaded machine).
    const { Suspended, Queued, Connecting, Transferring, Transferred } = JobState;
    const history = fake.jobs()[0].stateHistory;
    expect(history).toEqual(flavour === 'bits' ? [Suspended, Queued, Connecting, Transferring, Transferred] : [Suspended, Transferring, Transferred]);
    // What the client saw is that same sequence, possibly with gaps.
    expect(seen.filter((s) => history.includes(s))).toEqual(seen);
    expect(seen.map((s) => history.indexOf(s))).toEqual([...seen.map((s) => history.indexOf(s))].sort((a, b) => a - b));
    expect(await job.invoke('GetProgress')).toEqual({ bytesTotal: 4096n, bytesTransferred: 4096n, filesTotal: 1, filesTransferred: 1 });
    expect((await job.invoke('GetTimes')).transferCompleted).toBeInstanceOf(Date);
    expect(fs.existsSync(local)).toBe(false); // not before Complete
    expect(await job.invokeRaw('Complete')).toMatchObject({ hr: 0, value: undefined });
    expect(await state(job)).toBe(JobState.Acknowledged);
    expect(fs.readFileSync(local)).toEqual(fakeContent(url, 4096));
    expect((await manager.invokeRaw('GetJob', id)).hr).toBe(c.notFound);
    await job.release();
    await manager.release();
  });

  test('progress is reported in several steps', async () => {
    const url = 'http://files.test/steps.bin';
    // Steps 600 ms apart: a poll on a loaded machine cannot miss one; the test stops at the second.
    const { job, manager } = await newJob({ flavour, script: { [url]: { kind: 'succeed', bytes: 1000, durationMs: 2400 } }, timing: { progressSteps: 4 } });
    await job.invoke('AddFile', url, path.join(dir, 'steps.bin'));
    await job.invoke('Resume');
    const values = new Set<bigint>();
    const between = () => [...values].filter((v) => v > 0n && v < 1000n);
    while (between().length < 2 && (await state(job)) !== JobState.Transferred) {
      values.add((await job.invoke('GetProgress')).bytesTransferred);
      await new Promise((r) => setTimeout(r, 3));
    }
    expect(between().length).toBeGreaterThanOrEqual(2);
    await job.invoke('Cancel');
    await job.release();
    await manager.release();
  });

  test('unknownJobSize: job BytesTotal stays BG_SIZE_UNKNOWN (Wine), the file learns its size', async () => {
    const { job, manager, fake } = await newJob({ flavour, unknownJobSize: true });
    await job.invoke('AddFile', 'http://files.test/u.bin', path.join(dir, 'u.bin'));
    await job.invoke('Resume');
    await watch(job, JobState.Transferred);
    const progress = await job.invoke('GetProgress');
    expect(progress.bytesTotal).toBeNull();
    expect(progress.bytesTransferred).toBe(1024n);
    expect(fake.jobs()[0]?.files[0]?.bytesTotal).toBe(1024n);
    await job.invoke('Cancel');
    await job.release();
    await manager.release();
  });

  test('Suspend stops the transfer; Resume continues where it was', async () => {
    const url = 'http://files.test/slow.bin';
    const witnessUrl = 'http://files.test/witness.bin';
    const script = { [url]: { kind: 'succeed', bytes: 10_000, durationMs: 200 }, [witnessUrl]: { kind: 'succeed', bytes: 10_000, durationMs: 200 } } as const;
    const { job, manager, fake } = await newJob({ flavour, script, timing: { progressSteps: 10 } });
    await job.invoke('AddFile', url, path.join(dir, 'slow.bin'));
    await job.invoke('Resume');
    const bytes = (i: number) => fake.jobs()[i]?.files[0]?.bytesTransferred ?? 0n;
    await until(() => bytes(0) > 0n, 'some progress before Suspend');
    await job.invoke('Suspend');
    expect(await state(job)).toBe(JobState.Suspended);
    const at = bytes(0);
    // A witness job with the same script: once it has made two progress steps, a suspended job
    // that still transferred would have moved too (no sleep: the witness is the clock).
    const [, witnessPtr] = await manager.invoke('CreateJob', 'witness', 0);
    const witness = ComPtr.own(witnessPtr as bigint, IBackgroundCopyJob, fake.runtime);
    await witness.invoke('AddFile', witnessUrl, path.join(dir, 'witness.bin'));
    await witness.invoke('Resume');
    await until(() => bytes(1) >= 2000n, 'two progress steps of the witness');
    expect(bytes(0)).toBe(at);
    await witness.invoke('Cancel');
    await witness.release();
    await job.invoke('Resume');
    await watch(job, JobState.Transferred);
    expect(await job.invoke('Complete')).toBeUndefined();
    await job.release();
    await manager.release();
  });

  test('Complete before every file is done: BG_S_PARTIAL_COMPLETE, only finished files are written', async () => {
    const done = 'http://files.test/done.bin';
    const stuck = 'http://files.test/stuck.bin';
    const { job, manager } = await newJob({ flavour, script: { [done]: { kind: 'succeed', bytes: 10, durationMs: 1 }, [stuck]: { kind: 'hang' } } });
    await job.invoke('AddFile', done, path.join(dir, `${flavour}-done.bin`));
    await job.invoke('AddFile', stuck, path.join(dir, `${flavour}-stuck.bin`));
    await job.invoke('Resume');
    for (let i = 0; i < 200 && (await job.invoke('GetProgress')).filesTransferred < 1; i++) await new Promise((r) => setTimeout(r, 2));
    expect(await state(job)).toBe(JobState.Transferring); // the hang holds it there
    expect(await job.invokeRaw('Complete')).toMatchObject({ hr: 0x00200017, value: undefined });
    expect(fs.existsSync(path.join(dir, `${flavour}-done.bin`))).toBe(true);
    expect(fs.existsSync(path.join(dir, `${flavour}-stuck.bin`))).toBe(false);
    await job.release();
    await manager.release();
  });

  test('issue 20: off Windows, a Windows local name is refused where it is given (E_INVALIDARG), not at Complete', async () => {
    const { job, manager, fake } = await newJob({ flavour });
    const win = ['C:\\Downloads\\win.bin', 'c:/Downloads/win.bin', '\\\\server\\share\\win.bin'];
    for (const local of win) {
      const hr = (await job.invokeRaw('AddFile', 'http://files.test/win.bin', local)).hr >>> 0;
      expect({ local, hr }).toEqual({ local, hr: process.platform === 'win32' ? 0 : 0x80070057 });
    }
    const set = await job.invokeRaw('AddFileSet', [{ RemoteName: 'http://files.test/set.bin', LocalName: 'C:\\Downloads\\set.bin' }]);
    expect(set.hr >>> 0).toBe(process.platform === 'win32' ? 0 : 0x80070057);
    // On Windows those are paths of this machine: all four are taken.
    expect(fake.jobs()[0].files).toHaveLength(process.platform === 'win32' ? win.length + 1 : 0);
    // A path of this machine is still taken.
    expect((await job.invokeRaw('AddFile', 'http://files.test/ok.bin', path.join(dir, `${flavour}-ok.bin`))).hr).toBe(0);
    await job.release();
    await manager.release();
  });

  test('hang: stays TRANSFERRING until cancelled', async () => {
    const url = 'http://files.test/hang';
    const quick = 'http://files.test/quick';
    const { job, manager, fake } = await newJob({ flavour, script: { [url]: { kind: 'hang' }, [quick]: { kind: 'succeed', bytes: 10, durationMs: 20 } } });
    await job.invoke('AddFile', url, path.join(dir, 'hang.bin'));
    await job.invoke('Resume');
    await watch(job, JobState.Transferring);
    // A witness job started after it finishes its whole transfer; the hung one has not moved.
    const [, witnessPtr] = await manager.invoke('CreateJob', 'witness', 0);
    const witness = ComPtr.own(witnessPtr as bigint, IBackgroundCopyJob, fake.runtime);
    await witness.invoke('AddFile', quick, path.join(dir, 'quick.bin'));
    await witness.invoke('Resume');
    await watch(witness, JobState.Transferred);
    expect(await state(job)).toBe(JobState.Transferring);
    expect(fake.jobs()[0].files[0].bytesTransferred).toBe(0n);
    await witness.invoke('Cancel');
    await witness.release();
    expect((await job.invokeRaw('Cancel')).hr).toBe(0);
    expect(await state(job)).toBe(JobState.Cancelled);
    await job.release();
    await manager.release();
  });

  test('fail: ERROR with an error object; GetError is unavailable in other states', async () => {
    const url = 'http://files.test/missing';
    const { job, manager, fake } = await newJob({ flavour, script: { [url]: { kind: 'fail', hresult: 0x80190194 } } });
    await job.invoke('AddFile', url, path.join(dir, 'missing.bin'));
    expect(await job.invokeRaw('GetError')).toMatchObject({ hr: c.unavailable, value: null });
    await job.invoke('Resume');
    await watch(job, JobState.Error);
    expect(await job.invoke('GetErrorCount')).toEqual(1);
    const error = ComPtr.own(await job.invoke('GetError') as bigint, IBackgroundCopyError, fake.runtime);
    expect(await error.invoke('GetError')).toEqual([ErrorContext.RemoteFile, 0x80190194 | 0]);
    expect(await error.invoke('GetProtocol')).toEqual('http');
    expect(await error.invoke('GetErrorDescription', 0x409)).toEqual('The server returned HTTP status 404 (Not Found).');
    expect(await error.invoke('GetErrorContextDescription', 0x409)).toEqual('The error occurred while processing the remote file.');
    expect((await error.invokeRaw('GetErrorDescription', 0)).hr).toBe(0x80070057);
    const file = ComPtr.own(await error.invoke('GetFile') as bigint, IBackgroundCopyFile, fake.runtime);
    expect(await file.invoke('GetRemoteName')).toEqual(url);
    await file.release();
    await error.release();

    // Fix the cause, Resume: the job retries and succeeds; the error is gone once it transfers.
    fake.script(url, { kind: 'succeed', bytes: 5 });
    await job.invoke('Resume');
    await watch(job, JobState.Transferred);
    expect((await job.invokeRaw('GetError')).hr).toBe(c.unavailable);
    await job.invoke('Complete');
    await job.release();
    await manager.release();
  });

  test('fail without an error object (Wine, connection refused): ERROR, GetError unavailable', async () => {
    const url = 'http://127.0.0.1:9/refused';
    const { job, manager } = await newJob({ flavour, script: { [url]: { kind: 'fail', hresult: 0x800704c9, withErrorObject: false, afterMs: 1 } } });
    await job.invoke('AddFile', url, path.join(dir, 'refused.bin'));
    await job.invoke('Resume');
    await watch(job, JobState.Error);
    expect(await job.invokeRaw('GetError')).toMatchObject({ hr: c.unavailable, value: null });
    expect((await job.invokeRaw('Complete')).hr).toBe(0x00200017);
    await job.release();
    await manager.release();
  });

  test('an error not tied to a file, with no protocol', async () => {
    const url = 'http://files.test/policy';
    const { job, manager, fake } = await newJob({
      flavour,
      script: { [url]: { kind: 'fail', hresult: 0x80d03002, context: ErrorContext.GeneralQueueManager, withFile: false, protocol: '' } },
    });
    await job.invoke('AddFile', url, path.join(dir, 'policy.bin'));
    await job.invoke('Resume');
    await watch(job, JobState.Error);
    const error = ComPtr.own(await job.invoke('GetError') as bigint, IBackgroundCopyError, fake.runtime);
    expect(await error.invokeRaw('GetFile')).toMatchObject({ hr: c.fileNotAvailable, value: null });
    expect(await error.invokeRaw('GetProtocol')).toMatchObject({ hr: 0x80200005, value: null });
    expect(await error.invokeRaw('GetErrorDescription', 0x409)).toMatchObject({ hr: 0x80070717, value: null });
    await error.release();
    await job.invoke('Cancel');
    await job.release();
    await manager.release();
  });

  test('transient: TRANSIENT_ERROR with an error object, then the retry succeeds', async () => {
    const url = 'http://files.test/flaky';
    const { job, manager, fake } = await newJob({
      flavour,
      script: { [url]: { kind: 'transient', hresult: 0x80200010, afterMs: 5, then: { kind: 'succeed', bytes: 64 } } },
      timing: { retryDelayMs: 40 },
    });
    await job.invoke('AddFile', url, path.join(dir, 'flaky.bin'));
    await job.invoke('Resume');
    await watch(job, JobState.TransientError);
    const error = ComPtr.own(await job.invoke('GetError') as bigint, IBackgroundCopyError, fake.runtime);
    expect((await error.invoke('GetError'))[1] >>> 0).toBe(0x80200010);
    await error.release();
    await watch(job, JobState.Transferred);
    expect(await job.invoke('GetErrorCount')).toEqual(1);
    await job.invoke('Complete');
    expect(fs.readFileSync(path.join(dir, 'flaky.bin'))).toEqual(fakeContent(url, 64));
    await job.release();
    await manager.release();
  });

  test.each([
    ['notimpl', 0x80004001],
    ['null-ref', 0x800706f4],
  ] as const)('errorDescriptions: %s', async (mode, hr) => {
    const url = 'http://files.test/503';
    const { job, manager, fake } = await newJob({ flavour, errorDescriptions: mode, script: { [url]: { kind: 'fail', hresult: 0x801901f7, afterMs: 1 } } });
    await job.invoke('AddFile', url, path.join(dir, '503.bin'));
    await job.invoke('Resume');
    await watch(job, JobState.Error);
    const error = ComPtr.own(await job.invoke('GetError') as bigint, IBackgroundCopyError, fake.runtime);
    expect(await error.invokeRaw('GetErrorDescription', 0x409)).toMatchObject({ hr, value: null });
    expect(await error.invokeRaw('GetErrorContextDescription', 0x409)).toMatchObject({ hr, value: null });
    await error.release();
    await job.invoke('Cancel');
    await job.release();
    await manager.release();
  });

  test('files added after TRANSFERRED are transferred by the next Resume', async () => {
    const { job, manager } = await newJob({ flavour });
    await job.invoke('AddFile', 'http://files.test/a', path.join(dir, `${flavour}-late-a.bin`));
    expect(await job.invoke('Resume')).toBeUndefined();
    await watch(job, JobState.Transferred);
    expect((await job.invokeRaw('Resume')).hr).toBe(0); // nothing to do
    await job.invoke('AddFile', 'http://files.test/b', path.join(dir, `${flavour}-late-b.bin`));
    await job.invoke('Resume');
    await watch(job, JobState.Transferring);
    await watch(job, JobState.Transferred);
    expect(await job.invoke('GetProgress')).toMatchObject({ filesTotal: 2, filesTransferred: 2 });
    expect(await job.invokeRaw('Complete')).toMatchObject({ hr: 0, value: undefined });
    await job.release();
    await manager.release();
  });
});

test('the default behaviour and defaultBehaviour option', async () => {
  const { job, manager } = await newJob({ defaultBehaviour: { kind: 'succeed', bytes: 3, durationMs: 1 } });
  await job.invoke('AddFile', 'http://anything.test/x', path.join(dir, 'default.bin'));
  await job.invoke('Resume');
  await watch(job, JobState.Transferred);
  expect((await job.invoke('GetProgress')).bytesTotal).toBe(3n);
  await job.invoke('Cancel');
  await job.release();
  await manager.release();
});

test('fakeContent is deterministic per URL', () => {
  expect(fakeContent('http://a', 100)).toEqual(fakeContent('http://a', 100));
  expect(fakeContent('http://a', 100)).not.toEqual(fakeContent('http://b', 100));
  expect(fakeContent('http://a', 10)).toEqual(fakeContent('http://a', 100).subarray(0, 10));
  expect(() => fakeContent('http://a', -1)).toThrow(RangeError);
  expect(UINT64_MAX).toBe(0xffffffffffffffffn);
});

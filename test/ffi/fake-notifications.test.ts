/**
 * Notifications: the fake QueryInterfaces the registered object for IBackgroundCopyCallback(2),
 * holds those references, and calls the JS sink through its native vtable from a native thread
 * (the default) or from a timer on the main thread.
 */
import { IBackgroundCopyError, IBackgroundCopyFile, IBackgroundCopyJob, IBackgroundCopyManager, JobState } from '../../src/bits';
import { ComPtr } from '../../src/com';
import { createFakeService, RecordingCallback, type FakeService, type FakeServiceOptions } from '../../src/testing';

type Job = ComPtr<typeof IBackgroundCopyJob>;
const URL = 'http://notify.test/file.bin';
const LOCAL = '/never/written.bin';

async function setup(options: FakeServiceOptions = {}): Promise<{ fake: FakeService; job: Job; done(): Promise<void> }> {
  const fake = createFakeService({ addFile: 'supported', ...options });
  const { ptr } = await fake.runtime.createInstance(fake.clsid, IBackgroundCopyManager.iid);
  const manager = ComPtr.own(ptr as bigint, IBackgroundCopyManager, fake.runtime);
  const job = ComPtr.own((await manager.invoke('CreateJob', 'notify', 0))[1] as bigint, IBackgroundCopyJob, fake.runtime);
  await job.invoke('AddFile', URL, LOCAL);
  return { fake, job, done: async () => { await job.release(); await manager.release(); } };
}

async function until(job: Job, s: JobState): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await job.invoke('GetState') === s) return;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`state ${JobState[s]} not reached`);
}

describe.each(['bits', 'delivery-optimization'] as const)('%s', (flavour) => {
  test('registration: QueryInterface for the callback interfaces, references held and given back', async () => {
    const { fake, job, done } = await setup({ flavour });
    const sink = new RecordingCallback();
    await job.invoke('SetNotifyInterface', sink.ptr);
    expect(sink.refCount).toBe(3); // ours + IBackgroundCopyCallback + IBackgroundCopyCallback2
    const got = await job.invoke('GetNotifyInterface');
    expect(got).toBe(sink.ptr);
    expect(sink.refCount).toBe(4);
    await ComPtr.own(got as bigint, IBackgroundCopyJob, fake.runtime).release(); // any table: Release is slot 2
    await job.invoke('SetNotifyInterface', null);
    expect(sink.refCount).toBe(1);
    expect(fake.jobs()[0]?.hasNotifyInterface).toBe(false);
    sink.release();
    await done();
  });

  test('an object that is no callback is refused with E_NOINTERFACE', async () => {
    const { job, done } = await setup({ flavour });
    expect((await job.invokeRaw('SetNotifyInterface', job.ptr)).hr).toBe(0x80004002);
    await done();
  });

  test('JobTransferred, JobModification, FileTransferred; Complete from inside JobTransferred', async () => {
    const { fake, job, done } = await setup({ flavour });
    const sink = new RecordingCallback();
    // Exceptions inside a callback never reach the test (they become an HRESULT): record, assert later.
    let completeHr = -1;
    let fileName: unknown;
    sink.onCall = (call) => {
      if (call.method === 'JobTransferred') {
        // The pointer is borrowed: use it during the call, do not release it.
        completeHr = ComPtr.borrow(call.job, IBackgroundCopyJob, fake.runtime).invokeRawSync('Complete').hr;
      }
      if (call.method === 'FileTransferred') {
        fileName = ComPtr.borrow(call.other as bigint, IBackgroundCopyFile, fake.runtime).invokeRawSync('GetRemoteName').orThrow();
      }
    };
    await job.invoke('SetNotifyInterface', sink.ptr);
    await job.invoke('SetNotifyFlags', 0x1 | 0x2 | 0x8 | 0x10);
    await job.invoke('Resume');
    await sink.waitFor('JobTransferred');
    expect(completeHr).toBe(0x00200017); // a C:\ path cannot be written here: partial
    expect(fileName).toBe(URL);
    expect(await job.invoke('GetState')).toEqual(JobState.Acknowledged);
    expect(sink.count('JobTransferred')).toBe(1);
    expect(sink.count('JobModification')).toBeGreaterThanOrEqual(2);
    expect(sink.count('FileTransferred')).toBe(1);
    expect(sink.count('JobError')).toBe(0);
    expect(sink.calls.every((c) => c.job === job.ptr)).toBe(true);
    await fake.settle();
    expect(sink.refCount).toBe(1); // a final state gives the callback back
    expect(fake.stats().notifications.delivered.get('JobTransferred')).toBe(1);
    sink.release();
    await done();
  });

  test('JobError with the error object; never when sendJobError is false (Wine)', async () => {
    const { fake, job, done } = await setup({ flavour, script: { [URL]: { kind: 'fail', hresult: 0x80190194, afterMs: 1 } } });
    const sink = new RecordingCallback();
    let code = 0;
    sink.onCall = (call) => {
      if (call.method === 'JobError') code = ComPtr.borrow(call.other as bigint, IBackgroundCopyError, fake.runtime).invokeRawSync('GetError').orThrow()[1];
    };
    await job.invoke('SetNotifyInterface', sink.ptr);
    await job.invoke('Resume');
    await sink.waitFor('JobError');
    expect(code >>> 0).toBe(0x80190194);
    await job.invoke('Cancel');
    sink.release();
    await done();

    const quiet = await setup({ flavour, sendJobError: false, script: { [URL]: { kind: 'fail', hresult: 0x80190194, afterMs: 1 } } });
    const sink2 = new RecordingCallback();
    await quiet.job.invoke('SetNotifyInterface', sink2.ptr);
    await quiet.job.invoke('Resume');
    await until(quiet.job, JobState.Error);
    await quiet.fake.settle();
    expect(sink2.count('JobError')).toBe(0);
    await quiet.job.invoke('Cancel');
    sink2.release();
    await quiet.done();
  });

  test('flags: only what was asked for; DISABLE silences everything; sendModification false', async () => {
    const { fake, job, done } = await setup({ flavour });
    const sink = new RecordingCallback();
    await job.invoke('SetNotifyInterface', sink.ptr);
    await job.invoke('SetNotifyFlags', 0x1 | 0x4 | 0x8);
    await job.invoke('Resume');
    await until(job, JobState.Transferred);
    await fake.settle();
    expect(sink.calls).toEqual([]);
    // Clearing DISABLE after the fact: at-least-once delivery of JobTransferred.
    await job.invoke('SetNotifyFlags', 0x1);
    await sink.waitFor('JobTransferred');
    await job.invoke('Cancel');
    sink.release();
    await done();

    const quiet = await setup({ flavour, sendModification: false });
    const sink2 = new RecordingCallback();
    await quiet.job.invoke('SetNotifyInterface', sink2.ptr);
    await quiet.job.invoke('SetNotifyFlags', 0x1 | 0x8);
    await quiet.job.invoke('Resume');
    await sink2.waitFor('JobTransferred');
    expect(sink2.count('JobModification')).toBe(0);
    await quiet.job.invoke('Cancel');
    sink2.release();
    await quiet.done();
  });

  test('a sink without IBackgroundCopyCallback2 gets no FileTransferred', async () => {
    const { job, done } = await setup({ flavour });
    const sink = new RecordingCallback(false);
    await job.invoke('SetNotifyInterface', sink.ptr);
    expect(sink.refCount).toBe(2);
    await job.invoke('SetNotifyFlags', 0x1 | 0x10);
    await job.invoke('Resume');
    await sink.waitFor('JobTransferred');
    expect(sink.count('FileTransferred')).toBe(0);
    await job.invoke('Cancel');
    expect(sink.refCount).toBe(1);
    sink.release();
    await done();
  });

  test('a failing JobTransferred is retried a bounded number of times', async () => {
    const { fake, job, done } = await setup({ flavour, timing: { callbackRetries: 2, callbackRetryMs: 5 } });
    const sink = new RecordingCallback();
    sink.answer = () => 0x80004005;
    await job.invoke('SetNotifyInterface', sink.ptr);
    await job.invoke('SetNotifyFlags', 0x1);
    await job.invoke('Resume');
    await sink.waitFor('JobTransferred', 3);
    await fake.settle(); // no delivery scheduled or in flight any more: a 4th try would have been
    expect(sink.count('JobTransferred')).toBe(3);
    expect(fake.stats().notifications.failed).toBe(3);
    await job.invoke('Cancel');
    sink.release();
    await done();
  });

  test('dispose gives the client its callback references back', async () => {
    const { fake, job, done } = await setup({ flavour });
    const sink = new RecordingCallback();
    await job.invoke('SetNotifyInterface', sink.ptr);
    await done();
    expect(sink.refCount).toBe(3); // the job lives on in the fake's queue
    await fake.settle();
    fake.assertBalanced();
    fake.dispose();
    expect(sink.refCount).toBe(1);
    expect(sink.callsAfterRelease).toBe(0);
    sink.release();
  });
});

/**
 * A job has one notification interface. job.getNotifyInterface() tells whose it is; job.on() does
 * not silently take another program's (SharpBITS' fault) unless asked to.
 */
import { ForeignCallbackError, JobState } from '../../../src';
import { ComPtr } from '../../../src/com';
import { IBackgroundCopyJob, IBackgroundCopyManager } from '../../../src/bits';
import { RecordingCallback } from '../../../src/testing';
import { connectFake, localPath } from '../../support/fake-env';

/** Another program: its own callback object, registered through its own job pointer. */
async function registerForeignCallback(fake: Awaited<ReturnType<typeof connectFake>>['fake'], jobId: string): Promise<RecordingCallback> {
  const rt = fake.runtime;
  const manager = ComPtr.own((await rt.createInstance(fake.clsid, IBackgroundCopyManager.iid)).ptr as bigint, IBackgroundCopyManager, rt);
  const job = ComPtr.own(await manager.invoke('GetJob', jobId) as bigint, IBackgroundCopyJob, rt);
  const sink = new RecordingCallback();
  await job.invoke('SetNotifyInterface', sink.ptr);
  await job.invoke('SetNotifyFlags', 1);
  await job.release();
  await manager.release();
  return sink;
}

test('getNotifyInterface(): none, ours after on(), another program\'s after it registered its own', async () => {
  const { fake, manager } = await connectFake({ flavour: 'bits' });
  const job = await manager.createJob('whose');
  expect(await job.getNotifyInterface()).toEqual({ registered: false, ours: false });
  job.on('transferred', () => undefined);
  expect(await job.getNotifyInterface()).toEqual({ registered: true, ours: true });
  const sink = await registerForeignCallback(fake, job.id);
  expect(await job.getNotifyInterface()).toEqual({ registered: true, ours: false });
  await job.cancel();
  job.dispose();
  manager.dispose();
  sink.release();
});

test("job.on() leaves another program's callback in place: ForeignCallbackError, and that program still hears of its job", async () => {
  const { fake, manager } = await connectFake({ flavour: 'bits' });
  const job = await manager.createJob('not yours');
  const sink = await registerForeignCallback(fake, job.id);
  const errors: Error[] = [];
  job.on('error', (e) => errors.push(e as Error));
  const refused = job.notificationsReady();
  await expect(refused).rejects.toBeInstanceOf(ForeignCallbackError);
  await expect(refused).rejects.toMatchObject({ code: 'ERR_FOREIGN_CALLBACK', jobId: job.id, message: expect.stringContaining('replaceForeignCallback') });
  expect(errors).toHaveLength(1);
  expect(await job.getNotifyInterface()).toEqual({ registered: true, ours: false });
  await job.addFile('http://example.test/theirs', localPath('theirs.bin'));
  await job.resume();
  await sink.waitFor('JobTransferred');
  expect(await job.getState()).toBe(JobState.Transferred);
  await job.complete();
  job.dispose();
  manager.dispose();
  sink.release();
});

test('{ replaceForeignCallback: true } takes the notifications over on purpose, also after a refusal', async () => {
  const { fake, manager } = await connectFake({ flavour: 'bits' });
  const job = await manager.createJob('take over');
  const sink = await registerForeignCallback(fake, job.id);
  job.on('modification', () => undefined);
  await expect(job.notificationsReady()).rejects.toBeInstanceOf(ForeignCallbackError);
  let transferred = 0;
  job.on('transferred', () => transferred++, { replaceForeignCallback: true });
  await job.notificationsReady();
  expect(await job.getNotifyInterface()).toEqual({ registered: true, ours: true });
  await job.addFile('http://example.test/ours', localPath('ours.bin'));
  await job.resume();
  await job.waitForCompletion({ pollIntervalMs: 5 });
  await fake.settle();
  expect(sink.count('JobTransferred')).toBe(0);
  await new Promise((resolve) => setImmediate(resolve));
  expect(transferred).toBe(1);
  await job.complete();
  job.dispose();
  manager.dispose();
  sink.release();
});

test('bad options: a typed error before anything is registered', async () => {
  const { fake, manager } = await connectFake({ flavour: 'bits' });
  const job = await manager.createJob('bad options');
  expect(() => job.on('transferred', () => undefined, { replaceForeignCallback: 'yes' } as never)).toThrow(
    expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE', message: expect.stringContaining('options.replaceForeignCallback') }),
  );
  expect(() => job.on('transferred', () => undefined, 42 as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
  expect(fake.jobs()[0].hasNotifyInterface).toBe(false);
  expect(await job.getNotifyInterface()).toEqual({ registered: false, ours: false });
  await job.cancel();
  job.dispose();
  manager.dispose();
});

/**
 * IBackgroundCopyCallback3 and other programs' callbacks against Wine's BITS. Wine predates
 * Callback3: SetNotifyFlags refuses BG_NOTIFY_FILE_RANGES_TRANSFERRED (E_NOTIMPL) and it has no
 * IBackgroundCopyJob5 (no on-demand mode). Its GetNotifyInterface hands back the registered object.
 */
import { ForeignCallbackError, JobState, NotifyFlags, NotImplementedError } from '../../src';
import { IBackgroundCopyJob, IBackgroundCopyManager } from '../../src/bits';
import { ComPtr } from '../../src/com';
import { RecordingCallback } from '../../src/testing';
import { useWineEnv, withTimeout } from './helpers';

const env = useWineEnv();

test("'ranges-transferred' on Wine: the flag is refused once (NotImplementedError), the job's other events still arrive", async () => {
  const job = await env.createJob('ranges refused');
  const errors: Error[] = [];
  job.on('error', (e) => errors.push(e as Error));
  job.on('ranges-transferred', () => undefined);
  await expect(withTimeout(job.notificationsReady(), 10_000, 'notificationsReady')).rejects.toBeInstanceOf(NotImplementedError);
  expect(await job.getNotifyFlags()).toBe(NotifyFlags.JobError); // registered without the refused flag
  const transferred = withTimeout(new Promise<void>((resolve) => job.on('transferred', () => resolve())), 15_000, "the 'transferred' event");
  await withTimeout(job.notificationsReady(), 10_000, 'notificationsReady');
  expect(await job.getNotifyFlags()).toBe(NotifyFlags.JobError | NotifyFlags.JobTransferred);
  await job.addFile(env.http.url('/bytes/4096?seed=22'), env.localPath('ranges-refused.bin'));
  await job.resume();
  await transferred;
  expect(await job.getState()).toBe(JobState.Transferred);
  expect(errors.map((e) => e.name)).toEqual(['NotImplementedError']);
  await job.complete();
});

test("getNotifyInterface() and another program's callback on Wine: none, refused, taken over on purpose, ours", async () => {
  const job = await env.createJob('foreign callback');
  expect(await job.getNotifyInterface()).toEqual({ registered: false, ours: false });

  // Another program's object, registered through its own job pointer (a JS object of another implementation).
  const rt = env.manager.service.runtime;
  const { ptr } = await rt.createInstance(env.manager.service.clsid, IBackgroundCopyManager.iid);
  rt.setProxyBlanket(ptr as bigint);
  const manager = ComPtr.own(ptr as bigint, IBackgroundCopyManager, rt);
  const theirs = ComPtr.own(await manager.invoke('GetJob', job.id) as bigint, IBackgroundCopyJob, rt);
  const sink = new RecordingCallback();
  await theirs.invoke('SetNotifyInterface', sink.ptr);
  expect(await job.getNotifyInterface()).toEqual({ registered: true, ours: false });

  job.on('modification', () => undefined);
  await expect(withTimeout(job.notificationsReady(), 10_000, 'notificationsReady')).rejects.toBeInstanceOf(ForeignCallbackError);
  expect(await job.getNotifyInterface()).toEqual({ registered: true, ours: false });

  job.on('transferred', () => undefined, { replaceForeignCallback: true });
  await withTimeout(job.notificationsReady(), 10_000, 'notificationsReady');
  expect(await job.getNotifyInterface()).toEqual({ registered: true, ours: true });
  await theirs.release();
  await manager.release();
  sink.release();
});

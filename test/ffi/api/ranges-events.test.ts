/**
 * 'ranges-transferred' (IBackgroundCopyCallback3::FileRangesTransferred) on the fake: an on-demand
 * job fetches the ranges asked for and tells them from a non-JS thread, as BITS does.
 */
import * as fs from 'fs';
import { BackgroundCopyFile, JobPropertyId, JobState, NotifyFlags, NotImplementedError, type FileRange } from '../../../src';
import { callbackImplementation } from '../../../src/api/notifications';
import { fakeContent } from '../../../src/testing';
import { connectFake, localPath } from '../../support/fake-env';
import { until } from '../../support/wait';

const URL = 'http://example.test/on-demand.bin';
const SIZE = 64 * 1024;

async function onDemandJob(name: string, options: Parameters<typeof connectFake>[0] = {}) {
  const { fake, manager } = await connectFake({ flavour: 'bits', script: { [URL]: { kind: 'succeed', bytes: SIZE } }, ...options });
  const job = await manager.createJob(name);
  await job.setProperty(JobPropertyId.OnDemandMode, true);
  await job.addFile(URL, localPath(`${name}.bin`));
  const [file] = await job.files();
  return { fake, manager, job, file };
}

/** The next 'ranges-transferred' event (the file is read while the listener runs). */
function nextRanges(job: Awaited<ReturnType<typeof onDemandJob>>['job']) {
  return new Promise<{ ranges: readonly FileRange[]; remote: string; temporary: string | null; isFile: boolean }>((resolve) => {
    const listener = async (file: BackgroundCopyFile, ranges: readonly FileRange[]) => {
      job.off('ranges-transferred', listener);
      resolve({ ranges, remote: await file.getRemoteName(), temporary: await file.getTemporaryName(), isFile: file instanceof BackgroundCopyFile });
    };
    job.on('ranges-transferred', listener);
  });
}

test("'ranges-transferred': the ranges asked for arrive with bigint offsets, the file, and the bytes in the temporary file", async () => {
  const { fake, manager, job, file } = await onDemandJob('ranges');
  const event = nextRanges(job);
  await job.notificationsReady();
  expect(fake.jobs()[0].notifyFlags & NotifyFlags.FileRangesTransferred).toBe(NotifyFlags.FileRangesTransferred);
  await file.requestFileRanges([{ offset: 1000n, length: 500n }, { offset: 40_000n, length: 24n }]);
  await job.resume();
  const got = await event;
  expect(got.ranges).toEqual([{ offset: 1000n, length: 500n }, { offset: 40_000n, length: 24n }]);
  expect(got).toMatchObject({ remote: URL, isFile: true });
  const content = fakeContent(URL, SIZE);
  const temp = fs.readFileSync(got.temporary as string);
  expect(temp.subarray(1000, 1500)).toEqual(content.subarray(1000, 1500));
  expect(temp.subarray(40_000, 40_024)).toEqual(content.subarray(40_000, 40_024));
  expect(await file.getFilledFileRanges()).toEqual([{ offset: 1000n, length: 500n }, { offset: 40_000n, length: 24n }]);
  await fake.settle();
  expect(fake.stats().notifications.delivered.get('FileRangesTransferred')).toBe(1);
  expect(fake.stats().notifications.failed).toBe(0);
  // Every range asked for is there but not the whole file: SUSPENDED (RequestFileRanges' documented rule).
  expect(await job.getState()).toBe(JobState.Suspended);
  await job.cancel();
  expect(fs.existsSync(got.temporary as string)).toBe(false);
  file.dispose();
  job.dispose();
  manager.dispose();
});

test('ranges already there are not fetched or told again; asking for the rest makes the job TRANSFERRED', async () => {
  const { manager, job, file } = await onDemandJob('rest');
  const first = nextRanges(job);
  await file.requestFileRanges([{ offset: 0n, length: 100n }]);
  await job.resume();
  expect((await first).ranges).toEqual([{ offset: 0n, length: 100n }]);
  const second = nextRanges(job);
  await file.requestFileRanges([{ offset: 50n, length: null }]);
  await job.resume();
  expect((await second).ranges).toEqual([{ offset: 100n, length: BigInt(SIZE - 100) }]);
  await job.waitForCompletion({ pollIntervalMs: 5 });
  await job.complete();
  file.dispose();
  job.dispose();
  manager.dispose();
});

test('without a ranges listener the flag is not asked for, and the service is not told', async () => {
  const { fake, manager, job, file } = await onDemandJob('no listener');
  job.on('transferred', () => undefined);
  await job.notificationsReady();
  expect(fake.jobs()[0].notifyFlags & NotifyFlags.FileRangesTransferred).toBe(0);
  await file.requestFileRanges([{ offset: 0n, length: 10n }]);
  await job.resume();
  // The range was fetched and the job went back to SUSPENDED: the event would have been sent by now.
  await until(async () => (await file.getFilledFileRanges()).length === 1 && (await job.getState()) === JobState.Suspended, 'the range fetched');
  await fake.settle();
  expect(fake.stats().notifications.delivered.get('JobModification')).toBeUndefined(); // no listener: not registered either
  expect(fake.stats().notifications.delivered.get('FileRangesTransferred')).toBeUndefined();
  await job.cancel();
  file.dispose();
  job.dispose();
  manager.dispose();
});

test('a ranges listener that throws: COM gets S_OK, the error goes to the error listeners, the file is disposed', async () => {
  const { fake, manager, job, file } = await onDemandJob('throws');
  let handed: BackgroundCopyFile | null = null;
  job.on('ranges-transferred', (f) => {
    handed = f;
    throw new Error('range listener bug');
  });
  const reported = new Promise<Error>((resolve) => job.on('error', (e) => resolve(e as Error)));
  await file.requestFileRanges([{ offset: 0n, length: 10n }]);
  await job.resume();
  expect((await reported).message).toBe('range listener bug');
  await fake.settle();
  expect(fake.stats().notifications.failed).toBe(0);
  await new Promise((resolve) => setImmediate(resolve));
  expect(handed).not.toBeNull();
  await expect((handed as unknown as BackgroundCopyFile).getRemoteName()).rejects.toThrow(/disposed/);
  await job.cancel();
  file.dispose();
  job.dispose();
  manager.dispose();
});

test('the callback object answers QueryInterface for IBackgroundCopyCallback3 (the fake keeps that reference)', async () => {
  const { fake, manager, job, file } = await onDemandJob('qi');
  job.on('ranges-transferred', () => undefined);
  await job.notificationsReady();
  const [object] = callbackImplementation.objects().filter((o) => o.alive && o.refCount === 4);
  expect(object).toBeDefined(); // ours + Callback + Callback2 + Callback3
  expect(fake.jobs()[0].hasNotifyInterface).toBe(true);
  await job.cancel();
  file.dispose();
  job.dispose();
  manager.dispose();
});

test("a service that refuses BG_NOTIFY_FILE_RANGES_TRANSFERRED (Wine: E_NOTIMPL): reported once, the other events are still registered", async () => {
  const { fake, manager, job, file } = await onDemandJob('refused', { rangeNotifications: false });
  const errors: Error[] = [];
  job.on('error', (e) => errors.push(e as Error));
  await job.notificationsReady();
  job.on('ranges-transferred', () => undefined);
  await expect(job.notificationsReady()).rejects.toBeInstanceOf(NotImplementedError);
  expect(fake.jobs()[0].notifyFlags).toBe(NotifyFlags.JobError);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toBeInstanceOf(NotImplementedError);
  // Another listener registers again, without the refused flag, and nothing more is reported.
  job.on('transferred', () => undefined);
  await job.notificationsReady();
  expect(fake.jobs()[0].notifyFlags).toBe(NotifyFlags.JobError | NotifyFlags.JobTransferred);
  expect(errors).toHaveLength(1);
  await job.cancel();
  file.dispose();
  job.dispose();
  manager.dispose();
});

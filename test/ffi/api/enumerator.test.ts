/**
 * The typed enumerator (src/api/enumerator.ts) on the fake: GetCount, Next(n), Skip, Reset and
 * Clone over a snapshot; and what uses them: job.fileCount() and job.fileAt(index).
 */
import { ComPtr } from '../../../src/com';
import { IBackgroundCopyFile, IBackgroundCopyJob, IBackgroundCopyManager, IEnumBackgroundCopyFiles, IEnumBackgroundCopyJobs } from '../../../src/bits';
import { BitsEnumerator } from '../../../src/api/enumerator';
import { connectFake, localPath } from '../../support/fake-env';

const URLS = ['http://example.test/0', 'http://example.test/1', 'http://example.test/2', 'http://example.test/3', 'http://example.test/4'];

async function jobWithFiles(name: string) {
  const { fake, manager } = await connectFake({ flavour: 'bits' });
  const job = await manager.createJob(name);
  await job.addFiles(URLS.map((remoteUrl, i) => ({ remoteUrl, localPath: localPath(`${name}-${i}.bin`) })));
  return { fake, manager, job };
}

/** The raw enumerator of the job's files, wrapped. */
async function filesOf(fake: Awaited<ReturnType<typeof connectFake>>['fake'], jobId: string) {
  const rt = fake.runtime;
  const manager = ComPtr.own((await rt.createInstance(fake.clsid, IBackgroundCopyManager.iid)).ptr as bigint, IBackgroundCopyManager, rt);
  const job = ComPtr.own(await manager.invoke('GetJob', jobId) as bigint, IBackgroundCopyJob, rt);
  const files = new BitsEnumerator(ComPtr.own(await job.invoke('EnumFiles') as bigint, IEnumBackgroundCopyFiles, rt), IBackgroundCopyFile);
  await job.release();
  await manager.release();
  return files;
}

async function names(items: Array<ComPtr<typeof IBackgroundCopyFile>>): Promise<string[]> {
  const out: string[] = [];
  for (const item of items) {
    out.push((await item.invoke('GetRemoteName')) ?? '');
    await item.release();
  }
  return out;
}

test('count, next(n), skip, reset and clone walk one snapshot', async () => {
  const { fake, manager, job } = await jobWithFiles('cursor');
  const files = await filesOf(fake, job.id);
  expect(await files.count()).toBe(5);
  expect(await names(await files.next(2))).toEqual(URLS.slice(0, 2));
  expect(await files.skip(1)).toBe(true);
  const copy = await files.clone(); // at the same place: item 3
  expect(await names(await files.next(10))).toEqual(URLS.slice(3)); // fewer than asked at the end
  expect(await files.next(1)).toEqual([]);
  expect(await files.skip(1)).toBe(false); // S_FALSE: nothing left to skip
  expect(await names(await copy.next(1))).toEqual([URLS[3]]); // the clone has its own cursor
  await files.reset();
  expect(await names(await files.next(1))).toEqual([URLS[0]]);
  await job.addFile('http://example.test/later', localPath('later.bin'));
  expect(await files.count()).toBe(5); // a snapshot: the file added later is not in it
  expect(await files.next(0)).toEqual([]);
  await expect(files.next(-1)).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
  await copy.release();
  await files.release();
  await job.cancel();
  job.dispose();
  manager.dispose();
});

test('the jobs enumerator has the same shape', async () => {
  const { fake, manager, job } = await jobWithFiles('jobs');
  const rt = fake.runtime;
  const raw = ComPtr.own((await rt.createInstance(fake.clsid, IBackgroundCopyManager.iid)).ptr as bigint, IBackgroundCopyManager, rt);
  const jobs = new BitsEnumerator(ComPtr.own(await raw.invoke('EnumJobs', 0) as bigint, IEnumBackgroundCopyJobs, rt), IBackgroundCopyJob);
  expect(await jobs.count()).toBe(1);
  const [one] = await jobs.next(1);
  expect(await one.invoke('GetId')).toBe(job.id);
  await one.release();
  await jobs.release();
  await raw.release();
  await job.cancel();
  job.dispose();
  manager.dispose();
});

test('job.fileCount() and job.fileAt(index): the count without file objects, one file by position', async () => {
  const { manager, job } = await jobWithFiles('by position');
  expect(await job.fileCount()).toBe(5);
  const third = await job.fileAt(2);
  expect(await third?.getRemoteName()).toBe(URLS[2]);
  third?.dispose();
  expect(await job.fileAt(5)).toBeNull();
  await expect(job.fileAt(1.5)).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
  const empty = await manager.createJob('empty');
  expect(await empty.fileCount()).toBe(0);
  expect(await empty.fileAt(0)).toBeNull();
  await empty.cancel();
  empty.dispose();
  await job.cancel();
  job.dispose();
  manager.dispose();
});

/**
 * Batching where the API allows it (issue 25, item 3): addFiles() sends AddFileSet in batches and
 * names the file that failed; listing uses Next(n) sized by GetCount instead of Next(16) loops.
 * The fake counts every call, so the number of round trips is what is asserted.
 */
import { HResultError } from '../../../src';
import { ADD_FILE_SET_BATCH } from '../../../src/api/add-file-set';
import { MAX_BATCH } from '../../../src/api/enumerate';
import { connectFake, localPath } from '../../support/fake-env';

type Fake = { stats(): { calls: ReadonlyMap<string, number> } };
const calls = (fake: Fake, name: string): number => fake.stats().calls.get(name) ?? 0;
const BG_E_TOO_MANY_FILES_IN_JOB = 0x80200051;

function specs(n: number, prefix: string) {
  return Array.from({ length: n }, (_, i) => ({ remoteUrl: `http://example.test/${prefix}/${i}`, localPath: localPath(`${prefix}-${i}.bin`) }));
}

describe('addFiles in batches', () => {
  test('1,000 files: ceil(1000 / batch) AddFileSet calls and no AddFile; files() lists them in order with GetCount and a few Next(n)', async () => {
    const { fake, manager } = await connectFake({ flavour: 'bits' });
    const job = await manager.createJob('thousand');
    const files = specs(1000, 'thousand');
    await job.addFiles(files);
    expect(ADD_FILE_SET_BATCH).toBeLessThan(1000); // otherwise this test says nothing about batching
    expect(calls(fake, 'IBackgroundCopyJob::AddFileSet')).toBe(Math.ceil(1000 / ADD_FILE_SET_BATCH));
    expect(calls(fake, 'IBackgroundCopyJob::AddFile')).toBe(0);
    expect(fake.jobs()[0].files.map((f) => f.remoteName)).toEqual(files.map((f) => f.remoteUrl));

    const nextBefore = calls(fake, 'IEnumBackgroundCopyFiles::Next');
    const listed = await job.files();
    // Next(16), GetCount, then Next(n ≤ MAX_BATCH) for the other 984.
    expect(calls(fake, 'IEnumBackgroundCopyFiles::Next') - nextBefore).toBe(1 + Math.ceil(984 / MAX_BATCH));
    expect(calls(fake, 'IEnumBackgroundCopyFiles::GetCount')).toBe(1);
    expect(listed).toHaveLength(1000);
    expect(await listed[0].getRemoteName()).toBe(files[0].remoteUrl);
    expect(await listed[999].getLocalName()).toBe(files[999].localPath);
    listed.forEach((f) => f.dispose());
    await job.cancel();
    job.dispose();
    manager.dispose();
    await fake.settle();
    fake.assertBalanced();
  });

  test('a set the job cannot hold (MaxFilesPerJob): the error names the first file over the limit, the files before it are in the job', async () => {
    const { fake, manager } = await connectFake({ flavour: 'bits', maxFilesPerJob: 250 });
    const job = await manager.createJob('limit');
    const files = specs(300, 'limit');
    // A secret in the failing entry's URL stays out of the message.
    files[250] = { remoteUrl: 'http://user:hunter2@example.test/limit/250', localPath: localPath('limit-250.bin') };
    const error = await job.addFiles(files).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(HResultError);
    expect((error as HResultError).hresult).toBe(BG_E_TOO_MANY_FILES_IN_JOB);
    const message = (error as Error).message;
    expect(message).toContain('files[250] (http://');
    expect(message).toContain(localPath('limit-250.bin'));
    expect(message).toContain('files[0..249] were added, 50 were not');
    expect(message).not.toContain('hunter2');
    expect(fake.jobs()[0].files).toHaveLength(250);
    expect(fake.jobs()[0].files.map((f) => f.remoteName)).toEqual(files.slice(0, 250).map((f) => f.remoteUrl));
    await job.cancel();
    job.dispose();
    manager.dispose();
    await fake.settle();
    fake.assertBalanced();
  });

  test('a failure that is not about one file (the job is final): the batch is named, nothing is retried one by one', async () => {
    const { fake, manager } = await connectFake({ flavour: 'bits' });
    const job = await manager.createJob('final');
    await job.cancel();
    const error = await job.addFiles(specs(3, 'final')).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(HResultError);
    expect((error as Error).message).toContain('files[0..2] in one AddFileSet');
    expect(calls(fake, 'IBackgroundCopyJob::AddFile')).toBe(0);
    job.dispose();
    manager.dispose();
    await fake.settle();
  });

  test('Delivery Optimization without AddFileSet: one by one, and a failure names its file', async () => {
    const { fake, manager } = await connectFake({ flavour: 'delivery-optimization', maxFilesPerJob: 2 });
    const job = await manager.createJob('do');
    const error = await job.addFiles(specs(3, 'do')).then(() => null, (e: unknown) => e);
    expect((error as HResultError).hresult).toBe(BG_E_TOO_MANY_FILES_IN_JOB);
    expect((error as Error).message).toContain('files[2] (http://example.test/do/2');
    expect(fake.jobs()[0].files).toHaveLength(2);
    await job.cancel();
    job.dispose();
    manager.dispose();
    await fake.settle();
  });
});

test('the duplicate-path check lists the files of a job that has some, not of an empty one (GetProgress answers 0 in one call)', async () => {
  const { fake, manager } = await connectFake({ flavour: 'bits' });
  const job = await manager.createJob('empty');
  await job.addFiles(specs(2, 'empty'));
  expect(calls(fake, 'IBackgroundCopyJob::EnumFiles')).toBe(0);
  await job.addFile('http://example.test/empty/later', localPath('empty-later.bin'));
  expect(calls(fake, 'IBackgroundCopyJob::EnumFiles')).toBe(1);
  await expect(job.addFile('http://example.test/empty/again', localPath('empty-0.bin'))).rejects.toThrow(/already in the job/);
  await job.cancel();
  job.dispose();
  manager.dispose();
  await fake.settle();
});

describe('listing in batches', () => {
  test('300 jobs: one GetCount and 1 + ceil(284 / MAX_BATCH) Next calls, each job once', async () => {
    const { fake, manager } = await connectFake({ flavour: 'bits' });
    const created = [];
    for (let i = 0; i < 300; i++) created.push(await manager.createJob(`job ${i}`));
    const listed = await manager.jobs();
    expect(calls(fake, 'IEnumBackgroundCopyJobs::Next')).toBe(1 + Math.ceil(284 / MAX_BATCH));
    expect(calls(fake, 'IEnumBackgroundCopyJobs::GetCount')).toBe(1);
    expect(new Set(listed.map((j) => j.id))).toEqual(new Set(created.map((j) => j.id)));
    listed.forEach((j) => j.dispose());
    for (const j of created) {
      await j.cancel();
      j.dispose();
    }
    manager.dispose();
    await fake.settle();
    fake.assertBalanced();
  });

  test('a small list is one Next call and no GetCount', async () => {
    const { fake, manager } = await connectFake({ flavour: 'bits' });
    const job = await manager.createJob('small');
    await job.addFiles(specs(3, 'small'));
    const before = calls(fake, 'IEnumBackgroundCopyFiles::Next');
    const listed = await job.files();
    expect(listed).toHaveLength(3);
    expect(calls(fake, 'IEnumBackgroundCopyFiles::Next') - before).toBe(1);
    expect(calls(fake, 'IEnumBackgroundCopyFiles::GetCount')).toBe(0);
    listed.forEach((f) => f.dispose());
    await job.cancel();
    job.dispose();
    manager.dispose();
    await fake.settle();
  });
});

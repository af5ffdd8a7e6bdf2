/**
 * Batching against Wine's real BITS (issue 25, item 3): 1,000 files in one addFiles() (AddFileSet in
 * batches), listed back with GetCount and Next(n); many jobs listed the same way. The calls the
 * library makes are counted with a spy on ComPtr.invokeRaw (every COM call goes through it).
 */
import { ComPtr } from '../../src/com';
import { ADD_FILE_SET_BATCH } from '../../src/api/add-file-set';
import { MAX_BATCH } from '../../src/api/enumerate';
import { listJobs, useWineEnv } from './helpers';

const env = useWineEnv();

/** Counts the library's COM calls by `Interface::Method` while `work` runs. */
async function counting<T>(work: () => Promise<T>): Promise<{ value: T; calls: Map<string, number> }> {
  const calls = new Map<string, number>();
  const original = ComPtr.prototype.invokeRaw;
  const spy = jest.spyOn(ComPtr.prototype, 'invokeRaw').mockImplementation(function (this: { iface: { name: string } }, name: string, ...args: unknown[]) {
    const key = `${this.iface.name}::${name}`;
    calls.set(key, (calls.get(key) ?? 0) + 1);
    return (original as (...a: unknown[]) => ReturnType<typeof original>).call(this, name, ...args);
  } as typeof original);
  try {
    return { value: await work(), calls };
  } finally {
    spy.mockRestore();
  }
}

test('1,000 files in one addFiles(): ceil(1000 / batch) AddFileSet calls; files() lists all of them with one GetCount and a few Next(n)', async () => {
  const job = await env.createJob('1000 files');
  const specs = Array.from({ length: 1000 }, (_, i) => ({ remoteUrl: env.http.url(`/bytes/${i + 1}?seed=${i}`), localPath: env.localPath(`many-${i}.bin`) }));
  const added = await counting(() => job.addFiles(specs));
  expect(added.calls.get('IBackgroundCopyJob::AddFileSet')).toBe(Math.ceil(1000 / ADD_FILE_SET_BATCH));
  expect(added.calls.get('IBackgroundCopyJob::AddFile') ?? 0).toBe(0);
  expect((await job.getProgress()).filesTotal).toBe(1000);

  const listed = await counting(() => job.files());
  const files = listed.value;
  try {
    expect(files).toHaveLength(1000);
    // Next(16), then GetCount, then Next(n ≤ MAX_BATCH) for the other 984.
    expect(listed.calls.get('IEnumBackgroundCopyFiles::GetCount')).toBe(1);
    expect(listed.calls.get('IEnumBackgroundCopyFiles::Next')).toBe(1 + Math.ceil(984 / MAX_BATCH));
    const pairs = await Promise.all(files.map(async (f) => ({ remoteUrl: await f.getRemoteName(), localPath: await f.getLocalName() })));
    // Wine lists a job's files newest first (its qmgr adds each at the head of the list): compare as sets.
    const key = (s: { localPath: string }) => s.localPath;
    expect([...pairs].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...specs].sort((a, b) => key(a).localeCompare(key(b))));
  } finally {
    files.forEach((f) => f.dispose());
  }
}, 180_000);

test('jobs() with 40 more jobs than before: one GetCount, Next(16) then Next(n), every job found once', async () => {
  const mine = [];
  for (let i = 0; i < 40; i++) mine.push(await env.createJob(`batch list ${i}`));
  const listed = await counting(() => listJobs(env));
  const total = listed.value.length;
  expect(total).toBeGreaterThanOrEqual(40);
  expect(listed.calls.get('IEnumBackgroundCopyJobs::GetCount')).toBe(1);
  expect(listed.calls.get('IEnumBackgroundCopyJobs::Next')).toBe(1 + Math.ceil((total - 16) / MAX_BATCH));
  const ids = listed.value.map((j) => j.id);
  expect(new Set(ids).size).toBe(total);
  for (const j of mine) expect(ids).toContain(j.id);
}, 180_000);

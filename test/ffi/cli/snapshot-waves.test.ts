/**
 * `list`/`show` read a job in one wave of calls (issue 25, item 3: no avoidable round trip per job):
 * the status beside the other reads, and each file's three reads together. Shown with a call that
 * hangs: the others are already made while it hangs (they used to wait for it).
 */
import { readSnapshot } from '../../../src/cli/snapshot';
import { nativeWaitsHere } from '../../support/native-wait-platforms';
import { connectFake, localPath } from '../../support/fake-env';
import { until } from '../../support/wait';

const native = nativeWaitsHere ? describe : describe.skip;
const HANG_MS = 6_000;

native('one wave of reads per job', () => {
  test('a hanging GetState does not hold back the display name, priority and files', async () => {
    const { fake, manager } = await connectFake({ flavour: 'bits', faults: { 'IBackgroundCopyJob::GetState': { kind: 'hang', maxMs: HANG_MS, nth: 1 } } });
    const job = await manager.createJob('wave');
    await job.addFile('http://example.test/wave', localPath('wave.bin'));
    const calls = (name: string) => fake.stats().calls.get(name) ?? 0;
    const snapshot = readSnapshot(job);
    await until(() => calls('IBackgroundCopyJob::GetDisplayName') === 1 && calls('IBackgroundCopyJob::EnumFiles') === 1, 'the other reads while GetState hangs', HANG_MS - 1_000);
    const s = await snapshot;
    expect(calls('IBackgroundCopyJob::GetState')).toBeGreaterThanOrEqual(1);
    expect(s.displayName).toBe('wave');
    expect(s.files).toHaveLength(1);
    await job.cancel();
    job.dispose();
    manager.dispose();
    await fake.settle();
  }, 30_000);

  test("a file's hanging GetRemoteName does not hold back its local name and progress", async () => {
    const { fake, manager } = await connectFake({ flavour: 'bits', faults: { 'IBackgroundCopyFile::GetRemoteName': { kind: 'hang', maxMs: HANG_MS, nth: 1 } } });
    const job = await manager.createJob('file wave');
    await job.addFile('http://example.test/file-wave', localPath('file-wave.bin'));
    const calls = (name: string) => fake.stats().calls.get(name) ?? 0;
    const snapshot = readSnapshot(job);
    await until(() => calls('IBackgroundCopyFile::GetLocalName') === 1 && calls('IBackgroundCopyFile::GetProgress') === 1, "the file's other reads while GetRemoteName hangs", HANG_MS - 1_000);
    const s = await snapshot;
    expect(s.files[0]).toMatchObject({ remoteUrl: 'http://example.test/file-wave', localPath: localPath('file-wave.bin') });
    await job.cancel();
    job.dispose();
    manager.dispose();
    await fake.settle();
  }, 30_000);
});

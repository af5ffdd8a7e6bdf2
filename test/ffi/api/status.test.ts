/**
 * status() is one consistent snapshot (issue 23, item 3): GetState and GetProgress run in parallel,
 * so the progress may be read before the job reached the state read beside it. A final transfer
 * state must never come with progress short of it (seen: the CLI's last line
 * `75% | 48.0 KiB / 64.0 KiB | TRANSFERRED`).
 */
import { JobState } from '../../../src';
import { nativeWaitsHere } from '../../support/native-wait-platforms';
import { connectFake, localPath } from '../../support/fake-env';

const native = nativeWaitsHere ? describe : describe.skip;
const BYTES = 64 * 1024;

function calls(fake: { stats(): { calls: ReadonlyMap<string, number> } }, method: string): number {
  return fake.stats().calls.get(`IBackgroundCopyJob::${method}`) ?? 0;
}

native('status(): a final state comes with its own progress', () => {
  test('GetState answering after the transfer ended, GetProgress before: TRANSFERRED with every byte, not a torn snapshot', async () => {
    // The first GetState waits 1.5 s on its worker thread; the transfer (400 ms) ends meanwhile,
    // while GetProgress, sent beside it, answers at once with the progress of the transfer under way.
    const url = 'https://example.test/torn.bin';
    const { fake, manager } = await connectFake({
      script: { [url]: { kind: 'succeed', bytes: BYTES, durationMs: 400 } },
      faults: { 'IBackgroundCopyJob::GetState': { kind: 'delay', ms: 1_500, nth: 1 } },
    });
    const job = await manager.createJob('torn status');
    await job.addFile(url, localPath('torn.bin'));
    const setup = calls(fake, 'GetProgress'); // addFile reads FilesTotal (the duplicate-path check)
    await job.resume();
    const status = await job.status();
    expect(status.stateName).toBe('TRANSFERRED');
    expect(status.progress).toEqual({ bytesTotal: BigInt(BYTES), bytesTransferred: BigInt(BYTES), filesTotal: 1, filesTransferred: 1 });
    // The first progress was short (the snapshot would have been torn): it was read once more.
    expect(calls(fake, 'GetProgress') - setup).toBe(2);
    await job.cancel();
    await job.close();
    await manager.close();
    await fake.settle();
    fake.assertBalanced();
  });
});

test('status() keeps one GetProgress per snapshot when nothing is torn: during the transfer, and once TRANSFERRED', async () => {
  const url = 'https://example.test/whole.bin';
  const { fake, manager } = await connectFake({ script: { [url]: { kind: 'succeed', bytes: BYTES, durationMs: 10_000 } } });
  const job = await manager.createJob('whole status');
  await job.addFile(url, localPath('whole.bin'));
  const setup = calls(fake, 'GetProgress'); // addFile reads FilesTotal (the duplicate-path check)
  const queued = await job.status();
  expect(queued.state).toBe(JobState.Suspended);
  expect(calls(fake, 'GetProgress') - setup).toBe(1);
  fake.script(url, { kind: 'succeed', bytes: BYTES, durationMs: 0 });
  await job.resume();
  const done = await job.waitForCompletion({ pollIntervalMs: 10 });
  expect(done.state).toBe(JobState.Transferred);
  const before = calls(fake, 'GetProgress');
  const again = await job.status();
  expect(again.progress.bytesTransferred).toBe(BigInt(BYTES));
  expect(calls(fake, 'GetProgress') - before).toBe(1);
  await job.cancel();
  await job.close();
  await manager.close();
  await fake.settle();
  fake.assertBalanced();
});

/**
 * Child process of test/ffi/api/deadlock.test.ts: a callback from the fake's native thread is in
 * flight (the client's JS object has not run yet, it needs the main thread) while the main thread
 * makes a call on the same job, which the fake holds until the callback returns.
 *
 *   sync: the call is synchronous on the main thread (what the library never does): it never returns.
 *   api:  the call goes through the public API (off the main thread): it returns.
 *
 * Prints one line per step; the parent's watchdog decides.
 */
import * as os from 'os';
import * as path from 'path';
import { BackgroundCopyManager, JobState } from '../../src';
import { IBackgroundCopyJob, IBackgroundCopyManager } from '../../src/bits';
import { ComPtr } from '../../src/com';
import { createFakeService } from '../../src/testing';

async function main(mode: string): Promise<void> {
  const fake = createFakeService({ holdCallsDuringCallbacks: true, defaultBehaviour: { kind: 'succeed', bytes: 16, durationMs: 5 } });
  const manager = await BackgroundCopyManager.connect({ service: fake });
  const job = await manager.createJob('deadlock');
  const transferred = new Promise<void>((resolve) => job.on('transferred', () => resolve()));
  await job.notificationsReady();
  await job.addFile('http://example.test/deadlock', path.join(os.tmpdir(), `deadlock-${process.pid}.bin`));
  // The same job through the raw layer, for the synchronous call.
  const { ptr } = await fake.runtime.createInstance(fake.clsid, IBackgroundCopyManager.iid);
  const rawManager = ComPtr.own(ptr as bigint, IBackgroundCopyManager, fake.runtime);
  const jobPtr = await rawManager.invoke('GetJob', job.id);
  const rawJob = ComPtr.own(jobPtr as bigint, IBackgroundCopyJob, fake.runtime);

  const inFlight = fake.nextCallback();
  await job.resume();
  // Resolved in the same turn as the delivery started: the client's object has not run yet.
  console.log(`callback in flight: ${await inFlight}`);
  if (mode === 'sync') {
    const { hr, value } = rawJob.invokeRawSync('GetState');
    console.log(`returned hr=${hr} state=${JobState[value ?? 0]}`);
  } else {
    console.log(`returned state=${JobState[await job.getState()]}`);
  }
  await transferred;
  await job.complete();
  await rawJob.release();
  await rawManager.release();
  job.dispose();
  manager.dispose();
  await fake.settle();
  fake.assertBalanced();
  fake.dispose();
  console.log('done');
}

main(process.argv[2] ?? 'api').then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

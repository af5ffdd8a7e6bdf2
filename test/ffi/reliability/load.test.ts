import { JobState } from '../../../src';
import { connectFake, localPath } from '../../support/fake-env';

test('1,000 concurrent public calls all succeed: the library queues below koffi\'s async cap', async () => {
  const { fake, manager } = await connectFake({ flavour: 'bits' });
  const jobs = await Promise.all(Array.from({ length: 10 }, (_, i) => manager.createJob(`load ${i}`)));
  const t0 = Date.now();
  const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => (i % 2 ? jobs[i % 10].getState() : jobs[i % 10].getProgress())));
  const ms = Date.now() - t0;
  expect(results).toHaveLength(1000);
  expect(results.filter((r) => r === JobState.Suspended)).toHaveLength(500);
  const queue = fake.runtime.queue;
  expect(queue.peakActive).toBeLessThanOrEqual(queue.limit);
  expect(queue.peakActive).toBeGreaterThan(1);
  console.log(`1000 concurrent calls: ${ms} ms, peak in flight ${queue.peakActive} (limit ${queue.limit})`);
  await Promise.all(jobs.map((j) => j.cancel()));
  jobs.forEach((j) => j.dispose());
  manager.dispose();
});

test('200 jobs watched at once all reach TRANSFERRED', async () => {
  const { manager } = await connectFake({ flavour: 'bits', defaultBehaviour: { kind: 'succeed', bytes: 256, durationMs: 30 } });
  const jobs = await Promise.all(Array.from({ length: 200 }, (_, i) => manager.createJob(`watch ${i}`)));
  await Promise.all(jobs.map((j, i) => j.addFile(`http://example.test/w${i}`, localPath(`w${i}.bin`))));
  await Promise.all(jobs.map((j) => j.resume()));
  const t0 = Date.now();
  const finals = await Promise.all(
    jobs.map(async (j) => {
      let last: JobState | undefined;
      for await (const s of j.watch({ pollIntervalMs: 10 })) last = s.state;
      return last;
    }),
  );
  console.log(`200 watched jobs finished in ${Date.now() - t0} ms`);
  expect(finals.every((s) => s === JobState.Transferred)).toBe(true);
  await Promise.all(jobs.map((j) => j.complete()));
  jobs.forEach((j) => j.dispose());
  manager.dispose();
}, 60_000);

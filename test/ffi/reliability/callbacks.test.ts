import { connectFake, localPath } from '../../support/fake-env';

test('a slow listener never holds the service: the callback has returned S_OK before listeners run', async () => {
  // Main-thread delivery: the fake counts the delivery when the callback returns, synchronously,
  // so the count seen by the listener tells whether the callback had returned before it ran.
  const { fake, manager } = await connectFake({ flavour: 'bits', callbackThread: 'main-thread' });
  const job = await manager.createJob('slow listener');
  let deliveredWhenListenerRan: number | undefined;
  const done = new Promise<void>((resolve) =>
    job.on('transferred', () => {
      deliveredWhenListenerRan = fake.stats().notifications.delivered.get('JobTransferred');
      const until = Date.now() + 50;
      while (Date.now() < until); // a listener that blocks for 50 ms
      resolve();
    }),
  );
  await job.notificationsReady();
  await job.addFile('http://example.test/slow', localPath('slow.bin'));
  await job.resume();
  await done;
  expect(deliveredWhenListenerRan).toBe(1); // the service's call had already returned
  expect(fake.stats().notifications.failed).toBe(0);
  await job.complete();
  job.dispose();
  manager.dispose();
});

test('a burst of notifications from 100 jobs: every one delivered, every answer S_OK', async () => {
  const { fake, manager } = await connectFake({ flavour: 'bits', defaultBehaviour: { kind: 'succeed', bytes: 64, durationMs: 5 } });
  const jobs = await Promise.all(Array.from({ length: 100 }, (_, i) => manager.createJob(`burst ${i}`)));
  let received = 0;
  const all = Promise.all(jobs.map((j) => new Promise<void>((resolve) => j.on('transferred', () => { received++; resolve(); }))));
  await Promise.all(jobs.map((j) => j.notificationsReady()));
  await Promise.all(jobs.map((j, i) => j.addFile(`http://example.test/b${i}`, localPath(`b${i}.bin`))));
  await Promise.all(jobs.map((j) => j.resume()));
  await all;
  expect(received).toBe(100);
  await fake.settle(); // the native deliveries' answers reach the fake after the listeners ran
  const stats = fake.stats().notifications;
  expect(stats.delivered.get('JobTransferred')).toBe(100);
  expect(stats.failed).toBe(0);
  await Promise.all(jobs.map((j) => j.complete()));
  jobs.forEach((j) => j.dispose());
  manager.dispose();
});

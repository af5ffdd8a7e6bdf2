/**
 * Notification by CLSID on the fake (issue 22 item 5): the BITS side (the property is set, the fake
 * activates the CLSID through its class table or an injected activator when the job finishes, from
 * a native thread) and the server side (serveNotifications' class object and callback object, the
 * job handed to the handler as a BackgroundCopyJob, the server stopping once released).
 */
import { randomUUID } from 'crypto';
import { JobPropertyId, JobState, serveNotifications, type BackgroundCopyJob, type JobError } from '../../../src';
import { connectFake, localPath } from '../../support/fake-env';
import { until } from '../../support/wait';

const quiet = { exit: false, lingerMs: 0, idleTimeoutMs: 30_000 } as const;

test('setNotificationClsid sets BITS_JOB_PROPERTY_NOTIFICATION_CLSID (read back by getProperty); a non-GUID is refused before the call', async () => {
  const { fake, manager } = await connectFake({ flavour: 'bits' });
  const job = await manager.createJob('clsid');
  const clsid = randomUUID();
  await job.setNotificationClsid(`{${clsid.toUpperCase()}}`);
  expect(await job.getProperty(JobPropertyId.NotificationClsid)).toBe(clsid);
  const before = fake.stats().calls.get('IBackgroundCopyJob5::SetProperty');
  await expect(job.setNotificationClsid('not-a-guid')).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
  expect(fake.stats().calls.get('IBackgroundCopyJob5::SetProperty')).toBe(before);
  await job.cancel();
  job.dispose();
  manager.dispose();
});

test('createJob({ notifyOnFinish }) sets the property; a non-GUID is refused before CreateJob', async () => {
  const { fake, manager } = await connectFake({ flavour: 'bits' });
  const clsid = randomUUID();
  const job = await manager.createJob('notify on finish', { notifyOnFinish: clsid });
  expect(await job.getProperty(JobPropertyId.NotificationClsid)).toBe(clsid);
  await expect(manager.createJob('bad', { notifyOnFinish: 'nope' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
  expect(fake.jobs()).toHaveLength(1);
  await job.cancel();
  job.dispose();
  manager.dispose();
});

test('a finished job with a notification CLSID and no callback wakes the server registered for it: the handler gets the job wrapped, completes it, and the server stops once released', async () => {
  const { fake, manager } = await connectFake({ flavour: 'bits' });
  const clsid = randomUUID();
  const seen: Array<{ id: string; state: JobState }> = [];
  const serving = serveNotifications({
    clsid,
    onJobTransferred: async (job: BackgroundCopyJob) => {
      seen.push({ id: job.id, state: await job.getState() });
      await job.complete();
    },
  }, { ...quiet, service: fake, registrar: fake.classRegistrar });
  expect(fake.classRegistrar.classes).toEqual([clsid]);

  const job = await manager.createJob('woken', { notifyOnFinish: clsid });
  await job.addFile('http://example.test/woken', localPath('woken.bin'));
  await job.resume();
  const result = await serving;
  expect(result).toEqual({ reason: 'released', activations: 1, handled: 1 });
  expect(seen).toEqual([{ id: job.id, state: JobState.Transferred }]);
  expect(await job.getState()).toBe(JobState.Acknowledged);
  expect(fake.classRegistrar.activated).toEqual([clsid]);
  expect(fake.classRegistrar.classes).toEqual([]); // revoked
  expect(fake.stats().notifications.delivered.get('JobTransferred')).toBe(1);
  job.dispose();
  manager.dispose();
});

test('JobError by CLSID: the handler gets the job and its error', async () => {
  const url = 'http://example.test/503';
  const { fake, manager } = await connectFake({ flavour: 'bits', script: { [url]: { kind: 'fail', hresult: 0x801901f7 } } });
  const clsid = randomUUID();
  const errors: Array<JobError | null> = [];
  const serving = serveNotifications({
    clsid,
    onJobError: async (job, error) => {
      errors.push(error);
      await job.cancel();
    },
  }, { ...quiet, service: fake, registrar: fake.classRegistrar });
  const job = await manager.createJob('woken by error');
  await job.setNotificationClsid(clsid);
  await job.addFile(url, localPath('503.bin'));
  await job.resume();
  expect(await serving).toMatchObject({ reason: 'released', handled: 1 });
  expect(errors).toHaveLength(1);
  expect(errors[0]?.code).toBe('BG_E_HTTP_ERROR_503');
  expect(await job.getState()).toBe(JobState.Cancelled);
  job.dispose();
  manager.dispose();
});

test('the activator is injectable: it is asked for the CLSID, and a class it does not know (null) calls nothing', async () => {
  const asked: string[] = [];
  const { fake, manager } = await connectFake({ flavour: 'bits', activator: (clsid) => (asked.push(clsid), null) });
  const clsid = randomUUID();
  const job = await manager.createJob('nobody home');
  await job.setNotificationClsid(clsid);
  await job.addFile('http://example.test/x', localPath('x.bin'));
  await job.resume();
  await until(() => asked.length > 0, 'the activator to be asked', 10_000);
  expect(asked).toEqual([clsid]);
  expect(await job.getState()).toBe(JobState.Transferred);
  expect(fake.stats().notifications.delivered.get('JobTransferred')).toBeUndefined();
  await job.complete();
  job.dispose();
  manager.dispose();
});

test('a job with a callback interface is told through it, not by CLSID', async () => {
  const asked: string[] = [];
  const { manager } = await connectFake({ flavour: 'bits', activator: (clsid) => (asked.push(clsid), null) });
  const job = await manager.createJob('has a callback');
  await job.setNotificationClsid(randomUUID());
  const transferred = new Promise<void>((resolve) => job.on('transferred', () => resolve()));
  await job.notificationsReady();
  await job.addFile('http://example.test/y', localPath('y.bin'));
  await job.resume();
  await transferred;
  expect(asked).toEqual([]);
  await job.complete();
  job.dispose();
  manager.dispose();
});

test('nobody activates the server: it stops after idleTimeoutMs with reason idle, and its class is revoked', async () => {
  const { fake, manager } = await connectFake({ flavour: 'bits' });
  const result = await serveNotifications({ clsid: randomUUID(), onJobTransferred: () => undefined }, { exit: false, idleTimeoutMs: 50, service: fake, registrar: fake.classRegistrar });
  expect(result).toEqual({ reason: 'idle', activations: 0, handled: 0 });
  expect(fake.classRegistrar.classes).toEqual([]);
  manager.dispose();
});

test('bad handlers and options are refused before anything is registered', async () => {
  const { fake, manager } = await connectFake({ flavour: 'bits' });
  const registrar = fake.classRegistrar;
  const serve = (h: unknown, o: object = {}) => serveNotifications(h as never, { ...quiet, service: fake, registrar, ...o });
  await expect(serve({ clsid: 'nope', onJobTransferred: () => undefined })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
  await expect(serve({ clsid: randomUUID() })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
  await expect(serve({ clsid: randomUUID(), onJobError: 'x' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
  await expect(serve({ clsid: randomUUID(), onJobTransferred: () => undefined }, { lingerMs: -1 })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
  expect(registrar.classes).toEqual([]);
  manager.dispose();
});

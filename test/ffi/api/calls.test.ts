/**
 * The calling verb of the idiomatic layer (src/api/calls.ts, issue 23 item 1): each extra interface
 * is asked for once, and a call checks disposal again when its turn comes.
 */
import { ObjectDisposedError } from '../../../src';
import { nativeWaitsHere } from '../../support/native-wait-platforms';
import { connectFake } from '../../support/fake-env';

const native = nativeWaitsHere ? test : test.skip;

test('an extension interface is asked for once per job, also by calls made side by side', async () => {
  const { fake, manager } = await connectFake({ flavour: 'bits' });
  const job = await manager.createJob('one QueryInterface');
  const queries = () => fake.stats().calls.get('IUnknown::QueryInterface') ?? 0;
  const before = queries();
  await Promise.all([job.getFileAclFlags(), job.getFileAclFlags(), job.replaceRemotePrefix('http://a.test', 'http://b.test')]);
  await job.getFileAclFlags();
  expect(queries() - before).toBe(1);
  job.dispose();
  manager.dispose();
  await fake.settle();
  fake.assertBalanced();
});

native('a call waiting for its turn behind a slow write, when the job is disposed meanwhile, rejects and never reaches the service', async () => {
  const { fake, manager } = await connectFake({ faults: { 'IBackgroundCopyJob::SetDisplayName': { kind: 'delay', ms: 300 } } });
  const job = await manager.createJob('disposed in line');
  const slow = job.setDisplayName('slow');
  const waiting = job.setDescription('never sent');
  await new Promise((resolve) => setTimeout(resolve, 50));
  job.dispose();
  await expect(waiting).rejects.toBeInstanceOf(ObjectDisposedError);
  await slow;
  manager.dispose();
  await fake.settle();
  expect(fake.calledMethods().has('IBackgroundCopyJob::SetDescription')).toBe(false);
  fake.assertBalanced();
});

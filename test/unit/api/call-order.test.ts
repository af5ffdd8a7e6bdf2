/** CallOrder: a job's calls reach the service in the order the program made them (issue 9 #2). */
import { CallOrder, callKind } from '../../../src/api/call-order';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

test('method names: Get/Enum/Query/Is read, everything else writes', () => {
  expect(['GetState', 'GetProgress', 'EnumFiles', 'QueryInterface', 'IsDownloadedFromPeer'].map(callKind)).toEqual(['read', 'read', 'read', 'read', 'read']);
  expect(['SetNotifyInterface', 'Resume', 'AddFile', 'Complete', 'TakeOwnership'].map(callKind)).toEqual(['write', 'write', 'write', 'write', 'write']);
});

test('a write made after a slow write starts only when the slow one returned; reads wait for earlier writes', async () => {
  const order = new CallOrder();
  const started: string[] = [];
  const slow = deferred();
  const registration = order.run('write', async () => {
    started.push('SetNotifyInterface');
    await slow.promise;
  });
  const resume = order.run('write', async () => void started.push('Resume'));
  const state = order.run('read', async () => void started.push('GetState'));
  await new Promise((r) => setImmediate(r));
  expect(started).toEqual(['SetNotifyInterface']);
  slow.resolve();
  await Promise.all([registration, resume, state]);
  expect(started).toEqual(['SetNotifyInterface', 'Resume', 'GetState']);
});

test('a failed write does not stop the ones after it; reads with no write pending run at once', async () => {
  const order = new CallOrder();
  const failing = order.run('write', async () => {
    throw new Error('E_FAIL');
  });
  const next = order.run('write', async () => 'ran');
  await expect(failing).rejects.toThrow('E_FAIL');
  await expect(next).resolves.toBe('ran');
  let ran = false;
  const read = order.run('read', async () => {
    ran = true;
  });
  expect(ran).toBe(true);
  await read;
});

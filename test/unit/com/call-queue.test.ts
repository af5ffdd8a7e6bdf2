import { AsyncCallQueue, CallTimeoutError, type NativeCallback } from '../../../src/com/call-queue';

/** A pretend native call that finishes when the test says so. */
function pending() {
  const calls: Array<NativeCallback<number>> = [];
  return { calls, start: (done: NativeCallback<number>) => void calls.push(done) };
}

test('never more than `limit` in flight; FIFO after that', async () => {
  const q = new AsyncCallQueue(2);
  const p = pending();
  const results = [1, 2, 3, 4].map(() => q.run(p.start));
  expect(q.active).toBe(2);
  expect(q.queued).toBe(2);
  p.calls[0](null, 10);
  p.calls[1](null, 20);
  await Promise.resolve();
  expect(p.calls).toHaveLength(4);
  p.calls[2](null, 30);
  p.calls[3](null, 40);
  expect(await Promise.all(results)).toEqual([10, 20, 30, 40]);
  expect(q.peakActive).toBe(2);
  await q.idle();
});

test('an exclusive call waits for the others and holds back later ones', async () => {
  const q = new AsyncCallQueue(8);
  const p = pending();
  const order: string[] = [];
  const a = q.run(p.start).then(() => order.push('a'));
  const x = q.run(p.start, { exclusive: true }).then(() => order.push('x'));
  const b = q.run(p.start).then(() => order.push('b'));
  expect(p.calls).toHaveLength(1); // only `a` started
  p.calls[0](null, 0);
  await a;
  expect(p.calls).toHaveLength(2); // now `x`, alone
  expect(q.active).toBe(1);
  p.calls[1](null, 0);
  await x;
  expect(p.calls).toHaveLength(3);
  p.calls[2](null, 0);
  await b;
  expect(order).toEqual(['a', 'x', 'b']);
});

test('a call that never returns times out, frees its place, and keeps its arguments alive', async () => {
  const q = new AsyncCallQueue(1, { timeoutMs: 20 });
  const p = pending();
  const args = [Buffer.alloc(4)];
  const hung = q.run(p.start, { keepAlive: args });
  const next = q.run(p.start);
  await expect(hung).rejects.toBeInstanceOf(CallTimeoutError);
  expect(q.timedOut).toBe(1);
  expect(p.calls).toHaveLength(2); // the place was given to the next call
  p.calls[1](null, 7);
  await expect(next).resolves.toBe(7);
  // The timed-out call still runs natively: its arguments are still held, and only they.
  expect(q.argumentsHeld).toBe(1);
  p.calls[0](null, 1); // the late answer of the hung call is ignored...
  expect(q.argumentsHeld).toBe(0); // ...but it lets go of the arguments
  await q.idle();
});

test('a start function that throws rejects and frees the place', async () => {
  const q = new AsyncCallQueue(1);
  await expect(q.run(() => { throw new Error('no'); })).rejects.toThrow('no');
  expect(q.active).toBe(0);
});

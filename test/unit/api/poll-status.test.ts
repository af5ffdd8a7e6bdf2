/**
 * The one polling loop (issue 23, item 2), on a subject whose reads the test answers: what every
 * wait (job.watch, job.waitForCompletion, DODownload.waitForCompletion) gets from it.
 */
import { AbortError, TimeoutError } from '../../../src';
import { checkWaitOptions, pollStatus, type PollSubject } from '../../../src/api/poll-status';

interface Reading { readonly n: number }

function subject(read: () => Promise<Reading>): PollSubject<Reading> {
  return { read, wake: () => () => undefined, same: (a, b) => a.n === b.n, pace: () => ({ transferring: false, bytesTransferred: 0n, bytesTotal: null }) };
}

test('a status equal to the one before is neither yielded nor given to onProgress again', async () => {
  const readings = [1, 1, 2, 2, 2, 3];
  let i = 0;
  const progress: number[] = [];
  const seen: number[] = [];
  const options = checkWaitOptions<Reading>({ pollIntervalMs: 1, onProgress: (r: Reading) => progress.push(r.n) });
  for await (const r of pollStatus(subject(async () => ({ n: readings[i++] })), options, 'Waiting for test')) {
    seen.push(r.n);
    if (r.n === 3) break;
  }
  expect(seen).toEqual([1, 2, 3]);
  expect(progress).toEqual([1, 2, 3]);
});

test('an async onProgress that rejects is a process warning, and the wait goes on', async () => {
  const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  try {
    let n = 0;
    const options = checkWaitOptions<Reading>({ pollIntervalMs: 1, onProgress: async () => { throw new Error('rejected on purpose'); } });
    for await (const r of pollStatus(subject(async () => ({ n: n++ })), options, 'Waiting for test')) if (r.n === 2) break;
    while (emitWarning.mock.calls.length < 3) await new Promise((resolve) => setImmediate(resolve));
    expect(emitWarning.mock.calls.map((c) => c[0])).toEqual(Array(3).fill('onProgress failed: rejected on purpose'));
  } finally {
    emitWarning.mockRestore();
  }
});

test('the deadline ends the wait with TimeoutError naming the operation', async () => {
  let n = 0;
  const waiting = (async () => {
    for await (const r of pollStatus(subject(async () => ({ n: n++ })), checkWaitOptions<Reading>({ pollIntervalMs: 1, timeoutMs: 20 }), 'Waiting for test')) void r;
  })();
  await expect(waiting).rejects.toBeInstanceOf(TimeoutError);
  await expect(waiting).rejects.toThrow(/Waiting for test/);
});

test('an abort while a read is in flight ends the wait at once with "<operation> was aborted"', async () => {
  const controller = new AbortController();
  const reads: Array<() => void> = [];
  const waiting = (async () => {
    for await (const r of pollStatus(subject(() => new Promise<Reading>((resolve) => reads.push(() => resolve({ n: 0 })))), checkWaitOptions<Reading>({ signal: controller.signal }), 'Waiting for download x')) void r;
  })();
  while (reads.length === 0) await new Promise((resolve) => setImmediate(resolve));
  controller.abort();
  await expect(waiting).rejects.toBeInstanceOf(AbortError);
  await expect(waiting).rejects.toThrow('Waiting for download x was aborted');
});

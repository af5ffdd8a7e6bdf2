/**
 * Waiting ends at the abort (issue 15, item 6), not a poll interval later, and not only once a
 * status() call in flight has returned. Unit tier: a Watchable whose status() we control.
 */
import { AbortError, JobState } from '../../../src';
import type { JobEvents } from '../../../src/api/job-events';
import { checkWaitOptions, waitForCompletion, watchJob, type JobStatus, type Watchable } from '../../../src/api/wait';

const noEvents = { wake: () => () => undefined } as unknown as JobEvents;
const transferring: JobStatus = {
  state: JobState.Transferring,
  stateName: 'TRANSFERRING',
  progress: { bytesTotal: 10n, bytesTransferred: 1n, filesTotal: 1, filesTransferred: 0 },
  error: null,
};

/** A job whose status() calls are answered by the test. */
function controlledJob(): Watchable & { calls: Array<(s: JobStatus) => void> } {
  const calls: Array<(s: JobStatus) => void> = [];
  return { id: 'job', calls, status: () => new Promise<JobStatus>((resolve) => calls.push(resolve)) };
}

async function nextCall(job: { calls: unknown[] }, n: number): Promise<void> {
  while (job.calls.length < n) await new Promise((resolve) => setImmediate(resolve));
}

describe.each([
  ['waitForCompletion', (job: Watchable, signal: AbortSignal) => waitForCompletion(job, noEvents, checkWaitOptions({ signal, pollIntervalMs: 2 ** 31 - 1 }))],
  ['watch', async (job: Watchable, signal: AbortSignal) => {
    for await (const s of watchJob(job, noEvents, { signal, pollIntervalMs: 2 ** 31 - 1 })) void s;
  }],
] as const)('%s', (_name, wait) => {
  test('an abort while status() is in flight rejects at once, without waiting for that call', async () => {
    const job = controlledJob();
    const controller = new AbortController();
    const waiting = wait(job, controller.signal);
    await nextCall(job, 1);
    controller.abort();
    // The status() call never returns: the abort alone must settle the wait.
    await expect(waiting).rejects.toBeInstanceOf(AbortError);
  });

  test('an abort while status() is in flight that then returns: no wait for the poll interval', async () => {
    const job = controlledJob();
    const controller = new AbortController();
    const waiting = wait(job, controller.signal);
    await nextCall(job, 1);
    controller.abort();
    job.calls[0](transferring);
    await expect(waiting).rejects.toBeInstanceOf(AbortError);
  });
});

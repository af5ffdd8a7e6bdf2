import { setMaxListeners } from 'events';
import { JobState, stateName } from '../../../src/bits';
import { FIRST_POLL_MS, MAX_POLL_MS, MIN_POLL_MS, POLL_MS_PER_WAIT, PollPacer } from '../../../src/api/poll-pacing';
import { checkWaitOptions, waitForCompletion, type JobStatus } from '../../../src/api/wait';
import { JobEvents } from '../../../src/api/job-events';

function status(state: JobState, bytesTransferred: bigint, bytesTotal: bigint | null): JobStatus {
  return { state, stateName: stateName(state), progress: { bytesTransferred, bytesTotal, filesTransferred: 0, filesTotal: 1 }, error: null };
}

describe('PollPacer (the adaptive polling period of waits)', () => {
  test('a period chosen by the caller is used as it is', () => {
    const pacer = new PollPacer(40).start();
    expect(PollPacer.activeWaits).toBe(0); // fixed periods do not count towards the shared ceiling
    for (let i = 0; i < 10; i++) expect(pacer.next(status(JobState.Transferring, BigInt(i), null), i * 40)).toBe(40);
    pacer.stop();
  });

  test('backs off from the first period to the ceiling while nothing says the end is near', () => {
    const pacer = new PollPacer().start();
    const periods: number[] = [];
    for (let i = 0; i < 8; i++) periods.push(pacer.next(status(JobState.Queued, 0n, null), i * 1000));
    pacer.stop();
    expect(periods[0]).toBeGreaterThan(FIRST_POLL_MS);
    expect(periods).toEqual([...periods].sort((a, b) => a - b));
    expect(periods[periods.length - 1]).toBe(MAX_POLL_MS);
  });

  test('polls sooner when the transfer rate says the job ends before the next read', () => {
    const pacer = new PollPacer().start();
    for (let i = 0; i < 6; i++) pacer.next(status(JobState.Queued, 0n, 1000n), i * 1000);
    // 100 bytes in 1000 ms and 150 bytes left: due in about 1500 ms, which is more than the ceiling
    expect(pacer.next(status(JobState.Transferring, 100n, 1000n), 6000)).toBe(MAX_POLL_MS);
    expect(pacer.next(status(JobState.Transferring, 850n, 1000n), 7000)).toBe(200);
    // almost done: never under the floor
    expect(pacer.next(status(JobState.Transferring, 999n, 1000n), 7200)).toBe(MIN_POLL_MS);
    pacer.stop();
  });

  test('the ceiling grows with the number of waits in the process, and shrinks back when they end', () => {
    const many = Array.from({ length: 200 }, () => new PollPacer().start());
    expect(PollPacer.activeWaits).toBe(200);
    let period = 0;
    for (let i = 0; i < 30; i++) period = many[0].next(status(JobState.Queued, 0n, null), i * 10_000);
    expect(period).toBe(200 * POLL_MS_PER_WAIT);
    many.forEach((p) => p.stop());
    many.forEach((p) => p.stop()); // idempotent
    expect(PollPacer.activeWaits).toBe(0);
    const one = new PollPacer().start();
    for (let i = 0; i < 30; i++) period = one.next(status(JobState.Queued, 0n, null), i * 10_000);
    one.stop();
    expect(period).toBe(MAX_POLL_MS);
  });
});

describe('waitForCompletion() with default options', () => {
  afterEach(() => jest.useRealTimers());

  test('reads the status of a job that makes no progress less often than every 500 ms', async () => {
    jest.useFakeTimers();
    let reads = 0;
    const job = { id: 'j', status: async () => (reads++, status(JobState.Queued, 0n, null)) };
    const abort = new AbortController();
    const waiting = waitForCompletion(job, new JobEvents(), checkWaitOptions({ signal: abort.signal })).catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(20_000);
    abort.abort();
    await jest.advanceTimersByTimeAsync(2_000);
    expect(await waiting).toBeInstanceOf(Error);
    // A fixed 500 ms period reads 41 times in 20 s; the adaptive one backs off to one read a second.
    expect(reads).toBeLessThanOrEqual(25);
    expect(reads).toBeGreaterThanOrEqual(18);
    expect(PollPacer.activeWaits).toBe(0);
  }, 120_000);
});

describe('many waits at once (bench:wine, curve watch_cpu)', () => {
  afterEach(() => jest.useRealTimers());

  test('1,000 waits started together read at most 40 statuses a second in all, from the start (not only once every period has grown)', async () => {
    jest.useFakeTimers();
    let reads = 0;
    const abort = new AbortController();
    setMaxListeners(0, abort.signal);
    const waits = Array.from({ length: 1000 }, (_, i) => {
      // one signal per wait (as callers do), not 1,000 listeners on one
      const own = new AbortController();
      abort.signal.addEventListener('abort', () => own.abort(), { once: true });
      const job = { id: `j${i}`, status: async () => (reads++, status(JobState.Queued, 0n, null)) };
      return waitForCompletion(job, new JobEvents(), checkWaitOptions({ signal: own.signal })).catch((e: unknown) => e);
    });
    await jest.advanceTimersByTimeAsync(2_000); // each wait reads once when it starts
    const atStart = reads;
    await jest.advanceTimersByTimeAsync(20_000); // the window bench:wine measures
    const inWindow = reads - atStart;
    abort.abort();
    await jest.advanceTimersByTimeAsync(2_000);
    await Promise.all(waits);
    expect(atStart).toBeGreaterThanOrEqual(1000);
    expect(inWindow / 20).toBeLessThanOrEqual(40);
    expect(PollPacer.activeWaits).toBe(0);
  }, 120_000);
});

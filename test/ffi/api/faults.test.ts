/**
 * The library's behaviour when the service answers late, never, or with a failure: faults injected
 * per method into the fake. Delays and hangs wait natively on the calling thread (a koffi worker),
 * so the main thread, its timers and the library's call timeout keep running.
 */
import { ServiceUnavailableError, HResultError } from '../../../src';
import { nativeCallsInFlight } from '../../../src/com';
import { nativeWaitsHere } from '../../support/native-wait-platforms';
import { connectFake } from '../../support/fake-env';

const RPC_E_TIMEOUT = 0x8001011f;
const E_ACCESSDENIED = 0x80070005;
const native = nativeWaitsHere ? describe : describe.skip;

native('hang and delay (native waits on the caller thread)', () => {
  test('a hung GetState: the call times out with RPC_E_TIMEOUT (ServiceUnavailableError) while the main thread stays free', async () => {
    // The library's call timeout is the only thing that ends the call. 1 s, not less: the bound
    // applies to every call of the manager, and CreateJob alone took over 150 ms on a loaded machine.
    // The hang ends by itself after 3 s, so that the test can see what happens once the call returns.
    const { fake, manager } = await connectFake({ faults: { 'IBackgroundCopyJob::GetState': { kind: 'hang', maxMs: 3_000 } } }, { callTimeoutMs: 1_000 });
    const job = await manager.createJob('hang');
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const started = Date.now();
    const error = await job.getState().then(
      () => null,
      (e: unknown) => e,
    );
    clearInterval(ticker);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as HResultError).hresult).toBe(RPC_E_TIMEOUT);
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(ticks).toBeGreaterThan(0); // the main thread ran timers during the hang
    // Other methods still answer; dispose() ends the hung call.
    expect(await job.getDisplayName()).toBe('hang');
    // The job is released only once the timed-out call has returned (a Release under a running call
    // would free what the call uses); dispose() does not wait for that.
    job.dispose();
    manager.dispose();
    while (nativeCallsInFlight() > 0) await new Promise((resolve) => setImmediate(resolve));
    await fake.settle();
    fake.assertBalanced();
  });

  test('a delayed call answers late but answers; only the Nth call is delayed', async () => {
    const { fake, manager } = await connectFake({ faults: { 'IBackgroundCopyJob::GetDisplayName': { kind: 'delay', ms: 120, nth: 2 } } });
    const job = await manager.createJob('late');
    const t0 = Date.now();
    expect(await job.getDisplayName()).toBe('late');
    const first = Date.now() - t0;
    const t1 = Date.now();
    const [name, priority] = await Promise.all([job.getDisplayName(), job.getPriority()]);
    const second = Date.now() - t1;
    expect(name).toBe('late');
    expect(priority).toBe(2);
    expect(second).toBeGreaterThanOrEqual(115);
    expect(first).toBeLessThan(second);
    job.dispose();
    manager.dispose();
    await fake.settle();
  });
});

describe('fail', () => {
  test('fail the Nth call only, with any HRESULT: the library types it', async () => {
    const { fake, manager } = await connectFake({ faults: { 'IBackgroundCopyJob::GetPriority': { kind: 'fail', hresult: E_ACCESSDENIED, nth: 2 } } });
    const job = await manager.createJob('nth');
    expect(await job.getPriority()).toBe(2);
    const error = await job.getPriority().then(
      () => null,
      (e: unknown) => e,
    );
    expect((error as HResultError).hresult).toBe(E_ACCESSDENIED);
    expect(await job.getPriority()).toBe(2);
    expect(fake.stats().calls.get('IBackgroundCopyJob::GetPriority')).toBe(3);
    job.dispose();
    manager.dispose();
    await fake.settle();
  });
});

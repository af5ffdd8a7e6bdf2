/**
 * IBitsTokenOptions through the library (`job.helperToken`), on the fake's native vtables: flags
 * set and read back, the token lent and cleared (its SID read back), bad flags refused before any
 * native call, the documented failures as typed errors that say what to do, and a service without
 * the interface (Wine) as NoInterfaceError.
 */
import { AccessDeniedError, BackgroundCopyManager, HelperTokenFlags, HResultError, JobState, NoInterfaceError, type BackgroundCopyJob } from '../../../src';
import { createFakeService, WINE_LIKE_OPTIONS, type FakeService, type FakeServiceOptions } from '../../../src/testing';

const OWNER = 'S-1-5-21-7-8-9-1001';
const E_ACCESSDENIED = 0x80070005;
const CO_E_FAILEDTOIMPERSONATE = 0x80010123;

async function withJob(options: FakeServiceOptions, fn: (job: BackgroundCopyJob, fake: FakeService) => Promise<void>): Promise<void> {
  const fake = createFakeService({ flavour: 'bits', owner: OWNER, ...options });
  const manager = await BackgroundCopyManager.connect({ service: fake });
  const job = await manager.createJob('helper token');
  try {
    await fn(job, fake);
  } finally {
    await job.cancel().catch(() => undefined);
    await job.close();
    manager.dispose();
  }
}

/** Calls that reached the fake's IBitsTokenOptions, per method. */
function tokenCalls(fake: FakeService): Record<string, number> {
  return Object.fromEntries([...fake.stats().calls].filter(([name]) => name.startsWith('IBitsTokenOptions::')).map(([name, n]) => [name.split('::')[1], n]));
}

test('flags: 0 by default, set and read back by name', async () => {
  await withJob({}, async (job) => {
    expect(await job.helperToken.getFlags()).toBe(0);
    await job.helperToken.setFlags(HelperTokenFlags.LocalFile | HelperTokenFlags.Network);
    expect(await job.helperToken.getFlags()).toBe(HelperTokenFlags.All);
    await job.helperToken.setFlags(HelperTokenFlags.Network);
    expect(await job.helperToken.getFlags()).toBe(2);
  });
});

test('the token: none at first, lent (its SID is the caller\'s), cleared; the flags stay', async () => {
  await withJob({}, async (job, fake) => {
    expect(await job.helperToken.getSid()).toBeNull();
    await job.helperToken.setFlags(HelperTokenFlags.LocalFile);
    await job.helperToken.set();
    expect(await job.helperToken.getSid()).toBe(OWNER);
    await job.helperToken.clear();
    expect(await job.helperToken.getSid()).toBeNull();
    expect(await job.helperToken.getFlags()).toBe(HelperTokenFlags.LocalFile);
    expect(tokenCalls(fake)).toEqual({ SetHelperTokenFlags: 1, SetHelperToken: 1, ClearHelperToken: 1, GetHelperTokenSid: 3, GetHelperTokenFlags: 1 });
  });
});

test.each([
  [4, 'RangeError'], [-1, 'RangeError'], [1.5, 'RangeError'], ['1', 'TypeError'], [null, 'TypeError'], [0x100000000, 'RangeError'],
])('flags %p are refused before any native call (%s)', async (flags, type) => {
  await withJob({}, async (job, fake) => {
    const error = await job.helperToken.setFlags(flags as number).catch((e: unknown) => e);
    expect((error as Error).constructor.name).toBe(type);
    expect(tokenCalls(fake)).toEqual({});
  });
});

test('not elevated (E_ACCESSDENIED): AccessDeniedError that says what to do', async () => {
  await withJob({ failures: { 'IBitsTokenOptions::SetHelperToken': E_ACCESSDENIED } }, async (job) => {
    const error = await job.helperToken.set().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect(error).toMatchObject({ code: 'E_ACCESSDENIED', operation: 'IBitsTokenOptions::SetHelperToken' });
    expect((error as Error).message).toMatch(/administrator's but this process is not elevated/);
    expect(await job.helperToken.getSid()).toBeNull();
  });
});

test('clearing refused (E_ACCESSDENIED): the message names who may clear it', async () => {
  await withJob({ failures: { 'IBitsTokenOptions::ClearHelperToken': E_ACCESSDENIED } }, async (job) => {
    const error = await job.helperToken.clear().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect((error as Error).message).toMatch(/only an administrator, or .* the job's owner/);
  });
});

test('no impersonation (CO_E_FAILEDTOIMPERSONATE): an HResultError naming the COM security setting', async () => {
  await withJob({ failures: { 'IBitsTokenOptions::SetHelperToken': CO_E_FAILEDTOIMPERSONATE } }, async (job) => {
    const error = await job.helperToken.set().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HResultError);
    expect(error).toMatchObject({ code: 'CO_E_FAILEDTOIMPERSONATE', hresult: CO_E_FAILEDTOIMPERSONATE });
    expect((error as Error).message).toMatch(/impersonat.*RPC_C_IMP_LEVEL_IMPERSONATE/);
  });
});

test('a cancelled job refuses a token (the service\'s own state code)', async () => {
  await withJob({}, async (job) => {
    await job.cancel();
    expect(await job.getState().catch(() => JobState.Cancelled)).toBe(JobState.Cancelled);
    await expect(job.helperToken.set()).rejects.toMatchObject({ code: 'BG_E_INVALID_STATE' });
  });
});

test('a service without IBitsTokenOptions (Wine): NoInterfaceError for every method, explained', async () => {
  await withJob({ ...WINE_LIKE_OPTIONS }, async (job, fake) => {
    for (const call of [() => job.helperToken.set(), () => job.helperToken.clear(), () => job.helperToken.getFlags(), () => job.helperToken.setFlags(1), () => job.helperToken.getSid()]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NoInterfaceError);
      expect((error as Error).message).toMatch(/no IBitsTokenOptions/);
    }
    expect(tokenCalls(fake)).toEqual({});
  });
});

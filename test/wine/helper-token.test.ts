/**
 * Helper tokens (IBitsTokenOptions, issue 22) against the real service. Wine 8's qmgr answers
 * QueryInterface for IBitsTokenOptions with E_NOINTERFACE (its job object knows Job…Job4 and
 * HttpOptions only): every `job.helperToken` method rejects with the explained NoInterfaceError
 * before any token call, the CLI's `set --helper-token` fails with that message and `show` reports
 * the rows as not reported. On Windows the interface is there (BITS 4.0, Windows 7+).
 */
import { BackgroundCopyManager, HelperTokenFlags, NoInterfaceError, type BackgroundCopyJob } from '../../src';
import { IBitsTokenOptions } from '../../src/bits';
import { run } from '../../src/cli/main';
import { JOB_PREFIX, E_NOINTERFACE, waitingForWindows, wineOnly } from './helpers';

let manager: BackgroundCopyManager;
let job: BackgroundCopyJob;
beforeAll(async () => {
  manager = await BackgroundCopyManager.connect({ service: 'bits' });
  job = await manager.createJob(`${JOB_PREFIX} helper token`);
});
afterAll(async () => {
  await job?.cancel().catch(() => undefined);
  job?.dispose();
  manager?.dispose();
});

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: { write: (s: string) => { stdout += s; return true; } },
    stderr: { write: (s: string) => { stderr += s; return true; } },
  });
  return { code, stdout, stderr };
}

wineOnly('Wine: every helperToken method is NoInterfaceError (E_NOINTERFACE), explained', async () => {
  const calls = { set: () => job.helperToken.set(), clear: () => job.helperToken.clear(), getFlags: () => job.helperToken.getFlags(),
    setFlags: () => job.helperToken.setFlags(HelperTokenFlags.Network), getSid: () => job.helperToken.getSid() };
  for (const [name, call] of Object.entries(calls)) {
    const error = await call().catch((e: unknown) => e);
    expect({ name, isNoInterface: error instanceof NoInterfaceError }).toEqual({ name, isNoInterface: true });
    expect({ name, hresult: (error as NoInterfaceError).hresult }).toEqual({ name, hresult: E_NOINTERFACE });
    expect((error as Error).message).toMatch(/no IBitsTokenOptions/);
  }
  expect(await job.answers(IBitsTokenOptions)).toBe(false);
}, 60_000);

wineOnly('Wine: the CLI says so (set --helper-token fails with the explanation; show: not reported)', async () => {
  const set = await cli(['set', job.id, '--bits', '--helper-token']);
  expect(set.code).not.toBe(0);
  expect(set.stderr).toMatch(/no IBitsTokenOptions/);
  const show = await cli(['show', job.id, '--bits', '--verbose']);
  expect(show.code).toBe(0);
  expect(show.stdout).toMatch(/^ {2}helper-token-flags +not reported$/m);
  expect(show.stdout).toMatch(/^ {2}helper-token-sid +not reported$/m);
}, 60_000);

waitingForWindows('helper token: flags round-trip, the token lent is this process\'s user, cleared', async () => {
  expect(await job.helperToken.getFlags()).toBe(0);
  await job.helperToken.setFlags(HelperTokenFlags.LocalFile);
  expect(await job.helperToken.getFlags()).toBe(HelperTokenFlags.LocalFile);
  await job.helperToken.set();
  expect(await job.helperToken.getSid()).toMatch(/^S-1-5-/);
  await job.helperToken.clear();
  expect(await job.helperToken.getSid()).toBeNull();
}, 60_000);

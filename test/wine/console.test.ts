/**
 * The CLI in a real terminal under Wine (issue 26, item 3): Ctrl-C typed into the console during
 * `download --bits`, a second Ctrl-C while the service is frozen, and the progress of
 * `--progress auto` on the screen. The CLI runs as its own node.exe inside tmux (terminal.ts): only
 * a console gives node.exe a Ctrl-C (testbed.md §7). Runs on every bed (x64, ia32 on WoW64, ia32 in
 * a 32-bit prefix): the CLI's node.exe is this process's, so it has this bed's architecture.
 *
 * Wine only (tmux drives Wine's console; real Windows has no pty). tmux is a Debian package that
 * .ci/run installs; where it is missing these tests are skipped, unless CI or REQUIRE_WINE=1 is set.
 * No timing is asserted: each step polls the screen for its text, with generous deadlines (the CLI
 * alone takes 10-20 s to start under ts-node and Wine on a loaded machine).
 */
import * as fs from 'fs';
import { JobState } from '../../src';
import { onWine, stateAfterCancel, useWineEnv } from './helpers';
import { freezeBits, thawBits } from './service-faults';
import { Terminal } from './terminal';
import { fromUnixPath } from './unix-shell';

const required = (Boolean(process.env.CI) && !['0', 'false'].includes(process.env.CI ?? '')) || process.env.REQUIRE_WINE === '1';
const hostHasTmux = onWine && ['/usr/bin/tmux', '/usr/local/bin/tmux', '/bin/tmux'].some((p) => fs.existsSync(fromUnixPath(p)));
/** Wine with tmux on the host (or required to have it: then a missing tmux fails, saying so). */
const inTerminal: jest.It = onWine && (hostHasTmux || required) ? test : test.skip;

const START_MS = 180_000;
const JOB_LINE = /^BITS job ([0-9a-f-]{36}):/m;
/** Progress with bytes moving (the bar's text): the job is transferring and the CLI follows it. */
const TRANSFERRING = /[\d.]+% \| [\d.]+ [KM]iB \/ [\d.]+ MiB \|.*\| TRANSFERRING$/m;
const INTERRUPTED = 'Interrupted (SIGINT): stopping (Ctrl-C again to quit at once)...';
const EXIT = /^\[exit \d+\]/m;

const env = useWineEnv();
let term: Terminal;

beforeAll(async () => {
  if (onWine && !hostHasTmux && required) throw new Error('tmux is missing on the host: apt-get install tmux (.ci/run installs it)');
  term = new Terminal('console');
});
afterAll(async () => {
  if (onWine && hostHasTmux) await term?.close();
});

/** A download that lasts minutes: 64 MiB at 160 KiB/s. */
const slowUrl = () => env.http.url('/slow/65536?ms=100&chunk=16&seed=26');

/** Starts `download --bits` of the slow URL in the terminal and waits until it is transferring. */
async function startSlowDownload(name: string): Promise<{ session: string; jobId: string }> {
  const session = await term.startCli(['download', slowUrl(), env.localPath(name), '--bits']);
  const screen = await term.waitFor(session, TRANSFERRING, START_MS);
  const jobId = JOB_LINE.exec(screen)?.[1];
  if (!jobId) throw new Error(`no job id on the screen:\n${screen}`);
  return { session, jobId };
}

/** The job is gone from the service, or still listed as CANCELLED (Wine drops cancelled jobs lazily). */
async function expectNoJobLeft(jobId: string): Promise<void> {
  const listed = (await env.manager.jobs()).filter((j) => j.id === jobId);
  const states = await Promise.all(listed.map((j) => j.getState()));
  listed.forEach((j) => j.dispose());
  expect(states.every((s) => s === JobState.Cancelled)).toBe(true);
  expect(['NOT_FOUND', JobState.Cancelled]).toContain(await stateAfterCancel(env.manager, jobId));
}

inTerminal('Ctrl-C during download --bits: "Interrupted (SIGINT)", the job is cancelled, exit 130, no job left', async () => {
  env.restartServiceAfterTest(); // a cancelled slow transfer can crash Wine's qmgr a moment later (helpers.ts)
  const { session, jobId } = await startSlowDownload('ctrl-c.bin');
  await term.sendKeys(session, 'C-c');
  const { code, screen } = await term.exit(session, 120_000);
  expect(screen).toContain(INTERRUPTED);
  expect(screen).toContain(`Cancelled job ${jobId}.`);
  expect(code).toBe(130);
  await expectNoJobLeft(jobId);
}, 420_000);

inTerminal('a second Ctrl-C quits at once (exit 130) while the first waits on a frozen service', async () => {
  env.restartServiceAfterTest();
  const { session, jobId } = await startSlowDownload('frozen.bin');
  let frozen = false;
  try {
    freezeBits();
    frozen = true;
    await term.sendKeys(session, 'C-c');
    const first = await term.waitFor(session, new RegExp(INTERRUPTED.replace(/[().]/g, '\\$&')), 60_000);
    // The first Ctrl-C's Cancel is stuck in the frozen service: the CLI is still running.
    expect(first).not.toMatch(EXIT);
    await term.sendKeys(session, 'C-c');
    const { code, screen } = await term.exit(session, 60_000);
    expect(code).toBe(130);
    expect(screen).not.toContain('Cancelled job');
  } finally {
    if (frozen) thawBits();
    // The CLI quit without cancelling: cancel its job here (afterEach then restarts the service).
    const job = await env.manager.getJob(jobId).catch(() => null);
    await job?.cancel().catch(() => undefined);
    job?.dispose();
  }
}, 420_000);

inTerminal('--progress auto draws the bar in the terminal, redrawn in place on one line', async () => {
  const dest = env.localPath('bar.bin');
  const session = await term.startCli(['download', env.http.url('/slow/2048?ms=50&chunk=64&seed=27'), dest, '--bits', '--progress', 'auto']);
  const { code, screen } = await term.exit(session, START_MS);
  expect(code).toBe(0);
  expect(screen).toMatch(/\u2588{30} +100% \| 2\.0 MiB \/ 2\.0 MiB .*TRANSFERRED/);
  // One line for all the frames (CONNECTING, TRANSFERRING …, TRANSFERRED): no frame left behind.
  expect(screen.split('\n').filter((l) => /% \| .* \| [A-Z]+$/.test(l.trimEnd()))).toHaveLength(1);
}, 420_000);

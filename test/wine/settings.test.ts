/**
 * Every job setting of `set` against Wine's BITS, read back with `show --json` (issue 21): the ones
 * Wine implements round-trip; Wine's stubs (S_OK, value ignored) and its E_NOTIMPL / E_NOINTERFACE
 * answers are asserted as Wine's own (testbed.md §4, methods.test.ts). Plus capabilities() and doctor.
 */
import { BackgroundCopyManager, type BackgroundCopyJob } from '../../src/api';
import { JobState } from '../../src/bits/enums';
import { run } from '../../src/cli/main';
import { JOB_PREFIX, onWine, wineOnly } from './helpers';

interface Captured { code: number; stdout: string; stderr: string }

async function cli(argv: string[]): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    pollIntervalMs: 50,
    env: { DOPT_PASSWORD: 'wine-pw-7' },
    stdout: { write: (s: string) => { stdout += s; return true; } },
    stderr: { write: (s: string) => { stderr += s; return true; } },
  });
  return { code, stdout, stderr };
}

let manager: BackgroundCopyManager;
beforeAll(async () => { manager = await BackgroundCopyManager.connect({ service: 'bits' }); });
afterAll(() => manager?.dispose());

/** `set <new job> …args`, then `show --json`: the exit code, stderr, and what show reads. */
async function setThenShow(args: readonly string[]): Promise<{ set: Captured; settings: Record<string, unknown>; job: Record<string, unknown> }> {
  const job: BackgroundCopyJob = await manager.createJob(`${JOB_PREFIX} settings`);
  try {
    const set = await cli(['set', job.id, '--bits', ...args]);
    const show = await cli(['show', job.id, '--bits', '--json']);
    expect(show.code).toBe(0);
    const doc = JSON.parse(show.stdout) as { settings: Record<string, unknown>; job: Record<string, unknown> };
    return { set, settings: doc.settings, job: doc.job };
  } finally {
    await job.cancel().catch(() => undefined);
    job.dispose();
  }
}

describe('settings Wine implements: set, then show --json reads them back', () => {
  test.each([
    [['--description', 'nightly build'], { description: 'nightly build' }],
    [['--security-flags', 'enable-crl-check,ignore-unknown-ca,redirect-disallow'], { securityFlags: { names: ['enable-crl-check', 'ignore-unknown-ca', 'redirect-disallow'], value: 0x209 } }],
    [['--security-flags', 'ignore-cert-cn-invalid,redirect-allow-report,allow-https-to-http'], { securityFlags: { names: ['ignore-cert-cn-invalid', 'allow-https-to-http', 'redirect-allow-report'], value: 0x902 } }],
    [['--header', 'X-One: 1', '--header', 'X-Two: secret-2'], { customHeaders: { names: ['X-One', 'X-Two'], writeOnly: false } }],
    [['--notify-flags', 'disable,job-modification'], { notifyFlags: { names: ['disable', 'job-modification'], value: 0xc } }],
  ] as const)('%j', async (args, reads) => {
    const r = await setThenShow(args);
    expect(r.set).toMatchObject({ code: 0, stderr: '' });
    expect(r.settings).toMatchObject(reads);
    expect(JSON.stringify(r)).not.toContain('secret-2');
  });

  test('--user (no reader in BITS: the service takes it) and --remove-credentials: exit 0, no password in any output', async () => {
    for (const args of [['--user', 'alice'], ['--remove-credentials', '--auth-scheme', 'ntlm']]) {
      const r = await setThenShow(args);
      expect(r.set.code).toBe(0);
      expect(JSON.stringify(r)).not.toContain('wine-pw-7');
    }
  });
});

describe("Wine's stubs: the setter answers S_OK, the reader does not give the value back", () => {
  wineOnly.each([
    [['--retry-delay', '10m'], { retryDelaySeconds: 30 }],
    [['--no-progress-timeout', '2h'], { noProgressTimeoutSeconds: 900 }],
    [['--acl-flags', 'owner,dacl'], { aclFlags: { names: [], value: 0 } }],
    [['--max-time', '1d'], { maxDownloadTimeSeconds: null }],
    [['--peer-caching', 'enable-client,disable-branch-cache'], { peerCaching: null }],
  ] as const)('%j', async (args, reads) => {
    const r = await setThenShow(args);
    expect(r.set).toMatchObject({ code: 0, stderr: '' });
    expect(r.settings).toMatchObject(reads);
  });

  wineOnly('--priority high: set, but GetPriority is E_NOTIMPL (show: null)', async () => {
    const r = await setThenShow(['--priority', 'high']);
    expect(r.set.code).toBe(0);
    expect(r.job.priority).toBeNull();
  });
});

describe("Wine's errors: exit 3 (not supported here) with Wine's HRESULT, and the setting unchanged", () => {
  const NO_JOB5 = /IBackgroundCopyJob::QueryInterface\(IBackgroundCopyJob5\) failed: E_NOINTERFACE \(0x80004002\)/;
  const NO_PROXY = /IBackgroundCopyJob::SetProxySettings failed: E_NOTIMPL \(0x80004001\)/;
  wineOnly.each([
    [['--transfer-policy', 'not-roaming'], NO_JOB5],
    [['--cost-flags', 'unrestricted,roaming'], NO_JOB5],
    [['--dynamic-content'], NO_JOB5],
    [['--high-performance'], NO_JOB5],
    [['--proxy-usage', 'no-proxy'], NO_PROXY],
    [['--proxy-usage', 'auto-detect'], NO_PROXY],
    [['--proxy', 'proxy.test:8080', '--proxy-bypass', '<local>'], NO_PROXY],
    [['--client-cert', 'MY', '--client-cert-hash', '0123456789abcdef0123456789abcdef01234567'], /IBackgroundCopyJobHttpOptions::SetClientCertificateByID failed: E_NOTIMPL/],
    [['--client-cert', 'MY', '--client-cert-subject', 'CN=me', '--client-cert-location', 'local-machine'], /IBackgroundCopyJobHttpOptions::SetClientCertificateByName failed: E_NOTIMPL/],
    [['--no-client-cert'], /IBackgroundCopyJobHttpOptions::RemoveClientCertificate failed: E_NOTIMPL/],
    [['--http-method', 'POST'], /QueryInterface\(IBackgroundCopyJobHttpOptions2\) failed: E_NOINTERFACE/],
    [['--header', 'X-A: 1', '--headers-write-only'], /QueryInterface\(IBackgroundCopyJobHttpOptions3\) failed: E_NOINTERFACE/],
    [['--notify-cmd', 'C:\\windows\\system32\\cmd.exe', '--notify-args', 'cmd.exe /c exit'], /IBackgroundCopyJob2::SetNotifyCmdLine failed: E_NOTIMPL/],
    [['--no-notify-cmd'], /IBackgroundCopyJob2::SetNotifyCmdLine failed: E_NOTIMPL/],
  ] as const)('%j', async (args, error) => {
    const r = await setThenShow(args);
    expect(r.set.code).toBe(3);
    expect(r.set.stderr).toMatch(error);
    // The readers of these settings are missing too: show says null, not a value.
    expect(r.settings).toMatchObject({ transferPolicy: null, costFlags: null, dynamicContent: null, proxy: null, clientCertificate: null, httpMethod: null, notifyCmdLine: null });
  });
});

test('an unknown flag name: exit 2 listing the valid ones, before the service is asked', async () => {
  const job = await manager.createJob(`${JOB_PREFIX} settings`);
  try {
    const r = await cli(['set', job.id, '--bits', '--description', 'x', '--security-flags', 'check-crl']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--security-flags: unknown flag "check-crl"; valid: enable-crl-check, ignore-cert-cn-invalid, /);
    const show = JSON.parse((await cli(['show', job.id, '--bits', '--json'])).stdout) as { settings: { description: string | null } };
    expect(show.settings.description).toBeNull();
  } finally {
    await job.cancel().catch(() => undefined);
    job.dispose();
  }
});

describe('capabilities', () => {
  wineOnly('Wine 8: Job4 but not Job5, HttpOptions but not 2 or 3, File2 but not File3; BITS 3.0; no IDO', async () => {
    const listIds = async (): Promise<Map<string, JobState>> => {
      const jobs = await manager.jobs();
      try {
        return new Map(await Promise.all(jobs.map(async (j) => [j.id, await j.getState()] as const)));
      } finally {
        for (const j of jobs) j.dispose();
      }
    };
    const before = await listIds();
    const caps = await manager.capabilities();
    expect(caps).toEqual({
      job: {
        IBackgroundCopyJob: true, IBackgroundCopyJob2: true, IBackgroundCopyJob3: true, IBackgroundCopyJob4: true, IBackgroundCopyJob5: false,
        IBackgroundCopyJobHttpOptions: true, IBackgroundCopyJobHttpOptions2: false, IBackgroundCopyJobHttpOptions3: false,
      },
      file: {
        IBackgroundCopyFile: true, IBackgroundCopyFile2: true, IBackgroundCopyFile3: false, IBackgroundCopyFile4: false,
        IBackgroundCopyFile5: false, IBackgroundCopyFile6: false,
      },
      bitsVersion: '3.0',
      ido: false,
      windowsBuild: expect.any(Number),
    });
    // The probe job is cancelled (Wine lists cancelled jobs a while longer).
    const added = [...(await listIds())].filter(([id]) => !before.has(id)).map(([, state]) => state);
    expect(added.every((state) => state === JobState.Cancelled)).toBe(true);
  });

  test('doctor --json: BITS has its capabilities, Delivery Optimization (not registered) has none', async () => {
    const r = await cli(['doctor', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { services: Record<string, { ok: boolean; capabilities: { job: Record<string, boolean>; bitsVersion: string } | null }> };
    expect(doc.services.bits.capabilities?.job.IBackgroundCopyJob).toBe(true);
    expect(doc.services.bits.capabilities?.bitsVersion).toMatch(/^\d+\.\d+$/);
    if (onWine) expect(doc.services['delivery-optimization']).toMatchObject({ ok: false, capabilities: null });
  });
});

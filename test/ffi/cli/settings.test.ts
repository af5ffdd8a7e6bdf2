/**
 * Every job setting round-trips through the CLI on the fake: `set` by name, then `show --json`
 * (and `show --verbose`) reads each back by name. Flag names come from the API's enums.
 */
import { FLAG_FAMILIES, flagNamesOf } from '../../../src/cli/flags';
import { cli, fakeWithJob, json, type FakeFixture } from '../../unit/cli/helpers';

let f: FakeFixture;
let id: string;
beforeEach(async () => {
  const made = await fakeWithJob('settings');
  f = made;
  id = made.id;
});
afterEach(async () => {
  await f.done();
});

const HASH = '0123456789abcdef0123456789abcdef01234567';
const show = async (): Promise<Record<string, unknown>> => {
  const r = await cli(['show', id, '--bits', '--json'], { connect: f.connect });
  expect(r.code).toBe(0);
  return json(r).settings as Record<string, unknown>;
};
const set = async (...args: string[]) => {
  const r = await cli(['set', id, '--bits', ...args], { connect: f.connect, env: { DOPT_PASSWORD: 's3cret-pw' } });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r;
};

test('set then show --json: every setting, flags by name', async () => {
  const r = await set(
    '--priority', 'high', '--description', 'nightly build', '--transfer-policy', 'not-roaming', '--proxy-usage', 'no-proxy',
    '--security-flags', 'enable-crl-check,ignore-unknown-ca,redirect-disallow', '--client-cert', 'MY', '--client-cert-location', 'local-machine',
    '--client-cert-hash', HASH, '--http-method', 'post', '--header', 'X-Token: tok-value-9', '--header', 'X-Other: 2', '--dynamic-content', '--high-performance',
    '--acl-flags', 'owner,dacl', '--peer-caching', 'enable-client,disable-branch-cache', '--notify-flags', 'job-transferred,job-error',
    '--notify-cmd', 'C:\\tools\\notify.exe', '--notify-args', 'notify.exe --done', '--retry-delay', '10m', '--no-progress-timeout', '2h', '--max-time', '1d',
  );
  expect(r.stdout).not.toContain('tok-value-9');
  const s = await show();
  expect(s).toMatchObject({
    type: 'DOWNLOAD', description: 'nightly build', retryDelaySeconds: 600, noProgressTimeoutSeconds: 7200, maxDownloadTimeSeconds: 86400,
    proxy: { usage: 'no-proxy', proxyList: null, bypassList: null },
    transferPolicy: 'not-roaming', costFlags: { value: 0x8000007f },
    dynamicContent: true, highPerformance: true,
    securityFlags: { names: ['enable-crl-check', 'ignore-unknown-ca', 'redirect-disallow'], value: 0x209 },
    clientCertificate: { location: 'local-machine', storeName: 'MY', sha1Hash: HASH, subjectName: null },
    httpMethod: 'POST', customHeaders: { names: ['X-Token', 'X-Other'], writeOnly: false },
    aclFlags: { names: ['owner', 'dacl'], value: 5 },
    peerCaching: { names: ['enable-client', 'disable-branch-cache'], value: 5 },
    notifyFlags: { names: ['job-transferred', 'job-error'], value: 3 },
    notifyCmdLine: { program: 'C:\\tools\\notify.exe', parameters: 'notify.exe --done' },
  });
  const doc = await cli(['show', id, '--bits', '--json'], { connect: f.connect });
  expect(doc.stdout).not.toContain('tok-value-9');
  expect((json(doc).job as Record<string, unknown>).priority).toBe('high');
});

test('the other forms: cost flags, subject, proxy override and auto-detect, removals, write-only headers, credentials', async () => {
  await set('--cost-flags', 'unrestricted,below-cap,ignore-congestion', '--client-cert', 'MY', '--client-cert-subject', 'CN=me', '--proxy', 'p:8080', '--proxy-bypass', '<local>');
  let s = await show();
  expect(s).toMatchObject({
    transferPolicy: null, costFlags: { names: ['unrestricted', 'below-cap', 'ignore-congestion'] },
    clientCertificate: { location: 'current-user', storeName: 'MY', sha1Hash: null, subjectName: 'CN=me' },
    proxy: { usage: 'override', proxyList: 'p:8080', bypassList: '<local>' },
  });
  await set('--proxy-usage', 'auto-detect', '--no-client-cert', '--notify-cmd', 'a.exe', '--no-dynamic-content', '--security-flags', 'none');
  await set('--no-notify-cmd', '--header', 'Authorization: Bearer t0ken', '--headers-write-only', '--user', 'alice');
  expect(f.fake.jobs()[0].credentials).toEqual([expect.objectContaining({ userName: 'alice', password: 's3cret-pw' })]);
  s = await show();
  expect(s).toMatchObject({
    proxy: { usage: 'auto-detect' }, clientCertificate: null, dynamicContent: false,
    securityFlags: { names: ['redirect-allow-silent'], value: 0 },
    notifyCmdLine: { program: null, parameters: null }, customHeaders: { names: [], writeOnly: true },
  });
  await set('--remove-credentials', '--auth-scheme', 'basic');
  expect(f.fake.jobs()[0].credentials).toEqual([]);
  const text = await cli(['show', id, '--bits', '--verbose'], { connect: f.connect });
  expect(text.stdout).toMatch(/^Settings$/m);
  expect(text.stdout).toMatch(/^ {2}proxy-usage +auto-detect$/m);
  expect(text.stdout).toMatch(/^ {2}headers +write-only \(not readable\)$/m);
  expect(text.stdout).not.toMatch(/t0ken|s3cret/);
});

test.each([
  ['--security-flags', 'enable-crl-check,check-crl', 'security'],
  ['--acl-flags', 'owner,everything', 'acl'],
  ['--notify-flags', 'jobtransferred', 'notify'],
  ['--peer-caching', 'client', 'peerCaching'],
  ['--cost-flags', 'cheap', 'cost'],
] as const)('%s %s: exit 2 listing the valid names, nothing set', async (option, value, family) => {
  const r = await cli(['set', id, '--bits', '--description', 'unchanged?', option, value], { connect: f.connect });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`${option}: unknown flag`);
  expect(r.stderr).toContain(`valid: ${flagNamesOf(FLAG_FAMILIES[family]).join(', ')}`);
  expect(f.fake.jobs()[0].description).toBeNull();
});

test('two redirect policies, a bad hash, --client-cert without a choice: exit 2', async () => {
  for (const args of [
    ['--security-flags', 'redirect-allow-report,redirect-disallow'],
    ['--client-cert', 'MY', '--client-cert-hash', 'abc'],
    ['--client-cert', 'MY'],
    ['--client-cert-subject', 'CN=x'],
    ['--transfer-policy', 'always', '--cost-flags', 'roaming'],
    ['--proxy-usage', 'override'],
    ['--proxy', 'p:1', '--proxy-usage', 'no-proxy'],
    ['--notify-args', 'x'],
  ]) {
    const r = await cli(['set', id, '--bits', ...args], { connect: f.connect });
    expect([args, r.code]).toEqual([args, 2]);
  }
});

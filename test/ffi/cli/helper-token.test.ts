/**
 * Helper tokens from the command line, on the fake: `set --helper-token-flags <names> --helper-token`
 * then `show` reads the flags by name and the SID back; `--no-helper-token` discards the token;
 * a bad flag name is a usage error before the service; a service without IBitsTokenOptions (Wine)
 * fails the set with the explained NoInterfaceError and `show` reports the rows as not reported.
 */
import { WINE_LIKE_OPTIONS, type FakeServiceOptions } from '../../../src/testing';
import { cli, fakeWithJob, json, type FakeFixture } from '../../unit/cli/helpers';

const OWNER = 'S-1-5-21-4-5-6-1001';
let f: FakeFixture;
let id: string;

async function start(options: FakeServiceOptions): Promise<void> {
  const made = await fakeWithJob('helper token', { owner: OWNER, ...options });
  f = made;
  id = made.id;
}
afterEach(async () => {
  await f.done();
});

const tokenCalls = () => [...f.fake.stats().calls].filter(([name]) => name.startsWith('IBitsTokenOptions::')).reduce((n, [, c]) => n + c, 0);
const show = async () => json(await cli(['show', id, '--bits', '--json'], { connect: f.connect })).settings as Record<string, unknown>;

test('set --helper-token-flags … --helper-token, show reads both back; --no-helper-token discards the token, the flags stay', async () => {
  await start({});
  expect(await show()).toMatchObject({ helperToken: { flags: { names: [], value: 0 }, sid: null } });
  const r = await cli(['set', id, '--bits', '--helper-token-flags', 'local-file,network', '--helper-token'], { connect: f.connect });
  expect(r).toMatchObject({ code: 0, stderr: '' });
  expect(await show()).toMatchObject({ helperToken: { flags: { names: ['local-file', 'network'], value: 3 }, sid: OWNER } });
  const text = await cli(['show', id, '--bits', '--verbose'], { connect: f.connect });
  expect(text.stdout).toMatch(/^ {2}helper-token-flags +local-file,network$/m);
  expect(text.stdout).toMatch(new RegExp(`^ {2}helper-token-sid +${OWNER}$`, 'm'));
  expect((await cli(['set', id, '--bits', '--no-helper-token'], { connect: f.connect })).code).toBe(0);
  expect(await show()).toMatchObject({ helperToken: { flags: { names: ['local-file', 'network'] }, sid: null } });
});

test('an unknown flag name: exit 2 listing local-file and network, nothing reaches IBitsTokenOptions', async () => {
  await start({});
  const r = await cli(['set', id, '--bits', '--helper-token-flags', 'local-file,everything', '--helper-token'], { connect: f.connect });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--helper-token-flags: unknown flag');
  expect(r.stderr).toContain('valid: local-file, network');
  expect(tokenCalls()).toBe(0);
});

test('a service without IBitsTokenOptions (Wine-like): set fails with the explanation, show says not reported', async () => {
  await start({ ...WINE_LIKE_OPTIONS });
  const r = await cli(['set', id, '--bits', '--helper-token'], { connect: f.connect });
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/no IBitsTokenOptions/);
  expect(await show()).toMatchObject({ helperToken: null });
  const text = await cli(['show', id, '--bits', '--verbose'], { connect: f.connect });
  expect(text.stdout).toMatch(/^ {2}helper-token-flags +not reported$/m);
});

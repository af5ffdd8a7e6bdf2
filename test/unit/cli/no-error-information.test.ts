/**
 * Issue 26: `download` of a job that ends in ERROR without an error object (Wine's BITS for an
 * untrusted certificate) prints what the library read of the job and, for https, where to trust
 * the certificate's CA; before, only "The service gave no error information".
 */
import { cli, fakeFixture, json, type FakeFixture } from './helpers';

const URL_WITH_TOKEN = 'https://untrusted.test/setup.exe?token=abc123';

let f: FakeFixture;
beforeEach(() => {
  f = fakeFixture({ script: { [URL_WITH_TOKEN]: { kind: 'fail', hresult: 0x80072f0d, withErrorObject: false } } });
});
afterEach(async () => {
  await f.done();
});

test('the human output adds the files, the bytes and the https hint; the token stays hidden', async () => {
  const target = f.file('setup.exe');
  const r = await cli(['download', URL_WITH_TOKEN, target, '--bits', '--progress=none'], { connect: f.connect });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/JobError: none\. The service gave no error information/);
  expect(r.stderr).toContain(`https://untrusted.test/setup.exe?token=*** -> ${target} (0 of ? bytes)`);
  expect(r.stderr).toMatch(/The URL is https: .*Trusted Root Certification Authorities store/);
  expect(r.stderr).not.toContain('abc123');
});

test('--json: error.message carries the same facts', async () => {
  const target = f.file('setup-json.exe');
  const doc = json(await cli(['download', URL_WITH_TOKEN, target, '--bits', '--json'], { connect: f.connect }));
  expect(doc.ok).toBe(false);
  expect(doc.error).toMatchObject({ name: 'JobFailedError', state: 'ERROR', jobError: null });
  const { message } = doc.error as { message: string };
  expect(message).toContain(`-> ${target} (0 of ? bytes)`);
  expect(message).toContain('The URL is https');
  expect(JSON.stringify(doc)).not.toContain('abc123');
});

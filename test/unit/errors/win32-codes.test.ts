/** The Win32 / WinHTTP / WinINet codes BITS and DO users meet most, and `explain` by name (issue 9 #4). */
import { describeHResult, explainHResult, HResultError, lookupHResultByName } from '../../../src/errors';
import { setSystemMessageSource } from '../../../src/diagnostics';
import { cli, json } from '../cli/helpers';

test.each([
  [0x800704dd, 'ERROR_NOT_LOGGED_ON', /interactive/],
  [0x80072ee7, 'ERROR_WINHTTP_NAME_NOT_RESOLVED', /DNS/],
  [0x80072efd, 'ERROR_WINHTTP_CANNOT_CONNECT', /port|firewall|proxy/],
  [0x80072ee2, 'ERROR_WINHTTP_TIMEOUT', /did not answer in time/],
  [0x80072efe, 'ERROR_WINHTTP_CONNECTION_ERROR', /reset or closed/],
  [0x80070002, 'ERROR_FILE_NOT_FOUND', /not found/],
  [0x80070070, 'ERROR_DISK_FULL', /Free space/],
  [0x8007052e, 'ERROR_LOGON_FAILURE', /user name or password/],
])('0x%s is known as %s with a message saying what to check (before: "unknown")', (hr, name, text) => {
  const d = describeHResult(hr);
  expect(d).toMatchObject({ known: true, name, family: 'WIN32' });
  expect(d.message).toMatch(text);
  expect(new HResultError(hr).code).toBe(name);
});

test('WinINet names are aliases of the same numbers', () => {
  expect(lookupHResultByName('ERROR_INTERNET_NAME_NOT_RESOLVED')?.hresult).toBe(0x80072ee7);
  expect(lookupHResultByName('ERROR_INTERNET_TIMEOUT')?.hresult).toBe(0x80072ee2);
  expect(lookupHResultByName('ERROR_ACCESS_DENIED')?.name).toBe('E_ACCESSDENIED');
});

test('`explain ERROR_NOT_LOGGED_ON` takes the name (before: usage error)', async () => {
  const r = await cli(['explain', 'ERROR_NOT_LOGGED_ON']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('0x800704DD');
  const alias = json(await cli(['explain', 'error_internet_cannot_connect', '--json']));
  expect(alias).toMatchObject({ hex: '0x80072EFD', code: 'ERROR_WINHTTP_CANNOT_CONNECT', readAs: null });
});

test('`explain 12345678` says it read hex and what the decimal reading would be (before: silent)', async () => {
  const r = await cli(['explain', '12345678']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('0x12345678');
  expect(r.stdout).toMatch(/12345678 was read as hex \(0x12345678\); as decimal it would be 0x00BC614E/);
  const doc = json(await cli(['explain', '2161127426', '--json']));
  expect(doc.hex).toBe('0x80D03002');
  expect(doc.readAs).toBeNull(); // ten digits: only decimal fits
  const d404 = json(await cli(['explain', '404', '--json']));
  expect(d404.readAs).toMatch(/read as decimal \(0x00000194\); as hex it would be 0x00000404/);
});

describe('codes outside the tables take Windows\' own text when a source is installed', () => {
  afterEach(() => setSystemMessageSource(null));

  test('an unknown Win32 code uses the system text; known codes keep ours; HTTP statuses are not asked', () => {
    const asked: number[] = [];
    setSystemMessageSource((hr) => {
      asked.push(hr);
      return 'Incorrect function.';
    });
    expect(explainHResult(0x80070001).message).toBe("Incorrect function. (Windows' text; the code is not in our tables.)");
    expect(describeHResult(0x80070002).message).not.toContain('Incorrect function');
    describeHResult(0x801901a0);
    expect(asked).toEqual([0x80070001]);
  });

  test('a source that throws or has nothing falls back to our generic text', () => {
    setSystemMessageSource(() => {
      throw new Error('no kernel32');
    });
    expect(describeHResult(0x80070001).message).toContain('Windows error 1');
    setSystemMessageSource(() => null);
    expect(describeHResult(0x80070001).message).toContain('Windows error 1');
  });
});

test('issue 20: a host name that does not resolve is transient, as cannot-connect and timeout are (BITS: TRANSIENT_ERROR); `explain 0x80072EE7` says so', async () => {
  for (const hr of [0x80072ee7, 0x80072efd, 0x80072ee2]) expect({ hr, transient: describeHResult(hr).isTransient }).toEqual({ hr, transient: true });
  expect(new HResultError(0x80072ee7).isTransient).toBe(true);
  expect(lookupHResultByName('ERROR_INTERNET_NAME_NOT_RESOLVED')?.isTransient).toBe(true);
  expect(explainHResult(0x80072ee7).isTransient).toBe(true);
  const r = await cli(['explain', '0x80072EE7']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/transient +yes/);
});

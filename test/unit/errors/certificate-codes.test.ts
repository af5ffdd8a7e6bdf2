/**
 * Issue 26: the server-certificate codes (winhttp.h, as HRESULT_FROM_WIN32), a typed class for
 * them, and messages that say what to fix and which BG_SSL_IGNORE_* flag would accept the
 * certificate anyway, with its risk.
 */
import { HResultError, lookupHResult, SecurityFlags, ServerCertificateError } from '../../../src';

/** winhttp.h: ERROR_WINHTTP_* = 12000 + n; HRESULT_FROM_WIN32 = 0x80070000 | code. */
const fromWin32 = (code: number): number => (0x80070000 | code) >>> 0;

const CASES: ReadonlyArray<readonly [name: string, win32: number, flag: SecurityFlags | null, fix: RegExp]> = [
  ['ERROR_WINHTTP_SECURE_FAILURE', 12175, null, /Trusted Root Certification Authorities/],
  ['ERROR_WINHTTP_SECURE_INVALID_CA', 12045, SecurityFlags.IgnoreUnknownCa, /local machine's Trusted Root Certification Authorities store/],
  ['ERROR_WINHTTP_SECURE_CERT_CN_INVALID', 12038, SecurityFlags.IgnoreCertCnInvalid, /Use the host name the certificate names/],
  ['ERROR_WINHTTP_SECURE_CERT_DATE_INVALID', 12037, SecurityFlags.IgnoreCertDateInvalid, /clock/],
  ['ERROR_WINHTTP_SECURE_CERT_WRONG_USAGE', 12179, SecurityFlags.IgnoreCertWrongUsage, /server-authentication certificate/],
  ['ERROR_WINHTTP_SECURE_CERT_REV_FAILED', 12057, null, /CRL distribution point/],
  ['ERROR_WINHTTP_SECURE_CERT_REVOKED', 12170, null, /revoked/],
  ['ERROR_WINHTTP_SECURE_INVALID_CERT', 12169, null, /replaced/],
  ['ERROR_WINHTTP_SECURE_FAILURE_PROXY', 12188, null, /proxy's CA/],
];

describe.each(CASES)('%s', (name, win32, flag, fix) => {
  const hr = fromWin32(win32);

  test(`is 0x${hr.toString(16).toUpperCase()} (winhttp.h ${win32}) in the table`, () => {
    expect(lookupHResult(hr)?.name).toBe(name);
  });

  test('HResultError.from gives a ServerCertificateError with the flag that ignores it', () => {
    const error = HResultError.from(hr);
    expect(error).toBeInstanceOf(ServerCertificateError);
    expect(error.code).toBe(name);
    expect((error as ServerCertificateError).ignoreFlag).toBe(flag);
  });

  test('the message says what to fix, and names the flag and its risk where one exists', () => {
    const { message } = HResultError.from(hr);
    expect(message).toMatch(fix);
    if (flag === null) return;
    const flagName = SecurityFlags[flag];
    expect(message).toContain(`SecurityFlags.${flagName}`);
    expect(message).toMatch(/at a risk: /);
  });
});

test('DO_E_HTTP_CERT_VALIDATION is a ServerCertificateError too, and says where to trust a private CA', () => {
  const error = HResultError.from(0x80d05002);
  expect(error).toBeInstanceOf(ServerCertificateError);
  expect(error.message).toMatch(/Trusted Root Certification Authorities store/);
  expect((error as ServerCertificateError).ignoreFlag).toBeNull();
});

test('a TLS channel failure is not a certificate failure (no flag changes it)', () => {
  const error = HResultError.from(fromWin32(12157));
  expect(error.code).toBe('ERROR_WINHTTP_SECURE_CHANNEL_ERROR');
  expect(error).not.toBeInstanceOf(ServerCertificateError);
  expect(error.message).toMatch(/TLS 1\.2/);
});

test('new ServerCertificateError() is ERROR_WINHTTP_SECURE_FAILURE', () => {
  expect(new ServerCertificateError()).toMatchObject({ code: 'ERROR_WINHTTP_SECURE_FAILURE', hresult: 0x80072f8f, ignoreFlag: null, name: 'ServerCertificateError' });
});

import abiReference from '../../abi/abi-reference.json';
import { facilityOf, failed, formatHResult } from '../../../src/com/hresult';
import {
  AccessDeniedError,
  CODES,
  ClassNotRegisteredError,
  type CodeFamily,
  EmptyJobError,
  ErrorInformationUnavailableError,
  FACILITY_NAMES,
  HResultError,
  HttpError,
  InvalidArgumentError,
  InvalidStateError,
  JobNotFoundError,
  NoInterfaceError,
  NotImplementedError,
  OutOfMemoryError,
  ServerCertificateError,
  ServiceUnavailableError,
  describeHResult,
  facilityName,
  isTransientHResult,
  lookupHResult,
  lookupHResultByName,
  PropertyNotSetError,
  ReadOnlyPropertyError,
  UnknownPropertyError,
  WriteOnlyPropertyError,
} from '../../../src/errors';
import { SPOT_VALUES } from './spot-values';

/** Expected class per code name, written independently of ERROR_CLASS_CODES. */
const EXPECTED_CLASS: ReadonlyMap<string, typeof HResultError> = new Map<string, typeof HResultError>([
  ['BG_E_ERROR_INFORMATION_UNAVAILABLE', ErrorInformationUnavailableError],
  ['DO_E_ERROR_INFORMATION_UNAVAILABLE', ErrorInformationUnavailableError],
  ['E_NOTIMPL', NotImplementedError],
  ['E_NOINTERFACE', NoInterfaceError],
  ['E_INVALIDARG', InvalidArgumentError],
  ['E_ACCESSDENIED', AccessDeniedError],
  ['RPC_E_ACCESS_DENIED', AccessDeniedError],
  ['BG_E_INVALID_STATE', InvalidStateError],
  ['DO_E_INVALID_STATE', InvalidStateError],
  ['E_NOT_VALID_STATE', InvalidStateError],
  ['BG_E_NOT_FOUND', JobNotFoundError],
  ['DO_E_JOB_NOT_FOUND', JobNotFoundError],
  ['BG_E_EMPTY', EmptyJobError],
  ['DO_E_JOB_EMPTY', EmptyJobError],
  ['REGDB_E_CLASSNOTREG', ClassNotRegisteredError],
  ['E_OUTOFMEMORY', OutOfMemoryError],
  ['DO_E_UNKNOWN_PROPERTY_ID', UnknownPropertyError],
  ['BG_E_UNKNOWN_PROPERTY_ID', UnknownPropertyError],
  ['DO_E_READ_ONLY_PROPERTY', ReadOnlyPropertyError],
  ['BG_E_READ_ONLY_PROPERTY', ReadOnlyPropertyError],
  ['DO_E_WRITE_ONLY_PROPERTY', WriteOnlyPropertyError],
  ['E_NOT_SET', PropertyNotSetError],
  ...[
    'RPC_S_SERVER_UNAVAILABLE',
    'RPC_S_SERVER_TOO_BUSY',
    'RPC_E_DISCONNECTED',
    'RPC_E_SERVER_DIED',
    'RPC_E_SERVER_DIED_DNE',
    'RPC_S_CALL_FAILED',
    'RPC_S_CALL_FAILED_DNE',
    'RPC_S_UNKNOWN_IF',
    'RPC_E_TIMEOUT',
    'CO_E_OBJNOTCONNECTED',
    'CO_E_SERVER_STOPPING',
    'ERROR_SERVICE_DISABLED',
    'CO_E_SERVER_EXEC_FAILURE',
  ].map((name) => [name, ServiceUnavailableError] as [string, typeof HResultError]),
  ...[
    'ERROR_WINHTTP_SECURE_FAILURE',
    'ERROR_WINHTTP_SECURE_INVALID_CA',
    'ERROR_WINHTTP_SECURE_CERT_CN_INVALID',
    'ERROR_WINHTTP_SECURE_CERT_DATE_INVALID',
    'ERROR_WINHTTP_SECURE_CERT_WRONG_USAGE',
    'ERROR_WINHTTP_SECURE_CERT_REV_FAILED',
    'ERROR_WINHTTP_SECURE_CERT_REVOKED',
    'ERROR_WINHTTP_SECURE_INVALID_CERT',
    'ERROR_WINHTTP_SECURE_FAILURE_PROXY',
    'DO_E_HTTP_CERT_VALIDATION',
  ].map((name) => [name, ServerCertificateError] as [string, typeof HResultError]),
]);

const FAMILY_FACILITY: Readonly<Record<'DO' | 'BITS' | 'HTTP', number>> = { DO: 208, BITS: 32, HTTP: 25 };

function expectedClass(name: string, hr: number): typeof HResultError {
  return EXPECTED_CLASS.get(name) ?? (failed(hr) && facilityOf(hr) === 25 ? HttpError : HResultError);
}

describe('the code table', () => {
  it('has every DO_E code of SDK 26100 (the ABI reference), 91 BITS non-HTTP codes and 41 HTTP codes', () => {
    const count = (f: CodeFamily): number => CODES.filter((c) => c.family === f).length;
    const sdk = abiReference.hresults.filter((r) => r.name.startsWith('DO_E_')).length;
    expect(sdk).toBe(82);
    expect(count('DO')).toBe(sdk);
    expect(CODES.filter((c) => c.name.startsWith('DO_E_'))).toHaveLength(sdk);
    expect(count('BITS')).toBe(91);
    expect(CODES.filter((c) => c.family === 'BITS' && c.name.startsWith('BG_S_'))).toHaveLength(5);
    expect(count('HTTP')).toBe(41);
    expect(CODES.filter((c) => /^BG_E_HTTP_ERROR_\d{3}$/.test(c.name))).toHaveLength(41);
  });

  it('has unique names and unique values', () => {
    expect(new Set(CODES.map((c) => c.name)).size).toBe(CODES.length);
    expect(new Set(CODES.map((c) => c.hresult)).size).toBe(CODES.length);
  });

  it.each(CODES.map((c) => [c.name, c] as const))('%s is consistent', (name, c) => {
    expect(Number.isInteger(c.hresult) && c.hresult >= 0 && c.hresult < 2 ** 32).toBe(true);
    expect(lookupHResult(c.hresult)).toBe(c);
    expect(lookupHResult(c.hresult | 0)).toBe(c); // signed form, as koffi returns it
    expect(lookupHResultByName(name)).toBe(c);
    expect(c.message.length).toBeGreaterThan(10);
    expect(c.message).toMatch(/[.)]$/);
    if (c.family === 'DO' || c.family === 'BITS' || c.family === 'HTTP') {
      expect(facilityOf(c.hresult)).toBe(FAMILY_FACILITY[c.family]);
    }
    if (c.family === 'HTTP') {
      expect(c.hresult).toBe(0x80190000 + Number(name.slice('BG_E_HTTP_ERROR_'.length)));
    }
    const isSuccessName = name.startsWith('BG_S_') || name === 'S_OK' || name === 'S_FALSE';
    expect(failed(c.hresult)).toBe(!isSuccessName);
    expect(c.isTransient).toBe(isTransientHResult(c.hresult));

    const err = HResultError.from(c.hresult);
    expect(err.code).toBe(name);
    expect(err.hresult).toBe(c.hresult);
    expect(err.constructor).toBe(expectedClass(name, c.hresult));
    expect(err).toBeInstanceOf(HResultError);
    if (err instanceof ClassNotRegisteredError) expect(err.message).toContain('Windows 10 version 1709');
    else expect(err.message).toBe(`${name} (${formatHResult(c.hresult)}): ${c.message}`);
    expect(err.isTransient).toBe(c.isTransient);
  });
});

describe('spot values copied from the spec', () => {
  it('lists at least 30 values', () => {
    expect(SPOT_VALUES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(SPOT_VALUES.map(([hr, name, cls]) => [formatHResult(hr), hr, name, cls] as const))(
    '%s is %s',
    (_hex, hr, name, cls) => {
      expect(lookupHResult(hr)?.name).toBe(name);
      const err = HResultError.from(hr);
      expect(err.code).toBe(name);
      expect(err.name).toBe(cls);
      expect(err.constructor.name).toBe(cls);
      expect(HResultError.from(hr | 0).code).toBe(name);
    },
  );

  it('reads the signed form koffi returns', () => {
    expect(HResultError.from(-2133843965).code).toBe('DO_E_JOB_NOT_FOUND');
    expect(HResultError.from(-2133839870).code).toBe('DO_E_NO_DOWNLOAD_EXTSETTINGS');
  });

  it('gives HTTP errors their status', () => {
    const err = HResultError.from(0x80190194);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(404);
  });
});

describe('transient rule', () => {
  it('follows IS_DO_TRANSIENT_ERROR for every DO code', () => {
    for (const c of CODES.filter((x) => x.family === 'DO')) {
      expect(c.isTransient).toBe(c.hresult >= 0x80d03800 && c.hresult <= 0x80d03fff);
    }
    expect(isTransientHResult(0x80d03fff)).toBe(true);
    expect(isTransientHResult(0x80d04000)).toBe(false);
    expect(isTransientHResult(0x00d03801)).toBe(false); // success bit pattern: never transient
  });

  it('marks the BITS pauses and the service-gone codes', () => {
    const transient = [
      'BG_E_NETWORK_DISCONNECTED',
      'BG_E_BLOCKED_BY_POLICY',
      'BG_E_BLOCKED_BY_COST_TRANSFER_POLICY',
      'BG_E_BLOCKED_BY_BATTERY_POLICY',
      'BG_E_BLOCKED_BY_BATTERY_SAVER',
      'BG_E_BLOCKED_BY_BACKGROUND_ACCESS_POLICY',
      'BG_E_BLOCKED_BY_GAME_MODE',
      'BG_E_BLOCKED_BY_SYSTEM_POLICY',
      'BG_E_STANDBY_MODE',
      'RPC_S_SERVER_UNAVAILABLE',
      'RPC_E_DISCONNECTED',
      'RPC_E_SERVER_DIED',
      'RPC_S_CALL_FAILED_DNE',
    ];
    for (const name of transient) expect(lookupHResultByName(name)?.isTransient).toBe(true);
    for (const name of ['BG_E_NOT_FOUND', 'E_ACCESSDENIED', 'DO_E_NO_DOWNLOAD_EXTSETTINGS', 'ERROR_SERVICE_DISABLED', 'S_OK']) {
      expect(lookupHResultByName(name)?.isTransient).toBe(false);
    }
  });

  it('marks HTTP 408/429/500/502/503/504, known to bitsmsg.h or not', () => {
    for (const status of [408, 429, 500, 502, 503, 504]) expect(isTransientHResult(0x80190000 + status)).toBe(true);
    for (const status of [400, 401, 403, 404, 501, 505]) expect(isTransientHResult(0x80190000 + status)).toBe(false);
  });
});

describe('unknown values', () => {
  it('applies the HTTP rule to statuses bitsmsg.h lacks', () => {
    const d = describeHResult(0x801901ad);
    expect(d).toMatchObject({ name: 'BG_E_HTTP_ERROR_429', family: 'HTTP', isTransient: true, known: false });
    expect(d.message).toContain('HTTP 429 Too Many Requests');
  });

  it('names unknown Win32 and other codes HRESULT_0x%08X', () => {
    expect(describeHResult(0x80070001)).toMatchObject({ name: 'HRESULT_0x80070001', family: 'WIN32', known: false });
    expect(describeHResult(0x80070001).message).toContain('Windows error 1');
    expect(describeHResult(0x1234abcd)).toMatchObject({ name: 'HRESULT_0x1234ABCD', code: 'HRESULT_0x1234ABCD' });
    expect(describeHResult(0x80d02003)).toMatchObject({ name: 'DO_E_JOB_NOT_FOUND', code: 'DO_E_JOB_NOT_FOUND', known: true });
    expect(describeHResult(0x80d0ffff)).toMatchObject({ name: 'HRESULT_0x80D0FFFF', family: 'DO' });
    expect(describeHResult(0x8020ffff)).toMatchObject({ name: 'HRESULT_0x8020FFFF', family: 'BITS' });
  });

  it('names facilities', () => {
    expect(facilityName(0)).toBe('NULL');
    expect(facilityName(1)).toBe('RPC');
    expect(facilityName(4)).toBe('ITF');
    expect(facilityName(7)).toBe('WIN32');
    expect(facilityName(25)).toBe('HTTP');
    expect(facilityName(32)).toBe('BACKGROUNDCOPY');
    expect(facilityName(208)).toBe('DELIVERY_OPTIMIZATION');
    expect(facilityName(4000)).toBe('UNKNOWN_4000');
    expect(FACILITY_NAMES.size).toBeGreaterThan(10);
  });
});

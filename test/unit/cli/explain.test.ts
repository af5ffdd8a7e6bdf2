/** `explain`: every code family, every input form, human and --json. Pure TypeScript, offline. */
import { cli, json } from './helpers';

interface Case {
  readonly input: string;
  readonly code: string;
  readonly hex: string;
  readonly family: string;
  readonly facilityName: string;
  readonly errorClass: string;
  readonly exitCode: number;
  readonly known: boolean;
  readonly text: RegExp;
}

const FAMILIES: ReadonlyArray<readonly [string, Case]> = [
  ['DO', { input: '0x80d03002', code: 'DO_E_NO_DOWNLOAD_EXTSETTINGS', hex: '0x80D03002', family: 'DO', facilityName: 'DELIVERY_OPTIMIZATION', errorClass: 'HResultError', exitCode: 10, known: true, text: /refused the download because of user or administrator settings/ }],
  ['DO not found', { input: '0x80D02003', code: 'DO_E_JOB_NOT_FOUND', hex: '0x80D02003', family: 'DO', facilityName: 'DELIVERY_OPTIMIZATION', errorClass: 'JobNotFoundError', exitCode: 6, known: true, text: /No Delivery Optimization job with this ID/ }],
  ['BITS', { input: '0x80200001', code: 'BG_E_NOT_FOUND', hex: '0x80200001', family: 'BITS', facilityName: 'BACKGROUNDCOPY', errorClass: 'JobNotFoundError', exitCode: 6, known: true, text: /No job with this ID/ }],
  ['BITS invalid state', { input: '80200002', code: 'BG_E_INVALID_STATE', hex: '0x80200002', family: 'BITS', facilityName: 'BACKGROUNDCOPY', errorClass: 'InvalidStateError', exitCode: 7, known: true, text: /current state/ }],
  ['HTTP', { input: '0x80190194', code: 'BG_E_HTTP_ERROR_404', hex: '0x80190194', family: 'HTTP', facilityName: 'HTTP', errorClass: 'HttpError', exitCode: 10, known: true, text: /404 Not Found/ }],
  ['HTTP, status not in bitsmsg.h', { input: '0x801901AD', code: 'BG_E_HTTP_ERROR_429', hex: '0x801901AD', family: 'HTTP', facilityName: 'HTTP', errorClass: 'HttpError', exitCode: 10, known: false, text: /429/ }],
  ['COM', { input: '0x80004001', code: 'E_NOTIMPL', hex: '0x80004001', family: 'COM', facilityName: 'NULL', errorClass: 'NotImplementedError', exitCode: 3, known: true, text: /does not implement this method/ }],
  ['COM class not registered', { input: '0x80040154', code: 'REGDB_E_CLASSNOTREG', hex: '0x80040154', family: 'COM', facilityName: 'ITF', errorClass: 'ClassNotRegisteredError', exitCode: 3, known: true, text: /not registered/ }],
  ['COM access denied', { input: '0x80070005', code: 'E_ACCESSDENIED', hex: '0x80070005', family: 'COM', facilityName: 'WIN32', errorClass: 'AccessDeniedError', exitCode: 5, known: true, text: /Access was denied/ }],
  ['RPC', { input: '0x800706BA', code: 'RPC_S_SERVER_UNAVAILABLE', hex: '0x800706BA', family: 'RPC', facilityName: 'WIN32', errorClass: 'ServiceUnavailableError', exitCode: 4, known: true, text: /RPC server is unavailable/ }],
  ['RPC facility', { input: '0x80010108', code: 'RPC_E_DISCONNECTED', hex: '0x80010108', family: 'RPC', facilityName: 'RPC', errorClass: 'ServiceUnavailableError', exitCode: 4, known: true, text: /server is gone/ }],
  ['WIN32', { input: '0x80070422', code: 'ERROR_SERVICE_DISABLED', hex: '0x80070422', family: 'WIN32', facilityName: 'WIN32', errorClass: 'ServiceUnavailableError', exitCode: 4, known: true, text: /service is disabled/ }],
  ['WIN32, not in the table', { input: '0x80070001', code: 'HRESULT_0x80070001', hex: '0x80070001', family: 'WIN32', facilityName: 'WIN32', errorClass: 'HResultError', exitCode: 10, known: false, text: process.platform === 'win32' ? /Invalid function/ /* the system's text */ : /Windows error 1/ }],
  ['unknown facility', { input: '0x8ABC1234', code: 'HRESULT_0x8ABC1234', hex: '0x8ABC1234', family: 'COM', facilityName: 'UNKNOWN_2748', errorClass: 'HResultError', exitCode: 10, known: false, text: /unknown error in facility/ }],
];

describe.each(FAMILIES)('%s', (_family, c) => {
  test('human output names the code and a useful sentence', async () => {
    const r = await cli(['explain', c.input]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const [first, sentence] = r.stdout.split('\n');
    expect(first).toBe(`${c.code}  ${c.hex}`);
    expect(sentence).toMatch(c.text);
    expect(r.stdout).toMatch(new RegExp(`a failing command exits with ${c.exitCode}\\)`));
    expect(r.stdout).toMatch(c.known ? /known\s+yes/ : /known\s+no: /);
  });

  test('--json', async () => {
    const r = await cli(['explain', c.input, '--json']);
    expect(r.code).toBe(0);
    const doc = json(r);
    expect(doc).toMatchObject({
      schemaVersion: 1, ok: true, command: 'explain', input: c.input, code: c.code, hex: c.hex, family: c.family,
      facilityName: c.facilityName, errorClass: c.errorClass, exitCode: c.exitCode, known: c.known, isFailure: true,
    });
    expect(doc.hresult).toBe(parseInt(c.hex, 16));
    expect(doc.signed).toBe(parseInt(c.hex, 16) | 0);
    expect(doc.message).toMatch(c.text);
  });
});

describe('input forms all mean 0x80D03002', () => {
  test.each(['0x80d03002', '0X80D03002', '80d03002', '-2133839870', '2161127426', 'DO_E_NO_DOWNLOAD_EXTSETTINGS', 'do_e_no_download_extsettings'])('%s', async (input) => {
    const doc = json(await cli(['explain', input, '--json']));
    expect(doc.code).toBe('DO_E_NO_DOWNLOAD_EXTSETTINGS');
    expect(doc.input).toBe(input);
  });

  test('BG_E_HTTP_ERROR_<status> names work for any status', async () => {
    const doc = json(await cli(['explain', 'BG_E_HTTP_ERROR_418', '--json']));
    expect(doc).toMatchObject({ hex: '0x801901A2', family: 'HTTP' });
  });
});

describe('success codes', () => {
  test('S_OK and BG_S_PARTIAL_COMPLETE are successes with exit code 0', async () => {
    for (const [input, code] of [['0', 'S_OK'], ['0x00200017', 'BG_S_PARTIAL_COMPLETE']]) {
      const r = await cli(['explain', input]);
      expect(r.stdout).toMatch(new RegExp(`^${code} `));
      expect(r.stdout).toMatch(/severity\s+success/);
      expect(r.stdout).not.toMatch(/error class/);
      expect(json(await cli(['explain', input, '--json']))).toMatchObject({ isFailure: false, exitCode: 0 });
    }
  });

  test('an unknown success code', async () => {
    const doc = json(await cli(['explain', '0x1234ABCD', '--json']));
    expect(doc).toMatchObject({ code: 'HRESULT_0x1234ABCD', known: false, isFailure: false });
  });
});

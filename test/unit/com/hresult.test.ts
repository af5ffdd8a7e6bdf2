import { codeOf, facilityOf, failed, formatHResult, hresultFromWin32, parseHResult, succeeded } from '../../../src/com/hresult';

describe('HRESULT helpers', () => {
  test('success codes other than S_OK are successes (test the sign, not !== 0)', () => {
    for (const hr of [0, 1, 0x00200017, 0x0020001a]) {
      expect(succeeded(hr)).toBe(true);
      expect(failed(hr)).toBe(false);
    }
    for (const hr of [0x80004001, -2147467263, 0x80d02003, 0xffffffff]) expect(failed(hr)).toBe(true);
  });

  test('signed and unsigned forms', () => {
    expect(formatHResult(-2133843965)).toBe('0x80D02003');
  });

  test('facility and code', () => {
    expect(facilityOf(0x80d02003)).toBe(208);
    expect(facilityOf(0x80190194)).toBe(25);
    expect(facilityOf(0x8020000f)).toBe(32);
    expect(codeOf(0x80190194)).toBe(404);
  });

  test('HRESULT_FROM_WIN32', () => {
    expect(hresultFromWin32(5)).toBe(0x80070005);
    expect(hresultFromWin32(1722)).toBe(0x800706ba);
    expect(hresultFromWin32(0)).toBe(0);
    expect(hresultFromWin32(0x80070005)).toBe(0x80070005);
  });

  test('parsing every textual form', () => {
    expect(parseHResult('0x80d03002')).toBe(0x80d03002);
    expect(parseHResult('80D03002')).toBe(0x80d03002);
    expect(parseHResult('-2133839870')).toBe(0x80d03002);
    expect(parseHResult('2161127426')).toBe(0x80d03002);
    expect(parseHResult(' 0x1 ')).toBe(1);
    expect(parseHResult('80200002')).toBe(0x80200002); // eight digits: hex, as Windows prints it
    expect(parseHResult('1234567')).toBe(1234567);
    for (const bad of ['', 'hello', '0x', '0x123456789', '99999999999', '1.5', '0xZZ']) expect(parseHResult(bad)).toBeNull();
  });
});

import { parseHResult } from '../../../src/com/hresult';
import { explainHResult } from '../../../src/errors';

describe('explainHResult', () => {
  it('explains a known DO code', () => {
    expect(explainHResult(0x80d03002)).toEqual({
      hresult: 0x80d03002,
      hex: '0x80D03002',
      code: 'DO_E_NO_DOWNLOAD_EXTSETTINGS',
      message: expect.stringContaining('DODownloadMode policy') as unknown as string,
      facility: 208,
      facilityName: 'DELIVERY_OPTIMIZATION',
      isTransient: false,
      isFailure: true,
      family: 'DO',
      known: true,
      className: 'HResultError',
    });
  });

  it.each([
    ['0x80D03002'],
    ['0x80d03002'],
    ['0X80D03002'],
    ['80d03002'],
    ['-2133839870'],
    ['2161127426'],
    ['  0x80D03002  '],
    [-2133839870],
    [2161127426],
  ])('accepts %p', (input) => {
    expect(explainHResult(input).code).toBe('DO_E_NO_DOWNLOAD_EXTSETTINGS');
  });

  it('explains success, HTTP and unknown values', () => {
    expect(explainHResult(0)).toMatchObject({ code: 'S_OK', isFailure: false, isTransient: false, family: 'COM' });
    expect(explainHResult('0x00200017')).toMatchObject({ code: 'BG_S_PARTIAL_COMPLETE', isFailure: false, family: 'BITS' });
    expect(explainHResult('0x80190194')).toMatchObject({ code: 'BG_E_HTTP_ERROR_404', className: 'HttpError', family: 'HTTP' });
    expect(explainHResult('0x800706BA')).toMatchObject({
      code: 'RPC_S_SERVER_UNAVAILABLE',
      className: 'ServiceUnavailableError',
      isTransient: true,
      facilityName: 'WIN32',
      family: 'RPC',
    });
    expect(explainHResult('0x1234ABCD')).toMatchObject({ code: 'HRESULT_0x1234ABCD', known: false, isFailure: false });
  });

  it.each(['', 'xyz', '0x', '0x123456789', '4294967296', '-2147483649', '12.5', '1e3', '0xGG', '0x80D0300Z'])(
    'rejects %p with ERR_INVALID_ARG_VALUE',
    (text) => {
      expect(() => explainHResult(text)).toThrow(TypeError);
      expect(() => explainHResult(text)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }) as unknown as Error);
    },
  );
});

describe('parseHResult forms', () => {
  it('parses hex, signed decimal and unsigned decimal', () => {
    expect(parseHResult('0x80D03002')).toBe(0x80d03002);
    expect(parseHResult('80d03002')).toBe(0x80d03002);
    expect(parseHResult('-2133839870')).toBe(0x80d03002);
    expect(parseHResult('2161127426')).toBe(0x80d03002);
    expect(parseHResult('-2133843965')).toBe(0x80d02003);
    expect(parseHResult('0')).toBe(0);
    expect(parseHResult('-1')).toBe(0xffffffff);
    expect(parseHResult('4294967295')).toBe(0xffffffff);
    expect(parseHResult('-2147483648')).toBe(0x80000000);
  });

  it('rejects bad text', () => {
    for (const bad of ['', 'hello', '0x', '4294967296', '-2147483649', '1.5', '0x1FFFFFFFF']) {
      expect(parseHResult(bad)).toBeNull();
    }
  });
});

import { guidFromBytes, guidToBytes, isGuid, normalizeGuid } from '../../../src/com/guid';

describe('GUID layout', () => {
  test('CLSID_DeliveryOptimization has the byte layout from the spec', () => {
    expect(guidToBytes('5B99FA76-721C-423C-ADAC-56D03C8A8007').toString('hex')).toBe('76fa995b1c723c42adac56d03c8a8007');
    expect(guidToBytes('{5ce34c0d-0dc9-4c1f-897c-daa1b78cee7c}').toString('hex')).toBe('0d4ce35cc90d1f4c897cdaa1b78cee7c');
  });

  test('round trip, lowercase, no braces', () => {
    const b = guidToBytes('{4991D34B-80A1-4291-83B6-3328366B9097}');
    expect(guidFromBytes(b)).toBe('4991d34b-80a1-4291-83b6-3328366b9097');
    expect(guidFromBytes(Buffer.concat([Buffer.alloc(3), b]), 3)).toBe('4991d34b-80a1-4291-83b6-3328366b9097');
  });

  test.each(['', 'x', '4991d34b-80a1-4291-83b6-3328366b909', '{4991d34b-80a1-4291-83b6-3328366b9097', '4991d34b80a1429183b63328366b9097', '4991d34g-80a1-4291-83b6-3328366b9097'])(
    'malformed %j is refused',
    (text) => {
      expect(isGuid(text)).toBe(false);
      expect(() => guidToBytes(text)).toThrow(SyntaxError);
      expect(() => normalizeGuid(text)).toThrow(SyntaxError);
    },
  );

  test('short buffers are refused', () => {
    expect(() => guidFromBytes(Buffer.alloc(15))).toThrow(RangeError);
  });
});

/**
 * Property-based fuzzing (fast-check): whatever comes in, only typed errors come out.
 * FUZZ_RUNS raises the number of runs per property (default 2,000).
 */
import fc from 'fast-check';
import { explainHResult, HResultError } from '../../../src/errors';
import { guidFromBytes, guidToBytes, isGuid, normalizeGuid } from '../../../src/com/guid';
import { parseHResult } from '../../../src/com/hresult';
import { fileTimeToDate } from '../../../src/com/marshal';
import { decodeFileProgress, decodeJobProgress, decodeJobTimes, decodeReplyProgress } from '../../../src/bits/structs';
import * as v from '../../../src/api/validate';
import { JobPriority, NotifyFlags } from '../../../src/bits/enums';

const numRuns = Number(process.env.FUZZ_RUNS ?? 2000);
const NODE_CODES = new Set(['ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE', 'ERR_OUT_OF_RANGE']);
let runs = 0;
afterAll(() => console.log(`fuzz: ${runs} generated inputs`));

function onlyNodeStyleErrors(fn: () => unknown): void {
  runs++;
  try {
    fn();
  } catch (error) {
    expect(error instanceof TypeError || error instanceof RangeError).toBe(true);
    expect(NODE_CODES.has((error as { code?: string }).code ?? '')).toBe(true);
  }
}

test('HResultError.from and explainHResult over random 32-bit values and numbers', () => {
  fc.assert(
    fc.property(fc.oneof(fc.integer({ min: -0x80000000, max: 0xffffffff }), fc.double(), fc.integer()), (n) => {
      runs++;
      const e = HResultError.from(n);
      expect(e).toBeInstanceOf(HResultError);
      expect(e.hresult).toBeGreaterThanOrEqual(0);
      expect(e.hresult).toBeLessThan(2 ** 32);
      expect(e.message).toContain(`0x${e.hresult.toString(16).toUpperCase().padStart(8, '0')}`);
      const x = explainHResult(n);
      expect(x.hresult).toBe(e.hresult);
      expect(x.code).toBe(e.code);
    }),
    { numRuns },
  );
});

test('explainHResult over random text: a result or a Node-style TypeError', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.hexaString({ maxLength: 12 }).map((h) => `0x${h}`)), (text) => {
      runs++;
      try {
        const r = explainHResult(text);
        expect(r.hresult).toBe(parseHResult(text));
      } catch (error) {
        expect(error).toBeInstanceOf(TypeError);
        expect((error as { code: string }).code).toBe('ERR_INVALID_ARG_VALUE');
        expect(parseHResult(text)).toBeNull();
      }
    }),
    { numRuns },
  );
});

test('GUIDs: any 16 bytes round-trip; random text is either a GUID or a SyntaxError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
      runs++;
      const text = guidFromBytes(bytes);
      expect(isGuid(text)).toBe(true);
      expect([...guidToBytes(text)]).toEqual([...bytes]);
      expect(normalizeGuid(`{${text.toUpperCase()}}`)).toBe(text);
    }),
    { numRuns },
  );
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.uuid()), (text) => {
      runs++;
      if (isGuid(text)) expect(guidToBytes(text)).toHaveLength(16);
      else expect(() => guidToBytes(text)).toThrow(SyntaxError);
    }),
    { numRuns },
  );
});

test('struct decoding of random bytes never throws and gives well-typed values', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 24, maxLength: 24 }), (bytes) => {
      runs++;
      const b = Buffer.from(bytes);
      const p = decodeJobProgress(b);
      expect(p.bytesTotal === null || typeof p.bytesTotal === 'bigint').toBe(true);
      expect(Number.isInteger(p.filesTotal)).toBe(true);
      const t = decodeJobTimes(b);
      for (const d of [t.created, t.modified, t.transferCompleted]) expect(d === null || !Number.isNaN(d.getTime())).toBe(true);
      expect(typeof decodeFileProgress(b).completed).toBe('boolean');
      expect(typeof decodeReplyProgress(b).bytesTransferred).toBe('bigint');
      const d = fileTimeToDate(b, 8);
      expect(d === null || d instanceof Date).toBe(true);
    }),
    { numRuns },
  );
});

test('every input validator: anything in, a value or a Node-style error out', () => {
  const validators: Array<(x: unknown) => unknown> = [
    (x) => v.validateString(x, 'x', { min: 1, max: 10 }),
    (x) => v.validateDisplayName(x),
    (x) => v.validateDescription(x),
    (x) => v.validateUint32(x, 'x'),
    (x) => v.validateUint64(x, 'x'),
    (x) => v.validateBoolean(x, 'x'),
    (x) => v.validateEnum(x, JobPriority, 'x'),
    (x) => v.validateFlags(x, NotifyFlags.All, 'x'),
    (x) => v.validateGuid(x, 'x'),
    (x) => v.validateLocalPath(x, 'x'),
    (x) => v.validateLocalPath(x, 'x', { posix: true }),
    (x) => v.validateRemoteUrl(x, 'x'),
    (x) => v.validateRemoteUrl(x, 'x', { flavour: 'bits' }),
    (x) => v.validateRemoteUrl(x, 'x', { flavour: 'delivery-optimization' }),
    (x) => v.validateOptionsObject(x, 'x'),
    (x) => v.validateAbortSignal(x, 'x'),
    (x) => v.validateFunction(x, 'x'),
    (x) => v.validateOptionalString(x, 'x', { max: 5 }),
  ];
  const inputs = fc.oneof(
    fc.anything(),
    fc.string(),
    fc.string().map((s) => `C:\\${s}`),
    fc.string().map((s) => `http://h/${s}`),
    fc.integer({ min: -1, max: 2 ** 33 }),
    fc.double(),
    fc.bigInt(),
  );
  fc.assert(
    fc.property(inputs, (x) => {
      for (const validate of validators) onlyNodeStyleErrors(() => validate(x));
    }),
    { numRuns },
  );
});

test('accepted strings never carry a NUL (no silent truncation in native code)', () => {
  fc.assert(
    fc.property(fc.string(), fc.nat({ max: 20 }), (s, at) => {
      runs++;
      const withNul = s.slice(0, at) + '\0' + s.slice(at);
      expect(() => v.validateString(withNul, 'x')).toThrow(TypeError);
      expect(() => v.validateLocalPath(`C:\\${withNul}`, 'x')).toThrow(TypeError);
      expect(() => v.validateRemoteUrl(`http://h/${withNul}`, 'x')).toThrow(TypeError);
    }),
    { numRuns },
  );
});

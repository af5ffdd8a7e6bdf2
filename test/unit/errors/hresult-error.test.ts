import { formatHResult } from '../../../src/com/hresult';
import {
  AccessDeniedError,
  ClassNotRegisteredError,
  EmptyJobError,
  ErrorInformationUnavailableError,
  HResultError,
  HttpError,
  InvalidArgumentError,
  InvalidStateError,
  JobNotFoundError,
  NoInterfaceError,
  NotImplementedError,
  OutOfMemoryError,
  ServiceUnavailableError,
  explainHResult,
  lookupHResultByName,
} from '../../../src/errors';
import { ERROR_CLASS_CODES } from '../../../src/errors/hresult-error';

/** mulberry32: a small seeded PRNG so the fuzz run is reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const SUBCLASSES = [
  ErrorInformationUnavailableError,
  NotImplementedError,
  NoInterfaceError,
  InvalidArgumentError,
  AccessDeniedError,
  InvalidStateError,
  JobNotFoundError,
  EmptyJobError,
  ClassNotRegisteredError,
  ServiceUnavailableError,
  OutOfMemoryError,
] as const;

describe('HResultError message', () => {
  it('reads <code> (0x%08X): <message>', () => {
    const err = HResultError.from(0x80190194);
    expect(err.message.startsWith('BG_E_HTTP_ERROR_404 (0x80190194): The server returned HTTP 404 Not Found: ')).toBe(true);
    expect(HResultError.from(0x80d03002).message).toBe(
      'DO_E_NO_DOWNLOAD_EXTSETTINGS (0x80D03002): Delivery Optimization refused the download because of user or ' +
        'administrator settings (download mode, bandwidth or policy). Check Settings > Delivery Optimization or the ' +
        'DODownloadMode policy.',
    );
  });

  it('prefixes the operation', () => {
    const err = HResultError.from(0x80d02004, { operation: 'IBackgroundCopyJob::Resume' });
    expect(err.message.startsWith('IBackgroundCopyJob::Resume failed: DO_E_JOB_EMPTY (0x80D02004): ')).toBe(true);
    expect(err.operation).toBe('IBackgroundCopyJob::Resume');
    expect(err).toBeInstanceOf(EmptyJobError);
  });

  it('can replace the description and keep a cause', () => {
    const cause = new Error('inner');
    const err = new HResultError(0x80004005, { description: 'Text from GetErrorDescription.', cause });
    expect(err.message).toBe('E_FAIL (0x80004005): Text from GetErrorDescription.');
    expect(err.cause).toBe(cause);
  });

  it('uses HRESULT_0x%08X for unknown codes', () => {
    const err = HResultError.from(0x1234abcd);
    expect(err.code).toBe('HRESULT_0x1234ABCD');
    expect(err.message.startsWith('HRESULT_0x1234ABCD (0x1234ABCD): ')).toBe(true);
    expect(err.facility).toBe(0x1234);
    expect(err.constructor).toBe(HResultError);
  });

  it('exposes facility, facilityName and isTransient', () => {
    const err = HResultError.from(0x80d03805);
    expect(err).toMatchObject({ facility: 208, facilityName: 'DELIVERY_OPTIMIZATION', isTransient: true, family: 'DO' });
    expect(HResultError.from(0x80070005)).toMatchObject({ facility: 7, facilityName: 'WIN32', isTransient: false });
  });

  it('says which Windows version is needed when the class is not registered', () => {
    const err = HResultError.from(0x80040154);
    expect(err).toBeInstanceOf(ClassNotRegisteredError);
    expect(err.message).toContain('REGDB_E_CLASSNOTREG (0x80040154)');
    expect(err.message).toContain('Windows 10 version 1709 or later');
    const bits = new ClassNotRegisteredError(undefined, { service: 'Delivery Optimization (DoSvc)' });
    expect(bits.message).toContain('Delivery Optimization (DoSvc) is not available');
    expect(bits.service).toBe('Delivery Optimization (DoSvc)');
  });

  it('notes a coerced value', () => {
    const err = HResultError.from(NaN);
    expect(err.hresult).toBe(0);
    expect(err.message).toContain('(0x00000000)');
    expect(err.message).toContain('NaN is not a 32-bit HRESULT');
  });
});

describe('class hierarchy', () => {
  it.each(SUBCLASSES.map((C) => [C.name, C] as const))('%s: instanceof chain, name, default code', (name, C) => {
    const err = new C();
    expect(err).toBeInstanceOf(C);
    expect(err).toBeInstanceOf(HResultError);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe(name);
    expect(Object.keys(err)).not.toContain('name');
    expect(err.stack?.startsWith(`${name}: `)).toBe(true);
    expect(err.hresult).toBeGreaterThanOrEqual(0x80000000);
    expect(HResultError.from(err.hresult)).toBeInstanceOf(C);
    for (const other of SUBCLASSES) if (other !== C) expect(err).not.toBeInstanceOf(other);
    expect(err).not.toBeInstanceOf(HttpError);
  });

  it.each(ERROR_CLASS_CODES.map(([C, codes]) => [C.name, C, codes] as const))('%s declares its codes once: its default is the first, and from() maps every one to it', (_name, C, codes) => {
    expect((C as unknown as { codes: readonly string[] }).codes).toBe(codes);
    expect(codes.length).toBeGreaterThan(0);
    expect(new (C as new () => HResultError)().code).toBe(codes[0]);
    for (const code of codes) expect(HResultError.from(lookupHResultByName(code)!.hresult)).toBeInstanceOf(C);
  });

  it('HttpError takes any FACILITY_HTTP failure', () => {
    const e503 = HttpError.fromStatus(503);
    expect(e503).toBeInstanceOf(HttpError);
    expect(e503).toBeInstanceOf(HResultError);
    expect(e503).toMatchObject({ name: 'HttpError', status: 503, code: 'BG_E_HTTP_ERROR_503', hresult: 0x801901f7, isTransient: true });
    const e429 = HResultError.from(0x801901ad);
    expect(e429).toBeInstanceOf(HttpError);
    expect((e429 as HttpError).status).toBe(429);
    const event = HResultError.from(0x80194000); // BITS_MC_JOB_CANCELLED, not an HTTP status
    expect(event).toBeInstanceOf(HttpError);
    expect(event.code).toBe('HRESULT_0x80194000');
    expect(HResultError.from(0x00190194)).not.toBeInstanceOf(HttpError); // success bit pattern
  });

  it('HResultError itself is named', () => {
    const err = new HResultError(0x80004005);
    expect(err.name).toBe('HResultError');
    expect(String(err)).toBe(`HResultError: ${err.message}`);
  });
});

describe('never throws', () => {
  const EDGES = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, -1, -0x80000000, NaN, 1.5, -1.5, Infinity, -Infinity, 2 ** 32, 2 ** 53, -0];

  function check(input: number, expected: number): void {
    const err = HResultError.from(input);
    expect(err).toBeInstanceOf(HResultError);
    expect(Number.isInteger(err.hresult) && err.hresult >= 0 && err.hresult < 2 ** 32).toBe(true);
    expect(err.hresult).toBe(expected);
    expect(err.message).toContain(formatHResult(expected));
    expect(err.message).toMatch(/\(0x[0-9A-F]{8}\)/);
    const ex = explainHResult(input);
    expect(ex.hresult).toBe(expected);
    expect(ex.hex).toBe(formatHResult(expected));
    expect(ex.code).toBe(err.code);
  }

  it.each(EDGES.map((v) => [String(v), v] as const))('edge value %s', (_label, v) => {
    check(v, v >>> 0);
  });

  it('10,000 random 32-bit values (signed and unsigned forms)', () => {
    const next = mulberry32(0xd0c0ffee);
    for (let i = 0; i < 10_000; i++) {
      const u = next();
      check(i % 2 === 0 ? u : u | 0, u);
    }
  });

  it('survives values outside the number type at run time', () => {
    const from = HResultError.from as (hr: unknown) => HResultError;
    for (const v of [undefined, null, '0x80D02003', 'junk', {}, 10n, 2n ** 40n, Symbol('x')]) {
      const err = from(v);
      expect(err).toBeInstanceOf(HResultError);
      expect(err.message).toMatch(/\(0x[0-9A-F]{8}\)/);
    }
    expect(from('0x80D02003')).toBeInstanceOf(JobNotFoundError);
    expect(from(10n).hresult).toBe(10);
  });
});

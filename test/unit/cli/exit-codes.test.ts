/** Exit codes: each error class maps to its documented code, directly and through `run`. */
import {
  AbortError, AccessDeniedError, ClassNotRegisteredError, EmptyJobError, HResultError, HttpError, InvalidArgumentError, InvalidStateError,
  IncompleteDownloadError, JobFailedError, JobNotFoundError, NoInterfaceError, NotImplementedError, OutOfMemoryError, PlatformNotSupportedError,
  ServiceUnavailableError, TimeoutError, DownloadFailedError,
} from '../../../src/errors';
import { JobState } from '../../../src/bits/enums';
import { DODownloadState } from '../../../src/ido/enums';
import { EXIT_CODE_TABLE, ExitCode, exitCodeFor } from '../../../src/cli/exit-codes';
import { UsageError } from '../../../src/cli/usage';
import { cli, expectNoStack, failingConnect, json } from './helpers';

const partial = { hresult: 0x00200017, code: 'BG_S_PARTIAL_COMPLETE', partial: true, unableToDeleteFiles: false };
const argError = Object.assign(new TypeError('The argument "url" must be an absolute http:// or https:// URL'), { code: 'ERR_INVALID_ARG_VALUE' });

const CASES: ReadonlyArray<readonly [string, number, unknown]> = [
  ['UsageError', 2, new UsageError('bad')],
  ['library argument error (ERR_INVALID_ARG_VALUE)', 2, argError],
  ['JobFailedError', 1, new JobFailedError({ jobId: 'x', state: JobState.Error })],
  ['DownloadFailedError', 1, new DownloadFailedError({ jobId: 'x', state: DODownloadState.Aborted })],
  ['IncompleteDownloadError', 1, new IncompleteDownloadError({ jobId: 'x', state: JobState.Acknowledged, files: [], reason: 'r', dataLocation: 'd', completion: partial })],
  ['PlatformNotSupportedError', 3, new PlatformNotSupportedError({ platform: 'linux' })],
  ['ClassNotRegisteredError', 3, new ClassNotRegisteredError()],
  ['NotImplementedError', 3, new NotImplementedError()],
  ['NoInterfaceError', 3, new NoInterfaceError()],
  ['ServiceUnavailableError', 4, new ServiceUnavailableError()],
  ['AccessDeniedError', 5, new AccessDeniedError()],
  ['JobNotFoundError', 6, new JobNotFoundError()],
  ['InvalidStateError', 7, new InvalidStateError()],
  ['HttpError', 10, HttpError.fromStatus(404)],
  ['EmptyJobError', 10, new EmptyJobError()],
  ['InvalidArgumentError (E_INVALIDARG from the service)', 10, new InvalidArgumentError()],
  ['OutOfMemoryError', 10, new OutOfMemoryError()],
  ['HResultError', 10, new HResultError(0x80004005)],
  ['AbortError', 130, new AbortError()],
  ['TimeoutError', 124, new TimeoutError()],
  ['a plain Error (a bug)', 70, new Error('boom')],
  ['a thrown string', 70, 'boom'],
];

describe('exitCodeFor', () => {
  test.each(CASES)('%s → %i', (_name, code, error) => {
    expect(exitCodeFor(error)).toBe(code);
  });

  test('the documented table lists every code of ExitCode exactly once', () => {
    expect(EXIT_CODE_TABLE.map(([c]) => c).sort((a, b) => a - b)).toEqual(Object.values(ExitCode).sort((a, b) => a - b));
  });
});

describe('through run(): the connect step fails', () => {
  const services = CASES.filter(([name]) => !/UsageError|argument error|a thrown string/.test(name));

  test.each(services)('%s → exit %i, readable error, no stack', async (_name, code, error) => {
    const r = await cli(['list', '--bits'], { connect: failingConnect(error) });
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(code === 130 ? /^interrupted$/m : /^error: /m);
    expectNoStack(r.stderr);
  });

  test.each(services)('%s --json → error document with exit code %i', async (_name, code, error) => {
    const r = await cli(['list', '--json'], { connect: failingConnect(error) });
    expect(r.code).toBe(code);
    const doc = json(r);
    expect(doc).toMatchObject({ schemaVersion: 1, ok: false, command: 'list' });
    const e = doc.error as Record<string, unknown>;
    expect(e.exitCode).toBe(code);
    // The document names the error that was thrown (its class, or 'Error' for a thrown non-Error).
    expect(e.name).toBe(error instanceof Error ? error.name : 'Error');
    if (error instanceof HResultError) {
      expect(e).toMatchObject({ code: error.code, hresult: error.hresult, hex: `0x${(error.hresult >>> 0).toString(16).toUpperCase().padStart(8, '0')}` });
    }
  });

  test('an internal error shows no stack unless DELIVERY_OPTIMIZATION_DEBUG is set', async () => {
    const quiet = await cli(['list'], { connect: failingConnect(new RangeError('oops')) });
    expect(quiet.stderr).toMatch(/internal error: RangeError: oops/);
    expect(quiet.stderr).toMatch(/DELIVERY_OPTIMIZATION_DEBUG=1/);
    // Whom to tell and what to send: the package names no repository, so its maintainers on npm.
    expect(quiet.stderr).toContain("report it to the package's maintainers (`npm view delivery-optimization maintainers`)");
    expect(quiet.stderr).toContain('`delivery-optimization doctor --json`');
    expectNoStack(quiet.stderr);
    const debug = await cli(['list'], { connect: failingConnect(new RangeError('oops')), env: { DELIVERY_OPTIMIZATION_DEBUG: '1' } });
    expect(debug.stderr).toMatch(/^\s+at /m);
  });

  test('hints: --bits for a missing Delivery Optimization, explain for HRESULTs', async () => {
    const r = await cli(['list'], { connect: failingConnect(new ClassNotRegisteredError()) });
    expect(r.stderr).toMatch(/^hint: .*Add --bits/m);
    const state = await cli(['list'], { connect: failingConnect(new InvalidStateError(0x80200002)) });
    expect(state.stderr).toMatch(/BG_E_INVALID_STATE[\s\S]*^hint: the job's state does not allow this/m);
    const h = await cli(['list'], { connect: failingConnect(new HResultError(0x80004005)) });
    expect(h.stderr).toMatch(/^hint: `delivery-optimization explain 0x80004005`/m);
  });

  test('a transient activation failure is retried', async () => {
    let calls = 0;
    const flaky = failingConnect(new ServiceUnavailableError());
    const r = await cli(['list'], {
      connect: async (s) => {
        calls++;
        return flaky(s);
      },
    });
    expect(r.code).toBe(4);
    expect(calls).toBe(3);
  });
});

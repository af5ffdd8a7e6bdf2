import {
  AbortError,
  HResultError,
  IncompleteDownloadError,
  JobFailedError,
  ObjectDisposedError,
  PlatformNotSupportedError,
  TimeoutError,
  TruncatedTransferError,
} from '../../../src/errors';
import type { JobErrorInfo } from '../../../src/errors';

describe('library errors', () => {
  it('PlatformNotSupportedError names the platform and the testing fake', () => {
    const err = new PlatformNotSupportedError({ platform: 'linux' });
    expect(err).toMatchObject({ name: 'PlatformNotSupportedError', code: 'ERR_PLATFORM_NOT_SUPPORTED', platform: 'linux' });
    expect(err.message).toContain("'linux'");
    expect(err.message).toContain('requires Windows');
    expect(err.message).toContain('delivery-optimization/testing');
    expect(new PlatformNotSupportedError().platform).toBe(process.platform);
  });

  it('ObjectDisposedError names the object', () => {
    const err = new ObjectDisposedError('BackgroundCopyJob {A}');
    expect(err).toMatchObject({ name: 'ObjectDisposedError', code: 'ERR_OBJECT_DISPOSED', objectName: 'BackgroundCopyJob {A}' });
    expect(err.message).toContain('BackgroundCopyJob {A}');
  });

  function errorInfo(fields: { hresult: number; code: string; message: string; contextName: string | undefined }): JobErrorInfo {
    return { context: 5, description: null, contextDescription: null, protocol: null, file: null, toException: () => new Error(fields.message), ...fields } as JobErrorInfo;
  }

  it('JobFailedError carries the job error, id and state', () => {
    const jobError = errorInfo({ hresult: 0x80190194, code: 'BG_E_HTTP_ERROR_404', message: 'Not found.', contextName: 'BG_ERROR_CONTEXT_REMOTE_FILE' });
    const err = new JobFailedError({ jobId: '{1234}', state: 'ERROR', jobError, jobName: 'update' });
    expect(err).toMatchObject({ name: 'JobFailedError', code: 'ERR_JOB_FAILED', jobId: '{1234}', state: 'ERROR', jobError });
    expect(err.message).toBe(
      "Job 'update' ({1234}) failed in state ERROR: BG_E_HTTP_ERROR_404 (0x80190194) [BG_ERROR_CONTEXT_REMOTE_FILE]: Not found.",
    );
    const numeric = new JobFailedError<number>({ jobId: 'x', state: 4, jobError: errorInfo({ hresult: -1, code: 'E', message: 'm', contextName: undefined }) });
    expect(numeric.state).toBe(4);
    expect(numeric.message).toContain('(0xFFFFFFFF)');
  });

  it('TimeoutError and AbortError look like Node', () => {
    expect(new TimeoutError({ operation: 'Waiting for job {1}', timeoutMs: 500 })).toMatchObject({
      name: 'TimeoutError',
      code: 'ERR_TIMEOUT',
      timeoutMs: 500,
      message: 'Waiting for job {1} timed out after 500 ms.',
    });
    const abort = new AbortError();
    expect(abort).toMatchObject({ name: 'AbortError', code: 'ABORT_ERR', message: 'The operation was aborted' });
    expect(String(abort)).toBe('AbortError: The operation was aborted');
  });

  it('are plain Errors, not HResultErrors', () => {
    for (const err of [
      new PlatformNotSupportedError(),
      new ObjectDisposedError('x'),
      new JobFailedError({ jobId: 'x', state: 'ERROR', jobError: null }),
      new TimeoutError(),
      new AbortError(),
    ]) {
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toBeInstanceOf(HResultError);
      expect(err.stack?.startsWith(`${err.name}: `)).toBe(true);
    }
  });
});

describe('errors serialize (issue 9 #8: JSON.stringify threw on the bigint of a job error)', () => {
  const jobError = {
    hresult: 0x80190194, code: 'BG_E_HTTP_ERROR_404', message: 'Not found.', context: 5, contextName: 'REMOTE_FILE',
    description: null, contextDescription: null, protocol: 'http',
    file: { remoteUrl: 'http://h/x', localPath: 'C:\\x', progress: { bytesTotal: 1048576n, bytesTransferred: 524288n, completed: false } },
    toException: () => new Error('x'),
  } as JobErrorInfo;

  it('JobFailedError: bigints become decimal strings, functions are left out', () => {
    const err = new JobFailedError({ jobId: 'j', state: 'ERROR', jobError, cause: new HResultError(0x80070005) });
    const doc = JSON.parse(JSON.stringify(err)) as Record<string, any>;
    expect(doc).toMatchObject({ name: 'JobFailedError', code: 'ERR_JOB_FAILED', jobId: 'j', state: 'ERROR', message: err.message });
    expect(doc.jobError.file.progress).toEqual({ bytesTotal: '1048576', bytesTransferred: '524288', completed: false });
    expect(doc.jobError.toException).toBeUndefined();
    expect(doc.cause).toMatchObject({ code: 'E_ACCESSDENIED', hresult: 0x80070005, message: err.cause instanceof Error ? err.cause.message : '' });
  });

  it('every library error class has toJSON with name, message and code', () => {
    for (const err of [
      new PlatformNotSupportedError({ platform: 'linux' }), new ObjectDisposedError('x'), new TimeoutError({ timeoutMs: 5 }), new AbortError(),
      new HResultError(0x80200001),
      new IncompleteDownloadError({ jobId: 'j', state: 'ACKNOWLEDGED', reason: 'r', dataLocation: 'd', completion: null,
        files: [{ remoteUrl: 'u', localPath: 'l', bytesTransferred: 5n, bytesTotal: null, temporaryPath: null }] }),
      new TruncatedTransferError({ jobId: 'j', state: 'TRANSFERRED', files: [{ remoteUrl: 'u', localPath: 'l', bytesTransferred: 5n, bytesTotal: 10n, temporaryPath: null }] }),
    ]) {
      const doc = JSON.parse(JSON.stringify(err)) as Record<string, unknown>;
      expect(doc).toMatchObject({ name: err.name, message: err.message, code: (err as { code: string }).code });
    }
  });

  it('a cycle through cause does not recurse forever', () => {
    const err = new TimeoutError();
    (err as { cause?: unknown }).cause = err;
    expect(JSON.parse(JSON.stringify(err)).cause).toBe('[Circular]');
  });
});

import { JobState } from '../../../src/bits/enums';
import { DODownloadState } from '../../../src/ido/enums';
import {
  AbortError,
  DownloadFailedError,
  HResultError,
  IncompleteDownloadError,
  JobFailedError,
  ObjectDisposedError,
  PlatformNotSupportedError,
  TimeoutError,
  TransferFailedError,
  TruncatedTransferError,
} from '../../../src/errors';
import type { JobError } from '../../../src/errors';

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

  function errorInfo(fields: { hresult: number; code: string; message: string; contextName: string | undefined }): JobError {
    return { context: 5, description: null, contextDescription: null, protocol: null, file: null, toException: () => new HResultError(fields.hresult), ...fields } as JobError;
  }

  it('JobFailedError carries the job error, id and state (the JobState, and its name)', () => {
    const jobError = errorInfo({ hresult: 0x80190194, code: 'BG_E_HTTP_ERROR_404', message: 'Not found.', contextName: 'BG_ERROR_CONTEXT_REMOTE_FILE' });
    const err = new JobFailedError({ jobId: '{1234}', state: JobState.Error, jobError, jobName: 'update' });
    expect(err).toMatchObject({ name: 'JobFailedError', code: 'ERR_JOB_FAILED', jobId: '{1234}', state: JobState.Error, stateName: 'ERROR', jobError });
    expect(err.state === JobState.Error).toBe(true);
    expect(err.message).toBe(
      "Job 'update' ({1234}) failed in state ERROR: BG_E_HTTP_ERROR_404 (0x80190194) [BG_ERROR_CONTEXT_REMOTE_FILE]: Not found.",
    );
    const unsigned = new JobFailedError({ jobId: 'x', state: JobState.Cancelled, jobError: errorInfo({ hresult: -1, code: 'E', message: 'm', contextName: undefined }) });
    expect(unsigned).toMatchObject({ state: JobState.Cancelled, stateName: 'CANCELLED' });
    expect(unsigned.message).toContain('(0xFFFFFFFF)');
  });

  it('DownloadFailedError has the DODownloadState (whose numbers overlap JobState), and is no JobFailedError', () => {
    const err = new DownloadFailedError({ jobId: 'd', state: DODownloadState.Aborted });
    expect(err).toMatchObject({ name: 'DownloadFailedError', code: 'ERR_JOB_FAILED', state: DODownloadState.Aborted, stateName: 'ABORTED' });
    expect(err.message).toBe('Job d failed in state ABORTED: the service gave no error information');
    expect(err).toBeInstanceOf(TransferFailedError);
    expect(err).not.toBeInstanceOf(JobFailedError);
    expect(new JobFailedError({ jobId: 'j', state: JobState.Error })).toBeInstanceOf(TransferFailedError);
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
      new JobFailedError({ jobId: 'x', state: JobState.Error, jobError: null }),
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
    toException: () => new HResultError(0x80190194),
  } as JobError;

  it('JobFailedError: bigints become decimal strings, functions are left out; state by name, stateCode by number', () => {
    const err = new JobFailedError({ jobId: 'j', state: JobState.Error, jobError, cause: new HResultError(0x80070005) });
    const doc = JSON.parse(JSON.stringify(err)) as Record<string, any>;
    expect(doc).toMatchObject({ name: 'JobFailedError', code: 'ERR_JOB_FAILED', jobId: 'j', state: 'ERROR', stateCode: 4, message: err.message });
    expect(doc.stateName).toBeUndefined();
    expect(doc.jobError.file.progress).toEqual({ bytesTotal: '1048576', bytesTransferred: '524288', completed: false });
    expect(doc.jobError.toException).toBeUndefined();
    expect(doc.cause).toMatchObject({ code: 'E_ACCESSDENIED', hresult: 0x80070005, message: err.cause instanceof Error ? err.cause.message : '' });
  });

  it('every library error class has toJSON with name, message and code', () => {
    for (const err of [
      new PlatformNotSupportedError({ platform: 'linux' }), new ObjectDisposedError('x'), new TimeoutError({ timeoutMs: 5 }), new AbortError(),
      new HResultError(0x80200001),
      new IncompleteDownloadError({ jobId: 'j', state: JobState.Acknowledged, reason: 'r', dataLocation: 'd', completion: null,
        files: [{ remoteUrl: 'u', localPath: 'l', bytesTransferred: 5n, bytesTotal: null, temporaryPath: null }] }),
      new TruncatedTransferError({ jobId: 'j', state: JobState.Transferred, files: [{ remoteUrl: 'u', localPath: 'l', bytesTransferred: 5n, bytesTotal: 10n, temporaryPath: null }] }),
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

/**
 * Issue 26: a job in ERROR without an error object (Wine's BITS for a refused connection, a bad URL
 * or an untrusted certificate). The JobFailedError said only "the service gave no error
 * information"; it now says what the library read of the job (files, bytes), with secrets
 * redacted, and for an https URL what to check about the certificate.
 */
import { JobFailedError, JobState } from '../../../src';
import { connectFake, localPath } from '../../support/fake-env';

const HTTPS = 'https://user:s3cret@untrusted.test/setup.exe?token=abc123';
const HTTP = 'http://127.0.0.1:9/refused.bin';

const noErrorObject = (hresult: number) => ({ kind: 'fail', hresult, withErrorObject: false }) as const;

describe.each(['bits', 'delivery-optimization'] as const)('on the %s fake', (flavour) => {
  test('waitForCompletion: the message names the state, the file, its bytes and the https hint; no secret', async () => {
    const { manager } = await connectFake({ flavour, addFile: 'supported', script: { [HTTPS]: noErrorObject(0x80072f0d) } });
    const job = await manager.createJob('untrusted');
    const target = localPath(`${flavour}-untrusted.exe`);
    await job.addFile(HTTPS, target);
    await job.resume();
    const failure = (await job.waitForCompletion({ pollIntervalMs: 5 }).catch((e: unknown) => e)) as JobFailedError;
    expect(failure).toBeInstanceOf(JobFailedError);
    expect(failure.jobError).toBeNull();
    expect(failure.state).toBe(JobState.Error);
    const { message } = failure;
    expect(message).toContain(`Job ${job.id} failed in state ERROR: the service gave no error information. What the library read of the job: `);
    expect(message).toContain('0 of 1 file transferred, 0 of ? bytes');
    expect(message).toContain(`https://***@untrusted.test/setup.exe?token=*** -> ${target} (0 of ? bytes)`);
    expect(message).toMatch(/The URL is https: .*may not trust its certificate .*Trusted Root Certification Authorities store/);
    expect(message).not.toContain('s3cret');
    expect(message).not.toContain('abc123');
    expect(JSON.stringify(failure)).not.toContain('s3cret');
    await job.cancel();
    job.dispose();
    manager.dispose();
  });

  test('download(): the same facts; an http URL gets no certificate hint', async () => {
    const { manager } = await connectFake({ flavour, addFile: 'supported', script: { [HTTP]: noErrorObject(0x80072efd) } });
    const target = localPath(`${flavour}-refused.bin`);
    const failure = (await manager.download(HTTP, target, { pollIntervalMs: 5 }).catch((e: unknown) => e)) as JobFailedError;
    expect(failure).toBeInstanceOf(JobFailedError);
    expect(failure.jobError).toBeNull();
    expect(failure.message).toContain(`${HTTP} -> ${target} (0 of ? bytes)`);
    expect(failure.message).not.toMatch(/certificate/);
    manager.dispose();
  });

  test('a job with an error object keeps the error in the message (no facts), as a ServerCertificateError', async () => {
    const url = 'https://untrusted.test/with-error.bin';
    const { manager } = await connectFake({ flavour, addFile: 'supported', script: { [url]: { kind: 'fail', hresult: 0x80072f0d } } });
    const job = await manager.createJob('with error');
    await job.addFile(url, localPath(`${flavour}-with-error.bin`));
    await job.resume();
    const failure = (await job.waitForCompletion({ pollIntervalMs: 5 }).catch((e: unknown) => e)) as JobFailedError;
    expect(failure.message).toContain('ERROR_WINHTTP_SECURE_INVALID_CA (0x80072F0D)');
    expect(failure.message).not.toContain('What the library read');
    expect(failure.jobError?.toException().name).toBe('ServerCertificateError');
    await job.cancel();
    job.dispose();
    manager.dispose();
  });
});

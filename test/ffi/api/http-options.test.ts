/**
 * IBackgroundCopyJobHttpOptions2 and 3 through the library, on the fake's native vtables: the HTTP
 * method, write-only headers, and a server-certificate validator implemented in JavaScript that
 * the service calls. Where the service lacks them (Wine), a typed NoInterfaceError.
 */
import {
  BackgroundCopyManager, CERTIFICATE_REJECTED, ErrorContext, JobState, NoInterfaceError, type BackgroundCopyJob, type ServerCertificate,
} from '../../../src';
import { createFakeService, fakeContent, fakeServerCertificate, WINE_LIKE_OPTIONS, type FakeServiceOptions } from '../../../src/testing';
import { localPath } from '../../support/fake-env';
import * as fs from 'fs';

const HTTPS = 'https://secure.test/file.bin';
const HTTP = 'http://plain.test/file.bin';

async function withJob(options: FakeServiceOptions, fn: (job: BackgroundCopyJob, manager: BackgroundCopyManager) => Promise<void>): Promise<void> {
  const fake = createFakeService({ flavour: 'bits', script: { [HTTPS]: { kind: 'succeed', bytes: 2048 }, [HTTP]: { kind: 'succeed', bytes: 512 } }, ...options });
  const manager = await BackgroundCopyManager.connect({ service: fake });
  const job = await manager.createJob('http options');
  try {
    await fn(job, manager);
  } finally {
    await job.cancel().catch(() => undefined);
    await job.close();
    manager.dispose();
  }
}

async function untilState(job: BackgroundCopyJob, wanted: JobState): Promise<void> {
  for await (const s of job.watch({ pollIntervalMs: 5 })) if (s.state === wanted) return;
}

test('HTTP method: GET by default, set and read back; a non-token is refused before the service', async () => {
  await withJob({}, async (job) => {
    expect(await job.getHttpMethod()).toBe('GET');
    await job.setHttpMethod('POST');
    expect(await job.getHttpMethod()).toBe('POST');
    await expect(job.setHttpMethod('GET /x')).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
    await expect(job.setHttpMethod('')).rejects.toBeInstanceOf(Error);
  });
});

test('write-only headers: still set, no longer readable (E_ACCESSDENIED)', async () => {
  await withJob({}, async (job) => {
    await job.setCustomHeaders('Authorization: Bearer secret-token');
    expect(await job.getCustomHeaders()).toBe('Authorization: Bearer secret-token');
    await job.makeCustomHeadersWriteOnly();
    const error = await job.getCustomHeaders().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_ACCESSDENIED', hresult: 0x80070005 });
    expect(String((error as Error).message)).not.toContain('secret-token');
  });
});

test('the validator sees the https certificate; accepting lets the download finish', async () => {
  await withJob({}, async (job) => {
    const seen: ServerCertificate[] = [];
    await job.setServerCertificateValidation((cert) => {
      seen.push(cert);
      return true;
    });
    const target = localPath('accepted.bin');
    await job.addFile(HTTPS, target);
    await job.resume();
    await job.waitForCompletion({ pollIntervalMs: 5 });
    await job.complete();
    expect(fs.readFileSync(target).equals(fakeContent(HTTPS, 2048))).toBe(true);
    expect(seen).toEqual([{ data: fakeServerCertificate(HTTPS), encodingType: 1, store: Buffer.alloc(0) }]);
  });
});

test('plain http never asks the validator', async () => {
  await withJob({}, async (job) => {
    const validator = jest.fn(() => true);
    await job.setServerCertificateValidation(validator);
    await job.addFile(HTTP, localPath('plain.bin'));
    await job.resume();
    await job.waitForCompletion({ pollIntervalMs: 5 });
    expect(validator).not.toHaveBeenCalled();
  });
});

test.each([
  ['returns false', () => false],
  ['throws', () => {
    throw new Error('validator bug');
  }],
])('a validator that %s rejects: TRANSIENT_ERROR, context SERVER_CERTIFICATE_CALLBACK, TRUST_E_FAIL', async (_name, validator) => {
  await withJob({}, async (job) => {
    const errors: unknown[] = [];
    job.on('error', (e) => void errors.push(e));
    await job.setServerCertificateValidation(validator);
    await job.addFile(HTTPS, localPath('rejected.bin'));
    await job.resume();
    await untilState(job, JobState.TransientError);
    const error = await job.getError();
    expect(error).toMatchObject({ hresult: CERTIFICATE_REJECTED, context: ErrorContext.ServerCertificateCallback, contextName: 'SERVER_CERTIFICATE_CALLBACK' });
    if (_name === 'throws') expect(errors).toContainEqual(expect.objectContaining({ message: 'validator bug' }));
    else expect(errors).toEqual([]);
  });
});

test('null removes the validator (the download then goes through), and the service releases what it held', async () => {
  const fake = createFakeService({ flavour: 'bits', script: { [HTTPS]: { kind: 'succeed', bytes: 64 } } });
  const manager = await BackgroundCopyManager.connect({ service: fake });
  const job = await manager.createJob('remove');
  const validator = jest.fn(() => false);
  await job.setServerCertificateValidation(validator);
  await job.setServerCertificateValidation(null);
  await job.addFile(HTTPS, localPath('removed.bin'));
  await job.resume();
  await job.waitForCompletion({ pollIntervalMs: 5 });
  expect(validator).not.toHaveBeenCalled();
  await job.complete();
  await job.close();
  manager.dispose();
  // The after-test check (test/ffi/setup.ts) verifies the fake balanced every AddRef/Release.
});

test('a non-function validator is a TypeError before the service is called', async () => {
  await withJob({}, async (job) => {
    await expect(job.setServerCertificateValidation('yes' as unknown as () => boolean)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
  });
});

test('without IBackgroundCopyJobHttpOptions2/3 (Wine): NoInterfaceError (E_NOINTERFACE), typed, for each new method', async () => {
  await withJob({ ...WINE_LIKE_OPTIONS }, async (job) => {
    for (const call of [
      () => job.setHttpMethod('POST'), () => job.getHttpMethod(), () => job.makeCustomHeadersWriteOnly(), () => job.setServerCertificateValidation(() => true),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NoInterfaceError);
      expect(error).toMatchObject({ code: 'E_NOINTERFACE', hresult: 0x80004002 });
    }
    // The first interface is still there.
    await job.setCustomHeaders('X-A: 1');
    expect(await job.getCustomHeaders()).toBe('X-A: 1');
  });
});

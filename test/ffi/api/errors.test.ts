import { ErrorContext, HttpError, JobFailedError, JobState, NotImplementedError, ClassNotRegisteredError, ServiceUnavailableError } from '../../../src';
import { BackgroundCopyManager } from '../../../src';
import { createFakeService } from '../../../src/testing';
import { connectFake, localPath } from '../../support/fake-env';

const URL_404 = 'http://example.test/missing.bin';

describe.each(['bits', 'delivery-optimization'] as const)('job errors on the %s fake', (flavour) => {
  test('a 404 gives a JobError with code, context, descriptions, protocol and the failing file', async () => {
    const { manager } = await connectFake({ flavour, addFile: 'supported', script: { [URL_404]: { kind: 'fail', hresult: 0x80190194 } } });
    const job = await manager.createJob('404');
    const target = localPath(`${flavour}-404.bin`);
    await job.addFile(URL_404, target);
    await job.resume();
    const failure = await job.waitForCompletion({ pollIntervalMs: 5 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(JobFailedError);
    const jobError = (failure as JobFailedError).jobError!;
    expect(jobError).toMatchObject({
      hresult: 0x80190194,
      code: 'BG_E_HTTP_ERROR_404',
      context: ErrorContext.RemoteFile,
      contextName: 'REMOTE_FILE',
      protocol: 'http',
      file: { remoteUrl: URL_404, localPath: target },
    });
    expect(jobError.description).toEqual(expect.any(String));
    expect(jobError.toException()).toBeInstanceOf(HttpError);
    expect((jobError.toException() as HttpError).status).toBe(404);
    const status = await job.status();
    expect(status.state).toBe(JobState.Error);
    expect(status.error?.hresult).toBe(0x80190194);
    expect((failure as Error).message).toContain('0x80190194');
    await job.cancel();
    job.dispose();
    manager.dispose();
  });

  test('issue 20: a failed job rejects with a JobFailedError whose state is JobState.Error (the README catch pattern, on download() too)', async () => {
    const { manager } = await connectFake({ flavour, addFile: 'supported', script: { [URL_404]: { kind: 'fail', hresult: 0x80190194 } } });
    const job = await manager.createJob('state');
    await job.addFile(URL_404, localPath(`${flavour}-state.bin`));
    await job.resume();
    const waited = await job.waitForCompletion({ pollIntervalMs: 5 }).catch((e: unknown) => e);
    const downloaded = await manager.download(URL_404, localPath(`${flavour}-state-2.bin`), { pollIntervalMs: 5 }).catch((e: unknown) => e);
    for (const error of [waited, downloaded]) {
      expect(error).toBeInstanceOf(JobFailedError);
      if (!(error instanceof JobFailedError)) continue;
      expect(error.state === JobState.Error).toBe(true);
      expect(error.stateName).toBe('ERROR');
      expect(error.message).toContain('failed in state ERROR');
    }
    await job.cancel();
    job.dispose();
    manager.dispose();
  });

  test('when the description methods fail, our own message fills in and nothing is lost', async () => {
    const { manager } = await connectFake({ flavour, addFile: 'supported', errorDescriptions: 'null-ref', script: { [URL_404]: { kind: 'fail', hresult: 0x80190194 } } });
    const job = await manager.createJob('no descriptions');
    await job.addFile(URL_404, localPath('nd.bin'));
    await job.resume();
    await job.waitForCompletion({ pollIntervalMs: 5 }).catch(() => undefined);
    const error = await job.getError();
    expect(error).toMatchObject({ hresult: 0x80190194, code: 'BG_E_HTTP_ERROR_404', description: null, contextDescription: null });
    expect(error!.message).toMatch(/404/);
    await job.cancel();
    job.dispose();
    manager.dispose();
  });

  test('ERROR without an error object (Wine, connection refused): getError() is null, the wait still rejects', async () => {
    const url = 'http://127.0.0.1:9/refused';
    const { manager } = await connectFake({ flavour, addFile: 'supported', script: { [url]: { kind: 'fail', hresult: 0x80072efd, withErrorObject: false } } });
    const job = await manager.createJob('refused');
    await job.addFile(url, localPath('refused.bin'));
    await job.resume();
    const failure = await job.waitForCompletion({ pollIntervalMs: 5 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(JobFailedError);
    expect((failure as JobFailedError).jobError).toBeNull();
    expect((failure as Error).message).toMatch(/no error information/);
    expect(await job.getError()).toBeNull();
    await job.cancel();
    job.dispose();
    manager.dispose();
  });

  test('a transient error is not fatal: the wait goes on and succeeds', async () => {
    const url = 'http://example.test/flaky';
    const { fake, manager } = await connectFake({ flavour, addFile: 'supported', script: { [url]: { kind: 'transient', hresult: 0x80200010, then: { kind: 'succeed', bytes: 10 } } } });
    const job = await manager.createJob('flaky');
    await job.addFile(url, localPath('flaky.bin'));
    await job.resume();
    const status = await job.waitForCompletion({ pollIntervalMs: 2 });
    expect(status.state).toBe(JobState.Transferred);
    // The job really went through TRANSIENT_ERROR on the way (the fake's record: polling may miss it).
    expect(fake.jobs()[0].stateHistory).toContain(JobState.TransientError);
    expect(fake.jobs()[0].errorCount).toBeGreaterThanOrEqual(1);
    await job.complete();
    job.dispose();
    manager.dispose();
  });

  test('E_NOTIMPL from any method is a NotImplementedError naming the method', async () => {
    const { manager } = await connectFake({ flavour, notImplemented: ['IBackgroundCopyJob::GetTimes'] });
    const job = await manager.createJob('notimpl');
    const error = await job.getTimes().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotImplementedError);
    expect((error as Error).message).toMatch(/IBackgroundCopyJob::GetTimes failed: E_NOTIMPL \(0x80004001\)/);
    await job.cancel();
    job.dispose();
    manager.dispose();
  });

  test('a service that dies mid-call gives ServiceUnavailableError', async () => {
    const { manager } = await connectFake({ flavour, failures: { 'IBackgroundCopyJob::GetState': 0x800706ba } });
    const job = await manager.createJob('dead');
    const error = await job.getState().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).isTransient).toBe(true);
    await job.cancel();
    job.dispose();
    manager.dispose();
  });
});

test('a class that is not registered gives ClassNotRegisteredError naming the Windows version', async () => {
  const fake = createFakeService({ flavour: 'delivery-optimization', classRegistered: false });
  const error = await BackgroundCopyManager.connect({ service: fake }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ClassNotRegisteredError);
  expect((error as Error).message).toMatch(/1709/);
});

test('complete() reports BG_S_PARTIAL_COMPLETE and cancel() BG_S_UNABLE_TO_DELETE_FILES instead of hiding them', async () => {
  const { manager } = await connectFake({ flavour: 'bits', cancelUnableToDelete: true, script: { [URL_404]: { kind: 'fail', hresult: 0x80190194 } } });
  const failed = await manager.createJob('partial');
  await failed.addFile(URL_404, localPath('partial.bin'));
  await failed.resume();
  await failed.waitForCompletion({ pollIntervalMs: 5 }).catch(() => undefined);
  expect(await failed.complete()).toMatchObject({ code: 'BG_S_PARTIAL_COMPLETE', partial: true, hresult: 0x00200017 });
  const other = await manager.createJob('cancel');
  await other.addFile('http://example.test/x', localPath('x.bin'));
  expect(await other.cancel()).toMatchObject({ code: 'BG_S_UNABLE_TO_DELETE_FILES', unableToDeleteFiles: true });
  failed.dispose();
  other.dispose();
  manager.dispose();
});

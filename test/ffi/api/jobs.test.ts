import * as fs from 'fs';
import { JobPriority, JobPropertyId, JobState, JobType, ProxyUsage, AuthTarget, AuthScheme, CertStoreLocation, FilePropertyId, EmptyJobError, InvalidStateError, JobNotFoundError, NoInterfaceError } from '../../../src';
import { fakeContent } from '../../../src/testing';
import { connectFake, localPath } from '../../support/fake-env';

describe.each(['bits', 'delivery-optimization'] as const)('jobs on the %s fake', (flavour) => {
  test('create → addFile → resume → wait → complete writes the bytes; ids are lowercase GUIDs', async () => {
    const url = 'http://example.test/a.bin';
    const { fake, manager } = await connectFake({ flavour, script: { [url]: { kind: 'succeed', bytes: 5000, durationMs: 30 } } });
    const job = await manager.createJob('a job', { priority: JobPriority.High, description: 'desc' });
    expect(job.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await job.getState()).toBe(JobState.Suspended);
    const target = localPath(`${flavour}-a.bin`);
    await job.addFile(url, target);
    await job.resume();
    const status = await job.waitForCompletion({ pollIntervalMs: 5 });
    expect(status.state).toBe(JobState.Transferred);
    expect(status.progress).toMatchObject({ bytesTransferred: 5000n, filesTotal: 1, filesTransferred: 1 });
    expect(await job.complete()).toEqual({ hresult: 0, code: 'S_OK', partial: false, unableToDeleteFiles: false });
    expect(fs.readFileSync(target).equals(fakeContent(url, 5000))).toBe(true);
    expect(await job.getState()).toBe(JobState.Acknowledged);
    await expect(job.resume()).rejects.toBeInstanceOf(InvalidStateError);
    job.dispose();
    manager.dispose();
    expect(fake.nativeCalls).toBeGreaterThan(5);
  });

  test('every pointer taken from the service gets the proxy blanket: job, enumerator, files, error', async () => {
    const url = 'http://example.test/blanket-404';
    const { fake, manager } = await connectFake({ flavour, addFile: 'supported', script: { [url]: { kind: 'fail', hresult: 0x80190194 } } });
    let mark = fake.stats().proxyBlankets;
    const blanketsSince = () => fake.stats().proxyBlankets - mark;
    const job = await manager.createJob('blanket');
    expect(blanketsSince()).toBe(1);
    await job.addFiles([{ remoteUrl: url, localPath: localPath('blanket-1.bin') }, { remoteUrl: 'http://example.test/b2', localPath: localPath('blanket-2.bin') }]);
    mark = fake.stats().proxyBlankets;
    const files = await job.files();
    expect(blanketsSince()).toBe(files.length + 1); // the enumerator and each file
    await job.resume();
    await expect(job.waitForCompletion({ pollIntervalMs: 2 })).rejects.toThrow();
    mark = fake.stats().proxyBlankets;
    expect(await job.getError()).not.toBeNull();
    expect(blanketsSince()).toBeGreaterThanOrEqual(2); // the error object and its file
    for (const f of files) f.dispose();
    await job.cancel();
    job.dispose();
    manager.dispose();
  });

  test('addFiles, files(), file wrappers', async () => {
    const { fake, manager } = await connectFake({ flavour, addFile: 'supported' });
    const job = await manager.createJob('files');
    await job.addFiles([
      { remoteUrl: 'http://example.test/1', localPath: localPath('1.bin') },
      { remoteUrl: 'http://example.test/2', localPath: localPath('2.bin') },
    ]);
    const files = await job.files();
    expect(files).toHaveLength(2);
    expect(await files[0].getRemoteName()).toBe('http://example.test/1');
    expect(await files[1].getLocalName()).toBe(localPath('2.bin'));
    expect((await files[0].getProgress()).completed).toBe(false);
    expect(await files[0].getFileRanges()).toEqual([]);
    expect(await files[0].getValidationState()).toBe(false);
    expect(await files[0].isDownloadedFromPeer()).toBe(false);
    expect(await files[0].getPeerDownloadStats()).toEqual({ fromOrigin: 0n, fromPeers: 0n }); // nothing transferred yet
    expect(await files[0].getProperty(FilePropertyId.HttpResponseHeaders)).toBe(''); // no response yet
    // What the fake received, seen from its side:
    expect(fake.jobs()[0].files.map((f) => [f.remoteName, f.localName])).toEqual([
      ['http://example.test/1', localPath('1.bin')],
      ['http://example.test/2', localPath('2.bin')],
    ]);
    files.forEach((f) => f.dispose());
    await job.cancel();
    job.dispose();
    manager.dispose();
  });

  test('resume with no files → EmptyJobError; getJob of an unknown id → JobNotFoundError', async () => {
    const { manager } = await connectFake({ flavour });
    const job = await manager.createJob('empty');
    const empty = await job.resume().catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(EmptyJobError);
    expect((empty as EmptyJobError).hresult).toBe(flavour === 'bits' ? 0x80200003 : 0x80d02004);
    const missing = await manager.getJob('01234567-89ab-cdef-0123-456789abcdef').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(JobNotFoundError);
    expect((missing as JobNotFoundError).code).toBe(flavour === 'bits' ? 'BG_E_NOT_FOUND' : 'DO_E_JOB_NOT_FOUND');
    await job.cancel();
    job.dispose();
    manager.dispose();
  });

  test('getJob and jobs() find the same job; each wrapper owns its own reference', async () => {
    const { manager } = await connectFake({ flavour });
    const job = await manager.createJob('find me');
    const again = await manager.getJob(job.id.toUpperCase());
    expect(again.id).toBe(job.id);
    expect(await again.getDisplayName()).toBe('find me');
    const listed = await manager.jobs();
    expect(listed.map((j) => j.id)).toContain(job.id);
    listed.forEach((j) => j.dispose());
    again.dispose();
    await job.cancel();
    job.dispose();
    manager.dispose();
  });

  test('properties round-trip', async () => {
    const { manager } = await connectFake({ flavour });
    const job = await manager.createJob('props');
    await job.setDisplayName('renamed');
    expect(await job.getDisplayName()).toBe('renamed');
    await job.setDescription('about');
    expect(await job.getDescription()).toBe('about');
    await job.setPriority(JobPriority.Low);
    expect(await job.getPriority()).toBe(JobPriority.Low);
    await job.setNotifyFlags(3);
    expect(await job.getNotifyFlags()).toBe(3);
    await job.setMinimumRetryDelay(60);
    expect(await job.getMinimumRetryDelay()).toBe(60);
    await job.setNoProgressTimeout(120);
    expect(await job.getNoProgressTimeout()).toBe(120);
    await job.setProxySettings({ usage: ProxyUsage.Override, proxyList: 'http://proxy:8080', bypassList: '<local>' });
    expect(await job.getProxySettings()).toEqual({ usage: ProxyUsage.Override, proxyList: 'http://proxy:8080', bypassList: '<local>' });
    expect(await job.getType()).toBe(JobType.Download);
    expect(await job.getOwner()).toMatch(/^S-1-/);
    expect(await job.getErrorCount()).toBe(0);
    const times = await job.getTimes();
    expect(times.created).toBeInstanceOf(Date);
    expect(times.transferCompleted).toBeNull();
    await job.cancel();
    job.dispose();
    manager.dispose();
  });

  test('Job2–Job5 and HTTP options through QueryInterface', async () => {
    const { fake, manager } = await connectFake({ flavour, addFile: 'supported' });
    const job = await manager.createJob('ext');
    await job.setNotifyCmdLine('C:\\app.exe', '--done');
    expect(await job.getNotifyCmdLine()).toEqual({ program: 'C:\\app.exe', parameters: '--done' });
    await job.setCredentials({ target: AuthTarget.Server, scheme: AuthScheme.Basic, userName: 'user', password: 'secret' });
    expect(fake.jobs()[0].credentials).toEqual([{ target: 1, scheme: 1, userName: 'user', password: 'secret' }]);
    await job.removeCredentials(AuthTarget.Server, AuthScheme.Basic);
    expect(fake.jobs()[0].credentials).toEqual([]);
    await job.setFileAclFlags(0x3);
    expect(await job.getFileAclFlags()).toBe(0x3);
    await job.addFileWithRanges('http://example.test/r', localPath('r.bin'), [{ offset: 0n, length: 100n }, { offset: 200n, length: null }]);
    const [file] = await job.files();
    expect(await file.getFileRanges()).toEqual([{ offset: 0n, length: 100n }, { offset: 200n, length: null }]);
    file.dispose();
    await job.replaceRemotePrefix('http://example.test', 'http://mirror.test');
    expect(fake.jobs()[0].files.map((f) => f.remoteName)).toEqual(['http://mirror.test/r']);
    await job.setPeerCachingFlags(1);
    expect(await job.getPeerCachingFlags()).toBe(1);
    expect(await job.getOwnerIntegrityLevel()).toBe(0x2000); // what the fake answers: SECURITY_MANDATORY_MEDIUM_RID
    expect(await job.getOwnerElevationState()).toBe(false);
    await job.setMaximumDownloadTime(3600);
    expect(await job.getMaximumDownloadTime()).toBe(3600);
    await job.setProperty(JobPropertyId.CostFlags, 0x80000021);
    expect(await job.getProperty(JobPropertyId.CostFlags)).toBe(0x80000021);
    await job.setCustomHeaders('X-Test: 1');
    expect(await job.getCustomHeaders()).toBe('X-Test: 1');
    await job.setSecurityFlags(0x1);
    expect(await job.getSecurityFlags()).toBe(0x1);
    await job.setClientCertificateByName(CertStoreLocation.CurrentUser, 'MY', 'CN=me');
    expect(await job.getClientCertificate()).toMatchObject({ location: CertStoreLocation.CurrentUser, storeName: 'MY', subjectName: 'CN=me' });
    await job.removeClientCertificate();
    await expect(job.getClientCertificate()).rejects.toMatchObject({ name: expect.stringMatching(/Error$/) });
    await job.cancel();
    job.dispose();
    manager.dispose();
  });
});

test('a service without IBackgroundCopyJob5 answers NoInterfaceError (like Wine)', async () => {
  const { manager } = await connectFake({ flavour: 'bits', jobInterfaces: 4 });
  const job = await manager.createJob('no job5');
  const error = await job.getProperty(JobPropertyId.CostFlags).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(NoInterfaceError);
  await job.cancel();
  job.dispose();
  manager.dispose();
});

test('Delivery Optimization: AddFile answers E_NOTIMPL, the job falls back to IDeliveryOptimizationJob', async () => {
  const url = 'http://example.test/do.bin';
  const { fake, manager } = await connectFake({ flavour: 'delivery-optimization', addFile: 'notimpl', script: { [url]: { kind: 'succeed', bytes: 321 } } });
  const job = await manager.createJob('do fallback');
  const target = localPath('do.bin');
  await job.addFile(url, target);
  expect(fake.calledMethods().has('IDeliveryOptimizationJob::AddFileWithRanges')).toBe(true);
  await job.resume();
  await job.waitForCompletion({ pollIntervalMs: 5 });
  await job.complete();
  expect(fs.readFileSync(target).equals(fakeContent(url, 321))).toBe(true);
  job.dispose();
  manager.dispose();
});

test('Delivery Optimization without AddFileWithRanges: IDeliveryOptimizationJob2::AddFile and the DownloadSinkFilePath property (a BSTR VARIANT)', async () => {
  const url = 'http://example.test/do2.bin';
  const { fake, manager } = await connectFake({
    flavour: 'delivery-optimization',
    addFile: 'notimpl',
    notImplemented: ['IDeliveryOptimizationJob::AddFileWithRanges'],
    script: { [url]: { kind: 'succeed', bytes: 777 } },
  });
  const job = await manager.createJob('do2 fallback');
  const target = localPath('do2.bin');
  await job.addFile(url, target);
  const called = fake.calledMethods();
  expect(called.has('IDeliveryOptimizationJob2::AddFile')).toBe(true);
  expect(called.has('IDeliveryOptimizationFile2::SetProperty')).toBe(true);
  expect(fake.jobs()[0].files[0]).toMatchObject({ remoteName: url, localName: target });
  await job.resume();
  await job.waitForCompletion({ pollIntervalMs: 5 });
  await job.complete();
  expect(fs.readFileSync(target).equals(fakeContent(url, 777))).toBe(true);
  job.dispose();
  manager.dispose();
});

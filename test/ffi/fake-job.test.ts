/**
 * Job properties through IBackgroundCopyJob … Job5 and the IBackgroundCopyJobHttpOptions tear-off:
 * defaults, validation, round trips, and the notImplemented / failures options.
 */
import {
  IBackgroundCopyFile2, IBackgroundCopyJob, IBackgroundCopyJob2, IBackgroundCopyJob3, IBackgroundCopyJob4, IBackgroundCopyJob5,
  IBackgroundCopyJobHttpOptions, IBackgroundCopyManager, IEnumBackgroundCopyFiles, JobPropertyId, TransferPolicy, decodeJobTimes,
  CertStoreLocation, JobPriority, ProxyUsage,
} from '../../src/bits';
import { ComPtr, IUnknown, guidToBytes, pointerSize, readPointer, UINT64_MAX } from '../../src/com';
import { createFakeService, type FakeService, type FakeServiceOptions } from '../../src/testing';

const E_NOTIMPL = 0x80004001;
const E_INVALIDARG = 0x80070057;
const S_FALSE = 1;
const BG_E_INVALID_STATE = 0x80200002;

interface Fixture {
  fake: FakeService;
  manager: ComPtr<typeof IBackgroundCopyManager>;
  job: ComPtr<typeof IBackgroundCopyJob5>;
  id: string;
  done(): Promise<void>;
}

async function fixture(options: FakeServiceOptions = {}, name = 'job'): Promise<Fixture> {
  const fake = createFakeService(options);
  const { ptr } = await fake.runtime.createInstance(fake.clsid, IBackgroundCopyManager.iid);
  const manager = ComPtr.own(ptr as bigint, IBackgroundCopyManager, fake.runtime);
  const [id, jobPtr] = await manager.invoke('CreateJob', name, 0);
  const job = ComPtr.own(jobPtr as bigint, IBackgroundCopyJob5, fake.runtime);
  return { fake, manager, job, id, done: async () => { await job.release(); await manager.release(); } };
}

describe('IBackgroundCopyJob', () => {
  test('defaults of a new job', async () => {
    const f = await fixture();
    const { job } = f;
    expect(await job.invoke('GetState')).toEqual(3);
    expect(await job.invoke('GetType')).toEqual(0);
    expect(await job.invoke('GetPriority')).toEqual(2);
    expect(await job.invoke('GetNotifyFlags')).toEqual(3);
    expect(await job.invoke('GetMinimumRetryDelay')).toEqual(600);
    expect(await job.invoke('GetNoProgressTimeout')).toEqual(1_209_600);
    expect(await job.invoke('GetErrorCount')).toEqual(0);
    expect(await job.invoke('GetDescription')).toEqual('');
    expect(await job.invoke('GetOwner')).toEqual('S-1-5-21-1-2-3-1001');
    expect(await job.invoke('GetNotifyInterface')).toEqual(null);
    expect(await job.invoke('GetProgress')).toEqual({ bytesTotal: 0n, bytesTransferred: 0n, filesTotal: 0, filesTransferred: 0 });
    expect(await job.invoke('GetProxySettings')).toEqual([0, null, null]);
    const times = await job.invoke('GetTimes');
    expect(times.created).toBeInstanceOf(Date);
    expect(Math.abs((times.created as Date).getTime() - Date.now())).toBeLessThan(5000);
    expect(times.transferCompleted).toBeNull();
    await f.done();
  });

  test('setters validate and round-trip', async () => {
    const f = await fixture();
    const { job } = f;
    await job.invoke('SetDisplayName', 'renamed');
    expect(await job.invoke('GetDisplayName')).toEqual('renamed');
    expect((await job.invokeRaw('SetDisplayName', 'x'.repeat(257))).hr).toBe(E_INVALIDARG);
    await job.invoke('SetDescription', 'd'.repeat(1024));
    expect(await job.invoke('GetDescription')).toHaveLength(1024);
    expect((await job.invokeRaw('SetDescription', 'd'.repeat(1025))).hr).toBe(0x80200021);
    expect((await job.invokeRaw('SetDescription', null)).hr).toBe(E_INVALIDARG);
    await job.invoke('SetPriority', 0);
    expect(await job.invoke('GetPriority')).toEqual(0);
    expect((await job.invokeRaw('SetPriority', 4 as JobPriority)).hr).toBe(E_INVALIDARG);
    await job.invoke('SetNotifyFlags', 0x3f);
    expect((await job.invokeRaw('SetNotifyFlags', 0x40)).hr).toBe(E_NOTIMPL); // as BITS documents
    await job.invoke('SetMinimumRetryDelay', 1);
    expect(await job.invoke('GetMinimumRetryDelay')).toEqual(5);
    await job.invoke('SetNoProgressTimeout', 42);
    expect(await job.invoke('GetNoProgressTimeout')).toEqual(42);
    await job.invoke('TakeOwnership');
    await f.done();
  });

  test('proxy settings: lists only with OVERRIDE, at most 32,000 characters', async () => {
    const f = await fixture();
    const { job } = f;
    await job.invoke('SetProxySettings', 2, 'http://proxy:8080', '<local>');
    expect(await job.invoke('GetProxySettings')).toEqual([2, 'http://proxy:8080', '<local>']);
    expect((await job.invokeRaw('SetProxySettings', 2, null, null)).hr).toBe(E_INVALIDARG);
    expect((await job.invokeRaw('SetProxySettings', 1, 'http://proxy', null)).hr).toBe(E_INVALIDARG);
    expect((await job.invokeRaw('SetProxySettings', 4 as ProxyUsage, null, null)).hr).toBe(E_INVALIDARG);
    expect((await job.invokeRaw('SetProxySettings', 2, 'p'.repeat(32_001), null)).hr).toBe(0x80200018);
    expect((await job.invokeRaw('SetProxySettings', 2, 'p', 'b'.repeat(32_001))).hr).toBe(0x80200019);
    await job.invoke('SetProxySettings', 3, null, null);
    expect(await job.invoke('GetProxySettings')).toEqual([3, null, null]);
    await f.done();
  });

  test('AddFile / AddFileSet validate names; EnumFiles lists the files', async () => {
    const f = await fixture();
    const { job, fake } = f;
    expect((await job.invokeRaw('AddFile', 'ftp://x/y', '/tmp/a')).hr).toBe(E_INVALIDARG);
    expect((await job.invokeRaw('AddFile', 'http://x/y', '')).hr).toBe(E_INVALIDARG);
    await job.invoke('AddFile', 'http://example.test/a', '/tmp/a');
    await job.invoke('AddFileSet', [
      { RemoteName: 'https://example.test/b', LocalName: '/tmp/b' },
      { RemoteName: '\\\\server\\share\\c', LocalName: '/tmp/c' },
    ]);
    expect((await job.invokeRaw('AddFileSet', [{ RemoteName: 'nope', LocalName: '/tmp/d' }])).hr).toBe(E_INVALIDARG);
    expect(fake.jobs()[0]?.files.map((x) => x.remoteName)).toEqual(['http://example.test/a', 'https://example.test/b', '\\\\server\\share\\c']);
    expect(await job.invoke('GetProgress')).toMatchObject({ bytesTotal: null, filesTotal: 3 });
    const files = ComPtr.own(await job.invoke('EnumFiles') as bigint, IEnumBackgroundCopyFiles, fake.runtime);
    expect(await files.invoke('GetCount')).toEqual(3);
    const rgelt = Buffer.alloc(pointerSize());
    await files.invoke('Next', 1, rgelt);
    const file = ComPtr.own(readPointer(rgelt) as bigint, IBackgroundCopyFile2, fake.runtime);
    expect(await file.invoke('GetRemoteName')).toEqual('http://example.test/a');
    expect(await file.invoke('GetLocalName')).toEqual('/tmp/a');
    expect(await file.invoke('GetProgress')).toEqual({ bytesTotal: null, bytesTransferred: 0n, completed: false });
    expect(await file.invokeRaw('GetFileRanges')).toMatchObject({ hr: S_FALSE, value: [] });
    expect((await file.invokeRaw('SetRemoteName', 'not a url')).hr).toBe(E_INVALIDARG);
    await file.invoke('SetRemoteName', 'http://example.test/a2');
    expect(await file.invoke('GetRemoteName')).toEqual('http://example.test/a2');
    await file.release();
    await files.release();
    await f.done();
  });

  test('upload jobs take one file', async () => {
    const fake = createFakeService();
    const { ptr } = await fake.runtime.createInstance(fake.clsid, IBackgroundCopyManager.iid);
    const m = ComPtr.own(ptr as bigint, IBackgroundCopyManager, fake.runtime);
    const job = ComPtr.own((await m.invoke('CreateJob', 'up', 1))[1] as bigint, IBackgroundCopyJob, fake.runtime);
    await job.invoke('AddFile', 'http://example.test/upload', '/tmp/up');
    expect((await job.invokeRaw('AddFile', 'http://example.test/upload2', '/tmp/up2')).hr).toBe(0x8020001c);
    await job.release();
    await m.release();
  });

  test('final states: mutators answer BG_E_INVALID_STATE, getters still work, GetJob no longer finds the job', async () => {
    const f = await fixture();
    const { job, manager, id } = f;
    expect(await job.invokeRaw('Cancel')).toMatchObject({ hr: 0, value: undefined });
    expect(await job.invoke('GetState')).toEqual(8);
    for (const call of [
      () => job.invokeRaw('Resume'), () => job.invokeRaw('Suspend'), () => job.invokeRaw('Cancel'), () => job.invokeRaw('Complete'),
      () => job.invokeRaw('SetDescription', 'x'), () => job.invokeRaw('SetNotifyFlags', 1), () => job.invokeRaw('SetPriority', 1),
      () => job.invokeRaw('SetNotifyInterface', null), () => job.invokeRaw('SetMinimumRetryDelay', 60),
      () => job.invokeRaw('SetNoProgressTimeout', 60), () => job.invokeRaw('AddFile', 'http://x/y', '/tmp/y'),
    ]) {
      expect((await call()).hr).toBe(BG_E_INVALID_STATE);
    }
    expect(await job.invoke('GetDisplayName')).toEqual('job');
    expect((await manager.invokeRaw('GetJob', id)).hr).toBe(0x80200001);
    await f.done();
  });

  test('cancelUnableToDelete: Cancel answers BG_S_UNABLE_TO_DELETE_FILES, a success', async () => {
    const f = await fixture({ cancelUnableToDelete: true });
    expect(await f.job.invokeRaw('Cancel')).toMatchObject({ hr: 0x0020001a, value: undefined });
    await f.done();
  });
});

describe('IBackgroundCopyJob2 … Job5', () => {
  test('QueryInterface answers Job2 … Job5 with the same object', async () => {
    const f = await fixture();
    for (const iface of [IBackgroundCopyJob, IBackgroundCopyJob2, IBackgroundCopyJob3, IBackgroundCopyJob4, IBackgroundCopyJob5, IUnknown]) {
      const q = await f.job.query(iface);
      expect(q?.ptr).toBe(f.job.ptr);
      await q?.release();
    }
    await f.done();
  });

  test('jobInterfaces: 4 stops at Job4 like Wine', async () => {
    const f = await fixture({ jobInterfaces: 4 });
    expect(await f.job.query(IBackgroundCopyJob5)).toBeNull();
    const j4 = await f.job.query(IBackgroundCopyJob4);
    expect(j4).not.toBeNull();
    await j4?.release();
    await f.done();
  });

  test('Job2: command line, credentials (stored, never returned), reply methods on a download job', async () => {
    const f = await fixture();
    const { job, fake } = f;
    expect(await job.invoke('GetNotifyCmdLine')).toEqual([null, null]);
    await job.invoke('SetNotifyCmdLine', 'C:\\tool.exe', 'tool.exe --done');
    expect(await job.invoke('GetNotifyCmdLine')).toEqual(['C:\\tool.exe', 'tool.exe --done']);
    await job.invoke('SetCredentials', { Target: 1, Scheme: 1, UserName: 'user', Password: 'secret' });
    expect(fake.jobs()[0]?.credentials).toEqual([{ target: 1, scheme: 1, userName: 'user', password: 'secret' }]);
    expect((await job.invokeRaw('SetCredentials', { Target: 3, Scheme: 1, UserName: 'u', Password: 'p' })).hr).toBe(0x80200027);
    expect((await job.invokeRaw('SetCredentials', { Target: 1, Scheme: 9, UserName: 'u', Password: 'p' })).hr).toBe(0x80200028);
    expect((await job.invokeRaw('SetCredentials', { Target: 1, Scheme: 1, UserName: 'u'.repeat(301), Password: 'p' })).hr).toBe(0x80200025);
    expect((await job.invokeRaw('RemoveCredentials', 1, 1)).hr).toBe(0);
    expect((await job.invokeRaw('RemoveCredentials', 1, 1)).hr).toBe(S_FALSE);
    // BITS documents E_NOTIMPL for reply methods on download and upload jobs.
    expect((await job.invokeRaw('GetReplyProgress')).hr).toBe(E_NOTIMPL);
    expect((await job.invokeRaw('GetReplyData')).hr).toBe(E_NOTIMPL);
    expect((await job.invokeRaw('SetReplyFileName', '/tmp/reply')).hr).toBe(E_NOTIMPL);
    expect((await job.invokeRaw('GetReplyFileName')).hr).toBe(E_NOTIMPL);
    await f.done();
  });

  test('Job2 reply methods on an upload-reply job', async () => {
    const fake = createFakeService();
    const { ptr } = await fake.runtime.createInstance(fake.clsid, IBackgroundCopyManager.iid);
    const m = ComPtr.own(ptr as bigint, IBackgroundCopyManager, fake.runtime);
    const job = ComPtr.own((await m.invoke('CreateJob', 'reply', 2))[1] as bigint, IBackgroundCopyJob2, fake.runtime);
    expect(await job.invoke('GetReplyFileName')).toEqual(null);
    await job.invoke('SetReplyFileName', '/tmp/reply.bin');
    expect(await job.invoke('GetReplyFileName')).toEqual('/tmp/reply.bin');
    expect(await job.invoke('GetReplyProgress')).toEqual({ bytesTotal: null, bytesTransferred: 0n });
    expect((await job.invokeRaw('GetReplyData')).hr).toBe(BG_E_INVALID_STATE);
    await job.release();
    await m.release();
  });

  test('Job3: ReplaceRemotePrefix, AddFileWithRanges, ACL flags', async () => {
    const f = await fixture();
    const { job, fake } = f;
    await job.invoke('AddFile', 'http://old.test/dir/a', '/tmp/a');
    await job.invoke('ReplaceRemotePrefix', 'http://old.test', 'https://new.test');
    expect(fake.jobs()[0]?.files[0]?.remoteName).toBe('https://new.test/dir/a');
    expect((await job.invokeRaw('ReplaceRemotePrefix', '', 'x')).hr).toBe(E_INVALIDARG);
    await job.invoke('AddFileWithRanges', 'http://r.test/f', '/tmp/f', [{ InitialOffset: 0n, Length: 10n }, { InitialOffset: 100n, Length: UINT64_MAX }]);
    expect((await job.invokeRaw('AddFileWithRanges', 'http://r.test/g', '/tmp/g', [{ InitialOffset: 0n, Length: 10n }, { InitialOffset: 5n, Length: 1n }])).hr).toBe(0x8020002c);
    expect((await job.invokeRaw('AddFileWithRanges', 'http://r.test/g', '/tmp/g', [{ InitialOffset: UINT64_MAX, Length: 1n }])).hr).toBe(0x8020002b);
    expect((await job.invokeRaw('AddFileWithRanges', 'http://r.test/g', '/tmp/g', [])).hr).toBe(E_INVALIDARG);
    await job.invoke('SetFileACLFlags', 0xf);
    expect(await job.invoke('GetFileACLFlags')).toEqual(0xf);
    expect((await job.invokeRaw('SetFileACLFlags', 0x10)).hr).toBe(E_INVALIDARG);
    await f.done();
  });

  test('Job4: peer caching, owner integrity and elevation, maximum download time', async () => {
    const f = await fixture();
    const { job } = f;
    await job.invoke('SetPeerCachingFlags', 3);
    expect(await job.invoke('GetPeerCachingFlags')).toEqual(3);
    expect((await job.invokeRaw('SetPeerCachingFlags', 8)).hr).toBe(E_INVALIDARG);
    expect(await job.invoke('GetOwnerIntegrityLevel')).toEqual(0x2000);
    expect(await job.invoke('GetOwnerElevationState')).toEqual(false);
    expect(await job.invoke('GetMaximumDownloadTime')).toEqual(7_776_000);
    await job.invoke('SetMaximumDownloadTime', 3600);
    expect(await job.invoke('GetMaximumDownloadTime')).toEqual(3600);
    await f.done();
  });

  test('Job5: the by-value union round-trips (Dword, ClsID, Uint64, Enable)', async () => {
    const f = await fixture();
    const { job } = f;
    const cost = await job.invoke('GetProperty', JobPropertyId.CostFlags);
    expect(cost.readUInt32LE(0)).toBe(TransferPolicy.Always >>> 0);
    await job.invoke('SetProperty', JobPropertyId.CostFlags, { Dword: TransferPolicy.Standard >>> 0 });
    expect((await job.invoke('GetProperty', JobPropertyId.CostFlags)).readUInt32LE(0)).toBe(TransferPolicy.Standard >>> 0);
    const clsid = guidToBytes('01234567-89ab-cdef-0123-456789abcdef');
    await job.invoke('SetProperty', JobPropertyId.NotificationClsid, { ClsID: [...clsid] });
    expect(await job.invoke('GetProperty', JobPropertyId.NotificationClsid)).toEqual(clsid);
    await job.invoke('SetProperty', JobPropertyId.MaxDownloadSize, { Uint64: 0x123456789abcn });
    expect((await job.invoke('GetProperty', JobPropertyId.MaxDownloadSize)).readBigUInt64LE(0)).toBe(0x123456789abcn);
    await job.invoke('SetProperty', JobPropertyId.HighPerformance, { Enable: 1 });
    expect(await job.invoke('GetProperty', JobPropertyId.HighPerformance)).toEqual(Buffer.from([1, ...Array(15).fill(0)]));
    expect((await job.invokeRaw('GetProperty', 6 as JobPropertyId)).hr).toBe(0x80200057);
    expect((await job.invokeRaw('SetProperty', 99 as JobPropertyId, { Dword: 1 })).hr).toBe(0x80200057);
    await f.done();
  });

  test('Job5 in the DO flavour: only COST_FLAGS and NOTIFICATION_CLSID', async () => {
    const f = await fixture({ flavour: 'delivery-optimization' });
    const { job } = f;
    await job.invoke('SetProperty', JobPropertyId.CostFlags, { Dword: TransferPolicy.NotRoaming >>> 0 });
    expect((await job.invoke('GetProperty', JobPropertyId.CostFlags)).readUInt32LE(0)).toBe(TransferPolicy.NotRoaming >>> 0);
    expect((await job.invokeRaw('SetProperty', JobPropertyId.HighPerformance, { Enable: 1 })).hr).toBe(0x80d02011);
    expect((await job.invokeRaw('GetProperty', JobPropertyId.DynamicContent)).hr).toBe(0x80d02011);
    await f.done();
  });
});

describe('IBackgroundCopyJobHttpOptions (a tear-off)', () => {
  test('its IUnknown is the job; settings round-trip', async () => {
    const f = await fixture();
    const http = await f.job.query(IBackgroundCopyJobHttpOptions);
    if (!http) throw new Error('no HttpOptions');
    expect(http.ptr).not.toBe(f.job.ptr);
    const unknown = await http.query(IUnknown);
    expect(unknown?.ptr).toBe(f.job.ptr);
    await unknown?.release();
    const again = await f.job.query(IBackgroundCopyJobHttpOptions);
    expect(again?.ptr).toBe(http.ptr); // one live tear-off per job
    await again?.release();

    expect((await http.invokeRaw('GetClientCertificate')).hr).toBe(0x800706f7);
    const hash = Buffer.alloc(20, 0xab);
    await http.invoke('SetClientCertificateByID', 1, 'MY', hash);
    const [location, store, blob, subject] = await http.invoke('GetClientCertificate');
    expect([location, store, subject]).toEqual([1, 'MY', '']);
    f.fake.runtime.coTaskMemFree(blob as bigint); // the hash blob is the caller's to free
    await http.invoke('SetClientCertificateByName', 0, 'MY', 'CN=client');
    expect((await http.invoke('GetClientCertificate'))[3]).toBe('CN=client');
    f.fake.runtime.coTaskMemFree((await http.invoke('GetClientCertificate'))[2] as bigint);
    expect((await http.invokeRaw('SetClientCertificateByName', 8 as CertStoreLocation, 'MY', 'CN=x')).hr).toBe(E_INVALIDARG);
    expect((await http.invokeRaw('RemoveClientCertificate')).hr).toBe(0);
    expect((await http.invokeRaw('RemoveClientCertificate')).hr).toBe(S_FALSE);
    expect(await http.invokeRaw('GetCustomHeaders')).toMatchObject({ hr: S_FALSE, value: null });
    await http.invoke('SetCustomHeaders', 'X-A: 1\r\nX-B: 2');
    expect(await http.invoke('GetCustomHeaders')).toEqual('X-A: 1\r\nX-B: 2');
    await http.invoke('SetSecurityFlags', 0x800 | 0x100 | 0x1);
    expect(await http.invoke('GetSecurityFlags')).toEqual(0x901);
    expect((await http.invokeRaw('SetSecurityFlags', 0x1000)).hr).toBe(E_INVALIDARG);
    await http.release();
    await f.done();
  });
});

describe('notImplemented and failures options', () => {
  test('E_NOTIMPL and forced failures write nothing and allocate nothing', async () => {
    const f = await fixture({
      notImplemented: ['IBackgroundCopyJob::GetTimes', 'IBackgroundCopyJob::GetOwner'],
      failures: { 'IBackgroundCopyJob::GetDisplayName': 0x80070005, 'IBackgroundCopyJob4::GetPeerCachingFlags': 0x800706ba },
    });
    const { job, fake } = f;
    expect(await job.invokeRaw('GetTimes')).toMatchObject({ hr: E_NOTIMPL, value: null });
    expect(await job.invokeRaw('GetOwner')).toMatchObject({ hr: E_NOTIMPL, value: null });
    expect(await job.invokeRaw('GetDisplayName')).toMatchObject({ hr: 0x80070005, value: null });
    expect(await job.invokeRaw('GetPeerCachingFlags')).toMatchObject({ hr: 0x800706ba, value: null });
    expect(fake.stats().coTaskMem.allocs).toBe(0);
    expect(fake.calledMethods()).toContain('IBackgroundCopyJob::GetTimes');
    expect(fake.stats().calls.get('IBackgroundCopyJob::GetTimes')).toBe(1);
    await f.done();
  });

  test('the raw struct is left untouched on failure', async () => {
    const f = await fixture({ notImplemented: ['IBackgroundCopyJob::GetTimes'] });
    // Call through the vtable with our own buffer to see that nothing was written.
    const k = (await import('../../src/com')).koffi();
    const slot = IBackgroundCopyJob.methods.GetTimes.slot;
    const fn = k.decode(k.decode(k.decode(f.job.ptr, 'void *') as bigint, slot * pointerSize(), 'void *'), k.proto('int32_t (void *, void *)'));
    const buf = Buffer.alloc(24, 0x5a);
    expect((fn(f.job.ptr, buf) as number) >>> 0).toBe(E_NOTIMPL);
    expect(buf.every((b) => b === 0x5a)).toBe(true);
    expect(decodeJobTimes(Buffer.alloc(24))).toEqual({ created: null, modified: null, transferCompleted: null });
    await f.done();
  });
});

/**
 * WINE_LIKE_OPTIONS is made from lists (src/testing/options.ts); this asserts each entry against
 * Wine's real BITS, so the fake's Wine profile cannot drift from Wine. A method added to a list
 * without a call here fails the test.
 */
import { WINE_FAILURES, WINE_LIKE_OPTIONS, WINE_NOT_IMPLEMENTED } from '../../src/testing';
import { IBackgroundCopyError, IBackgroundCopyJob, IBackgroundCopyJob4, IBackgroundCopyJob5, IBackgroundCopyManager, IBitsTokenOptions, IEnumBackgroundCopyFiles, JobState, NotifyFlags } from '../../src/bits';
import { ComPtr, type ComRuntime } from '../../src/com';
import { JOB_PREFIX, pollUntil, useWineEnv, wineOnly } from './helpers';

const env = useWineEnv();
const hex = (hr: number) => `0x${(hr >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;

wineOnly('every entry of the Wine profile (unimplemented methods, failures, interfaces) holds on Wine', async () => {
  const rt: ComRuntime = env.manager.service.runtime;
  const service = env.manager.service;
  const { hr: activated, ptr } = await rt.createInstance(service.clsid, IBackgroundCopyManager.iid);
  expect(hex(activated)).toBe('0x00000000');
  rt.setProxyBlanket(ptr as bigint);
  const manager = ComPtr.own(ptr as bigint, IBackgroundCopyManager, rt);
  const [id, jobPtr] = await manager.invoke('CreateJob', `${JOB_PREFIX}: wine profile`, 0);
  const job = ComPtr.own(jobPtr as bigint, IBackgroundCopyJob, rt);
  env.janitor.track(await env.manager.getJob(id)); // cancelled at the end, whatever happens
  await job.invoke('AddFile', env.http.url('/status/404'), env.localPath());
  const filesPtr = await job.invoke('EnumFiles');
  const files = ComPtr.own(filesPtr as bigint, IEnumBackgroundCopyFiles, rt);

  const calls: Record<string, () => Promise<number>> = {
    'IBackgroundCopyManager::GetErrorDescription': async () => (await manager.invokeRaw('GetErrorDescription', 0x80190194 | 0, 0x409)).hr,
    'IBackgroundCopyJob::Suspend': async () => (await job.invokeRaw('Suspend')).hr,
    'IBackgroundCopyJob::GetTimes': async () => (await job.invokeRaw('GetTimes')).hr,
    'IBackgroundCopyJob::GetOwner': async () => (await job.invokeRaw('GetOwner')).hr,
    'IBackgroundCopyJob::SetDisplayName': async () => (await job.invokeRaw('SetDisplayName', `${JOB_PREFIX}: renamed`)).hr,
    'IBackgroundCopyJob::GetPriority': async () => (await job.invokeRaw('GetPriority')).hr,
    'IBackgroundCopyJob::GetErrorCount': async () => (await job.invokeRaw('GetErrorCount')).hr,
    'IBackgroundCopyJob::SetProxySettings': async () => (await job.invokeRaw('SetProxySettings', 1, null, null)).hr,
    'IBackgroundCopyJob::GetProxySettings': async () => (await job.invokeRaw('GetProxySettings')).hr,
    'IBackgroundCopyJob::TakeOwnership': async () => (await job.invokeRaw('TakeOwnership')).hr,
    'IEnumBackgroundCopyFiles::Clone': async () => (await files.invokeRaw('Clone')).hr,
  };
  for (const name of WINE_NOT_IMPLEMENTED) {
    expect({ name, callable: name in calls }).toEqual({ name, callable: true });
    expect({ name, hr: hex(await calls[name]()) }).toEqual({ name, hr: '0x80004001' });
  }
  expect(WINE_LIKE_OPTIONS.notImplemented).toBe(WINE_NOT_IMPLEMENTED);

  // jobInterfaces: 4 — Job4 is there, Job5 is not.
  const j4 = await job.query(IBackgroundCopyJob4);
  expect(j4).not.toBeNull();
  await j4?.release();
  expect(await job.query(IBackgroundCopyJob5)).toBeNull();
  expect(WINE_LIKE_OPTIONS.jobInterfaces).toBe(4);

  // rangeNotifications: false — Wine's SetNotifyFlags knows no BG_NOTIFY_FILE_RANGES_TRANSFERRED.
  expect(hex((await job.invokeRaw('SetNotifyFlags', NotifyFlags.JobTransferred | NotifyFlags.FileRangesTransferred)).hr)).toBe('0x80004001');
  expect(await job.invoke('GetNotifyFlags')).toBe(NotifyFlags.JobTransferred | NotifyFlags.JobError); // unchanged: Wine's default
  expect(WINE_LIKE_OPTIONS.rangeNotifications).toBe(false);
  // tokenOptions: false — no IBitsTokenOptions on Wine's jobs.
  expect(await job.query(IBitsTokenOptions)).toBeNull();
  expect(WINE_LIKE_OPTIONS.tokenOptions).toBe(false);

  // failures: each on an error object of a job that failed (404).
  await job.invoke('Resume');
  await pollUntil(async () => await job.invoke('GetState'), (s) => s === JobState.Error || s === JobState.TransientError);
  const errorPtr = await job.invoke('GetError');
  const error = ComPtr.own(errorPtr as bigint, IBackgroundCopyError, rt);
  const failureCalls: Record<string, () => Promise<number>> = {
    'IBackgroundCopyError::GetProtocol': async () => (await error.invokeRaw('GetProtocol')).hr,
  };
  for (const [name, hr] of Object.entries(WINE_FAILURES)) {
    expect({ name, callable: name in failureCalls }).toEqual({ name, callable: true });
    expect({ name, hr: hex(await failureCalls[name]()) }).toEqual({ name, hr: hex(hr) });
  }
  await error.release();
  await files.release();
  await job.release();
  await manager.release();
});

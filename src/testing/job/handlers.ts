/** IBackgroundCopyJob's 32 methods (the Job2–Job5 ones are in ext-handlers.ts). */
import { readFileInfos } from '../objects/layout';
import { IBackgroundCopyJob, IBackgroundCopyJob5, JobPriority, JobState, NotifyFlags, ProxyUsage } from '../../bits';
import { ComPtr, IUnknown, type Implementation } from '../../com';
import { FakeEnum } from '../objects/fake-enum';
import { lazyImplementation, type HandlerTable } from '../objects/fake-object';
import type { FakeJob } from './fake-job';
import {
  BG_E_PROXY_BYPASS_LIST_TOO_LARGE, BG_E_PROXY_LIST_TOO_LARGE, BG_E_STRING_TOO_LONG, E_INVALIDARG, E_NOTIMPL,
} from '../service/hresults';
import { jobExtHandlers } from './ext-handlers';
import { addFileAllowed, checkFileCount, checkNames, MAX_DISPLAY_NAME, mutable } from './rules';

const MAX_DESCRIPTION = 1024;
const MAX_PROXY_LIST = 32_000;
import { cancel, complete, resume, suspend } from './transfer';
import { answer, required } from '../objects/wire';

/** At-least-once delivery: registering after the event still produces the callback. */
function registrationChanged(job: FakeJob): void {
  if (job.state === JobState.Transferred) job.notify({ kind: 'transferred' });
  if (job.state === JobState.Error) job.notify({ kind: 'error' });
}

function checkProxyList(list: string | null, tooLarge: number): void {
  if (list !== null && list.length > MAX_PROXY_LIST) answer(tooLarge);
}

const jobHandlers: HandlerTable<typeof IBackgroundCopyJob, FakeJob> = {
  AddFileSet: (job, { count, ptr }) => {
    addFileAllowed(job);
    if (count === 0 || ptr === null) answer(E_INVALIDARG);
    const checked = readFileInfos(ptr, count).map((i) => checkNames(i.remote, i.local));
    checkFileCount(job, checked.length);
    for (const { remote, local } of checked) job.addFile({ remoteName: remote, localName: local });
  },
  AddFile: (job, remote, local) => {
    addFileAllowed(job);
    const names = checkNames(remote, local);
    checkFileCount(job, 1);
    job.addFile({ remoteName: names.remote, localName: names.local });
  },
  EnumFiles: (job) => new FakeEnum(job.ctx, 'files', job.files).ptr,
  Suspend: (job) => suspend(job),
  Resume: (job) => resume(job),
  Cancel: (job) => cancel(job),
  Complete: (job) => complete(job),
  GetId: (job) => job.id,
  GetType: (job) => job.type,
  GetProgress: (job) => job.progressBytes(),
  GetTimes: (job) => job.timesBytes(),
  GetState: (job) => job.state,
  GetError: (job) => {
    const inError = job.state === JobState.Error || job.state === JobState.TransientError;
    if (!inError || !job.error) answer(job.ctx.codes.errorInformationUnavailable);
    return job.error.clientRef();
  },
  GetOwner: (job) => job.owner,
  SetDisplayName: (job, value) => {
    const name = required(value);
    if (name.length > MAX_DISPLAY_NAME) answer(E_INVALIDARG);
    mutable(job);
    job.displayName = name;
    job.touch();
  },
  GetDisplayName: (job) => job.displayName,
  SetDescription: (job, value) => {
    const text = required(value);
    if (text.length > MAX_DESCRIPTION) answer(BG_E_STRING_TOO_LONG);
    mutable(job);
    job.description = text;
    job.touch();
  },
  GetDescription: (job) => job.description ?? '',
  SetPriority: (job, priority) => {
    if (priority > JobPriority.Low) answer(E_INVALIDARG);
    mutable(job);
    job.priority = priority;
    job.touch();
  },
  GetPriority: (job) => job.priority,
  SetNotifyFlags: (job, flags) => {
    if (flags & ~NotifyFlags.All) answer(E_NOTIMPL); // BITS documents E_NOTIMPL for unknown bits
    if (flags & NotifyFlags.FileRangesTransferred && !job.ctx.options.rangeNotifications) answer(E_NOTIMPL); // Wine
    mutable(job);
    job.notifyFlags = flags;
    registrationChanged(job);
  },
  GetNotifyFlags: (job) => job.notifyFlags,
  SetNotifyInterface: (job, unknown) => {
    mutable(job);
    if (unknown === null) {
      job.setClientCallback(null);
      return;
    }
    const { hr, callback } = job.ctx.notifier.attach(unknown);
    if (!callback) answer(hr);
    job.setClientCallback(callback);
    registrationChanged(job);
  },
  GetNotifyInterface: (job) => {
    if (!job.clientCallback) return null;
    // The client's own object, with a new reference for the caller.
    ComPtr.borrow(job.clientCallback.callback, IUnknown, job.ctx.runtime).invokeRawSync('AddRef');
    return job.clientCallback.callback;
  },
  SetMinimumRetryDelay: (job, seconds) => {
    mutable(job);
    job.minRetryDelay = Math.max(5, seconds);
  },
  GetMinimumRetryDelay: (job) => job.minRetryDelay,
  SetNoProgressTimeout: (job, seconds) => {
    mutable(job);
    job.noProgressTimeout = seconds;
  },
  GetNoProgressTimeout: (job) => job.noProgressTimeout,
  GetErrorCount: (job) => job.errorCount,
  SetProxySettings: (job, usage, list, bypass) => {
    if (usage > ProxyUsage.AutoDetect) answer(E_INVALIDARG);
    // Lists belong to OVERRIDE only, and OVERRIDE needs a proxy list (BITS documents both).
    if (usage === ProxyUsage.Override ? !list : list !== null || bypass !== null) answer(E_INVALIDARG);
    checkProxyList(list, BG_E_PROXY_LIST_TOO_LARGE);
    checkProxyList(bypass, BG_E_PROXY_BYPASS_LIST_TOO_LARGE);
    mutable(job);
    job.proxy.usage = usage;
    job.proxy.list = list;
    job.proxy.bypass = bypass;
    job.touch();
  },
  GetProxySettings: (job) => [job.proxy.usage, job.proxy.list, job.proxy.bypass],
  TakeOwnership: (job) => {
    job.owner = job.ctx.options.owner;
    job.touch();
  },
};

/** The one vtable of every fake job. */
export const jobImplementation: () => Implementation<FakeJob> = lazyImplementation<FakeJob, typeof IBackgroundCopyJob5>(
  IBackgroundCopyJob5,
  () => ({ ...jobHandlers, ...jobExtHandlers }),
);

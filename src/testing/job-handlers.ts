/** IBackgroundCopyJob's 32 methods (the Job2–Job5 ones are in job-ext-handlers.ts). */
import { readFileInfos } from './layout';
import { IBackgroundCopyJob, IBackgroundCopyJob5, JobState, NotifyFlags, ProxyUsage } from '../bits';
import { ComPtr, IUnknown, type Implementation } from '../com';
import { FakeEnum } from './fake-enum';
import { lazyImplementation, type HandlerTable } from './fake-object';
import type { FakeJob } from './fake-job';
import {
  BG_E_PROXY_BYPASS_LIST_TOO_LARGE, BG_E_PROXY_LIST_TOO_LARGE, BG_E_STRING_TOO_LONG, E_INVALIDARG, E_NOTIMPL, S_OK,
} from './hresults';
import { jobExtHandlers } from './job-ext-handlers';
import { addFileAllowed, checkFileCount, checkNames, MAX_DISPLAY_NAME, mutable } from './job-rules';

const MAX_DESCRIPTION = 1024;
const MAX_PROXY_LIST = 32_000;
import { cancel, complete, resume, suspend } from './transfer';
import { answer, arg, outPtr, requiredStr, write } from './wire';

/** At-least-once delivery: registering after the event still produces the callback. */
function registrationChanged(job: FakeJob): void {
  if (job.state === JobState.Transferred) job.notify({ kind: 'transferred' });
  if (job.state === JobState.Error) job.notify({ kind: 'error' });
}

function checkProxyList(list: string | null, tooLarge: number): void {
  if (list !== null && list.length > MAX_PROXY_LIST) answer(tooLarge);
}

const jobHandlers: HandlerTable<typeof IBackgroundCopyJob, FakeJob> = {
  AddFileSet: (job, count, array) => {
    addFileAllowed(job);
    const n = arg.u32(count);
    const p = arg.ptr(array);
    if (n === 0 || p === null) answer(E_INVALIDARG);
    const checked = readFileInfos(p, n).map((i) => checkNames(i.remote, i.local));
    checkFileCount(job, checked.length);
    for (const { remote, local } of checked) job.addFile({ remoteName: remote, localName: local });
    return S_OK;
  },
  AddFile: (job, remote, local) => {
    addFileAllowed(job);
    const names = checkNames(arg.str(remote), arg.str(local));
    checkFileCount(job, 1);
    job.addFile({ remoteName: names.remote, localName: names.local });
    return S_OK;
  },
  EnumFiles: (job, p) => {
    const out = outPtr(p);
    write.ptr(out, new FakeEnum(job.ctx, 'files', job.files).ptr);
    return S_OK;
  },
  Suspend: (job) => suspend(job),
  Resume: (job) => resume(job),
  Cancel: (job) => cancel(job),
  Complete: (job) => complete(job),
  GetId: (job, p) => {
    write.guid(outPtr(p), job.id);
    return S_OK;
  },
  GetType: (job, p) => {
    write.u32(outPtr(p), job.type);
    return S_OK;
  },
  GetProgress: (job, p) => {
    write.bytes(outPtr(p), job.progressBytes());
    return S_OK;
  },
  GetTimes: (job, p) => {
    write.bytes(outPtr(p), job.timesBytes());
    return S_OK;
  },
  GetState: (job, p) => {
    write.u32(outPtr(p), job.state);
    return S_OK;
  },
  GetError: (job, p) => {
    const out = outPtr(p);
    const inError = job.state === JobState.Error || job.state === JobState.TransientError;
    if (!inError || !job.error) {
      write.ptr(out, null);
      return job.ctx.codes.errorInformationUnavailable;
    }
    write.ptr(out, job.error.clientRef());
    return S_OK;
  },
  GetOwner: (job, p) => {
    write.ptr(outPtr(p), job.ctx.allocString(job.owner));
    return S_OK;
  },
  SetDisplayName: (job, value) => {
    const name = requiredStr(value);
    if (name.length > MAX_DISPLAY_NAME) answer(E_INVALIDARG);
    mutable(job);
    job.displayName = name;
    job.touch();
    return S_OK;
  },
  GetDisplayName: (job, p) => {
    write.ptr(outPtr(p), job.ctx.allocString(job.displayName));
    return S_OK;
  },
  SetDescription: (job, value) => {
    const text = requiredStr(value);
    if (text.length > MAX_DESCRIPTION) answer(BG_E_STRING_TOO_LONG);
    mutable(job);
    job.description = text;
    job.touch();
    return S_OK;
  },
  GetDescription: (job, p) => {
    write.ptr(outPtr(p), job.ctx.allocString(job.description ?? ''));
    return S_OK;
  },
  SetPriority: (job, value) => {
    const priority = arg.u32(value);
    if (priority > 3) answer(E_INVALIDARG);
    mutable(job);
    job.priority = priority;
    job.touch();
    return S_OK;
  },
  GetPriority: (job, p) => {
    write.u32(outPtr(p), job.priority);
    return S_OK;
  },
  SetNotifyFlags: (job, value) => {
    const flags = arg.u32(value);
    if (flags & ~NotifyFlags.All) answer(E_NOTIMPL); // BITS documents E_NOTIMPL for unknown bits
    mutable(job);
    job.notifyFlags = flags;
    registrationChanged(job);
    return S_OK;
  },
  GetNotifyFlags: (job, p) => {
    write.u32(outPtr(p), job.notifyFlags);
    return S_OK;
  },
  SetNotifyInterface: (job, value) => {
    mutable(job);
    const unknown = arg.ptr(value);
    if (unknown === null) {
      job.setSink(null);
      return S_OK;
    }
    const { hr, sink } = job.ctx.notifier.attach(unknown);
    if (!sink) return hr;
    job.setSink(sink);
    registrationChanged(job);
    return S_OK;
  },
  GetNotifyInterface: (job, p) => {
    const out = outPtr(p);
    if (!job.sink) {
      write.ptr(out, null);
      return S_OK;
    }
    // The client's own object, with a new reference for the caller.
    ComPtr.borrow(job.sink.callback, IUnknown, job.ctx.runtime).invokeRawSync('AddRef');
    write.ptr(out, job.sink.callback);
    return S_OK;
  },
  SetMinimumRetryDelay: (job, value) => {
    mutable(job);
    job.minRetryDelay = Math.max(5, arg.u32(value));
    return S_OK;
  },
  GetMinimumRetryDelay: (job, p) => {
    write.u32(outPtr(p), job.minRetryDelay);
    return S_OK;
  },
  SetNoProgressTimeout: (job, value) => {
    mutable(job);
    job.noProgressTimeout = arg.u32(value);
    return S_OK;
  },
  GetNoProgressTimeout: (job, p) => {
    write.u32(outPtr(p), job.noProgressTimeout);
    return S_OK;
  },
  GetErrorCount: (job, p) => {
    write.u32(outPtr(p), job.errorCount);
    return S_OK;
  },
  SetProxySettings: (job, usageValue, listValue, bypassValue) => {
    const usage = arg.u32(usageValue);
    const list = arg.str(listValue);
    const bypass = arg.str(bypassValue);
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
    return S_OK;
  },
  GetProxySettings: (job, pUsage, pList, pBypass) => {
    const usage = outPtr(pUsage);
    const list = outPtr(pList);
    const bypass = outPtr(pBypass);
    write.u32(usage, job.proxy.usage);
    write.ptr(list, job.proxy.list === null ? null : job.ctx.allocString(job.proxy.list));
    write.ptr(bypass, job.proxy.bypass === null ? null : job.ctx.allocString(job.proxy.bypass));
    return S_OK;
  },
  TakeOwnership: (job) => {
    job.owner = job.ctx.options.owner;
    job.touch();
    return S_OK;
  },
};

/** The one vtable of every fake job. */
export const jobImplementation: () => Implementation<FakeJob> = lazyImplementation<FakeJob, typeof IBackgroundCopyJob5>(
  IBackgroundCopyJob5,
  () => ({ ...jobHandlers, ...jobExtHandlers }),
);

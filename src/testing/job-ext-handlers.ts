/**
 * IBackgroundCopyJob2 … IBackgroundCopyJob5. Reply methods follow the BITS documentation: on a
 * download or upload job they answer E_NOTIMPL ("not implemented for jobs of type DOWNLOAD or
 * UPLOAD"); the fake's upload-reply jobs never receive a reply (NULL data, no reply file).
 */
import {
  FileAclFlags, IBackgroundCopyJob, IBackgroundCopyJob5, JobState, JobType, PeerCachingFlags,
} from '../bits';
import { UINT64_MAX, type RawArgs } from '../com';
import type { HandlerTable } from './fake-object';
import type { FakeJob } from './fake-job';
import {
  BG_E_INVALID_AUTH_SCHEME, BG_E_INVALID_AUTH_TARGET, BG_E_PASSWORD_TOO_LARGE, BG_E_USERNAME_TOO_LARGE, E_INVALIDARG, E_NOTIMPL, S_FALSE, S_OK,
} from './hresults';
import { addFileAllowed, checkFileCount, checkNames, mutable } from './job-rules';
import { JOB_PROPERTY_VALUE_SIZE } from './job-properties';
import { readAuthCredentials } from './layout';
import { checkRanges, readRanges } from './ranges';
import { answer, arg, outPtr, readBytes, requiredStr, write } from './wire';

const MAX_USER_NAME = 300;
const MAX_PASSWORD = 65_536;
/** SECURITY_MANDATORY_MEDIUM_RID: a normal user's process. */
const MEDIUM_INTEGRITY = 0x2000;

type ExtHandlers = Omit<HandlerTable<typeof IBackgroundCopyJob5, FakeJob>, keyof HandlerTable<typeof IBackgroundCopyJob, FakeJob>>;

function replyJob(job: FakeJob): void {
  if (job.type !== JobType.UploadReply) answer(E_NOTIMPL);
}

function checkAuth(target: number, scheme: number): void {
  if (target < 1 || target > 2) answer(BG_E_INVALID_AUTH_TARGET);
  if (scheme < 1 || scheme > 5) answer(BG_E_INVALID_AUTH_SCHEME);
}

/**
 * The BITS_JOB_PROPERTY_VALUE argument: koffi hands a by-value union to the callback as an object
 * of the fake's own type (layout.ts: `bytes` views all 16 bytes); a pointer is read as the 16
 * bytes it points to.
 */
function unionBytes(v: RawArgs[number]): Buffer {
  if (v !== null && typeof v === 'object' && 'bytes' in v) return Buffer.from((v as { bytes: Uint8Array | number[] }).bytes);
  const p = arg.ptr(v);
  if (p === null) answer(E_INVALIDARG);
  return readBytes(p, JOB_PROPERTY_VALUE_SIZE);
}

export const jobExtHandlers: ExtHandlers = {
  SetNotifyCmdLine: (job, program, parameters) => {
    mutable(job);
    job.notifyProgram = arg.str(program);
    job.notifyParameters = job.notifyProgram === null ? null : arg.str(parameters);
    return S_OK;
  },
  GetNotifyCmdLine: (job, pProgram, pParameters) => {
    const program = outPtr(pProgram);
    const parameters = outPtr(pParameters);
    write.ptr(program, job.notifyProgram === null ? null : job.ctx.allocString(job.notifyProgram));
    write.ptr(parameters, job.notifyParameters === null ? null : job.ctx.allocString(job.notifyParameters));
    return S_OK;
  },
  GetReplyProgress: (job, p) => {
    replyJob(job);
    const b = Buffer.alloc(16);
    b.writeBigUInt64LE(job.state === JobState.Transferred || job.state === JobState.Acknowledged ? 0n : UINT64_MAX, 0);
    write.bytes(outPtr(p), b);
    return S_OK;
  },
  GetReplyData: (job, pBuffer, pLength) => {
    replyJob(job);
    const buffer = outPtr(pBuffer);
    const length = outPtr(pLength);
    if (job.state !== JobState.Transferred && job.state !== JobState.Acknowledged) answer(job.ctx.codes.invalidState);
    write.ptr(buffer, null);
    write.u64(length, 0n);
    return S_OK;
  },
  SetReplyFileName: (job, value) => {
    replyJob(job);
    mutable(job);
    job.replyFileName = arg.str(value);
    return S_OK;
  },
  GetReplyFileName: (job, p) => {
    replyJob(job);
    write.ptr(outPtr(p), job.replyFileName === null ? null : job.ctx.allocString(job.replyFileName));
    return S_OK;
  },
  SetCredentials: (job, value) => {
    const p = arg.ptr(value);
    if (p === null) answer(E_INVALIDARG);
    mutable(job);
    const c = readAuthCredentials(p);
    checkAuth(c.target, c.scheme);
    if ((c.userName?.length ?? 0) > MAX_USER_NAME) answer(BG_E_USERNAME_TOO_LARGE);
    if ((c.password?.length ?? 0) > MAX_PASSWORD) answer(BG_E_PASSWORD_TOO_LARGE);
    job.credentials.set(`${c.target}:${c.scheme}`, c);
    return S_OK;
  },
  RemoveCredentials: (job, target, scheme) => {
    checkAuth(arg.u32(target), arg.u32(scheme));
    mutable(job);
    // S_FALSE: nothing was set for this target and scheme (BITS documents it).
    return job.credentials.delete(`${arg.u32(target)}:${arg.u32(scheme)}`) ? S_OK : S_FALSE;
  },
  ReplaceRemotePrefix: (job, oldValue, newValue) => {
    const oldPrefix = requiredStr(oldValue);
    const newPrefix = requiredStr(newValue);
    if (oldPrefix === '' || newPrefix === '') answer(E_INVALIDARG);
    mutable(job);
    for (const file of job.files) {
      if (file.remoteName.toLowerCase().startsWith(oldPrefix.toLowerCase())) file.remoteName = newPrefix + file.remoteName.slice(oldPrefix.length);
    }
    job.touch();
    return S_OK;
  },
  AddFileWithRanges: (job, remote, local, count, ranges) => {
    addFileAllowed(job);
    const names = checkNames(arg.str(remote), arg.str(local));
    const n = arg.u32(count);
    if (n === 0) answer(E_INVALIDARG);
    const list = readRanges(arg.ptr(ranges), n);
    checkRanges(job.ctx, list);
    checkFileCount(job, 1);
    job.addFile({ remoteName: names.remote, localName: names.local, ranges: list });
    return S_OK;
  },
  SetFileACLFlags: (job, value) => {
    const flags = arg.u32(value);
    if (flags & ~FileAclFlags.All) answer(E_INVALIDARG);
    mutable(job);
    job.aclFlags = flags;
    return S_OK;
  },
  GetFileACLFlags: (job, p) => {
    write.u32(outPtr(p), job.aclFlags);
    return S_OK;
  },
  SetPeerCachingFlags: (job, value) => {
    const flags = arg.u32(value);
    if (flags & ~PeerCachingFlags.All) answer(E_INVALIDARG);
    mutable(job);
    job.peerCachingFlags = flags;
    return S_OK;
  },
  GetPeerCachingFlags: (job, p) => {
    write.u32(outPtr(p), job.peerCachingFlags);
    return S_OK;
  },
  GetOwnerIntegrityLevel: (_job, p) => {
    write.u32(outPtr(p), MEDIUM_INTEGRITY);
    return S_OK;
  },
  GetOwnerElevationState: (_job, p) => {
    write.bool(outPtr(p), false);
    return S_OK;
  },
  SetMaximumDownloadTime: (job, value) => {
    mutable(job);
    job.maxDownloadTime = arg.u32(value);
    return S_OK;
  },
  GetMaximumDownloadTime: (job, p) => {
    write.u32(outPtr(p), job.maxDownloadTime);
    return S_OK;
  },
  SetProperty: (job, id, value) => {
    const propertyId = arg.u32(id);
    if (!job.properties.supports(propertyId)) answer(job.ctx.codes.unknownPropertyId);
    mutable(job);
    job.properties.set(propertyId, unionBytes(value));
    return S_OK;
  },
  GetProperty: (job, id, p) => {
    const propertyId = arg.u32(id);
    if (!job.properties.supports(propertyId)) answer(job.ctx.codes.unknownPropertyId);
    write.bytes(outPtr(p), job.properties.get(propertyId));
    return S_OK;
  },
};

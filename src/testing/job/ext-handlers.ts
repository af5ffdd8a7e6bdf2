/**
 * IBackgroundCopyJob2 … IBackgroundCopyJob5. Reply methods follow the BITS documentation: on a
 * download or upload job they answer E_NOTIMPL ("not implemented for jobs of type DOWNLOAD or
 * UPLOAD"); the fake's upload-reply jobs never receive a reply (NULL data, no reply file).
 */
import {
  FileAclFlags, IBackgroundCopyJob, IBackgroundCopyJob5, JobState, JobType, PeerCachingFlags,
} from '../../bits';
import { reply, UINT64_MAX } from '../../com';
import type { HandlerTable } from '../objects/fake-object';
import type { FakeJob } from './fake-job';
import {
  BG_E_INVALID_AUTH_SCHEME, BG_E_INVALID_AUTH_TARGET, BG_E_PASSWORD_TOO_LARGE, BG_E_USERNAME_TOO_LARGE, E_INVALIDARG, E_NOTIMPL, S_FALSE,
} from '../service/hresults';
import { addFileAllowed, checkFileCount, checkNames, mutable } from './rules';
import { JOB_PROPERTY_VALUE_SIZE } from './properties';
import { readAuthCredentials } from '../objects/layout';
import { checkRanges, readRanges } from '../objects/ranges';
import { answer, arg, readBytes, required } from '../objects/wire';

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
function unionBytes(v: unknown): Buffer {
  if (v !== null && typeof v === 'object' && 'bytes' in v) return Buffer.from((v as { bytes: Uint8Array | number[] }).bytes);
  const p = arg.ptr(v);
  if (p === null) answer(E_INVALIDARG);
  return readBytes(p, JOB_PROPERTY_VALUE_SIZE);
}

/** The replies of an upload-reply job that never receives one: NULL data, no reply file. */
function replyDone(job: FakeJob): boolean {
  return job.state === JobState.Transferred || job.state === JobState.Acknowledged;
}

export const jobExtHandlers: ExtHandlers = {
  SetNotifyCmdLine: (job, program, parameters) => {
    mutable(job);
    job.notifyProgram = program;
    job.notifyParameters = program === null ? null : parameters;
  },
  GetNotifyCmdLine: (job) => [job.notifyProgram, job.notifyParameters],
  GetReplyProgress: (job) => {
    replyJob(job);
    const b = Buffer.alloc(16);
    b.writeBigUInt64LE(replyDone(job) ? 0n : UINT64_MAX, 0);
    return b;
  },
  GetReplyData: (job) => {
    replyJob(job);
    if (!replyDone(job)) answer(job.ctx.codes.invalidState);
    return [null, 0n];
  },
  SetReplyFileName: (job, name) => {
    replyJob(job);
    mutable(job);
    job.replyFileName = name;
  },
  GetReplyFileName: (job) => {
    replyJob(job);
    return job.replyFileName;
  },
  SetCredentials: (job, p) => {
    if (p === null) answer(E_INVALIDARG);
    mutable(job);
    const c = readAuthCredentials(p);
    checkAuth(c.target, c.scheme);
    if ((c.userName?.length ?? 0) > MAX_USER_NAME) answer(BG_E_USERNAME_TOO_LARGE);
    if ((c.password?.length ?? 0) > MAX_PASSWORD) answer(BG_E_PASSWORD_TOO_LARGE);
    job.credentials.set(`${c.target}:${c.scheme}`, c);
  },
  RemoveCredentials: (job, target, scheme) => {
    checkAuth(target, scheme);
    mutable(job);
    if (!job.credentials.delete(`${target}:${scheme}`)) return reply(S_FALSE);
  },
  ReplaceRemotePrefix: (job, oldValue, newValue) => {
    const oldPrefix = required(oldValue);
    const newPrefix = required(newValue);
    if (oldPrefix === '' || newPrefix === '') answer(E_INVALIDARG);
    mutable(job);
    for (const file of job.files) {
      if (file.remoteName.toLowerCase().startsWith(oldPrefix.toLowerCase())) file.remoteName = newPrefix + file.remoteName.slice(oldPrefix.length);
    }
    job.touch();
  },
  AddFileWithRanges: (job, remote, local, ranges) => {
    addFileAllowed(job);
    const names = checkNames(remote, local);
    if (ranges.count === 0) answer(E_INVALIDARG);
    const list = readRanges(ranges.ptr, ranges.count);
    checkRanges(job.ctx, list);
    checkFileCount(job, 1);
    job.addFile({ remoteName: names.remote, localName: names.local, ranges: list });
  },
  SetFileACLFlags: (job, flags) => {
    if (flags & ~FileAclFlags.All) answer(E_INVALIDARG);
    mutable(job);
    job.aclFlags = flags;
  },
  GetFileACLFlags: (job) => job.aclFlags,
  SetPeerCachingFlags: (job, flags) => {
    if (flags & ~PeerCachingFlags.All) answer(E_INVALIDARG);
    mutable(job);
    job.peerCachingFlags = flags;
  },
  GetPeerCachingFlags: (job) => job.peerCachingFlags,
  GetOwnerIntegrityLevel: () => MEDIUM_INTEGRITY,
  GetOwnerElevationState: () => false,
  SetMaximumDownloadTime: (job, seconds) => {
    mutable(job);
    job.maxDownloadTime = seconds;
  },
  GetMaximumDownloadTime: (job) => job.maxDownloadTime,
  SetProperty: (job, id, value) => {
    if (!job.properties.supports(id)) answer(job.ctx.codes.unknownPropertyId);
    mutable(job);
    job.properties.set(id, unionBytes(value));
  },
  GetProperty: (job, id) => {
    if (!job.properties.supports(id)) answer(job.ctx.codes.unknownPropertyId);
    return job.properties.get(id);
  },
};

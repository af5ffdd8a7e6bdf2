/**
 * IBackgroundCopyManager: the one object activation hands out. The fake keeps the creation
 * reference for itself; its job list holds every job that has not reached a final state.
 */
import { IBackgroundCopyManager, JobType } from '../bits';
import { guidFromBytes, koffi } from '../com';
import type { AllocContext, FlavourContext } from './context';
import { errorDescription } from './descriptions';
import { FakeComObject, lazyImplementation, type ObjectContext } from './fake-object';
import { FakeEnum } from './fake-enum';
import type { FakeJob, JobList } from './fake-job';
import { E_INVALIDARG, ERROR_RESOURCE_LANG_NOT_FOUND, S_OK } from './hresults';
import { MAX_DISPLAY_NAME } from './job-rules';
import { answer, arg, outPtr, write } from './wire';

/** BG_JOB_ENUM_ALL_USERS. */
const ENUM_ALL_USERS = 0x1;

/** What the manager needs from the service: answers, and a way to make jobs (which need much more). */
export type ManagerContext = ObjectContext & AllocContext & FlavourContext & {
  /** A new job, whose creation reference the caller keeps. */
  createJob(displayName: string, type: number): FakeJob;
};

export class FakeManager extends FakeComObject<ManagerContext> implements JobList {
  readonly jobs: FakeJob[] = [];

  constructor(ctx: ManagerContext) {
    super(ctx, IBackgroundCopyManager, true);
    this.attach(managerImplementation());
  }

  get label(): string {
    return `the ${this.ctx.options.flavour === 'bits' ? 'BITS' : 'Delivery Optimization'} manager`;
  }

  /** The list lets go of a job that reached a final state. */
  remove(job: FakeJob): void {
    const i = this.jobs.indexOf(job);
    if (i < 0) return;
    this.jobs.splice(i, 1);
    job.drop();
  }

  /** dispose(): the list lets go of every job. */
  removeAll(): void {
    for (const job of [...this.jobs]) this.remove(job);
  }
}

const managerImplementation = lazyImplementation<FakeManager, typeof IBackgroundCopyManager>(IBackgroundCopyManager, () => ({
  CreateJob: (self, name, type, pId, pJob) => {
    const id = outPtr(pId);
    const out = outPtr(pJob);
    write.ptr(out, null);
    const displayName = arg.str(name);
    if (displayName === null || displayName.length > MAX_DISPLAY_NAME) answer(E_INVALIDARG);
    const jobType = arg.u32(type);
    const allowed = self.ctx.options.flavour === 'bits' ? jobType <= JobType.UploadReply : jobType === JobType.Download;
    if (!allowed) answer(E_INVALIDARG);
    const job = self.ctx.createJob(displayName, jobType);
    self.jobs.push(job);
    write.guid(id, job.id);
    write.ptr(out, job.clientRef());
    return S_OK;
  },
  GetJob: (self, pId, pJob) => {
    const out = outPtr(pJob);
    write.ptr(out, null);
    const idPtr = arg.ptr(pId);
    if (idPtr === null) answer(E_INVALIDARG);
    const id = guidFromBytes(Buffer.from(koffi().view(idPtr, 16)));
    const job = self.jobs.find((j) => j.id === id);
    if (!job) return self.ctx.codes.notFound;
    write.ptr(out, job.clientRef());
    return S_OK;
  },
  EnumJobs: (self, flags, p) => {
    const out = outPtr(p);
    write.ptr(out, null);
    if (arg.u32(flags) & ~ENUM_ALL_USERS) answer(E_INVALIDARG);
    write.ptr(out, new FakeEnum(self.ctx, 'jobs', self.jobs).ptr);
    return S_OK;
  },
  GetErrorDescription: (self, hr, language, p) => {
    const out = outPtr(p);
    write.ptr(out, null);
    void language;
    const text = errorDescription(arg.i32(hr));
    if (text === null) return ERROR_RESOURCE_LANG_NOT_FOUND;
    write.ptr(out, self.ctx.allocString(text));
    return S_OK;
  },
}));

/**
 * IBackgroundCopyManager: the one object activation hands out. The fake keeps the creation
 * reference for itself; its job list holds every job that has not reached a final state.
 */
import { IBackgroundCopyManager, JobType } from '../../bits';
import type { ServiceContext } from '../service/context';
import { errorDescription } from '../service/descriptions';
import { FakeComObject, lazyImplementation } from './fake-object';
import { FakeEnum } from './fake-enum';
import type { FakeJob, JobList } from '../job/fake-job';
import { E_INVALIDARG, ERROR_RESOURCE_LANG_NOT_FOUND } from '../service/hresults';
import { MAX_DISPLAY_NAME } from '../job/rules';
import { answer } from './wire';

/** BG_JOB_ENUM_ALL_USERS. */
const ENUM_ALL_USERS = 0x1;

export class FakeManager extends FakeComObject<ServiceContext> implements JobList {
  readonly jobs: FakeJob[] = [];

  constructor(ctx: ServiceContext) {
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
  CreateJob: (self, displayName, jobType) => {
    if (displayName === null || displayName.length > MAX_DISPLAY_NAME) answer(E_INVALIDARG);
    const allowed = self.ctx.options.flavour === 'bits' ? jobType <= JobType.UploadReply : jobType === JobType.Download;
    if (!allowed) answer(E_INVALIDARG);
    const job = self.ctx.createJob(displayName, jobType);
    self.jobs.push(job);
    return [job.id, job.clientRef()];
  },
  GetJob: (self, id) => {
    if (id === null) answer(E_INVALIDARG);
    const job = self.jobs.find((j) => j.id === id);
    if (!job) answer(self.ctx.codes.notFound);
    return job.clientRef();
  },
  EnumJobs: (self, flags) => {
    if (flags & ~ENUM_ALL_USERS) answer(E_INVALIDARG);
    return new FakeEnum(self.ctx, 'jobs', self.jobs).ptr;
  },
  GetErrorDescription: (_self, hr) => {
    const text = errorDescription(hr);
    if (text === null) answer(ERROR_RESOURCE_LANG_NOT_FOUND);
    return text;
  },
}));

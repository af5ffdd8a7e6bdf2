/**
 * The DO-only job tear-offs. IDeliveryOptimizationJob::AddFileWithRanges and
 * IDeliveryOptimizationJob2::AddFile are how Delivery Optimization adds files (the BITS AddFile
 * family answers E_NOTIMPL in the DO flavour unless `addFile: 'supported'`).
 */
import { IBackgroundCopyFile6, IDeliveryOptimizationFile, IDeliveryOptimizationFile2, IDeliveryOptimizationJob, IDeliveryOptimizationJob2 } from '../../bits';
import { UINT64_MAX } from '../../com';
import type { ServiceContext } from '../service/context';
import type { FileInit } from './fake-file';
import { lazyImplementation, type FakeComObject } from '../objects/fake-object';
import { E_INVALIDARG, E_NOINTERFACE, E_NOT_SET } from '../service/hresults';
import { checkFileCount, checkLocalName, mutable, type RuledJob } from './rules';
import { checkRanges, readRanges } from '../objects/ranges';
import { TableTearOff } from '../objects/tear-off';
import { answer } from '../objects/wire';

/** DOJobPropertyId_ExtendedErrorInfo: value UNCONFIRMED; 0 is what third-party code assumes. */
const EXTENDED_ERROR_INFO = 0;

/** What a DO file object answers (the riid of AddFile must be one of them). */
const FILE_IIDS: ReadonlySet<string> = new Set([...IBackgroundCopyFile6.iids, IDeliveryOptimizationFile.iid, IDeliveryOptimizationFile2.iid]);

/** What the DO job tear-offs need of their job (FakeJob): its rules, and adding a file. */
export type DoJobOwner = FakeComObject & RuledJob & { addFile(init: FileInit): FakeComObject };

/** A DO job tear-off: its handler table is all it has. */
type DoJobTearOff = TableTearOff<DoJobOwner, ServiceContext>;

/** The tear-off that answers `iid` (IDeliveryOptimizationJob or IDeliveryOptimizationJob2) for `job`. */
export function doJobTearOff(ctx: ServiceContext, job: DoJobOwner, iid: string): FakeComObject {
  return iid === IDeliveryOptimizationJob.iid
    ? new TableTearOff(ctx, IDeliveryOptimizationJob, job, doJobImplementation())
    : new TableTearOff(ctx, IDeliveryOptimizationJob2, job, doJob2Implementation());
}

function remoteUrl(url: string | null): string {
  if (url === null || !/^https?:\/\/./i.test(url)) answer(E_INVALIDARG);
  return url;
}

const doJobImplementation = lazyImplementation<DoJobTearOff, typeof IDeliveryOptimizationJob>(IDeliveryOptimizationJob, () => ({
  AddFileWithRanges: (self, fileId, remote, localName, ranges, size) => {
    const job = self.owner;
    const url = remoteUrl(remote);
    checkLocalName(localName);
    mutable(job);
    checkFileCount(job, 1);
    const list = readRanges(ranges.ptr, ranges.count);
    checkRanges(self.ctx, list);
    job.addFile({ remoteName: url, localName, ranges: list, fileId, sizeHint: size === UINT64_MAX ? null : size });
  },
}));

const doJob2Implementation = lazyImplementation<DoJobTearOff, typeof IDeliveryOptimizationJob2>(IDeliveryOptimizationJob2, () => ({
  AddFile: (self, fileId, remote, ranges, iid) => {
    const job = self.owner;
    if (iid === null) answer(E_INVALIDARG);
    if (!FILE_IIDS.has(iid)) answer(E_NOINTERFACE);
    const url = remoteUrl(remote);
    mutable(job);
    checkFileCount(job, 1);
    const list = readRanges(ranges.ptr, ranges.count);
    checkRanges(self.ctx, list);
    // The local path comes later, through IDeliveryOptimizationFile2 (DownloadSinkFilePath).
    const file = job.addFile({ remoteName: url, localName: null, ranges: list, fileId });
    return file.queryInterface(iid);
  },
  GetProperty: (self, id) => answer(id === EXTENDED_ERROR_INFO ? E_NOT_SET : self.ctx.codes.unknownPropertyId),
  SetProperty: (self, id) => answer(id === EXTENDED_ERROR_INFO ? self.ctx.codes.readOnlyProperty : self.ctx.codes.unknownPropertyId),
}));

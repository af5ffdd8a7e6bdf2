/** The DO-only file tear-offs: IDeliveryOptimizationFile (swarm statistics) and IDeliveryOptimizationFile2 (properties). */
import {
  DownloadMode, DOSwarmStats, IDeliveryOptimizationFile, IDeliveryOptimizationFile2, JobState, SwarmStatus, swarmStatsSize, type SwarmStatsStruct,
} from '../../bits';
import { koffi, UINT64_MAX } from '../../com';
import type { ServiceContext } from '../service/context';
import { lazyImplementation, type FakeComObject } from '../objects/fake-object';
import { DO_E_WRITE_ONLY_PROPERTY, E_INVALIDARG, E_NOT_SET, E_NOTIMPL } from '../service/hresults';
import { TableTearOff } from '../objects/tear-off';
import { VT_BOOL, VT_BSTR, VT_UI8, readVariant, variantBool, variantU64 } from '../objects/variant';
import { answer } from '../objects/wire';

/** DOFilePropertyId (values implicit in the DO docs). */
const enum FileProperty {
  DecryptionInfo = 0,
  IntegrityCheckInfo = 1,
  IntegrityCheckMandatory = 2,
  DownloadSinkFilePath = 4,
  TotalSizeBytes = 6,
}

/** What the DO file tear-offs read and set on their file (FakeFile), and read of its job. */
export type DoFileOwner = FakeComObject & {
  readonly fileId: string | null;
  readonly remoteName: string;
  localName: string | null;
  bytesTotal: bigint | null;
  readonly bytesTransferred: bigint;
  readonly completed: boolean;
  integrityCheckMandatory: boolean;
  readonly writeOnlyProperties: Map<number, string>;
  durationMs(): number;
  readonly job: { readonly state: JobState; readonly priority: number; readonly isFinal: boolean };
};

/** A DO file tear-off: its handler table is all it has. */
type DoFileTearOff = TableTearOff<DoFileOwner, ServiceContext>;

/** The tear-off that answers `iid` (IDeliveryOptimizationFile or IDeliveryOptimizationFile2) for `file`. */
export function doFileTearOff(ctx: ServiceContext, file: DoFileOwner, iid: string): FakeComObject {
  return iid === IDeliveryOptimizationFile.iid
    ? new TableTearOff(ctx, IDeliveryOptimizationFile, file, doFileImplementation())
    : new TableTearOff(ctx, IDeliveryOptimizationFile2, file, doFile2Implementation());
}

/**
 * DOSwarmStats, through the library's declaration: test/unit/abi/abi-reference.test.ts checks it
 * against the DO docs' declaration as the Windows compilers lay it out, so one layout serves both.
 */
function swarmStats(file: DoFileOwner, fileId: bigint, sourceUrl: bigint): Buffer {
  const active = file.job.state === JobState.Transferring && !file.completed;
  const transferred = file.bytesTransferred;
  const value: SwarmStatsStruct = {
    fileId, sourceURL: sourceUrl, fileSize: file.bytesTotal ?? UINT64_MAX, totalBytesDownloaded: transferred,
    bytesFromLanPeers: 0n, bytesFromGroupPeers: 0n, bytesFromInternetPeers: 0n, bytesFromHttp: transferred, bytesFromDoinc: 0n,
    bytesToLanPeers: 0n, bytesToGroupPeers: 0n, bytesToInternetPeers: 0n,
    httpConnectionCount: active ? 1 : 0, doincConnectionCount: 0, lanConnectionCount: 0, groupConnectionCount: 0, internetConnectionCount: 0,
    downloadDuration: file.durationMs(),
    downloadMode: DownloadMode.CdnOnly,
    status: file.completed ? SwarmStatus.Complete : active ? SwarmStatus.Downloading : SwarmStatus.Paused,
    isBackground: file.job.priority !== 0 ? 1 : 0,
  };
  const b = Buffer.alloc(swarmStatsSize());
  koffi().encode(b, DOSwarmStats(), value);
  return b;
}

const doFileImplementation = lazyImplementation<DoFileTearOff, typeof IDeliveryOptimizationFile>(IDeliveryOptimizationFile, () => ({
  GetStats: (self) => {
    const file = self.owner;
    const fileId = self.ctx.allocString(file.fileId ?? '');
    const sourceUrl = self.ctx.allocString(file.remoteName);
    return swarmStats(file, fileId, sourceUrl);
  },
}));

const doFile2Implementation = lazyImplementation<DoFileTearOff, typeof IDeliveryOptimizationFile2>(IDeliveryOptimizationFile2, () => ({
  GetProperty: (self, id) => {
    const file = self.owner;
    switch (id) {
      case FileProperty.DecryptionInfo:
      case FileProperty.IntegrityCheckInfo:
        return answer(DO_E_WRITE_ONLY_PROPERTY);
      case FileProperty.IntegrityCheckMandatory:
        return variantBool(file.integrityCheckMandatory);
      case FileProperty.DownloadSinkFilePath:
        // A VT_BSTR answer needs SysAllocString, which the fake does not have.
        return answer(E_NOTIMPL);
      case FileProperty.TotalSizeBytes:
        if (file.bytesTotal === null) answer(E_NOT_SET);
        return variantU64(file.bytesTotal);
      default:
        return answer(self.ctx.codes.unknownPropertyId);
    }
  },
  SetProperty: (self, propertyId, ptr) => {
    const file = self.owner;
    if (ptr === null) answer(E_INVALIDARG);
    const known = [0, 1, 2, 4, 6].includes(propertyId);
    if (!known) answer(self.ctx.codes.unknownPropertyId);
    if (file.job.isFinal) answer(self.ctx.codes.invalidState);
    const v = readVariant(ptr);
    switch (propertyId) {
      case FileProperty.DecryptionInfo:
      case FileProperty.IntegrityCheckInfo:
        if (v.vt !== VT_BSTR || typeof v.value !== 'string') answer(E_INVALIDARG);
        file.writeOnlyProperties.set(propertyId, v.value);
        return;
      case FileProperty.IntegrityCheckMandatory:
        if (v.vt !== VT_BOOL || typeof v.value !== 'boolean') answer(E_INVALIDARG);
        file.integrityCheckMandatory = v.value;
        return;
      case FileProperty.DownloadSinkFilePath:
        if (v.vt !== VT_BSTR || typeof v.value !== 'string' || v.value === '') answer(E_INVALIDARG);
        file.localName = v.value;
        return;
      default:
        if (v.vt !== VT_UI8 || typeof v.value !== 'bigint') answer(E_INVALIDARG);
        file.bytesTotal = v.value;
    }
  },
}));

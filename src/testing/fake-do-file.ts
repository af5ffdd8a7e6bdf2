/** The DO-only file tear-offs: IDeliveryOptimizationFile (swarm statistics) and IDeliveryOptimizationFile2 (properties). */
import { IDeliveryOptimizationFile, IDeliveryOptimizationFile2, JobState } from '../bits';
import { swarmStatsSize } from './layout';
import { pointerSize, UINT64_MAX } from '../com';
import type { AnsweringContext } from './context';
import { lazyImplementation, type FakeComObject } from './fake-object';
import { DO_E_WRITE_ONLY_PROPERTY, E_INVALIDARG, E_NOT_SET, E_NOTIMPL, S_OK } from './hresults';
import { TearOff } from './tear-off';
import { VT_BOOL, VT_BSTR, VT_UI8, readVariant, writeVariantBool, writeVariantU64 } from './variant';
import { answer, arg, outPtr, write } from './wire';

/** DOFilePropertyId (values implicit in the DO docs). */
const enum FileProperty {
  DecryptionInfo = 0,
  IntegrityCheckInfo = 1,
  IntegrityCheckMandatory = 2,
  DownloadSinkFilePath = 4,
  TotalSizeBytes = 6,
}

const SWARM_STATUS_DOWNLOADING = 0;
const SWARM_STATUS_COMPLETE = 1;
const SWARM_STATUS_PAUSED = 3;

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

export class FakeDoFile extends TearOff<DoFileOwner, AnsweringContext> {
  constructor(ctx: AnsweringContext, file: DoFileOwner) {
    super(ctx, IDeliveryOptimizationFile, file);
    this.attach(doFileImplementation());
  }
}

export class FakeDoFile2 extends TearOff<DoFileOwner, AnsweringContext> {
  constructor(ctx: AnsweringContext, file: DoFileOwner) {
    super(ctx, IDeliveryOptimizationFile2, file);
    this.attach(doFile2Implementation());
  }
}

/** DOSwarmStats: two CoTaskMem strings, ten UINT64 counters, eight UINTs/enums, a BOOL. */
function swarmStats(file: DoFileOwner, fileId: bigint, sourceUrl: bigint): Buffer {
  const ps = pointerSize();
  const b = Buffer.alloc(swarmStatsSize());
  const writePtr = (v: bigint, offset: number) => (ps === 8 ? b.writeBigUInt64LE(v, offset) : b.writeUInt32LE(Number(v), offset));
  writePtr(fileId, 0);
  writePtr(sourceUrl, ps);
  const u64 = [file.bytesTotal ?? UINT64_MAX, file.bytesTransferred, 0n, 0n, 0n, file.bytesTransferred, 0n, 0n, 0n, 0n];
  u64.forEach((v, i) => b.writeBigUInt64LE(v, 2 * ps + i * 8));
  const active = file.job.state === JobState.Transferring && !file.completed;
  const status = file.completed ? SWARM_STATUS_COMPLETE : active ? SWARM_STATUS_DOWNLOADING : SWARM_STATUS_PAUSED;
  const u32 = [active ? 1 : 0, 0, 0, 0, 0, file.durationMs(), 0 /* CdnOnly */, status];
  u32.forEach((v, i) => b.writeUInt32LE(v >>> 0, 2 * ps + 80 + i * 4));
  b.writeInt32LE(file.job.priority !== 0 ? 1 : 0, 2 * ps + 80 + 32);
  return b;
}

const doFileImplementation = lazyImplementation<FakeDoFile, typeof IDeliveryOptimizationFile>(IDeliveryOptimizationFile, () => ({
  GetStats: (self, p) => {
    const out = outPtr(p);
    const file = self.owner;
    const fileId = self.ctx.allocString(file.fileId ?? '');
    const sourceUrl = self.ctx.allocString(file.remoteName);
    write.bytes(out, swarmStats(file, fileId, sourceUrl));
    return S_OK;
  },
}));

const doFile2Implementation = lazyImplementation<FakeDoFile2, typeof IDeliveryOptimizationFile2>(IDeliveryOptimizationFile2, () => ({
  GetProperty: (self, id, p) => {
    const file = self.owner;
    switch (arg.u32(id)) {
      case FileProperty.DecryptionInfo:
      case FileProperty.IntegrityCheckInfo:
        return DO_E_WRITE_ONLY_PROPERTY;
      case FileProperty.IntegrityCheckMandatory:
        writeVariantBool(outPtr(p), file.integrityCheckMandatory);
        return S_OK;
      case FileProperty.DownloadSinkFilePath:
        // A VT_BSTR answer needs SysAllocString, which the fake does not have.
        return E_NOTIMPL;
      case FileProperty.TotalSizeBytes:
        if (file.bytesTotal === null) return E_NOT_SET;
        writeVariantU64(outPtr(p), file.bytesTotal);
        return S_OK;
      default:
        return self.ctx.codes.unknownPropertyId;
    }
  },
  SetProperty: (self, id, p) => {
    const file = self.owner;
    const ptr = arg.ptr(p);
    if (ptr === null) answer(E_INVALIDARG);
    const propertyId = arg.u32(id);
    const known = [0, 1, 2, 4, 6].includes(propertyId);
    if (!known) return self.ctx.codes.unknownPropertyId;
    if (file.job.isFinal) return self.ctx.codes.invalidState;
    const v = readVariant(ptr);
    switch (propertyId) {
      case FileProperty.DecryptionInfo:
      case FileProperty.IntegrityCheckInfo:
        if (v.vt !== VT_BSTR || typeof v.value !== 'string') answer(E_INVALIDARG);
        file.writeOnlyProperties.set(propertyId, v.value);
        return S_OK;
      case FileProperty.IntegrityCheckMandatory:
        if (v.vt !== VT_BOOL || typeof v.value !== 'boolean') answer(E_INVALIDARG);
        file.integrityCheckMandatory = v.value;
        return S_OK;
      case FileProperty.DownloadSinkFilePath:
        if (v.vt !== VT_BSTR || typeof v.value !== 'string' || v.value === '') answer(E_INVALIDARG);
        file.localName = v.value;
        return S_OK;
      default:
        if (v.vt !== VT_UI8 || typeof v.value !== 'bigint') answer(E_INVALIDARG);
        file.bytesTotal = v.value;
        return S_OK;
    }
  },
}));

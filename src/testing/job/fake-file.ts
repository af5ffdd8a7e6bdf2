/**
 * A file of a job: one object answers IBackgroundCopyFile … IBackgroundCopyFile6; in the DO flavour
 * IDeliveryOptimizationFile / File2 are tear-offs. The job holds each of its files.
 */
import * as fs from 'fs';
import * as path from 'path';
import { IBackgroundCopyFile6, IDeliveryOptimizationFile, IDeliveryOptimizationFile2, type JobState } from '../../bits';
import { reply, UINT64_MAX, type ArrayOut, type Reply } from '../../com';
import type { ServiceContext } from '../service/context';
import { FakeComObject, lazyImplementation } from '../objects/fake-object';
import { E_INVALIDARG, S_FALSE, S_OK } from '../service/hresults';
import { allocRanges, checkRanges, readRanges, type RangeValue } from '../objects/ranges';
import type { Behaviour } from '../scripts';
import { TearOffCache } from '../objects/tear-off';
import { answer, required } from '../objects/wire';
import { doFileTearOff } from './fake-do-file';

/** BITS refuses remote names longer than this (IBackgroundCopyFile2::SetRemoteName). */
const MAX_URL_LENGTH = 2200;
const BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS = 1;

let tempCounter = 0x1a2b;

export interface FileInit {
  readonly remoteName: string;
  readonly localName: string | null;
  readonly ranges?: readonly RangeValue[];
  /** DO: the caller's file id. */
  readonly fileId?: string | null;
  /** DO: the size the caller announced (AddFileWithRanges fileSize). */
  readonly sizeHint?: bigint | null;
}

/** What a file (and its DO tear-offs) reads of its job: the job drives its files, never the reverse. */
export interface FileJob {
  readonly label: string;
  readonly state: JobState;
  readonly priority: number;
  readonly isFinal: boolean;
  /** The job's modification time moves (a file's remote name changed). */
  touch(): void;
  /** RequestFileRanges added ranges (an on-demand job fetches them). */
  rangesRequested(): void;
}

export class FakeFile extends FakeComObject<ServiceContext> {
  remoteName: string;
  localName: string | null;
  readonly ranges: readonly RangeValue[];
  readonly fileId: string | null;
  /** null = BG_SIZE_UNKNOWN. */
  bytesTotal: bigint | null;
  bytesTransferred = 0n;
  completed = false;
  /** What Complete writes to `localName` (set when the transfer finishes). */
  content: Buffer | null = null;
  /** Set by a transient behaviour: what the retry does. */
  override: Behaviour | null = null;
  validationState = false;
  integrityCheckMandatory = false;
  /** DO write-only properties (DecryptionInfo, IntegrityCheckInfo), by id. */
  readonly writeOnlyProperties = new Map<number, string>();
  /** Asked for with RequestFileRanges and not yet fetched. */
  requestedRanges: RangeValue[] = [];
  /** What an on-demand job fetched of this file (merged, in order). */
  onDemandFilled: RangeValue[] = [];
  /** The on-demand ranges were written into `temporaryName` (removed when the job ends). */
  temporaryWritten = false;
  downloadPosition = 0n;
  responseHeaders: string | null = null;
  /** When the transfer of this file started and finished (DOSwarmStats downloadDuration). */
  startedAt: number | null = null;
  finishedAt: number | null = null;
  readonly temporaryName: string;
  readonly #tearOffs = new TearOffCache();

  constructor(ctx: ServiceContext, readonly job: FileJob, init: FileInit) {
    super(ctx, IBackgroundCopyFile6, true);
    this.remoteName = init.remoteName;
    this.localName = init.localName;
    this.ranges = init.ranges ?? [];
    this.fileId = init.fileId ?? null;
    this.bytesTotal = init.sizeHint ?? null;
    const dir = this.localName ? path.dirname(this.localName) : '';
    this.temporaryName = path.join(dir, `BIT${(tempCounter++).toString(16).toUpperCase()}.tmp`);
    this.attach(fileImplementation());
  }

  override get kind(): string {
    return 'IBackgroundCopyFile';
  }

  get label(): string {
    return `file ${this.remoteName} of ${this.job.label}`;
  }

  /** What the next transfer attempt of this file does. */
  behaviour(): Behaviour {
    return this.override ?? this.ctx.script.lookup(this.remoteName);
  }

  override resolveInterface(iid: string): bigint | null | undefined {
    if (iid === IDeliveryOptimizationFile.iid || iid === IDeliveryOptimizationFile2.iid) {
      if (this.ctx.options.flavour !== 'delivery-optimization') return null;
      return this.#tearOffs.get(iid, () => doFileTearOff(this.ctx, this, iid));
    }
    return undefined;
  }

  /** The job ended (ACKNOWLEDGED, CANCELLED): the temporary file of on-demand ranges goes. */
  discardTemporary(): void {
    if (this.temporaryWritten) fs.rmSync(this.temporaryName, { force: true });
    this.temporaryWritten = false;
  }

  durationMs(): number {
    if (this.startedAt === null) return 0;
    return Math.max(0, (this.finishedAt ?? Date.now()) - this.startedAt);
  }

  /** Filled ranges: what has been transferred so far. */
  filledRanges(): RangeValue[] {
    if (this.completed && this.ranges.length > 0) return [...this.ranges];
    if (!this.completed && this.onDemandFilled.length > 0) return [...this.onDemandFilled];
    return this.bytesTransferred > 0n ? [{ offset: 0n, length: this.bytesTransferred }] : [];
  }
}

function progressBytes(file: FakeFile): Buffer {
  const b = Buffer.alloc(24);
  b.writeBigUInt64LE(file.bytesTotal ?? UINT64_MAX, 0);
  b.writeBigUInt64LE(file.bytesTransferred, 8);
  b.writeInt32LE(file.completed ? 1 : 0, 16);
  return b;
}

/** A range list as a (count, array) out pair: `emptyResult` (S_FALSE or S_OK) with 0 / NULL when empty. */
function answerRanges(file: FakeFile, ranges: readonly RangeValue[], emptyResult: number): ArrayOut | Reply<ArrayOut> {
  if (ranges.length === 0) return reply(emptyResult, { count: 0, ptr: null });
  return { count: ranges.length, ptr: allocRanges(file.ctx, ranges) };
}

function looksLikeUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/./i.test(text) || text.startsWith('\\\\');
}

const fileImplementation = lazyImplementation<FakeFile, typeof IBackgroundCopyFile6>(IBackgroundCopyFile6, () => ({
  GetRemoteName: (file) => file.remoteName,
  GetLocalName: (file) => file.localName ?? '',
  GetProgress: (file) => progressBytes(file),
  GetFileRanges: (file) => answerRanges(file, file.ranges, S_FALSE),
  SetRemoteName: (file, value) => {
    const url = required(value);
    if (url.length > MAX_URL_LENGTH || !looksLikeUrl(url)) answer(E_INVALIDARG);
    if (file.job.isFinal) answer(file.ctx.codes.invalidState);
    file.remoteName = url;
    file.job.touch();
  },
  GetTemporaryName: (file) => file.temporaryName,
  SetValidationState: (file, state) => {
    file.validationState = state;
  },
  GetValidationState: (file) => file.validationState,
  IsDownloadedFromPeer: () => false,
  GetPeerDownloadStats: (file) => [file.bytesTransferred, 0n],
  SetProperty: (file, id) => {
    // The one file property (HTTP response headers) is reported by the service, not set.
    answer(id === BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS ? file.ctx.codes.readOnlyProperty : file.ctx.codes.unknownPropertyId);
  },
  GetProperty: (file, id) => {
    if (id !== BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS) answer(file.ctx.codes.unknownPropertyId);
    return file.responseHeaders ?? '';
  },
  UpdateDownloadPosition: (file, offset) => {
    file.downloadPosition = offset;
  },
  RequestFileRanges: (file, { count, ptr }) => {
    if (count === 0) answer(E_INVALIDARG);
    const list = readRanges(ptr, count);
    checkRanges(file.ctx, list);
    file.requestedRanges.push(...list);
    file.job.rangesRequested();
  },
  GetFilledFileRanges: (file) => answerRanges(file, file.filledRanges(), S_OK),
}));

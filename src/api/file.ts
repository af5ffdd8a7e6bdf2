/** A file of a job (IBackgroundCopyFile and its extensions through QueryInterface). */
import { S_FALSE, UINT64_MAX, type ComPtr, type Interface } from '../com';
import {
  FilePropertyId, IBackgroundCopyFile, IBackgroundCopyFile2, IBackgroundCopyFile3, IBackgroundCopyFile4, IBackgroundCopyFile5,
  IBackgroundCopyFile6, IDeliveryOptimizationFile, type FileProgress, type FileRange, type SwarmStats,
} from '../bits';
import type { Calls } from './calls';
import { ComResource } from './resource';
import { invalidArgType, invalidArgValue, outOfRange, validateBoolean, validateEnum, validateRemoteUrl, validateUint64, type RemoteNameFlavour } from './validate';

/** One file of a job (from `job.files()`): its names, progress, and the later IBackgroundCopyFileN extras. */
export class BackgroundCopyFile extends ComResource {
  readonly #calls: Calls;
  /** Which remote names `setRemoteName` accepts. */
  readonly #flavour: RemoteNameFlavour;

  /** @hidden Takes ownership of `file`. Not for users: a job's `files()` gives them. */
  constructor(file: ComPtr<typeof IBackgroundCopyFile>, flavour: RemoteNameFlavour = 'bits') {
    super();
    this.#calls = this.callsOn(this.adopt(file));
    this.#flavour = flavour;
  }

  protected get displayName(): string {
    return 'BackgroundCopyFile';
  }

  /** @internal Whether the file object answers QueryInterface for `iface` (capabilities.ts). */
  answers(iface: Interface): Promise<boolean> { return this.#calls.answers(iface); }

  /** The file's URL. */
  async getRemoteName(): Promise<string> {
    return await this.#calls.call(IBackgroundCopyFile, 'GetRemoteName') ?? '';
  }

  /** The file's destination path. */
  async getLocalName(): Promise<string> {
    return await this.#calls.call(IBackgroundCopyFile, 'GetLocalName') ?? '';
  }

  /** Bytes transferred, total when known, and whether the file is complete. */
  async getProgress(): Promise<FileProgress> {
    return await this.#calls.call(IBackgroundCopyFile, 'GetProgress');
  }

  /** Ranges requested for this file; [] when the whole file is wanted (S_FALSE). */
  async getFileRanges(): Promise<FileRange[]> {
    const result = await this.#calls.callRaw(IBackgroundCopyFile2, 'GetFileRanges');
    const ranges = result.orThrow();
    return result.hr === S_FALSE ? [] : ranges;
  }

  /** Changes the URL (suspend the job first; takes effect at the next Resume). */
  async setRemoteName(url: string): Promise<void> {
    validateRemoteUrl(url, 'url', { flavour: this.#flavour });
    await this.#calls.call(IBackgroundCopyFile2, 'SetRemoteName', url);
  }

  /** The temporary file the service writes to until `complete()` (IBackgroundCopyFile3). */
  async getTemporaryName(): Promise<string | null> {
    return await this.#calls.call(IBackgroundCopyFile3, 'GetTemporaryName');
  }

  /** Marks the file's content valid or not (IBackgroundCopyFile3; for peer caching). */
  async setValidationState(valid: boolean): Promise<void> {
    validateBoolean(valid, 'valid');
    await this.#calls.call(IBackgroundCopyFile3, 'SetValidationState', valid);
  }

  /** Whether the file was marked valid. */
  async getValidationState(): Promise<boolean> {
    return await this.#calls.call(IBackgroundCopyFile3, 'GetValidationState');
  }

  /** Whether (some of) the file came from a peer rather than the origin server. */
  async isDownloadedFromPeer(): Promise<boolean> {
    return await this.#calls.call(IBackgroundCopyFile3, 'IsDownloadedFromPeer');
  }

  /** Bytes from the origin server and from peers (IBackgroundCopyFile4). */
  async getPeerDownloadStats(): Promise<{
    /** Bytes from the origin server. */
    fromOrigin: bigint;
    /** Bytes from peers. */
    fromPeers: bigint;
  }> {
    const [fromOrigin, fromPeers] = await this.#calls.call(IBackgroundCopyFile4, 'GetPeerDownloadStats');
    return { fromOrigin, fromPeers };
  }

  /** The HTTP response headers of the last transfer (BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS). */
  async getProperty(id: FilePropertyId): Promise<string | null> {
    validateEnum(id, FilePropertyId, 'id');
    return await this.#calls.call(IBackgroundCopyFile5, 'GetProperty', id);
  }

  /** Sets a BITS_FILE_PROPERTY_ID value (IBackgroundCopyFile5). */
  async setProperty(id: FilePropertyId, value: string | null): Promise<void> {
    validateEnum(id, FilePropertyId, 'id');
    await this.#calls.call(IBackgroundCopyFile5, 'SetProperty', id, value);
  }

  /** Moves an on-demand file's download position (IBackgroundCopyFile6). */
  async updateDownloadPosition(offset: bigint): Promise<void> {
    const o = validateUint64(offset, 'offset');
    await this.#calls.call(IBackgroundCopyFile6, 'UpdateDownloadPosition', o);
  }

  /** Asks for these ranges first (IBackgroundCopyFile6, on-demand jobs). */
  async requestFileRanges(ranges: readonly FileRange[]): Promise<void> {
    this.ensureLive();
    const wire = toWireRanges(ranges);
    await this.#calls.call(IBackgroundCopyFile6, 'RequestFileRanges', wire);
  }

  /** The ranges already downloaded (IBackgroundCopyFile6). */
  async getFilledFileRanges(): Promise<FileRange[]> {
    return await this.#calls.call(IBackgroundCopyFile6, 'GetFilledFileRanges');
  }

  /** Delivery Optimization's peer statistics (IDeliveryOptimizationFile; slot UNCONFIRMED). */
  async getSwarmStats(): Promise<SwarmStats> {
    return await this.#calls.call(IDeliveryOptimizationFile, 'GetStats');
  }
}


/**
 * FileRange[] → BG_FILE_RANGE wire form, checked as the services require: at least one range,
 * each non-empty, in ascending order of offset, none overlapping the one before; a range to the end
 * of the file (`length: null`) only last. Each range's fields are read once.
 */
export function toWireRanges(ranges: unknown, name = 'ranges'): Array<{ InitialOffset: bigint; Length: bigint }> {
  if (!Array.isArray(ranges)) throw invalidArgType(name, 'an array of { offset, length }', ranges);
  if (ranges.length === 0) throw invalidArgValue(name, ranges, 'must hold at least one range (addFile downloads the whole file)');
  let previousEnd: bigint | null = null;
  return ranges.map((r: unknown, i) => {
    const at = `${name}[${i}]`;
    if (typeof r !== 'object' || r === null) throw invalidArgType(at, 'an object { offset, length }', r);
    const { offset: rawOffset, length: rawLength } = r as { offset: unknown; length: unknown };
    const offset = validateUint64(rawOffset, `${at}.offset`);
    if (offset === UINT64_MAX) throw outOfRange(`${at}.offset`, 'below 2n ** 64n - 1n (BG_LENGTH_TO_EOF is not an offset)', rawOffset);
    const length = rawLength === null ? UINT64_MAX : validateUint64(rawLength, `${at}.length`);
    if (length === 0n) throw invalidArgValue(`${at}.length`, rawLength, 'must not be 0 (an empty range)');
    if (length !== UINT64_MAX && offset + length > UINT64_MAX) throw outOfRange(`${at}.length`, `at most ${UINT64_MAX - offset}n from this offset`, rawLength);
    if (previousEnd !== null && offset < previousEnd) {
      throw invalidArgValue(at, `offset ${offset}`, previousEnd === UINT64_MAX
        ? 'follows a range that runs to the end of the file (length null), which must be the last'
        : 'starts before the end of the previous range (ranges go in ascending order and must not overlap)');
    }
    previousEnd = length === UINT64_MAX ? UINT64_MAX : offset + length;
    return { InitialOffset: offset, Length: length };
  });
}

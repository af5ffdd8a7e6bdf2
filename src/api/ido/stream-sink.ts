/**
 * A JS-implemented IStream that Delivery Optimization writes a download into, feeding a Node
 * Readable. Only Write does real work (as in microsoft/do-client); a Seek that would move the
 * position is refused and errors the stream, since bytes must arrive in order.
 *
 * Backpressure: Write cannot block (it runs on the JS main thread), so when the Readable's buffer
 * passes its highWaterMark the sink pauses the download, and starts it again when the consumer
 * reads. What is held at most: highWaterMark plus what the service writes before the pause lands
 * (measured in test/ffi/ido/stream.test.ts and docs/performance.md).
 */
import { Readable } from 'stream';
import {
  IStream, Implementation, STG_E_INVALIDFUNCTION, STG_E_WRITEFAULT, STREAM_SEEK_CUR, STREAM_SEEK_SET, answer, copyBytes, type JsComObject,
} from '../../com';
import { DODownloadState } from '../../ido';
import { validateOptionsObject, validateUint32 } from '../validate';
import type { DODownload } from './download';
import { downloadFailure, type DODownloadStatus } from './status';

/** Options of {@link DODownload.stream}. */
export interface StreamSinkOptions {
  /** Bytes buffered before the download is paused (default 4 MiB). */
  readonly highWaterMark?: number;
  /** How often the end of the transfer is checked besides status callbacks (default 250 ms). */
  readonly pollIntervalMs?: number;
}

// STG_E_WRITEFAULT: what Write answers once the stream is closed, so the service stops.

/** Counters a test or benchmark can read from the Readable (`sinkStats(readable)`). */
export interface StreamSinkStats {
  /** Bytes received through Write. */
  bytes: number;
  /** IStream::Write calls. */
  writes: number;
  /** Largest Readable buffer seen (bytes): the memory the sink held at most. */
  maxBuffered: number;
  /** Pauses requested because the consumer lagged, and restarts when it drained. */
  pauses: number;
  /** Restarts after the consumer drained. */
  resumes: number;
}

interface SinkState {
  readonly readable: Readable;
  readonly stats: StreamSinkStats;
  position: bigint;
  closed: boolean;
  /** Set by the owner: called when the Readable's buffer is full, and when it wants data again. */
  onFull: () => void;
  onError: (error: Error) => void;
}

const sinkImplementation = new Implementation<SinkState, typeof IStream>({
  iface: IStream,
  freeAfterFinalReleaseMs: 30_000,
  onThrowResult: STG_E_WRITEFAULT,
  methods: {
    // pcbWritten is optional (the table says so); a refused write leaves it 0.
    Write: (state, pv, n) => {
      if (state.closed) answer(STG_E_WRITEFAULT);
      if (n > 0 && pv === null) answer(STG_E_INVALIDFUNCTION);
      // Copied: the service's memory is borrowed, valid only during this call.
      const chunk = n === 0 ? Buffer.alloc(0) : copyBytes(pv!, n);
      state.stats.bytes += n;
      state.stats.writes++;
      state.position += BigInt(n);
      const more = state.readable.push(chunk);
      state.stats.maxBuffered = Math.max(state.stats.maxBuffered, state.readable.readableLength);
      if (!more) state.onFull();
      return n;
    },
    // Only a seek that keeps the position is answered; anything else would reorder bytes.
    Seek: (state, delta, origin) => {
      const target = origin === STREAM_SEEK_CUR ? state.position + delta : origin === STREAM_SEEK_SET ? delta : -1n;
      if (target !== state.position) {
        state.onError(new Error(`The service asked to seek the download stream to ${target} while at ${state.position}: bytes would arrive out of order`));
        answer(STG_E_INVALIDFUNCTION);
      }
      return state.position;
    },
  },
});

const STATS = new WeakMap<Readable, StreamSinkStats>();

/** The counters of a Readable made by `DODownload.stream()`. */
export function sinkStats(readable: Readable): StreamSinkStats | undefined {
  return STATS.get(readable);
}

export interface StreamSink {
  readonly ptr: bigint;
  readonly readable: Readable;
  /** Ends the stream with `error` (the sink refuses further writes). */
  fail(error: Error): void;
  /** Drops the creator's reference once the service holds its own. */
  releaseOwnReference(): void;
}

export function createStreamSink(download: DODownload, options: StreamSinkOptions): StreamSink {
  const o = validateOptionsObject(options, 'options');
  const highWaterMark = o.highWaterMark === undefined ? 4 << 20 : Math.max(1, validateUint32(o.highWaterMark, 'options.highWaterMark'));
  const pollIntervalMs = o.pollIntervalMs === undefined ? 250 : Math.max(1, validateUint32(o.pollIntervalMs, 'options.pollIntervalMs'));
  const stats: StreamSinkStats = { bytes: 0, writes: 0, maxBuffered: 0, pauses: 0, resumes: 0 };
  /** Start / Pause calls run one after another, in the order asked. */
  let control: Promise<void> = Promise.resolve();
  let pausedByUs = false;
  let finished = false;

  const enqueue = (op: () => Promise<void>) => {
    control = control.then(op).catch((error: Error) => fail(error));
  };

  const readable = new Readable({
    highWaterMark,
    read() {
      if (!pausedByUs || finished) return;
      pausedByUs = false;
      stats.resumes++;
      enqueue(() => download.start());
    },
    destroy(error, callback) {
      state.closed = true;
      stopWatching();
      // The consumer went away before the end: the rest of the download is not wanted.
      if (!finished && !download.disposed) {
        finished = true;
        download.abort().catch(() => undefined);
      }
      callback(error);
    },
  });
  STATS.set(readable, stats);

  const state: SinkState = {
    readable,
    stats,
    position: 0n,
    closed: false,
    onFull: () => {
      if (pausedByUs || finished) return;
      pausedByUs = true;
      stats.pauses++;
      enqueue(() => download.pause());
    },
    onError: (error) => fail(error),
  };
  const object = sinkImplementation.create(state) as JsComObject<SinkState>;

  function fail(error: Error): void {
    if (finished && readable.destroyed) return;
    finished = true;
    state.closed = true;
    stopWatching();
    if (!download.disposed) download.abort().catch(() => undefined);
    readable.destroy(error);
  }

  /** The end: everything DO counted has arrived, then EOF; a failure or a short count errors the stream. */
  function settle(status: DODownloadStatus): boolean {
    const failure = downloadFailure(status, download.id);
    if (failure) {
      fail(failure);
      return true;
    }
    if (status.state !== DODownloadState.Transferred) return false;
    if (status.bytesTransferred !== BigInt(stats.bytes)) {
      fail(new Error(`Download ${download.id} transferred ${status.bytesTransferred} bytes but the stream received ${stats.bytes}: bytes were lost`));
      return true;
    }
    finished = true;
    state.closed = true;
    stopWatching();
    readable.push(null);
    return true;
  }

  // Watch for the end: status callbacks wake the check; polling guarantees it.
  let timer: ReturnType<typeof setTimeout> | null = null;
  let checking = false;
  // A callback while bytes flow (TRANSFERRING, no error) cannot be the end: no GetStatus for it
  // (one per chunk otherwise). Any other callback, and the poll, read the status.
  const stopWake = download.onWake((wire) => {
    if (wire.state !== DODownloadState.Transferring || wire.error !== 0) void check();
  });
  function stopWatching(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    stopWake();
  }
  async function check(): Promise<void> {
    if (finished || checking || download.disposed) return;
    checking = true;
    try {
      if (!settle(await download.status())) schedule();
    } catch (error) {
      fail(error as Error);
    } finally {
      checking = false;
    }
  }
  function schedule(): void {
    if (finished) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void check(), pollIntervalMs);
  }
  void download.callbackReady().catch(() => undefined);
  schedule();

  return {
    ptr: object.ptr,
    readable,
    fail,
    releaseOwnReference: () => void object.release(),
  };
}

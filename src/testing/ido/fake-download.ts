/**
 * IDODownload in the fake's `ido` flavour: properties held as the VARIANT types of the SDK table,
 * Start / Pause / Abort / Finalize with DO's states, and a transfer that follows the URL's script
 * chunk by chunk: into the client's IStream (`Write`, through its own vtable) or, at Finalize,
 * into the local file. Status changes go to the client's IDODownloadStatusCallback.
 */
import { closeSync, openSync, writeSync } from 'fs';
import { randomUUID } from 'crypto';
import { answer, ComPtr, IStream, IUnknown, type CallResult } from '../../com';
import {
  DODownloadProperty as P, DODownloadState as S, IDODownload, IDODownloadStatusCallback, encodeDownloadStatus,
  readRangesInfo, type DownloadRange, type DownloadStatusWire,
} from '../../ido';
import type { ServiceContext } from '../service/context';
import { FakeComObject, lazyImplementation } from '../objects/fake-object';
import {
  DO_E_DOWNLOAD_NO_URI, DO_E_DOWNLOAD_RANGES_EXPECTED, DO_E_DOWNLOAD_RANGES_UNEXPECTED, DO_E_FILE_DOWNLOADSINK_UNSPECIFIED,
  DO_E_INVALID_RANGE, DO_E_INVALID_STATE, DO_E_OVERLAPPING_RANGES, STG_E_MEDIUMFULL,
} from '../service/hresults';
import { getDownloadProperty, setDownloadProperty, type Stored } from './download-properties';
import { ContentCursor, type Behaviour } from '../scripts';

/** Largest chunk handed to IStream::Write at once. */
const MAX_CHUNK = 1 << 20;
const DEFAULT_DURATION_MS = 20;
const DEFAULT_FAIL_AFTER_MS = 10;

/** The byte segments of one Start, resolved against the file size. */
interface Plan {
  readonly segments: Array<{ offset: number; length: number }>;
  index: number;
  within: number;
}

/** The IDO manager's list, as a download sees it: it lets go of a download finalized or aborted. */
export interface DownloadList {
  remove(download: FakeIdoDownload): void;
}

export class FakeIdoDownload extends FakeComObject<ServiceContext> {
  readonly id = randomUUID();
  state = S.Created;
  error = 0;
  extendedError = 0;
  bytesTotal: bigint | null = null;
  bytesTransferred = 0n;
  readonly values = new Map<P, Stored>();
  /** AddRef'd client objects. */
  callback: bigint | null = null;
  stream: bigint | null = null;
  /** Segments delivered so far (written to the local file at Finalize). */
  readonly delivered: Array<{ offset: number; length: number }> = [];
  /** Status callbacks made, and Write calls made. */
  statusCalls = 0;
  writeCalls = 0;
  #plan: Plan | null = null;
  #behaviour: Behaviour | null = null;
  #cursor: ContentCursor | null = null;
  /** Bumped on every state change that must stop a scheduled tick. */
  #generation = 0;

  constructor(ctx: ServiceContext, readonly manager: DownloadList) {
    super(ctx, IDODownload, true); // the manager's list keeps the creation reference
    this.attach(downloadImplementation());
  }

  get label(): string {
    return `IDO download {${this.id}}`;
  }

  get uri(): string | null {
    return (this.values.get(P.Uri) as string | undefined) ?? null;
  }

  status(): DownloadStatusWire {
    return { bytesTotal: this.bytesTotal, bytesTransferred: this.bytesTransferred, state: this.state, error: this.error, extendedError: this.extendedError };
  }

  /** A value of a category property, for EnumDownloads. */
  categoryValue(property: P): string | null {
    if (property === P.Id) return this.id;
    const v = this.values.get(property);
    return typeof v === 'string' ? v : null;
  }

  #setState(state: S, error = 0, extendedError = 0): void {
    this.state = state;
    this.error = error >>> 0;
    this.extendedError = extendedError >>> 0;
    this.#generation++;
    this.#notify();
  }

  /** True when the fake calls client objects from a native thread (option `callbackThread`, the default). */
  get #native(): boolean {
    return this.ctx.options.callbackThread === 'native-thread';
  }

  /**
   * OnStatusChange through the client's vtable, with the download (and the callback) kept alive
   * until it returns: from a native thread by default (as DoSvc's RPC threads call), else at once.
   */
  #notify(): void {
    const cb = this.callback;
    if (cb === null || this.ctx.disposed) return;
    this.statusCalls++;
    const status = encodeDownloadStatus(this.status());
    if (!this.#native) {
      this.hold();
      try {
        ComPtr.borrow(cb, IDODownloadStatusCallback, this.ctx.runtime).invokeRawSync('OnStatusChange', this.ptr, status);
      } finally {
        this.drop();
      }
      return;
    }
    this.hold();
    const rt = this.ctx.notifier.deliveryRuntime();
    ComPtr.borrow(cb, IUnknown, this.ctx.runtime).invokeRawSync('AddRef');
    const call = ComPtr.borrow(cb, IDODownloadStatusCallback, rt).invokeRaw('OnStatusChange', this.ptr, status);
    void this.ctx.notifier.track(call).catch((error: unknown) => this.ctx.recordHandlerError('IDODownloadStatusCallback::OnStatusChange', error)).finally(() => {
      if (!this.ctx.disposed) ComPtr.borrow(cb, IUnknown, this.ctx.runtime).invokeRawSync('Release');
      this.drop();
    });
  }

  /** Releases the client objects the download holds (Abort, Finalize, dispose). */
  releaseClientObjects(): void {
    for (const p of [this.callback, this.stream]) if (p !== null) ComPtr.borrow(p, IUnknown, this.ctx.runtime).invokeRawSync('Release');
    this.callback = null;
    this.stream = null;
  }

  start(ranges: DownloadRange[] | null): void {
    switch (this.state) {
      case S.Finalized:
      case S.Aborted:
        return answer(DO_E_INVALID_STATE);
      case S.Transferring:
        return;
      case S.Paused:
        if (this.#plan && this.#plan.index < this.#plan.segments.length) {
          if (ranges !== null) answer(DO_E_DOWNLOAD_RANGES_UNEXPECTED);
          this.#resume();
          return;
        }
        break;
      case S.Transferred:
        if (ranges === null) return;
        break;
      default:
        break;
    }
    const uri = this.uri ?? (this.values.get(P.ContentId) as string | undefined);
    if (!uri) answer(DO_E_DOWNLOAD_NO_URI);
    if (this.stream === null && !this.values.has(P.LocalPath)) answer(DO_E_FILE_DOWNLOADSINK_UNSPECIFIED);
    if (this.stream !== null && ranges === null) answer(DO_E_DOWNLOAD_RANGES_EXPECTED);
    if (ranges !== null && overlapping(ranges)) answer(DO_E_OVERLAPPING_RANGES);
    this.#behaviour = this.ctx.script.lookup(uri);
    this.#cursor ??= new ContentCursor(uri);
    this.#plan = { segments: [], index: 0, within: 0 };
    this.#pendingRanges = ranges;
    this.#resume();
  }

  #pendingRanges: DownloadRange[] | null = null;

  /** Starts (or restarts) ticking with the current behaviour. */
  #resume(): void {
    this.#setState(S.Transferring);
    const generation = this.#generation;
    const b = this.#behaviour as Behaviour;
    switch (b.kind) {
      case 'succeed':
        this.#plan = this.#planFor(b.bytes);
        if (this.#plan === null) return;
        this.#tick(b);
        return;
      case 'fail':
        this.ctx.timers.schedule(b.afterMs ?? DEFAULT_FAIL_AFTER_MS, 'IDO download fails', () => {
          if (generation === this.#generation) this.#setState(S.Paused, b.hresult, b.hresult);
        });
        return;
      case 'transient':
        this.ctx.timers.schedule(b.afterMs ?? DEFAULT_FAIL_AFTER_MS, 'IDO transient error', () => {
          if (generation !== this.#generation) return;
          this.#setState(S.Paused, 0, b.hresult);
          const pausedGeneration = this.#generation;
          this.ctx.timers.schedule(this.ctx.options.timing.retryDelayMs, 'IDO transient retry', () => {
            if (pausedGeneration !== this.#generation) return; // the client paused, resumed or aborted meanwhile
            this.#behaviour = b.then;
            this.#resume();
          });
        });
        return;
      case 'hang':
        return;
    }
  }

  /** Segments for the ranges of the latest Start against a file of `size` bytes (kept across pauses). */
  #planFor(size: number): Plan | null {
    this.bytesTotal = BigInt(size);
    const plan = this.#plan as Plan;
    if (this.#pendingRanges === null && plan.segments.length > 0) return plan; // a resume
    const ranges = this.#pendingRanges ?? [{ offset: 0n, length: null }];
    this.#pendingRanges = null;
    const segments: Plan['segments'] = [];
    for (const r of ranges) {
      if (r.offset > BigInt(size) || (r.offset === BigInt(size) && size > 0)) {
        this.#setState(S.Paused, DO_E_INVALID_RANGE, DO_E_INVALID_RANGE);
        return null;
      }
      const offset = Number(r.offset);
      const length = r.length === null ? size - offset : Math.min(Number(r.length), size - offset);
      segments.push({ offset, length });
    }
    return (this.#plan = { segments, index: 0, within: 0 });
  }

  #tick(b: Extract<Behaviour, { kind: 'succeed' }>): void {
    const plan = this.#plan as Plan;
    const total = plan.segments.reduce((n, s) => n + s.length, 0);
    const steps = Math.max(this.ctx.options.timing.progressSteps, Math.ceil(total / MAX_CHUNK), 1);
    const chunk = Math.max(1, Math.ceil(total / steps));
    const interval = (b.durationMs ?? DEFAULT_DURATION_MS) / steps;
    const next = () => {
      const generation = this.#generation;
      this.ctx.timers.schedule(interval, 'IDO transfer step', () => step(generation));
    };
    const step = (generation: number) => {
      // A Write still in flight holds the chain: its completion goes on (also after a pause and restart).
      if (generation !== this.#generation || this.state !== S.Transferring || this.#writing) return;
      if (plan.index >= plan.segments.length) {
        this.#setState(S.Transferred);
        return;
      }
      const segment = plan.segments[plan.index];
      const n = Math.min(chunk, segment.length - plan.within);
      const delivered = n > 0 ? this.#deliver(segment.offset + plan.within, n) : true;
      if (delivered instanceof Promise) {
        this.#writing = true;
        void delivered.then((ok) => {
          this.#writing = false;
          if (ok) advance(n);
        });
      } else if (delivered) {
        advance(n);
      }
    };
    const advance = (n: number) => {
      plan.within += n;
      if (plan.within >= plan.segments[plan.index].length) {
        plan.index++;
        plan.within = 0;
      }
      // Paused or aborted meanwhile (perhaps from inside Write): a later Start ticks again.
      if (this.state !== S.Transferring || this.ctx.disposed) return;
      this.#notify();
      if (this.state === S.Transferring) next();
    };
    next();
  }

  /** A Write is in flight on a native thread. */
  #writing = false;

  /**
   * Hands `n` bytes at `offset` to the client's stream: IStream::Write from a native thread by default (the
   * transfer waits for it, as DoSvc's writer does), else on the main thread. False when the stream
   * refused them (the download is then paused in error) or the download ended meanwhile.
   */
  #deliver(offset: number, n: number): boolean | Promise<boolean> {
    if (this.stream === null) return this.#delivered(offset, n);
    const stream = this.stream;
    const data = (this.#cursor as ContentCursor).read(offset, n);
    this.writeCalls++;
    this.hold();
    ComPtr.borrow(stream, IUnknown, this.ctx.runtime).invokeRawSync('AddRef');
    const done = (result: CallResult<number> | null): boolean => {
      // The buffer is the service's: reused once Write returns. A stream that kept a view instead of a copy sees this.
      data.fill(0xdd);
      if (!this.ctx.disposed) ComPtr.borrow(stream, IUnknown, this.ctx.runtime).invokeRawSync('Release');
      this.drop();
      if (result === null || this.ctx.disposed || this.state === S.Aborted || this.state === S.Finalized) return false;
      if (result.failed || result.value !== n) {
        const hr = result.failed ? result.hr : STG_E_MEDIUMFULL;
        this.#setState(S.Paused, hr, hr);
        return false;
      }
      return this.#delivered(offset, n);
    };
    if (!this.#native) {
      let result: CallResult<number> | null = null;
      try {
        result = ComPtr.borrow(stream, IStream, this.ctx.runtime).invokeRawSync('Write', data, n);
      } finally {
        if (result === null) done(null);
      }
      return done(result);
    }
    const call = ComPtr.borrow(stream, IStream, this.ctx.notifier.deliveryRuntime()).invokeRaw('Write', data, n);
    return this.ctx.notifier.track(call).then(done, (error: unknown) => {
      this.ctx.recordHandlerError('IStream::Write', error);
      return done(null);
    });
  }

  /** Books `n` bytes at `offset` as transferred. */
  #delivered(offset: number, n: number): true {
    this.bytesTransferred += BigInt(n);
    const last = this.delivered[this.delivered.length - 1];
    if (last && last.offset + last.length === offset) last.length += n;
    else this.delivered.push({ offset, length: n });
    return true;
  }

  pause(): void {
    if (this.state === S.Finalized || this.state === S.Aborted || this.state === S.Created) answer(DO_E_INVALID_STATE);
    if (this.state === S.Transferring) this.#setState(S.Paused);
  }

  abort(): void {
    if (this.state === S.Finalized) answer(DO_E_INVALID_STATE);
    if (this.state === S.Aborted) return;
    this.#setState(S.Aborted);
    this.releaseClientObjects();
    this.manager.remove(this);
  }

  finalize(): void {
    if (this.state !== S.Transferred) answer(DO_E_INVALID_STATE);
    const path = this.values.get(P.LocalPath) as string | undefined;
    if (path !== undefined && this.ctx.options.writeFiles) this.#writeFile(path);
    this.#setState(S.Finalized);
    this.releaseClientObjects();
    this.manager.remove(this);
  }

  #writeFile(path: string): void {
    const fd = openSync(path, 'w');
    try {
      const cursor = this.#cursor as ContentCursor;
      for (const s of this.delivered) {
        for (let done = 0; done < s.length; done += MAX_CHUNK) {
          const n = Math.min(MAX_CHUNK, s.length - done);
          writeSync(fd, cursor.read(s.offset + done, n), 0, n, s.offset + done);
        }
      }
    } finally {
      closeSync(fd);
    }
  }

  getProperty(id: number): Buffer {
    return getDownloadProperty(this, id);
  }

  setProperty(id: number, pVariant: bigint | null): void {
    setDownloadProperty(this, id, pVariant);
  }


  protected override onFinalRelease(): void {
    this.#generation++;
    this.releaseClientObjects();
  }
}

function overlapping(ranges: readonly DownloadRange[]): boolean {
  const sorted = [...ranges].sort((a, b) => (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    if (prev.length === null || prev.offset + prev.length > sorted[i].offset) return true;
  }
  return false;
}

const downloadImplementation = lazyImplementation<FakeIdoDownload, typeof IDODownload>(IDODownload, () => ({
  Start: (self, ranges) => self.start(ranges === null ? null : readRangesInfo(ranges)),
  Pause: (self) => self.pause(),
  Abort: (self) => self.abort(),
  Finalize: (self) => self.finalize(),
  GetStatus: (self) => encodeDownloadStatus(self.status()),
  GetProperty: (self, id) => self.getProperty(id),
  SetProperty: (self, id, variant) => self.setProperty(id, variant),
}));

/**
 * One download of Delivery Optimization's IDO API (IDODownload). Every service call returns a
 * Promise (calls leave the JS main thread). Status comes from GetStatus and, pushed, from a JS
 * IDODownloadStatusCallback; waiting uses both (a callback wakes the wait, polling guarantees it).
 */
import type { Readable } from 'stream';
import { ComPtr, takeVariant, withVariant, type JsComObject } from '../../com';
import { DO_LENGTH_TO_EOF, DODownloadProperty, DODownloadState, IDODownload, type DownloadRange, type DownloadStatusWire, type PropertyValue } from '../../ido';
import type { PaceSample } from '../poll-pacing';
import { checkWaitOptions, pollStatus, type CheckedWaitOptions } from '../poll-status';
import { ComResource } from '../resource';
import { callUserCallback, warnCallbackFailed } from '../user-callback';
import type { ServiceProvider } from '../service';
import { invalidArgType, invalidArgValue, outOfRange, validateFunction, validateOptionsObject, validateUint64 } from '../validate';
import { checkPropertyId, decodeProperty, encodeProperty, type SettableProperty } from './properties';
import { checkClientCertificate, serializedCertificate, type DOClientCertificate } from './client-certificate';
import { createStatusCallback } from './status-callback';
import { downloadFailure, toDownloadStatus, type DODownloadStatus } from './status';
import { createStreamSink, type StreamSinkOptions } from './stream-sink';

/** Events of a DODownload. */
export type DODownloadEvent = 'status';
/** A `status` listener. */
export type DODownloadListener = (status: DODownloadStatus) => void;

/** Options of {@link DODownload.waitForCompletion}. */
export interface DOWaitOptions {
  /** Stops waiting with AbortError (the download is left as it is). */
  readonly signal?: AbortSignal;
  /**
   * Polling period, 1 to 2^31-1 ms. Default: adaptive, as for a job's `WaitOptions` (500 ms growing
   * to 1 s, shorter near the end). Status callbacks wake the wait earlier.
   */
  readonly pollIntervalMs?: number;
  /** Called with each status that differs from the previous one (an async one that rejects is a warning). */
  readonly onProgress?: (status: DODownloadStatus) => void;
  /** Gives up with TimeoutError after this long, 0 to 2^31-1 ms (the download is left as it is). Default: no limit. */
  readonly timeoutMs?: number;
}

/** DOWaitOptions once checked: they travel inward as this type. */
export type CheckedDOWaitOptions = CheckedWaitOptions<DODownloadStatus>;

/** At most this many ranges per Start (a DO_DOWNLOAD_RANGES_INFO block of 16 KiB). */
const MAX_RANGES = 1024;

/** Checks byte ranges before they become a DO_DOWNLOAD_RANGES_INFO. */
export function validateRanges(value: unknown, name: string): DownloadRange[] {
  if (!Array.isArray(value)) throw invalidArgType(name, 'an array of { offset, length } ranges', value);
  if (value.length === 0 || value.length > MAX_RANGES) throw outOfRange(`${name}.length`, `between 1 and ${MAX_RANGES}`, value.length);
  return value.map((r: unknown, i) => {
    const o = validateOptionsObject(r, `${name}[${i}]`);
    const offset = validateUint64(o.offset, `${name}[${i}].offset`);
    if (o.length === null || o.length === undefined) return { offset, length: null };
    const length = validateUint64(o.length, `${name}[${i}].length`);
    if (length === 0n || length === DO_LENGTH_TO_EOF) throw outOfRange(`${name}[${i}].length`, 'at least 1 (null = to the end of the file)', o.length);
    return { offset, length };
  });
}

function sameStatus(a: DODownloadStatus, b: DODownloadStatus): boolean {
  return a.state === b.state && a.bytesTransferred === b.bytesTransferred && a.bytesTotal === b.bytesTotal &&
    a.error?.hresult === b.error?.hresult && a.extendedError?.hresult === b.extendedError?.hresult;
}

function paceSample(status: DODownloadStatus): PaceSample {
  return { transferring: status.state === DODownloadState.Transferring, bytesTransferred: status.bytesTransferred, bytesTotal: status.bytesTotal };
}

/**
 * One download of the IDO API (`IDODownload`); from {@link DOManager.createDownload} or
 * {@link DOManager.downloads}. `close()` (or `dispose()`) releases it.
 */
export class DODownload extends ComResource {
  /** The service it belongs to. */
  readonly service: ServiceProvider;
  /** The download's id (DODownloadProperty.Id). */
  readonly id: string;
  readonly #download: ComPtr<typeof IDODownload>;
  readonly #listeners = new Set<DODownloadListener>();
  /** Wake-ups for waiters (internal; not listeners). */
  readonly #wakers = new Set<(wire: DownloadStatusWire) => void>();
  #callback: { object: JsComObject<unknown>; ready: Promise<void> } | null = null;
  #streaming = false;

  /** @hidden Takes ownership of `download`. Not for users: DOManager gives downloads. */
  constructor(download: ComPtr<typeof IDODownload>, id: string, service: ServiceProvider) {
    super();
    this.id = id;
    this.#download = this.adopt(download);
    this.service = service;
  }

  protected get displayName(): string {
    return `DODownload {${this.id}}`;
  }

  get #live(): ComPtr<typeof IDODownload> {
    this.ensureLive();
    return this.#download;
  }

  /**
   * Starts, or resumes after pause(). `ranges` downloads only those bytes (offset, length; null
   * length = to the end); a stream sink needs them, and gets the whole file as one range when
   * none are given. Ranges are consumed by the Start that received them: resume without.
   */
  async start(ranges?: readonly DownloadRange[] | null): Promise<void> {
    const checked = ranges === undefined || ranges === null ? null : validateRanges(ranges, 'ranges');
    await this.#live.invoke('Start', checked);
  }

  /** Pauses; start() resumes (without ranges). */
  async pause(): Promise<void> {
    await this.#live.invoke('Pause');
  }

  /** Cancels the download and removes it (a finalized download cannot be aborted: InvalidStateError). */
  async abort(): Promise<void> {
    await this.#live.invoke('Abort');
  }

  /** Hands the file over; the download cannot be started again. */
  async finalize(): Promise<void> {
    await this.#live.invoke('Finalize');
  }

  /** GetStatus: state, bytes, and errors as HResultErrors. */
  async status(): Promise<DODownloadStatus> {
    const wire = await this.#live.invoke('GetStatus');
    return toDownloadStatus(wire, this.id);
  }

  /**
   * A property, typed by the SDK table (string, number, bigint or boolean). Rejects with
   * UnknownPropertyError (the running Windows does not know it), WriteOnlyPropertyError or
   * PropertyNotSetError.
   */
  async getProperty<K extends SettableProperty>(id: K): Promise<PropertyValue<K>> {
    const { id: checked } = checkPropertyId(id);
    const download = this.#live;
    const variant = await download.invoke('GetProperty', checked);
    return decodeProperty(checked as K, takeVariant(this.service.runtime, variant));
  }

  /** Sets a property; the value is checked against its VARIANT type first. Rejects with UnknownPropertyError, ReadOnlyPropertyError or InvalidStateError. */
  async setProperty<K extends SettableProperty>(id: K, value: PropertyValue<K>): Promise<void> {
    const { id: checked } = checkPropertyId(id);
    const variant = encodeProperty(checked, value);
    const download = this.#live;
    await withVariant(this.service.runtime, variant, (v) => download.invoke('SetProperty', checked, v));
  }

  /**
   * The client certificate the download presents to HTTPS servers (DODownloadProperty_SecurityContext,
   * write-only): a certificate in a Windows store, by SHA-1 thumbprint or subject. The store's
   * serialized certificate (which names its private key's container, never the key) is what DO takes.
   * Rejects with a TypeError / RangeError for a malformed thumbprint, and CertificateNotFoundError when
   * the store or the certificate is not there, before any call to the service.
   * @example
   * ```ts
   * await download.setClientCertificate({ sha1Hash: '8f0c…40 hex digits', storeName: 'MY' });
   * ```
   */
  async setClientCertificate(certificate: DOClientCertificate): Promise<void> {
    this.ensureLive();
    const bytes = serializedCertificate(this.service, checkClientCertificate(certificate));
    const download = this.#live;
    await withVariant(this.service.runtime, { type: 'ui1-array', value: bytes }, (v) => download.invoke('SetProperty', DODownloadProperty.SecurityContext, v));
  }

  /** `status` events come from the service's status callback (registered on first use). */
  on(event: DODownloadEvent, listener: DODownloadListener): this {
    if (event !== 'status') throw invalidArgValue('event', event, "must be 'status'");
    validateFunction(listener, 'listener');
    this.ensureLive();
    this.#listeners.add(listener);
    void this.#ensureCallback().catch(() => undefined);
    return this;
  }

  /** Removes a listener. */
  off(event: DODownloadEvent, listener: DODownloadListener): this {
    if (event === 'status') this.#listeners.delete(listener);
    return this;
  }

  /** Resolves once the status callback is registered with the service (rejects if it refused it). */
  callbackReady(): Promise<void> {
    return this.#ensureCallback();
  }

  #ensureCallback(): Promise<void> {
    if (this.#callback) return this.#callback.ready;
    const object = createStatusCallback((wire) => this.#onStatus(wire)) as JsComObject<unknown>;
    const download = this.#live;
    const ready = withVariant(this.service.runtime, { type: 'unknown', value: object.ptr }, (v) =>
      download.invoke('SetProperty', DODownloadProperty.CallbackInterface, v)).then(() => undefined).finally(() => object.release()); // the service holds its own
    this.#callback = { object, ready };
    ready.catch(() => {
      if (this.#callback?.object === object) this.#callback = null;
    });
    return ready;
  }

  #onStatus(wire: DownloadStatusWire): void {
    for (const wake of this.#wakers) wake(wire);
    if (this.disposed) return;
    const status = toDownloadStatus(wire, this.id);
    for (const listener of [...this.#listeners]) callUserCallback(listener, [status], (error) => warnCallbackFailed("A 'status' listener failed", error));
  }

  /**
   * Waits until the data is transferred (TRANSFERRED); then call finalize(). Rejects with
   * DownloadFailedError when the status carries a failing Error or the download was aborted, with
   * AbortError on the signal and TimeoutError after `timeoutMs`. A transient pause (no network,
   * cost policy …) is waited out.
   */
  async waitForCompletion(options: DOWaitOptions = {}): Promise<DODownloadStatus> {
    return this.waitChecked(checkWaitOptions<DODownloadStatus>(options));
  }

  /** @internal `waitForCompletion` with its options already checked (auto-download's `download()` checks its own once). */
  async waitChecked(checked: CheckedDOWaitOptions): Promise<DODownloadStatus> {
    this.ensureLive();
    await this.#ensureCallback().catch(() => undefined); // polling alone still works
    const subject = { read: () => this.status(), wake: (fn: () => void) => this.onWake(fn), same: sameStatus, pace: paceSample };
    for await (const status of pollStatus(subject, checked, `Waiting for download ${this.id}`)) {
      if (status.state === DODownloadState.Transferred) return status;
      const failure = downloadFailure(status, this.id);
      if (failure) throw failure;
    }
    /* istanbul ignore next: the loop ends only by a return or a throw */
    throw new Error('unreachable');
  }

  /**
   * The download's bytes as a Node Readable, through a JS IStream set as its sink; then call
   * start(ranges?) (the whole file is one range {0, to EOF}). Backpressure: when the consumer lags
   * the download is paused, and started again once it drains. The stream ends after TRANSFERRED
   * with every byte delivered in order, and errors otherwise (failure, abort, a byte count that
   * does not add up). Set it before start(); one stream per download.
   */
  async stream(options: StreamSinkOptions = {}): Promise<Readable> {
    this.ensureLive();
    if (this.#streaming) throw invalidArgValue('stream', 'again', 'can be set only once per download');
    this.#streaming = true;
    const sink = createStreamSink(this, options);
    try {
      const download = this.#live;
      await withVariant(this.service.runtime, { type: 'unknown', value: sink.ptr }, (v) =>
        download.invoke('SetProperty', DODownloadProperty.StreamInterface, v));
    } catch (error) {
      sink.fail(error as Error);
      throw error;
    } finally {
      sink.releaseOwnReference(); // the service holds its own
    }
    return sink.readable;
  }

  /** @internal For the stream sink: wake-ups on status callbacks, with the status the callback carried. */
  onWake(fn: (wire: DownloadStatusWire) => void): () => void {
    this.#wakers.add(fn);
    return () => this.#wakers.delete(fn);
  }

  protected override async beforeClose(): Promise<void> {
    if (!this.#callback) return;
    const status = await this.status().catch(() => null);
    // A finalized or aborted download has let go of its callback already.
    if (status && status.state !== DODownloadState.Finalized && status.state !== DODownloadState.Aborted) {
      await withVariant(this.service.runtime, { type: 'empty' }, (v) => this.#download.invoke('SetProperty', DODownloadProperty.CallbackInterface, v));
    }
  }

  protected override beforeDispose(): void {
    this.#listeners.clear();
    this.#wakers.clear();
  }
}

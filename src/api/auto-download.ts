/**
 * `download()`: one call for a user who just wants a file (or a stream). It takes Delivery
 * Optimization's IDO API where it exists, the BITS-style DO API where it does not, and BITS last,
 * and says which one it used. It moves on only when an API is *unavailable* (class not
 * registered, interface missing); a download that fails on an available API is reported, not
 * retried elsewhere.
 */
import { createReadStream, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Writable } from 'stream';
import { pipeline } from 'stream/promises';
import { AbortError, ClassNotRegisteredError, NoInterfaceError, PlatformNotSupportedError } from '../errors';
import { BackgroundCopyManager } from './manager';
import type { ServiceProvider } from './service';
import { DOManager, propertiesOf, type CheckedProperties, type DODownloadSettings } from './ido/manager';
import type { DODownload } from './ido/download';
import { redact } from '../secrets';
import { BITS_MAX_LOCAL_PATH, invalidArgValue, validateAbortSignal, validateDisplayName, validateDuration, validateFunction, validateLocalPath, validateOptionsObject, validateRemoteUrl } from './validate';
import { checkDestinationFolders } from './destination';

/** The three ways to download, in the order `auto` tries them. */
export type DownloadApi = 'ido' | 'bits-style' | 'bits';
/** The order `api: 'auto'` tries them in. */
export const DOWNLOAD_APIS: readonly DownloadApi[] = ['ido', 'bits-style', 'bits'];

/** Progress, the same shape whichever API runs. */
export interface DownloadProgress {
  /** The API doing the download. */
  readonly api: DownloadApi;
  /** Bytes so far. */
  readonly bytesTransferred: bigint;
  /** null while unknown. */
  readonly bytesTotal: bigint | null;
}

/** Options of {@link download}. */
export interface AutoDownloadOptions {
  /** 'auto' (default) or one API. */
  readonly api?: 'auto' | DownloadApi;
  /**
   * Where the services come from: the real ones (default, Windows only), or one provider such as
   * the testing fake, which offers what its flavour has ('ido': all three of DO's; 'bits': BITS).
   */
  readonly service?: ServiceProvider;
  /** Aborts the download (it is cancelled; the promise rejects with AbortError). */
  readonly signal?: AbortSignal;
  /** Called with progress, whichever API runs. */
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** The job's or download's display name. */
  readonly displayName?: string;
  /** Polling period while waiting, 1 to 2^31-1 ms (default: adaptive, as for `WaitOptions`). */
  readonly pollIntervalMs?: number;
  /** Told about each API that was tried and found unavailable, before the next is tried. */
  readonly onFallback?: (api: DownloadApi, reason: Error) => void;
  /**
   * Settings of the IDO download (foreground, cost policy, headers, no-progress timeout, …), checked
   * before anything is created; only with `api: 'ido'` (the other APIs have other settings).
   */
  readonly ido?: DODownloadSettings;
}

/** What {@link download} did. */
export interface AutoDownloadResult {
  /** The API that did the download. */
  readonly api: DownloadApi;
  /** The APIs tried before it, each with why it was unavailable. */
  readonly unavailable: ReadonlyArray<{
    /** The API tried. */
    readonly api: DownloadApi;
    /** Why it was unavailable (ClassNotRegisteredError, NoInterfaceError). */
    readonly reason: Error;
  }>;
  /** Bytes downloaded. */
  readonly bytesTransferred: bigint;
  /** The file written, or null when the destination was a stream. */
  readonly localPath: string | null;
}

/** An API that does not exist here: worth trying the next one. */
function isUnavailable(error: unknown): error is Error {
  return error instanceof ClassNotRegisteredError || error instanceof NoInterfaceError;
}

function unavailable(api: DownloadApi, why: string): ClassNotRegisteredError {
  return new ClassNotRegisteredError(undefined, { service: api, description: `${api}: ${why}` });
}

/** download()'s arguments, checked once: every API below takes them as they are. */
interface Run {
  readonly url: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: DownloadProgress) => void;
  readonly displayName: string;
  readonly pollIntervalMs?: number;
  /** The IDO download's properties, checked: what, where, and the `ido` settings. */
  readonly idoProperties: (target: string | Writable) => CheckedProperties;
}

/** One download through the IDO API; `target` is a local path or a Writable. */
async function viaIdo(service: ServiceProvider | undefined, run: Run, target: string | Writable): Promise<bigint> {
  const manager = await DOManager.connect(service ? { service } : {});
  let download: DODownload | null = null;
  try {
    download = await manager.createDownloadChecked(run.idoProperties(target));
    const d = download;
    const report = (s: { bytesTransferred: bigint; bytesTotal: bigint | null }) =>
      run.onProgress?.({ api: 'ido', bytesTransferred: s.bytesTransferred, bytesTotal: s.bytesTotal });
    const onAbort = () => void d.abort().catch(() => undefined);
    run.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (typeof target === 'string') {
        await d.start();
        const status = await d.waitChecked({ signal: run.signal, onProgress: report, pollIntervalMs: run.pollIntervalMs, deadline: Infinity });
        await d.finalize();
        return status.bytesTransferred;
      }
      const readable = await d.stream();
      d.on('status', report);
      await d.start([{ offset: 0n, length: null }]);
      await pipeline(readable, target, { signal: run.signal });
      const status = await d.status();
      await d.finalize();
      return status.bytesTransferred;
    } finally {
      run.signal?.removeEventListener('abort', onAbort);
    }
  } catch (error) {
    if (download) await download.abort().catch(() => undefined);
    if (run.signal?.aborted && !(error instanceof AbortError)) throw new AbortError('The download was aborted', { cause: error });
    throw error;
  } finally {
    await download?.close();
    await manager.close();
  }
}

/** One download through a BITS-style manager (DO's or BITS's own). */
async function viaJob(api: 'bits-style' | 'bits', service: ServiceProvider | undefined, run: Run, localPath: string): Promise<bigint> {
  if (service) {
    const offered = service.kind === 'bits' ? 'bits' : 'bits-style';
    if (offered !== api) throw unavailable(api, `the service provider '${service.displayName}' offers ${offered}, not ${api}`);
  }
  validateLocalPath(localPath, 'destination', { posix: service?.posixPaths === true, maxLength: BITS_MAX_LOCAL_PATH });
  const manager = await BackgroundCopyManager.connect({ service: service ?? (api === 'bits' ? 'bits' : 'delivery-optimization') });
  try {
    const result = await manager.downloadChecked({
      remoteUrl: run.url,
      localPath,
      signal: run.signal,
      displayName: run.displayName,
      pollIntervalMs: run.pollIntervalMs,
      onProgress: (s) => run.onProgress?.({ api, bytesTransferred: s.progress.bytesTransferred, bytesTotal: s.progress.bytesTotal }),
    });
    return result.bytesTransferred;
  } finally {
    await manager.close();
  }
}

/**
 * Downloads `url` to a local file (a fully qualified path) or into a Writable, with the best API
 * this machine has (`api: 'auto'`) or the one asked for. Resolves with the API used and the ones
 * found unavailable. Streaming is native on the IDO API; the others download to a temporary file
 * first and then copy it into the Writable.
 */
export async function download(url: string, destination: string | Writable, options: AutoDownloadOptions = {}): Promise<AutoDownloadResult> {
  const o = validateOptionsObject(options, 'options');
  const api = o.api ?? 'auto';
  if (api !== 'auto' && !DOWNLOAD_APIS.includes(api as DownloadApi)) throw invalidArgValue('options.api', api, `must be 'auto', ${DOWNLOAD_APIS.map((a) => `'${a}'`).join(', ')}`);
  const service = o.service as ServiceProvider | undefined;
  if (service !== undefined && (typeof service !== 'object' || service === null || typeof service.clsid !== 'string')) {
    throw invalidArgValue('options.service', service, 'must be a ServiceProvider (such as the testing fake)');
  }
  if (!service && process.platform !== 'win32') throw new PlatformNotSupportedError({ feature: 'download()' });
  validateRemoteUrl(url, 'url');
  const toStream = destination instanceof Writable;
  // BITS' MAX_PATH is checked now when only BITS-style APIs may run; with 'auto' or 'ido', by viaJob if it comes to that.
  const maxLength = api === 'bits' || api === 'bits-style' ? BITS_MAX_LOCAL_PATH : undefined;
  if (!toStream) validateLocalPath(destination, 'destination', { posix: service?.posixPaths === true, maxLength });
  const signal = validateAbortSignal(o.signal, 'options.signal');
  const onFallback = o.onFallback === undefined ? undefined : validateFunction<(a: DownloadApi, r: Error) => void>(o.onFallback, 'options.onFallback');
  const displayName = o.displayName === undefined ? `delivery-optimization: ${redact(url).slice(0, 200)}` : validateDisplayName(o.displayName, 'options.displayName');
  if (o.ido !== undefined && api !== 'ido') throw invalidArgValue('options.ido', '[settings]', "applies only with api: 'ido'");
  const ido = o.ido === undefined ? {} : validateOptionsObject(o.ido, 'options.ido');
  for (const key of ['uri', 'contentId', 'localPath', 'displayName']) {
    if (ido[key] !== undefined) throw invalidArgValue(`options.ido.${key}`, '[value]', 'is given by download() itself (url, destination, displayName)');
  }
  const posix = service?.posixPaths === true;
  const idoProperties = (target: string | Writable) => propertiesOf({
    ...ido, uri: url, displayName, ...(typeof target === 'string' ? { localPath: target } : {}),
  }, posix);
  // Checked now, so a bad setting fails before any API is tried; the same call builds them later.
  if (o.ido !== undefined) idoProperties(destination);
  const run: Run = {
    url,
    signal,
    onProgress: o.onProgress === undefined ? undefined : validateFunction<(p: DownloadProgress) => void>(o.onProgress, 'options.onProgress'),
    displayName,
    idoProperties,
    pollIntervalMs: o.pollIntervalMs === undefined ? undefined : validateDuration(o.pollIntervalMs, 'options.pollIntervalMs', { min: 1 }),
  };
  if (signal?.aborted) throw new AbortError('The download was aborted before it started', { cause: signal.reason });
  // Before any API is tried: every API would otherwise transfer the whole file first.
  if (!toStream) checkDestinationFolders([destination as string]);

  const order = api === 'auto' ? DOWNLOAD_APIS : [api as DownloadApi];
  const skipped: Array<{ api: DownloadApi; reason: Error }> = [];
  for (const candidate of order) {
    try {
      const bytes = await attempt(candidate, service, run, destination);
      return { api: candidate, unavailable: skipped, bytesTransferred: bytes, localPath: toStream ? null : (destination as string) };
    } catch (error) {
      if (api === 'auto' && isUnavailable(error) && candidate !== order[order.length - 1]) {
        skipped.push({ api: candidate, reason: error });
        onFallback?.(candidate, error);
        continue;
      }
      throw error;
    }
  }
  /* istanbul ignore next: the loop returns or throws */
  throw new Error('unreachable');
}

async function attempt(api: DownloadApi, service: ServiceProvider | undefined, run: Run, destination: string | Writable): Promise<bigint> {
  if (api === 'ido') return viaIdo(service, run, destination);
  if (typeof destination === 'string') return viaJob(api, service, run, destination);
  // No stream sink on the BITS-style APIs: a temporary file, then copied into the stream.
  const dir = mkdtempSync(join(tmpdir(), 'delivery-optimization-'));
  try {
    const file = join(dir, 'download.bin');
    const bytes = await viaJob(api, service, run, file);
    await pipeline(createReadStream(file), destination, { signal: run.signal });
    return bytes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Delivery Optimization's own downloads (the IDO API's IDOManager::EnumDownloads) for `list`, `show`,
 * `cancel` and `watch` with `--api ido`. Only reads, plus Abort for `cancel`: the CLI never sets a
 * status callback on a download it did not create (that would take the owner's away), so `watch` polls.
 */
import { DOManager } from '../api/ido/manager';
import type { DODownload } from '../api/ido/download';
import { downloadStateName } from '../api/ido/status';
import { DODownloadProperty as P, DODownloadState } from '../ido';
import { JobNotFoundError, formatHResult, type HResultError } from '../errors';
import type { CliContext } from './context';
import { optional } from './snapshot';

export const IDO_SERVICE_NAME = "Delivery Optimization's IDO API";

/** One read of a download, for the table, `show` and JSON. */
export interface IdoSnapshot {
  readonly id: string;
  readonly state: DODownloadState;
  readonly bytesTransferred: bigint;
  readonly bytesTotal: bigint | null;
  readonly error: HResultError | null;
  readonly extendedError: HResultError | null;
  readonly isTransientError: boolean;
  readonly displayName: string | null;
  readonly uri: string | null;
  readonly contentId: string | null;
  readonly localPath: string | null;
  readonly foreground: boolean | null;
  readonly costPolicy: number | null;
  readonly noProgressTimeoutSeconds: number | null;
  readonly correlationVector: string | null;
}

/** An error in a download's JSON: its code's name, hex value and message. */
export interface IdoErrorJson { readonly code: string; readonly hex: string; readonly message: string }

/** A download in `--json`: the snapshot, with byte counts as decimal strings and codes as names and hex. */
export interface IdoDownloadJson extends Omit<IdoSnapshot, 'state' | 'bytesTransferred' | 'bytesTotal' | 'error' | 'extendedError'> {
  readonly api: 'ido';
  readonly state: string;
  readonly bytesTransferred: string;
  readonly bytesTotal: string | null;
  readonly error: IdoErrorJson | null;
  readonly extendedError: IdoErrorJson | null;
}

/** Connects to the IDO API (the testing fake when the context has one), runs `fn`, closes. */
export async function withDOManager<T>(ctx: CliContext, fn: (manager: DOManager) => Promise<T>): Promise<T> {
  ctx.serviceName = IDO_SERVICE_NAME;
  const manager = await DOManager.connect(ctx.service ? { service: ctx.service } : {});
  try {
    return await fn(manager);
  } finally {
    await manager.close();
  }
}

/** The caller's download with this id; JobNotFoundError (exit 6) when there is none. */
export async function withDownload<T>(manager: DOManager, id: string, fn: (download: DODownload) => Promise<T>): Promise<T> {
  const found = await manager.downloads({ property: P.Id, value: id });
  // Ids compare without case or braces: the service's own form may differ from the one typed.
  const bare = (s: string) => s.replace(/[{}]/g, '').toLowerCase();
  const download = found.find((d) => bare(d.id) === bare(id));
  await Promise.all(found.filter((d) => d !== download).map((d) => d.close()));
  if (!download) throw new JobNotFoundError(undefined, { operation: 'IDOManager::EnumDownloads', description: `No IDO download ${id} (of this user) exists.` });
  try {
    return await fn(download);
  } finally {
    await download.close();
  }
}

export async function readIdoSnapshot(d: DODownload): Promise<IdoSnapshot> {
  const status = await d.status();
  // A property never set (or unknown to this Windows) reads as null.
  const [displayName, uri, contentId, localPath, foreground, costPolicy, noProgressTimeoutSeconds, correlationVector] = await Promise.all([
    optional(() => d.getProperty(P.DisplayName)), optional(() => d.getProperty(P.Uri)), optional(() => d.getProperty(P.ContentId)),
    optional(() => d.getProperty(P.LocalPath)), optional(() => d.getProperty(P.ForegroundPriority)), optional(() => d.getProperty(P.CostPolicy)),
    optional(() => d.getProperty(P.NoProgressTimeoutSeconds)), optional(() => d.getProperty(P.CorrelationVector)),
  ]);
  return {
    id: d.id, state: status.state, bytesTransferred: status.bytesTransferred, bytesTotal: status.bytesTotal,
    error: status.error, extendedError: status.extendedError, isTransientError: status.isTransientError,
    displayName, uri, contentId, localPath, foreground, costPolicy, noProgressTimeoutSeconds, correlationVector,
  };
}

/** Every download of the caller, read and released. */
export async function readAllDownloads(manager: DOManager): Promise<IdoSnapshot[]> {
  const downloads = await manager.downloads();
  try {
    const read = await Promise.all(downloads.map((d) => readIdoSnapshot(d).catch(() => null)));
    return read.filter((s): s is IdoSnapshot => s !== null);
  } finally {
    await Promise.all(downloads.map((d) => d.close()));
  }
}

function codeJson(e: HResultError | null): IdoDownloadJson['error'] {
  return e === null ? null : { code: e.code, hex: formatHResult(e.hresult), message: e.message };
}

export function idoJson(s: IdoSnapshot): IdoDownloadJson {
  return {
    api: 'ido', id: s.id, state: downloadStateName(s.state), bytesTransferred: s.bytesTransferred.toString(),
    bytesTotal: s.bytesTotal === null ? null : s.bytesTotal.toString(), error: codeJson(s.error), extendedError: codeJson(s.extendedError),
    isTransientError: s.isTransientError, displayName: s.displayName, uri: s.uri, contentId: s.contentId, localPath: s.localPath,
    foreground: s.foreground, costPolicy: s.costPolicy, noProgressTimeoutSeconds: s.noProgressTimeoutSeconds, correlationVector: s.correlationVector,
  };
}

/** STATE column: the state, with the error's code (a transient one in parentheses). */
export function idoStateText(s: IdoSnapshot): string {
  if (s.error) return `${downloadStateName(s.state)} ${s.error.code}`;
  if (s.isTransientError && s.extendedError) return `${downloadStateName(s.state)} (${s.extendedError.code})`;
  return downloadStateName(s.state);
}

export { downloadStateName };

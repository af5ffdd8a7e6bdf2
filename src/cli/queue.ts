/**
 * Making a job without following it (`create`, `add`, `download --async|--suspended`, `upload`):
 * the files checked before anything is created, then CreateJob, the settings, the files. A job
 * that fails half-made is cancelled, so nothing is left behind.
 */
import * as fs from 'fs';
import * as path from 'path';
import { KIND_TYPES, TYPE_KINDS, type JobKind } from './job-kind';
import { NotImplementedError } from '../errors';
import { wineVersion } from './environment';
import { redact } from '../secrets';
import { BIN_NAME } from './names';
import { applySettings, type JobSettings } from './settings';
import type { UrlDest } from './file-list';
import type { CliJob, CliManager } from './service';
import { checkUrl, resolveDestination } from './commands/download';
import { UsageError } from './usage';


/** One file of a job: the remote name and the local file (a download's destination, an upload's source). */
export interface JobFile {
  readonly url: string;
  readonly localPath: string;
}

/**
 * `<url> <local>` pairs as the service takes them, checked here: a download's local path resolves
 * like `download`'s destination; an upload's must be an existing file, and there is one (BITS
 * takes one file per upload job).
 */
export function checkFiles(kind: JobKind, pairs: readonly UrlDest[], cwd: string, service: 'bits' | 'delivery-optimization', already = 0): JobFile[] {
  if (kind !== 'download' && pairs.length + already > 1) {
    throw new UsageError(`an ${kind} job takes one file (BITS allows one per upload job)${already > 0 ? '; this one has its file already' : `, not ${pairs.length}`}`);
  }
  const files = pairs.map(({ url, dest }) => ({ url: checkUrl(url, service), localPath: kind === 'download' ? resolveDestination(dest, url, cwd) : uploadSource(dest, cwd) }));
  const seen = new Set<string>();
  for (const f of files) {
    const key = process.platform === 'win32' ? f.localPath.toLowerCase() : f.localPath;
    if (seen.has(key)) throw new UsageError(`two files would be written to ${f.localPath}`);
    seen.add(key);
  }
  return files;
}

/** An upload's local file: it must exist and be a file, checked before a job exists. */
export function uploadSource(file: string, cwd: string): string {
  if (file.trim() === '') throw new UsageError('the file to upload must not be empty');
  const full = path.resolve(cwd, file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(full);
  } catch {
    throw new UsageError(`${full}: no such file to upload`);
  }
  if (!stat.isFile()) throw new UsageError(`${full}: not a file (an upload sends one file)`);
  return full;
}

/** The display name a job gets without --name. */
export function defaultJobName(kind: JobKind, files: readonly JobFile[]): string {
  const verb = kind === 'download' ? '' : `${kind} `;
  if (files.length === 0) return `${BIN_NAME}: ${verb}job`;
  if (files.length === 1) return `${BIN_NAME}: ${verb}${redact(files[0].url)}`;
  return `${BIN_NAME}: ${verb}${files.length} files`;
}

/** Adds the files: one AddFile, or one AddFileSet for several. */
export async function addJobFiles(job: CliJob, files: readonly JobFile[]): Promise<void> {
  if (files.length === 1) await job.addFile(files[0].url, files[0].localPath);
  else if (files.length > 1) await job.addFiles(files.map((f) => ({ remoteUrl: f.url, localPath: f.localPath })));
}

export interface JobSpec {
  readonly kind: JobKind;
  readonly displayName?: string;
  readonly settings: JobSettings;
  readonly files: readonly JobFile[];
  /** upload-reply: where BITS writes the reply (default: a file name BITS chooses). */
  readonly replyFile?: string;
}

/**
 * A service that makes another kind of job than asked (GetType differs) would transfer the wrong
 * way: checked before any file is added (Wine deletes a cancelled job's local files).
 */
async function checkJobType(job: CliJob, kind: JobKind): Promise<void> {
  if (kind === 'download') return;
  const made = await job.getType();
  if (made === KIND_TYPES[kind]) return;
  throw new NotImplementedError(undefined, {
    operation: 'IBackgroundCopyManager::CreateJob',
    description: `asked for an ${kind} job, the service made a ${TYPE_KINDS[made] ?? `type ${made}`} job. Nothing was sent.`,
  });
}

/**
 * Wine's BITS takes an upload job, keeps its type, and then downloads: it sends a GET for the URL
 * and, on Complete, would write the answer over the file meant to be sent. Refused before a job
 * exists (the real BITS under Wine only: the testing fake uploads wherever it runs).
 */
function refuseWineUpload(manager: CliManager, kind: JobKind): void {
  if (kind === 'download' || manager.service.displayName !== 'BITS' || wineVersion() === null) return;
  throw new NotImplementedError(undefined, {
    operation: `${kind} under Wine`,
    description: `Wine's BITS does not upload: it would send a GET for the URL and write the answer over the file to send. Nothing was created.`,
  });
}

/** Creates the job (SUSPENDED, as BITS creates every job); cancels it when a later step fails. */
export async function makeJob(manager: CliManager, spec: JobSpec): Promise<CliJob> {
  refuseWineUpload(manager, spec.kind);
  const name = (spec.displayName ?? defaultJobName(spec.kind, spec.files)).slice(0, 256);
  const job = await manager.createJob(name, { priority: spec.settings.priority, type: KIND_TYPES[spec.kind] });
  try {
    await checkJobType(job, spec.kind);
    await applySettings(job, { ...spec.settings, priority: undefined });
    if (spec.replyFile !== undefined) await job.setReplyFileName(spec.replyFile);
    await addJobFiles(job, spec.files);
    return job;
  } catch (error) {
    await job.cancel().catch(() => undefined);
    job.dispose();
    throw error;
  }
}

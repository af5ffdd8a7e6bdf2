/**
 * `download <url> <dest> [<url> <dest>…] [--from-file list]`: create one job, apply the settings,
 * add the files, resume, follow it with a progress bar, complete it. On failure or Ctrl-C the job
 * is cancelled, so nothing is left behind.
 */
import { redact } from '../../secrets';
import { jobFailedError } from '../../api/job-failure';
import * as fs from 'fs';
import * as path from 'path';
import { JobState } from '../../bits';
import { stateName, type FinishResult } from '../../api';
import { println, type CliContext } from '../context';
import { followJob } from '../follow';
import { formatBytes, formatDuration, formatRate } from '../format';
import { envelope, finishJson, writeJson, type FinishJson } from '../json';
import { BIN_NAME } from '../names';
import { createProgress, type ProgressMode } from '../progress';
import { serviceFrom, withManager, type CliJob } from '../service';
import { UsageError } from '../usage';
import { remoteForMessage, validateRemoteUrl } from '../../api/validate';
import { fileNameFromRemote } from '../url-file-name';
import { checkTransferredInFull, completeVerified } from '../../api/finish';
import { checkDestinationFolders } from '../../api/destination';
import { applySettings, settingNames, type JobSettings } from '../settings';
import type { UrlDest } from '../file-list';
import { makeJob, type JobFile } from '../queue';
import type { QueuedJson } from './create';

export interface DownloadCommandOptions {
  readonly bits?: boolean;
  /** Priority, headers, proxy, timeouts, credentials (see settings.ts). */
  readonly settings?: JobSettings;
  /** false with --no-complete: leave the job in TRANSFERRED. */
  readonly complete: boolean;
  readonly json?: boolean;
  readonly progress?: ProgressMode;
  readonly displayName?: string;
  /**
   * --async: create, add, resume, print the id and return (the job goes on without this process);
   * --suspended: the same without resume.
   */
  readonly queue?: 'async' | 'suspended';
}

export interface DownloadFileJson {
  readonly url: string;
  readonly localPath: string;
}

export interface DownloadJson {
  readonly jobId: string;
  /** The first file's URL and path (the only ones before several files per job existed). */
  readonly url: string;
  readonly localPath: string;
  /** Every file of the job, in the order given. */
  readonly files: readonly DownloadFileJson[];
  /** Names of the settings applied ("priority", "headers", "credentials" …); never their values. */
  readonly settings: readonly string[];
  /** "delivery-optimization" | "bits". */
  readonly service: string;
  /** "ACKNOWLEDGED" after Complete, "TRANSFERRED" with --no-complete. */
  readonly state: string;
  readonly bytesTransferred: string;
  readonly bytesTotal: string | null;
  readonly elapsedMs: number;
  /** What Complete returned; null with --no-complete. */
  readonly completion: FinishJson | null;
}

/**
 * What the service takes as a remote name, checked before connecting so a typo never creates a
 * job: http(s) for Delivery Optimization; with --bits also UNC paths, drive paths and file:// URLs.
 */
export function checkUrl(url: string, service: 'bits' | 'delivery-optimization' = 'delivery-optimization'): string {
  try {
    return validateRemoteUrl(url, 'url', { flavour: service });
  } catch (error) {
    // The library's words for the API, with the CLI's option in place of the API's.
    const reason = (error as Error).message.replace(/^The argument "url" /, '').replace(/\. Received .*$/s, '').replace("{ service: 'bits' }", '--bits');
    throw new UsageError(`'${remoteForMessage(url)}' ${reason}`);
  }
}

/** The server a remote name points at (URL host, or a UNC path's server), for job names. */
function hostOf(url: string): string {
  if (/^(https?|file):/i.test(url)) return new URL(url).host || 'this computer';
  const unc = /^[\\/]{2}([^\\/]+)/.exec(url);
  return unc ? unc[1] : 'this computer';
}

/**
 * The services need a fully qualified path: relative ones are resolved against the working
 * directory, and a directory (existing, or written with a trailing separator) gets the URL's file name.
 */
export function resolveDestination(dest: string, url: string, cwd: string): string {
  if (dest.trim() === '') throw new UsageError('the destination must not be empty');
  const full = path.resolve(cwd, dest);
  let isDir = /[\\/]$/.test(dest);
  try {
    isDir ||= fs.statSync(full).isDirectory();
  } catch {
    // does not exist yet: a file path
  }
  if (!isDir) return full;
  return path.join(full, fileNameFromRemote(url));
}

async function cancelQuietly(job: CliJob): Promise<void> {
  await job.cancel().catch(() => undefined);
}

export async function downloadCommand(ctx: CliContext, pairs: readonly UrlDest[], options: DownloadCommandOptions): Promise<number> {
  if (pairs.length === 0) throw new UsageError('nothing to download: give <url> <dest> pairs or --from-file <list>');
  const service = serviceFrom(options);
  const files = pairs.map(({ url, dest }) => ({ url: checkUrl(url, service), localPath: resolveDestination(dest, url, ctx.cwd) }));
  const seen = new Set<string>();
  for (const f of files) {
    const key = process.platform === 'win32' ? f.localPath.toLowerCase() : f.localPath;
    if (seen.has(key)) throw new UsageError(`two files would be written to ${f.localPath}`);
    seen.add(key);
  }
  // Completing needs the folders now: refuse before a job exists rather than after the transfer.
  // Without --complete the job waits for `complete <id>`, which keeps it until the folder exists.
  if (options.complete) checkDestinationFolders(files.map((f) => f.localPath));
  const [first] = files;
  const settings = options.settings ?? {};
  if (options.queue) return queueDownload(ctx, files, settings, service, options);
  const mode: ProgressMode = options.progress ?? (options.json ? 'none' : 'auto');
  const started = Date.now();
  return withManager(ctx, service, async (manager) => {
    const defaultName = files.length === 1 ? `${BIN_NAME}: ${redact(first.url)}` : `${BIN_NAME}: ${files.length} files from ${hostOf(first.url)}`;
    const job = await manager.createJob((options.displayName ?? defaultName).slice(0, 256), { priority: settings.priority });
    let finished = false;
    const reporter = createProgress(mode, ctx.stderr, { redraws: ctx.canRedraw(ctx.stderr) });
    try {
      await applySettings(job, { ...settings, priority: undefined });
      if (files.length === 1) await job.addFile(first.url, first.localPath);
      else await job.addFiles(files.map((f) => ({ remoteUrl: f.url, localPath: f.localPath })));
      await job.resume();
      if (!options.json) {
        const what = files.length === 1 ? `${first.url} -> ${first.localPath}` : `${files.length} files`;
        println(ctx.stderr, `${manager.service.displayName} job ${job.id}: ${what}`);
        if (files.length > 1) for (const f of files) println(ctx.stderr, `  ${f.url} -> ${f.localPath}`);
      }
      const { status, total } = await followJob(job, { signal: ctx.signal, pollIntervalMs: ctx.pollIntervalMs, reporter });
      reporter.stop();
      if (status.state === JobState.Error || status.state === JobState.Cancelled) {
        throw await jobFailedError(job, status);
      }
      await checkTransferredInFull(job, status.state);
      let completion: FinishResult | null = null;
      if (options.complete) {
        // Complete, then check the files are really there (IncompleteDownloadError otherwise).
        completion = await completeVerified(job);
        finished = true;
      } else {
        finished = true; // the user asked to keep the job
      }
      const elapsedMs = Date.now() - started;
      const bytes = status.progress.bytesTransferred;
      if (options.json) {
        const doc: DownloadJson = {
          jobId: job.id, url: first.url, localPath: first.localPath, files: files.map((f) => ({ url: f.url, localPath: f.localPath })),
          settings: settingNames(settings), service, state: completion ? 'ACKNOWLEDGED' : stateName(status.state),
          bytesTransferred: bytes.toString(), bytesTotal: total === null ? null : total.toString(), elapsedMs,
          completion: completion ? finishJson(completion) : null,
        };
        writeJson(ctx.stdout, { ...envelope('download', true), ...doc });
      } else if (completion) {
        const rate = elapsedMs > 0 ? Number(bytes) / (elapsedMs / 1000) : null;
        const where = files.length === 1 ? first.localPath : `${files.length} files`;
        println(ctx.stdout, `Downloaded ${formatBytes(bytes)} in ${formatDuration(elapsedMs / 1000, true)} (${formatRate(rate)}) to ${where}`);
        if (files.length > 1) for (const f of files) println(ctx.stdout, `  ${f.localPath}`);
        if (completion.code !== 'S_OK') println(ctx.stderr, `note: Complete returned ${completion.code}`);
      } else {
        println(ctx.stdout, `Transferred ${formatBytes(bytes)}; job ${job.id} is left in TRANSFERRED.`);
        const where = files.length === 1 ? `The file appears at ${first.localPath}` : 'The files appear';
        println(ctx.stdout, `${where} after \`${BIN_NAME} complete ${job.id}${service === 'bits' ? ' --bits' : ''}\`.`);
      }
      return 0;
    } finally {
      reporter.stop();
      if (!finished) {
        await cancelQuietly(job);
        if (ctx.signal.aborted && !options.json) println(ctx.stderr, `Cancelled job ${job.id}.`);
      }
      job.dispose();
    }
  });
}

/**
 * `download --async|--suspended`: the job is made (and resumed with --async), its id printed, and
 * the command returns. Ctrl-C is not looked at: an --async job is never cancelled by this process.
 */
async function queueDownload(ctx: CliContext, files: readonly JobFile[], settings: JobSettings, service: 'bits' | 'delivery-optimization', options: DownloadCommandOptions): Promise<number> {
  return withManager(ctx, service, async (manager) => {
    const job = await makeJob(manager, { kind: 'download', displayName: options.displayName, settings, files });
    try {
      if (options.queue === 'async') {
        try {
          await job.resume();
        } catch (error) {
          await cancelQuietly(job); // never started: nothing of it should stay
          throw error;
        }
      }
      const { state } = await job.status();
      if (options.json) {
        const doc: QueuedJson = { service, jobId: job.id, type: 'download', state: stateName(state), files, settings: settingNames(settings) };
        writeJson(ctx.stdout, { ...envelope('download', true), ...doc });
      } else {
        println(ctx.stdout, job.id);
        const flag = service === 'bits' ? ' --bits' : '';
        const next = options.queue === 'async' ? `\`${BIN_NAME} resume --wait ${job.id}${flag}\` waits for it and completes it` : `\`${BIN_NAME} resume ${job.id}${flag}\` starts it`;
        println(ctx.stderr, `${manager.service.displayName} job ${job.id} (${stateName(state)}, ${files.length} file${files.length === 1 ? '' : 's'}); ${next}.`);
      }
      return 0;
    } finally {
      job.dispose();
    }
  });
}

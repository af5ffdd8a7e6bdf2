/**
 * `create` (a job, SUSPENDED, with its settings and maybe files) and `add <job> <url> <local>…`:
 * queue now, `resume` later, from another process if need be. Each prints the job id on stdout.
 */
import { stateName } from '../../api';
import { println, type CliContext } from '../context';
import { envelope, writeJson } from '../json';
import { BIN_NAME } from '../names';
import { describeRef, withJobRef, type JobRef } from '../job-ref';
import { checkFiles, makeJob, addJobFiles, type JobFile } from '../queue';
import { TYPE_KINDS, type JobKind } from '../job-kind';
import { serviceFrom, withManager } from '../service';
import { settingNames, type JobSettings } from '../settings';
import type { UrlDest } from '../file-list';

export interface CreateCommandOptions {
  readonly bits?: boolean;
  readonly json?: boolean;
  readonly kind: JobKind;
  readonly displayName?: string;
  readonly settings: JobSettings;
  readonly replyFile?: string;
}

/** `create --json` and `add --json`. */
export interface QueuedJson {
  readonly service: string;
  readonly jobId: string;
  /** "download" | "upload" | "upload-reply". */
  readonly type: JobKind;
  /** The job's state when the command returned ("SUSPENDED" after create). */
  readonly state: string;
  /** The files this command added. */
  readonly files: readonly JobFile[];
  /** Names of the settings applied; never their values. */
  readonly settings: readonly string[];
}

const bitsFlag = (service: string) => (service === 'bits' ? ' --bits' : '');

export async function createCommand(ctx: CliContext, pairs: readonly UrlDest[], options: CreateCommandOptions): Promise<number> {
  const service = serviceFrom(options);
  const files = checkFiles(options.kind, pairs, ctx.cwd, service);
  return withManager(ctx, service, async (manager) => {
    const job = await makeJob(manager, { kind: options.kind, displayName: options.displayName, settings: options.settings, files, replyFile: options.replyFile });
    try {
      const { state } = await job.status();
      if (options.json) {
        const doc: QueuedJson = { service, jobId: job.id, type: options.kind, state: stateName(state), files, settings: settingNames(options.settings) };
        writeJson(ctx.stdout, { ...envelope('create', true), ...doc });
      } else {
        println(ctx.stdout, job.id);
        const more = files.length === 0 ? `\`${BIN_NAME} add ${job.id} <url> <local>\` adds files; ` : '';
        println(ctx.stderr, `Created ${manager.service.displayName} ${options.kind} job ${job.id} (${stateName(state)}, ${files.length} file${files.length === 1 ? '' : 's'}); ${more}\`${BIN_NAME} resume ${job.id}${bitsFlag(service)}\` starts it.`);
      }
      return 0;
    } finally {
      job.dispose();
    }
  });
}

export async function addCommand(ctx: CliContext, ref: JobRef, pairs: readonly UrlDest[], options: { bits?: boolean; json?: boolean }): Promise<number> {
  const service = serviceFrom(options);
  return withManager(ctx, service, (manager) =>
    withJobRef(manager, ref, async (job) => {
      const kind = TYPE_KINDS[await job.getType()] ?? 'download';
      const already = kind === 'download' ? 0 : await job.fileCount();
      const files = checkFiles(kind, pairs, ctx.cwd, service, already);
      await addJobFiles(job, files);
      const { state } = await job.status();
      if (options.json) {
        const doc: QueuedJson = { service, jobId: job.id, type: kind, state: stateName(state), files, settings: [] };
        writeJson(ctx.stdout, { ...envelope('add', true), ...doc });
      } else {
        println(ctx.stdout, job.id);
        println(ctx.stderr, `Added ${files.length} file${files.length === 1 ? '' : 's'} to job ${describeRef(ref)} (${stateName(state)}).`);
      }
      return 0;
    }));
}

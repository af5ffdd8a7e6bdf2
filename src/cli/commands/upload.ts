/**
 * `upload <file> <url>` and `upload-reply <file> <url>`: one file up in an upload job (BITS takes
 * one per job), followed with progress, then completed; an upload-reply job also brings back the
 * server's reply: its data (read before Complete, BITS keeps at most 1 MiB of it) and the file BITS
 * wrote it to (--reply-file, or a name BITS picks). On failure or Ctrl-C the job is cancelled, as
 * `download` does. Wine's BITS does not upload (docs/cli.md).
 */
import { JobState } from '../../bits';
import { jobFailedError } from '../../api/job-failure';
import { stateName, type FinishResult } from '../../api';
import { completeVerified } from '../../api/finish';
import { println, type CliContext } from '../context';
import { followJob } from '../follow';
import { formatBytes } from '../format';
import { envelope, finishJson, writeJson, type FinishJson } from '../json';
import { createProgress, type ProgressMode } from '../progress';
import { checkFiles, makeJob } from '../queue';
import { serviceFrom, withManager } from '../service';
import { settingNames, type JobSettings } from '../settings';

export interface UploadCommandOptions {
  readonly bits?: boolean;
  readonly json?: boolean;
  readonly reply: boolean;
  readonly replyFile?: string;
  readonly displayName?: string;
  readonly settings: JobSettings;
  readonly progress?: ProgressMode;
}

export interface UploadJson {
  readonly service: string;
  readonly jobId: string;
  readonly type: 'upload' | 'upload-reply';
  readonly url: string;
  readonly localPath: string;
  readonly settings: readonly string[];
  readonly state: string;
  readonly bytesTransferred: string;
  readonly completion: FinishJson | null;
  /** upload-reply only (null for upload): the reply, as BITS returned it. */
  readonly reply: { readonly file: string | null; readonly bytes: number; readonly dataBase64: string } | null;
}

export async function uploadCommand(ctx: CliContext, file: string, url: string, options: UploadCommandOptions): Promise<number> {
  const service = serviceFrom(options);
  const kind = options.reply ? 'upload-reply' : 'upload';
  const [one] = checkFiles(kind, [{ url, dest: file }], ctx.cwd, service);
  const mode: ProgressMode = options.progress ?? (options.json ? 'none' : 'auto');
  return withManager(ctx, service, async (manager) => {
    const job = await makeJob(manager, { kind, displayName: options.displayName, settings: options.settings, files: [one], replyFile: options.replyFile });
    let finished = false;
    const reporter = createProgress(mode, ctx.stderr, { redraws: ctx.canRedraw(ctx.stderr) });
    try {
      await job.resume();
      if (!options.json) println(ctx.stderr, `${manager.service.displayName} ${kind} job ${job.id}: ${one.localPath} -> ${one.url}`);
      const { status } = await followJob(job, { signal: ctx.signal, pollIntervalMs: ctx.pollIntervalMs, reporter });
      reporter.stop();
      if (status.state === JobState.Error || status.state === JobState.Cancelled) {
        throw await jobFailedError(job, status);
      }
      // The reply belongs to the job: read it before Complete ends the job.
      const reply = options.reply ? { file: await job.getReplyFileName(), data: await job.getReplyData() } : null;
      const completion: FinishResult = await completeVerified(job);
      finished = true;
      const bytes = status.progress.bytesTransferred;
      if (options.json) {
        const doc: UploadJson = {
          service, jobId: job.id, type: kind, url: one.url, localPath: one.localPath, settings: settingNames(options.settings),
          state: 'ACKNOWLEDGED', bytesTransferred: bytes.toString(), completion: finishJson(completion),
          reply: reply ? { file: reply.file, bytes: reply.data.length, dataBase64: reply.data.toString('base64') } : null,
        };
        writeJson(ctx.stdout, { ...envelope(kind, true), ...doc });
        return 0;
      }
      println(ctx.stderr, `Uploaded ${formatBytes(bytes)} from ${one.localPath} to ${one.url} (job ${job.id}, ${stateName(JobState.Acknowledged)}).`);
      if (reply) {
        println(ctx.stderr, `Reply: ${reply.data.length} bytes${reply.file ? `, in ${reply.file}` : ''}.`);
        // The reply itself goes to stdout, as it came (pipe it on or into a file).
        if (reply.data.length > 0) ctx.stdout.write(reply.data.toString('utf8'));
      }
      return 0;
    } finally {
      reporter.stop();
      if (!finished) {
        await job.cancel().catch(() => undefined);
        if (ctx.signal.aborted && !options.json) println(ctx.stderr, `Cancelled job ${job.id}.`);
      }
      job.dispose();
    }
  });
}

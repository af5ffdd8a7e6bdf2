/**
 * `resume <job> [--wait [--no-complete]]`: start the job; with --wait follow it with progress, then
 * complete it (as PowerShell's Resume-BitsTransfer waits). Ctrl-C stops waiting and leaves the job
 * running: it was queued to outlive this process.
 */
import { JobState } from '../../bits';
import { jobFailedError } from '../../api/job-failure';
import { stateName, type FinishResult } from '../../api';
import { completeVerified } from '../../api/finish';
import { println, type CliContext } from '../context';
import { followJob } from '../follow';
import { formatBytes } from '../format';
import { envelope, finishJson, writeJson, type FinishJson } from '../json';
import { BIN_NAME } from '../names';
import { createProgress, type ProgressMode } from '../progress';
import { withJobRef, type JobRef } from '../job-ref';
import { serviceFrom, withManager } from '../service';

export interface ResumeCommandOptions {
  readonly bits?: boolean;
  readonly json?: boolean;
  readonly wait?: boolean;
  /** false with --no-complete: leave the job TRANSFERRED. */
  readonly complete: boolean;
  readonly progress?: ProgressMode;
}

/** `resume --wait --json`. */
export interface ResumeWaitJson {
  readonly service: string;
  readonly jobId: string;
  readonly action: 'resume';
  /** "ACKNOWLEDGED" after Complete, "TRANSFERRED" with --no-complete. */
  readonly state: string;
  readonly bytesTransferred: string;
  readonly bytesTotal: string | null;
  readonly completion: FinishJson | null;
}

export async function resumeWaitCommand(ctx: CliContext, ref: JobRef, options: ResumeCommandOptions): Promise<number> {
  const service = serviceFrom(options);
  const mode: ProgressMode = options.progress ?? (options.json ? 'none' : 'auto');
  return withManager(ctx, service, (manager) =>
    withJobRef(manager, ref, async (job) => {
      // A job that is already TRANSFERRED only needs completing (Resume would refuse it).
      if ((await job.status()).state !== JobState.Transferred) await job.resume();
      if (!options.json) println(ctx.stderr, `Resumed ${manager.service.displayName} job ${job.id}; waiting (Ctrl-C stops waiting, the job goes on).`);
      const reporter = createProgress(mode, ctx.stderr, { redraws: ctx.canRedraw(ctx.stderr) });
      let followed;
      try {
        followed = await followJob(job, { signal: ctx.signal, pollIntervalMs: ctx.pollIntervalMs, reporter });
      } finally {
        reporter.stop();
      }
      const { status, total } = followed;
      if (status.state === JobState.Error || status.state === JobState.Cancelled) {
        throw await jobFailedError(job, status);
      }
      let completion: FinishResult | null = null;
      if (options.complete && status.state === JobState.Transferred) completion = await completeVerified(job, { whenFolderMissing: 'keep' });
      const bytes = status.progress.bytesTransferred;
      if (options.json) {
        const doc: ResumeWaitJson = {
          service, jobId: job.id, action: 'resume', state: completion ? 'ACKNOWLEDGED' : stateName(status.state),
          bytesTransferred: bytes.toString(), bytesTotal: total === null ? null : total.toString(), completion: completion ? finishJson(completion) : null,
        };
        writeJson(ctx.stdout, { ...envelope('resume', true), ...doc });
      } else if (completion) {
        println(ctx.stdout, `Completed job ${job.id}: ${formatBytes(bytes)} transferred${completion.code !== 'S_OK' ? ` (${completion.code})` : ''}.`);
      } else {
        println(ctx.stdout, `Job ${job.id} is ${stateName(status.state)} (${formatBytes(bytes)}).`);
        if (status.state === JobState.Transferred) println(ctx.stdout, `\`${BIN_NAME} complete ${job.id}${service === 'bits' ? ' --bits' : ''}\` writes its files.`);
      }
      return 0;
    }));
}

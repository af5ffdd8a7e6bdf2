/** `resume`, `suspend`, `cancel`, `complete`, `take-ownership <job>`: one life-cycle call on one job (by id or name). */
import type { FinishResult } from '../../api';
import { println, type CliContext } from '../context';
import { ExitCode } from '../exit-codes';
import { envelope, errorJson, finishJson, writeJson, type FinishJson } from '../json';
import { serviceFrom, withManager, type CliJob } from '../service';
import { withJobRef, type JobRef } from '../job-ref';
import { IncompleteDownloadError } from '../../errors';
import { completeVerified } from '../../api/finish';

export type ControlAction = 'resume' | 'suspend' | 'cancel' | 'complete' | 'take-ownership';
export const CONTROL_ACTIONS: readonly ControlAction[] = ['resume', 'suspend', 'cancel', 'complete', 'take-ownership'];

export interface ControlCommandOptions {
  readonly bits?: boolean;
  readonly json?: boolean;
}

export interface ControlJson {
  readonly service: string;
  readonly jobId: string;
  readonly action: ControlAction;
  /** What Cancel or Complete returned (their success codes matter); null for the others. */
  readonly result: FinishJson | null;
}

const DONE: Record<ControlAction, string> = { resume: 'Resumed', suspend: 'Suspended', cancel: 'Cancelled', complete: 'Completed', 'take-ownership': 'Took ownership of' };

async function act(job: CliJob, action: ControlAction): Promise<FinishResult | null> {
  switch (action) {
    case 'resume':
      await job.resume();
      return null;
    case 'suspend':
      await job.suspend();
      return null;
    case 'cancel':
      return job.cancel();
    case 'take-ownership':
      // The job then runs with this user's credentials (and counts against this user's jobs).
      await job.takeOwnership();
      return null;
    case 'complete':
      // Checks that the files are under their names; a missing folder leaves the job as it is.
      return completeVerified(job, { whenFolderMissing: 'keep' });
  }
}

export async function controlCommand(ctx: CliContext, action: ControlAction, ref: JobRef, options: ControlCommandOptions): Promise<number> {
  const service = serviceFrom(options);
  return withManager(ctx, service, (manager) =>
    withJobRef(manager, ref, async (job) => {
      let result: FinishResult | null = null;
      let incomplete: IncompleteDownloadError | null = null;
      try {
        result = await act(job, action);
      } catch (error) {
        // Complete kept only part of the job: the caller's file is missing, so it is a failure.
        if (!(error instanceof IncompleteDownloadError) || !options.json) throw error;
        incomplete = error;
        result = error.completion;
      }
      if (options.json) {
        const doc: ControlJson = { service, jobId: job.id, action, result: result ? finishJson(result) : null };
        const error = incomplete ? { error: errorJson(incomplete, ExitCode.jobFailed) } : {};
        writeJson(ctx.stdout, { ...envelope(action, !incomplete), ...doc, ...error });
        if (incomplete) println(ctx.stderr, `error: ${incomplete.message}`);
        return incomplete ? ExitCode.jobFailed : ExitCode.ok;
      }
      const code = result && result.code !== 'S_OK' ? ` (${result.code})` : '';
      println(ctx.stdout, `${DONE[action]} job ${job.id}${code}.`);
      if (result?.unableToDeleteFiles) println(ctx.stderr, 'note: some temporary files could not be deleted.');
      return ExitCode.ok;
    }));
}

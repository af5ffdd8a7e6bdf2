/**
 * `cancel --all`: cancel every job of the current user (as `bitsadmin /reset` does), after a
 * confirmation unless `--yes`. Other users' jobs are never touched.
 */
import { stateName, type FinishResult } from '../../api';
import { HResultError } from '../../errors';
import { formatHResult } from '../../errors';
import { println, type CliContext } from '../context';
import { ExitCode } from '../exit-codes';
import { envelope, finishJson, writeJson, type FinishJson } from '../json';
import { serviceFrom, withManager, type CliJob } from '../service';
import { UsageError } from '../usage';

export interface CancelAllOptions {
  readonly bits?: boolean;
  readonly json?: boolean;
  readonly yes?: boolean;
}

export interface CancelAllJson {
  readonly service: string;
  /** One entry per job: what Cancel returned, or why it failed. */
  readonly jobs: ReadonlyArray<{ readonly jobId: string; readonly displayName: string | null; readonly result: FinishJson | null; readonly error: string | null }>;
  readonly cancelled: number;
  readonly failed: number;
}

async function describe(job: CliJob): Promise<{ name: string | null; state: string }> {
  const [name, status] = await Promise.all([job.getDisplayName().catch(() => null), job.status().catch(() => null)]);
  return { name, state: status ? stateName(status.state) : '?' };
}

export async function cancelAllCommand(ctx: CliContext, options: CancelAllOptions): Promise<number> {
  if (!options.yes && !ctx.prompter.interactive) throw new UsageError('cancel --all asks for confirmation: add --yes when there is no terminal');
  const service = serviceFrom(options);
  return withManager(ctx, service, async (manager) => {
    const jobs = await manager.jobs({ allUsers: false });
    try {
      if (jobs.length === 0) {
        if (options.json) writeJson(ctx.stdout, { ...envelope('cancel', true), service, jobs: [], cancelled: 0, failed: 0 });
        else println(ctx.stdout, `No ${manager.service.displayName} jobs to cancel.`);
        return ExitCode.ok;
      }
      if (!options.yes) {
        for (const job of jobs) {
          const d = await describe(job);
          println(ctx.stderr, `  ${job.id}  ${d.state}  ${d.name ?? ''}`);
        }
        const ok = await ctx.prompter.confirm(`Cancel these ${jobs.length} job(s)? [y/N] `);
        if (!ok) {
          println(ctx.stderr, 'Nothing cancelled.');
          return ExitCode.ok;
        }
      }
      const results: Array<CancelAllJson['jobs'][number]> = [];
      for (const job of jobs) {
        const displayName = await job.getDisplayName().catch(() => null);
        let result: FinishResult | null = null;
        let error: string | null = null;
        try {
          result = await job.cancel();
        } catch (e) {
          error = e instanceof HResultError ? `${e.code} (${formatHResult(e.hresult)})` : e instanceof Error ? e.message : String(e);
        }
        results.push({ jobId: job.id, displayName, result: result ? finishJson(result) : null, error });
        if (!options.json) println(ctx.stdout, error ? `Could not cancel job ${job.id}: ${error}` : `Cancelled job ${job.id}${result && result.code !== 'S_OK' ? ` (${result.code})` : ''}.`);
      }
      const failed = results.filter((r) => r.error !== null).length;
      if (options.json) {
        const doc: CancelAllJson = { service, jobs: results, cancelled: results.length - failed, failed };
        writeJson(ctx.stdout, { ...envelope('cancel', failed === 0), ...doc });
      }
      return failed === 0 ? ExitCode.ok : ExitCode.jobFailed;
    } finally {
      for (const job of jobs) job.dispose();
    }
  });
}

/**
 * `watch <id>`: live status until the job reaches a final state (TRANSFERRED, ACKNOWLEDGED,
 * CANCELLED or ERROR). Ctrl-C stops watching and leaves the job alone.
 */
import { JobState } from '../../bits';
import { jobFailedError } from '../../api/job-failure';
import { stateName, type JobStatus } from '../../api';
import { AbortError } from '../../errors';
import { println, type CliContext } from '../context';
import { ExitCode } from '../exit-codes';
import { followJob } from '../follow';
import { formatBytes, jobErrorBlock } from '../format';
import { errorJson, jobErrorJson, SCHEMA_VERSION, writeJsonLine, type ErrorJson, type JobErrorJson } from '../json';
import { BIN_NAME } from '../names';
import { createProgress, type ProgressMode, type ProgressReporter, type ProgressSample } from '../progress';
import { serviceFrom, withManager } from '../service';
import { withJobRef, type JobRef } from '../job-ref';

export interface WatchCommandOptions {
  readonly bits?: boolean;
  readonly json?: boolean;
  readonly progress?: ProgressMode;
}

/** One NDJSON line of `watch --json`. */
export interface WatchEventJson {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly command: 'watch';
  /** "progress" on every change of state or bytes, "end" once at the end. */
  readonly event: 'progress' | 'end';
  readonly jobId: string;
  readonly state: string;
  readonly bytesTransferred: string;
  readonly bytesTotal: string | null;
  readonly error: JobErrorJson | null;
  /** Only on "end": false when the job failed or watching was interrupted. */
  readonly ok?: boolean;
  /** Only on a failed "end". */
  readonly failure?: ErrorJson;
}

/** NDJSON "progress" lines, one per change. */
class JsonLinesReporter implements ProgressReporter {
  #last = '';
  constructor(private readonly ctx: CliContext, private readonly jobId: string, private readonly errorOf: () => JobStatus['error']) {}

  update(s: ProgressSample): void {
    const key = `${s.state}:${s.transferred}:${s.total}`;
    if (key === this.#last) return;
    this.#last = key;
    const line: WatchEventJson = {
      schemaVersion: SCHEMA_VERSION, command: 'watch', event: 'progress', jobId: this.jobId, state: s.state,
      bytesTransferred: s.transferred.toString(), bytesTotal: s.total === null ? null : s.total.toString(), error: jobErrorJson(this.errorOf()),
    };
    writeJsonLine(this.ctx.stdout, line);
  }

  stop(): void {}
}

export async function watchCommand(ctx: CliContext, ref: JobRef, options: WatchCommandOptions): Promise<number> {
  const service = serviceFrom(options);
  return withManager(ctx, service, (manager) =>
    withJobRef(manager, ref, async (job) => {
      let latest: JobStatus | null = null;
      const reporter = options.json
        ? new JsonLinesReporter(ctx, job.id, () => latest?.error ?? null)
        : createProgress(options.progress ?? 'auto', ctx.stderr, { redraws: ctx.canRedraw(ctx.stderr) });
      const end = (ok: boolean, status: JobStatus | null, total: bigint | null, failure?: ErrorJson): void => {
        const line: WatchEventJson = {
          schemaVersion: SCHEMA_VERSION, command: 'watch', event: 'end', jobId: job.id, state: status ? stateName(status.state) : 'UNKNOWN',
          bytesTransferred: (status?.progress.bytesTransferred ?? 0n).toString(), bytesTotal: total === null ? null : total.toString(),
          error: jobErrorJson(status?.error ?? null), ok, ...(failure ? { failure } : {}),
        };
        writeJsonLine(ctx.stdout, line);
      };
      if (!options.json) println(ctx.stderr, `Watching ${manager.service.displayName} job ${job.id} (Ctrl-C stops watching; the job goes on).`);
      let result;
      try {
        result = await followJob(job, { signal: ctx.signal, pollIntervalMs: ctx.pollIntervalMs, reporter, onState: (s) => { latest = s; } });
      } catch (error) {
        if (!(error instanceof AbortError) || !options.json) throw error;
        end(false, latest, null, errorJson(error, ExitCode.interrupted));
        return ExitCode.interrupted;
      } finally {
        reporter.stop();
      }
      const { status, total } = result;
      latest = status;
      if (status.state === JobState.Error || status.state === JobState.Cancelled) {
        const failure = await jobFailedError(job, status);
        if (!options.json) throw failure;
        end(false, status, total, errorJson(failure, ExitCode.jobFailed));
        println(ctx.stderr, `error: job ${job.id} failed in state ${stateName(status.state)}`);
        for (const line of jobErrorBlock(status.error, stateName(status.state))) println(ctx.stderr, line);
        return ExitCode.jobFailed;
      }
      if (options.json) {
        end(true, status, total);
      } else {
        println(ctx.stdout, `Job ${job.id} is ${stateName(status.state)} (${formatBytes(status.progress.bytesTransferred)}).`);
        if (status.state === JobState.Transferred) {
          println(ctx.stdout, `\`${BIN_NAME} complete ${job.id}${service === 'bits' ? ' --bits' : ''}\` writes its files.`);
        }
      }
      return ExitCode.ok;
    }));
}

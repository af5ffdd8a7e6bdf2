/** `set <id> …`: change an existing job's settings (as Set-BitsTransfer does). */
import { println, type CliContext } from '../context';
import { envelope, writeJson } from '../json';
import { serviceFrom, withManager } from '../service';
import { applySettings, settingNames, type JobSettings } from '../settings';
import { UsageError } from '../usage';
import { withJobRef, type JobRef } from '../job-ref';

export interface SetCommandOptions {
  readonly bits?: boolean;
  readonly json?: boolean;
  readonly settings: JobSettings;
  readonly displayName?: string;
}

export interface SetJson {
  readonly service: string;
  readonly jobId: string;
  /** What was changed ("displayName", "priority", "headers" …); never the values of headers or credentials. */
  readonly changed: readonly string[];
}

export async function setCommand(ctx: CliContext, ref: JobRef, options: SetCommandOptions): Promise<number> {
  const changed = [...(options.displayName !== undefined ? ['displayName'] : []), ...settingNames(options.settings)];
  if (changed.length === 0) throw new UsageError('nothing to set: give at least one option (see `set --help`)');
  const service = serviceFrom(options);
  return withManager(ctx, service, (manager) =>
    withJobRef(manager, ref, async (job) => {
      if (options.displayName !== undefined) await job.setDisplayName(options.displayName);
      await applySettings(job, options.settings);
      if (options.json) {
        const doc: SetJson = { service, jobId: job.id, changed };
        writeJson(ctx.stdout, { ...envelope('set', true), ...doc });
      } else {
        println(ctx.stdout, `Updated job ${job.id}: ${changed.join(', ')}.`);
      }
      return 0;
    }));
}

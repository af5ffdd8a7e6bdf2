/** `replace-prefix <job> <old> <new>`: point every file of a job whose URL starts with <old> at <new> (a moved server). */
import { println, type CliContext } from '../context';
import { envelope, writeJson } from '../json';
import { withJobRef, type JobRef } from '../job-ref';
import { serviceFrom, withManager } from '../service';
import { UsageError } from '../usage';

export interface ReplacePrefixJson {
  readonly service: string;
  readonly jobId: string;
  readonly oldPrefix: string;
  readonly newPrefix: string;
  /** The files' remote names afterwards. */
  readonly remoteNames: readonly string[];
}

export async function replacePrefixCommand(ctx: CliContext, ref: JobRef, oldPrefix: string, newPrefix: string, options: { bits?: boolean; json?: boolean }): Promise<number> {
  if (oldPrefix === '' || newPrefix === '') throw new UsageError('replace-prefix needs a non-empty <old> and <new> prefix');
  const service = serviceFrom(options);
  return withManager(ctx, service, (manager) =>
    withJobRef(manager, ref, async (job) => {
      await job.replaceRemotePrefix(oldPrefix, newPrefix);
      const files = await job.files();
      let remoteNames: string[];
      try {
        remoteNames = await Promise.all(files.map((f) => f.getRemoteName()));
      } finally {
        for (const f of files) f.dispose();
      }
      if (options.json) {
        const doc: ReplacePrefixJson = { service, jobId: job.id, oldPrefix, newPrefix, remoteNames };
        writeJson(ctx.stdout, { ...envelope('replace-prefix', true), ...doc });
      } else {
        println(ctx.stdout, `Replaced ${oldPrefix} with ${newPrefix} in job ${job.id}:`);
        for (const name of remoteNames) println(ctx.stdout, `  ${name}`);
      }
      return 0;
    }));
}

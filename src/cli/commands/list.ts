/** `list`: the caller's jobs (or every user's), one line each. */
import { stateName } from '../../api';
import { println, type CliContext } from '../context';
import { formatBytes, table } from '../format';
import { envelope, jobJson, writeJson, type JobJson } from '../json';
import { serviceFrom, withManager } from '../service';
import { effectiveTotal, readSnapshot, type JobSnapshot } from '../snapshot';
import { wildcardRegExp } from '../wildcard';

export interface ListCommandOptions {
  readonly bits?: boolean;
  readonly allUsers?: boolean;
  readonly json?: boolean;
  /** Only jobs whose display name matches this wildcard (`*`, `?`, `[a-z]`; case-insensitive). */
  readonly name?: string;
}

export interface ListJson {
  readonly service: string;
  readonly allUsers: boolean;
  /** The --name wildcard, or null. */
  readonly name: string | null;
  readonly jobs: readonly JobJson[];
}

export function jobRow(s: JobSnapshot): string[] {
  const total = effectiveTotal(s.progress, s.files);
  const error = s.error ? ` ${s.error.code}` : '';
  return [s.id, `${stateName(s.state)}${error}`, `${formatBytes(s.progress.bytesTransferred)} / ${formatBytes(total)}`, `${s.progress.filesTransferred}/${s.progress.filesTotal}`, s.displayName ?? ''];
}

export async function listCommand(ctx: CliContext, options: ListCommandOptions): Promise<number> {
  const service = serviceFrom(options);
  const allUsers = options.allUsers === true;
  return withManager(ctx, service, async (manager) => {
    const jobs = await manager.jobs({ allUsers });
    let snapshots: JobSnapshot[];
    try {
      snapshots = await Promise.all(jobs.map((j) => readSnapshot(j)));
    } finally {
      for (const j of jobs) j.dispose();
    }
    if (options.name !== undefined) {
      const pattern = wildcardRegExp(options.name);
      snapshots = snapshots.filter((s) => pattern.test(s.displayName ?? ''));
    }
    if (options.json) {
      const doc: ListJson = { service, allUsers, name: options.name ?? null, jobs: snapshots.map(jobJson) };
      writeJson(ctx.stdout, { ...envelope('list', true), ...doc });
    } else if (snapshots.length === 0) {
      const matching = options.name !== undefined ? ` named ${JSON.stringify(options.name)}` : '';
      println(ctx.stdout, `No ${manager.service.displayName} jobs${matching} (${allUsers ? 'all users' : 'current user'}).`);
    } else {
      for (const line of table(['ID', 'STATE', 'BYTES', 'FILES', 'NAME'], snapshots.map(jobRow))) println(ctx.stdout, line);
    }
    return 0;
  });
}

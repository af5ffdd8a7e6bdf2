/**
 * `list --api all`: the jobs of every API that answers here (BITS, Delivery Optimization's BITS-style
 * jobs, its IDO downloads) in one table with an API column. An API that is not there (class not
 * registered, interface missing) is named on stderr and in the JSON, and skipped.
 */
import { ClassNotRegisteredError, NoInterfaceError, type HResultError } from '../../errors';
import { println, type CliContext } from '../context';
import { ExitCode } from '../exit-codes';
import { table } from '../format';
import { envelope, jobJson, writeJson, type JobJson } from '../json';
import { withManager } from '../service';
import { readSnapshot, type JobSnapshot } from '../snapshot';
import { wildcardRegExp } from '../wildcard';
import { idoJson, readAllDownloads, withDOManager, type IdoDownloadJson } from '../ido';
import { jobRow } from './list';
import { idoRow } from './ido-downloads';

const APIS = ['bits', 'bits-style', 'ido'] as const;
type Api = (typeof APIS)[number];

export interface ListAllJson {
  readonly service: 'all';
  readonly allUsers: boolean;
  readonly name: string | null;
  /** Each job with its `api`. */
  readonly jobs: ReadonlyArray<(JobJson & { readonly api: Api }) | IdoDownloadJson>;
  /** The APIs not there, with the code that said so. */
  readonly unavailable: ReadonlyArray<{ readonly api: Api; readonly code: string }>;
}

async function bitsJobs(ctx: CliContext, api: 'bits' | 'bits-style', allUsers: boolean): Promise<JobSnapshot[]> {
  return withManager(ctx, api === 'bits' ? 'bits' : 'delivery-optimization', async (manager) => {
    const jobs = await manager.jobs({ allUsers });
    try {
      return await Promise.all(jobs.map((j) => readSnapshot(j)));
    } finally {
      for (const j of jobs) j.dispose();
    }
  });
}

export async function listAllCommand(ctx: CliContext, options: { allUsers?: boolean; name?: string; json?: boolean }): Promise<number> {
  const allUsers = options.allUsers === true;
  const pattern = options.name !== undefined ? wildcardRegExp(options.name) : null;
  const rows: string[][] = [];
  const jobs: Array<ListAllJson['jobs'][number]> = [];
  const unavailable: Array<ListAllJson['unavailable'][number]> = [];
  for (const api of APIS) {
    try {
      if (api === 'ido') {
        for (const s of await withDOManager(ctx, readAllDownloads)) {
          if (pattern && !pattern.test(s.displayName ?? '')) continue;
          const [id, state, bytes, name] = idoRow(s);
          rows.push([api, id, state, bytes, '', name]);
          jobs.push(idoJson(s));
        }
      } else {
        for (const s of await bitsJobs(ctx, api, allUsers)) {
          if (pattern && !pattern.test(s.displayName ?? '')) continue;
          rows.push([api, ...jobRow(s)]);
          jobs.push({ api, ...jobJson(s) });
        }
      }
    } catch (error) {
      if (!(error instanceof ClassNotRegisteredError || error instanceof NoInterfaceError)) throw error;
      unavailable.push({ api, code: (error as HResultError).code });
    }
  }
  ctx.serviceName = null;
  if (options.json) {
    const doc: ListAllJson = { service: 'all', allUsers, name: options.name ?? null, jobs, unavailable };
    writeJson(ctx.stdout, { ...envelope('list', true), ...doc });
    return ExitCode.ok;
  }
  for (const u of unavailable) println(ctx.stderr, `(${u.api}: not available here, ${u.code})`);
  if (rows.length === 0) println(ctx.stdout, `No jobs (${allUsers ? 'all users' : 'current user'}).`);
  else for (const line of table(['API', 'ID', 'STATE', 'BYTES', 'FILES', 'NAME'], rows)) println(ctx.stdout, line);
  return ExitCode.ok;
}

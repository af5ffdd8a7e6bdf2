/**
 * `monitor`: every job's state and progress, read again every `--refresh` until Ctrl-C (what
 * `bitsadmin /monitor` does). On a terminal: one screen, redrawn in place. Off one: a line per job
 * when it first shows, when it changes, and when it is gone. It only reads; Ctrl-C ends the
 * monitor and never touches a job.
 */
import { println, type CliContext, type CliStream } from '../context';
import { table } from '../format';
import { serviceFrom, withManager, type CliManager } from '../service';
import { readSnapshot, type JobSnapshot } from '../snapshot';
import { ExitCode } from '../exit-codes';
import { pause } from '../pause';
import { jobRow } from './list';
import { jobJson, SCHEMA_VERSION, writeJsonLine, type JobJson } from '../json';

export interface MonitorCommandOptions {
  readonly bits?: boolean;
  readonly allUsers?: boolean;
  /** Time between two reads, ms. */
  readonly refreshMs: number;
  /** NDJSON off a terminal and on one. */
  readonly json?: boolean;
}

/** The terminal's height when it does not say (a VT100's). */
const DEFAULT_ROWS = 24;
const HEADER = ['ID', 'STATE', 'BYTES', 'FILES', 'NAME'];

/** Every job, read once; a job that goes away between the listing and its read is left out. */
async function readAll(manager: CliManager, allUsers: boolean): Promise<JobSnapshot[]> {
  const jobs = await manager.jobs({ allUsers });
  try {
    const read = await Promise.all(jobs.map((j) => readSnapshot(j).catch(() => null)));
    return read.filter((s): s is JobSnapshot => s !== null);
  } finally {
    for (const j of jobs) j.dispose();
  }
}

function clock(): string {
  return new Date().toISOString().slice(11, 19);
}

/** One screen: the header, as many jobs as fit, and how many did not; every line cut to the width. */
export function screen(title: string, snapshots: readonly JobSnapshot[], stream: CliStream): string[] {
  const rows = Math.max(stream.rows ?? DEFAULT_ROWS, 4);
  const width = stream.columns ?? Infinity;
  // title, the table's heading, the jobs, and one line for "… more" when they do not fit
  const room = rows - 2;
  const shown = snapshots.length <= room ? snapshots : snapshots.slice(0, room - 1);
  const lines = [title, ...table(HEADER, shown.map(jobRow))];
  if (snapshots.length === 0) lines.push('(no jobs)');
  if (shown.length < snapshots.length) lines.push(`… and ${snapshots.length - shown.length} more (a taller terminal shows them, or run \`monitor\` into a pipe)`);
  // One column short of the width: a full line would wrap (or scroll) on some terminals.
  return lines.map((l) => (l.length >= width ? l.slice(0, width - 2) + '…' : l));
}

/** One NDJSON line of `monitor --json`: a job that showed or changed, or one that is gone. */
export interface MonitorEventJson {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly command: 'monitor';
  readonly event: 'job' | 'gone';
  /** The time of the read (ISO 8601). */
  readonly at: string;
  readonly jobId: string;
  /** The job as `list --json` has it; null when gone. */
  readonly job: JobJson | null;
}

/** Off a terminal: the jobs new or changed since the last read, and the ids gone. */
class Changes {
  #last = new Map<string, string>();

  next(snapshots: readonly JobSnapshot[]): { changed: JobSnapshot[]; gone: string[] } {
    const seen = new Map<string, string>();
    const changed = snapshots.filter((s) => {
      const line = jobRow(s).join('  ').trimEnd();
      seen.set(s.id, line);
      return this.#last.get(s.id) !== line;
    });
    const gone = [...this.#last.keys()].filter((id) => !seen.has(id));
    this.#last = seen;
    return { changed, gone };
  }
}

export async function monitorCommand(ctx: CliContext, options: MonitorCommandOptions): Promise<number> {
  const service = serviceFrom(options);
  const allUsers = options.allUsers === true;
  return withManager(ctx, service, async (manager) => {
    const who = allUsers ? 'all users' : 'current user';
    const seconds = options.refreshMs / 1000;
    const live = !options.json && ctx.canRedraw(ctx.stdout);
    const changes = new Changes();
    if (!live) println(ctx.stderr, `Monitoring ${manager.service.displayName} jobs (${who}) every ${seconds} s; Ctrl-C stops monitoring (the jobs go on).`);
    while (!ctx.signal.aborted) {
      const snapshots = await readAll(manager, allUsers);
      if (live) {
        const title = `${manager.service.displayName} jobs (${who}): ${snapshots.length} at ${clock()}, every ${seconds} s; Ctrl-C exits, the jobs go on`;
        // Home, each line over the old one, then clear what is left; one write (no flicker), and no
        // newline after the last line (on the bottom row it would scroll the screen).
        ctx.stdout.write(`\x1b[H${screen(title, snapshots, ctx.stdout).map((l) => `${l}\x1b[K`).join('\n')}\x1b[J`);
      } else {
        const at = new Date().toISOString();
        const { changed, gone } = changes.next(snapshots);
        for (const s of changed) {
          if (options.json) writeJsonLine(ctx.stdout, { schemaVersion: SCHEMA_VERSION, command: 'monitor', event: 'job', at, jobId: s.id, job: jobJson(s) } satisfies MonitorEventJson);
          else println(ctx.stdout, `${at}  ${jobRow(s).join('  ').trimEnd()}`);
        }
        for (const id of gone) {
          if (options.json) writeJsonLine(ctx.stdout, { schemaVersion: SCHEMA_VERSION, command: 'monitor', event: 'gone', at, jobId: id, job: null } satisfies MonitorEventJson);
          else println(ctx.stdout, `${at}  ${id}  GONE`);
        }
      }
      await pause(options.refreshMs, ctx.signal);
    }
    println(ctx.stderr, 'Monitor stopped; no job was touched.');
    return ExitCode.ok;
  });
}

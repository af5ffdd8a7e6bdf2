/** `show <id>`: everything about one job, its files and its error. */
import { stateName } from '../../api';
import { println, type CliContext } from '../context';
import { fields, formatBytes, jobErrorBlock } from '../format';
import { envelope, jobJson, priorityJson, writeJson, type JobJson } from '../json';
import { serviceFrom, withManager } from '../service';
import { effectiveTotal, readSnapshot, type JobSnapshot } from '../snapshot';
import { readSettings, settingsLines, type SettingsJson } from '../settings-read';
import { withJobRef, type JobRef } from '../job-ref';

export interface ShowCommandOptions {
  readonly bits?: boolean;
  readonly json?: boolean;
  /** Text: every setting too (JSON always has them). */
  readonly verbose?: boolean;
}

export interface ShowJson {
  readonly service: string;
  readonly job: JobJson;
  /** Every reader of the job's settings; null where the service refused one. */
  readonly settings: SettingsJson;
}

const when = (d: Date | null | undefined): string | null => (d && !Number.isNaN(d.getTime()) ? d.toISOString() : null);

export function showLines(s: JobSnapshot): string[] {
  const total = effectiveTotal(s.progress, s.files);
  const lines = [
    `Job ${s.id}`,
    ...fields([
      ['name', s.displayName ?? 'not reported'],
      ['state', stateName(s.state)],
      ['bytes', `${formatBytes(s.progress.bytesTransferred)} of ${formatBytes(total)} (${s.progress.bytesTransferred} of ${total ?? '?'})`],
      ['files', `${s.progress.filesTransferred} of ${s.progress.filesTotal} transferred`],
      ['priority', priorityJson(s.priority) ?? 'not reported'],
      ['owner', s.owner ?? 'not reported'],
      ['created', s.times ? when(s.times.created) ?? '?' : 'not reported'],
      ['modified', s.times ? when(s.times.modified) : null],
      ['completed', s.times ? when(s.times.transferCompleted) : null],
    ]),
  ];
  s.files.forEach((f, i) => {
    lines.push(`File ${i + 1}`);
    lines.push(...fields([
      ['url', f.remoteUrl ?? '?'],
      ['local', f.localPath ?? '?'],
      ['bytes', f.progress ? `${formatBytes(f.progress.bytesTransferred)} of ${formatBytes(f.progress.bytesTotal)}${f.progress.completed ? ', complete' : ''}` : 'not reported'],
    ]));
  });
  if (s.error) lines.push(...jobErrorBlock(s.error));
  return lines;
}

export async function showCommand(ctx: CliContext, ref: JobRef, options: ShowCommandOptions): Promise<number> {
  const service = serviceFrom(options);
  return withManager(ctx, service, (manager) =>
    withJobRef(manager, ref, async (job) => {
      const snapshot = await readSnapshot(job);
      const settings = options.json || options.verbose ? await readSettings(job) : null;
      if (options.json) {
        const doc: ShowJson = { service, job: jobJson(snapshot), settings: settings! };
        writeJson(ctx.stdout, { ...envelope('show', true), ...doc });
      } else {
        for (const line of showLines(snapshot)) println(ctx.stdout, line);
        if (settings) {
          println(ctx.stdout, 'Settings');
          for (const line of fields(settingsLines(settings))) println(ctx.stdout, line);
        }
      }
      return 0;
    }));
}

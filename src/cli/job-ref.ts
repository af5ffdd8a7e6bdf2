/**
 * A job on the command line: its id (a GUID), or its display name with PowerShell wildcards (as
 * `Get-BitsTransfer -Name`). A name must match exactly one live job of yours: none is "no such
 * job" (exit 6, as an unknown id); several is a usage error that lists the candidates (exit 2).
 */
import { InvalidArgumentError } from 'commander';
import { isGuid, normalizeGuid } from '../api/validate';
import { JobState } from '../bits/enums';
import { NoSuchJobNameError, UsageError } from './usage';
import { wildcardRegExp } from './wildcard';
import type { CliJob, CliManager } from './service';

export type JobRef = { readonly id: string; readonly name?: undefined } | { readonly name: string; readonly id?: undefined };

/** commander's parser for `<job>`: a GUID (with or without braces) is an id, anything else a name. */
export function parseJobRef(value: string): JobRef {
  if (value.trim() === '') throw new InvalidArgumentError('expected a job id (GUID) or a display name (wildcards * ? [a-z]; see `list`).');
  return isGuid(value) ? { id: normalizeGuid(value) } : { name: value };
}

/** How a job ref reads in messages. */
export function describeRef(ref: JobRef): string {
  return ref.id ?? JSON.stringify(ref.name);
}

/** States a job never leaves: Wine lists such jobs a while after they ended; a name skips them. */
const GONE_STATES: ReadonlySet<JobState> = new Set([JobState.Acknowledged, JobState.Cancelled]);

/** Finds the one job `ref` names (the caller disposes it). */
export async function resolveJob(manager: CliManager, ref: JobRef): Promise<CliJob> {
  if (ref.id !== undefined) return manager.getJob(ref.id);
  const pattern = wildcardRegExp(ref.name);
  const jobs = await manager.jobs();
  const matches: { job: CliJob; name: string }[] = [];
  try {
    for (const job of jobs) {
      const name = await job.getDisplayName();
      if (!pattern.test(name)) continue;
      const { state } = await job.status();
      if (!GONE_STATES.has(state)) matches.push({ job, name });
    }
  } catch (error) {
    for (const job of jobs) job.dispose();
    throw error;
  }
  for (const job of jobs) if (!matches.some((m) => m.job === job)) job.dispose();
  if (matches.length === 1) return matches[0].job;
  for (const m of matches) m.job.dispose();
  if (matches.length === 0) {
    throw new NoSuchJobNameError(`no job of yours is named ${JSON.stringify(ref.name)} (\`list\` shows your jobs; give the id for another user's job)`);
  }
  const candidates = matches.map((m) => `  ${m.job.id}  ${m.name}`).join('\n');
  throw new UsageError(`${matches.length} jobs match the name ${JSON.stringify(ref.name)}; give one of their ids:\n${candidates}`);
}

/** Runs `fn` on the job `ref` names, then releases it. */
export async function withJobRef<T>(manager: CliManager, ref: JobRef, fn: (job: CliJob) => Promise<T>): Promise<T> {
  const job = await resolveJob(manager, ref);
  try {
    return await fn(job);
  } finally {
    job.dispose();
  }
}

/** Argument parsers for commander: a bad value becomes a one-line usage error. */
import { InvalidArgumentError } from 'commander';
import { isGuid, normalizeGuid } from '../com/guid';
import { JobPriority } from '../bits/enums';

export const PRIORITIES = ['foreground', 'high', 'normal', 'low'] as const;
export type PriorityName = (typeof PRIORITIES)[number];

const PRIORITY_VALUES: Record<PriorityName, JobPriority> = {
  foreground: JobPriority.Foreground,
  high: JobPriority.High,
  normal: JobPriority.Normal,
  low: JobPriority.Low,
};

export function priorityValue(name: PriorityName | undefined): JobPriority | undefined {
  return name === undefined ? undefined : PRIORITY_VALUES[name];
}

/** A job id: a GUID, with or without braces; normalised to lowercase without braces. */
export function parseJobId(value: string): string {
  if (!isGuid(value)) throw new InvalidArgumentError('not a job id: expected a GUID such as 0fe5563c-2db5-466d-bb2f-8d0850ff99e4 (see `list`).');
  return normalizeGuid(value);
}

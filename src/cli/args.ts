/** Argument parsers for commander: a bad value becomes a one-line usage error. */
import { InvalidArgumentError } from 'commander';
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

const UNIT_SECONDS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds for the job's timeouts: `90`, `90s`, `15m`, `2h`, `1d`; a whole number that fits 32 bits. */
export function parseSeconds(value: string): number {
  const m = /^\s*(\d+)\s*([smhd]?)\s*$/i.exec(value);
  const seconds = m ? Number(m[1]) * UNIT_SECONDS[m[2].toLowerCase()] : NaN;
  if (!Number.isSafeInteger(seconds) || seconds > 0xffffffff) {
    throw new InvalidArgumentError('expected a duration in whole seconds, optionally with a unit: 90, 90s, 15m, 2h, 1d (at most 4294967295 s).');
  }
  return seconds;
}

/**
 * `--header`, repeatable. Checked later by the settings (a parser error here would make commander
 * echo the value, which may be a token).
 */
export function collectHeader(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `download --api`: which API, or `auto` (the first one this computer has: ido, bits-style, bits). */
export const API_CHOICES = ['auto', 'ido', 'bits-style', 'bits'] as const;

const UNIT_MS: Record<string, number> = { ms: 1, '': 1000, s: 1000, m: 60_000, h: 3_600_000 };

/** `monitor --refresh`: `5`, `5s`, `500ms`, `1m`; from 100 ms to 24 h. */
export function parseRefresh(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(value);
  const ms = m ? Math.round(Number(m[1]) * UNIT_MS[(m[2] ?? '').toLowerCase()]) : NaN;
  if (!(ms >= 100 && ms <= 86_400_000)) throw new InvalidArgumentError('expected a refresh period from 100ms to 24h: 5, 5s, 500ms, 1m.');
  return ms;
}

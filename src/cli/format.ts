/** Human output: sizes, rates, durations, tables, and the JobError block. */
import { formatHResult } from '../errors';
import type { JobErrorFileInfo, JobErrorInfo } from '../errors';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 → "1.5 KiB"; null (unknown) → "?". */
export function formatBytes(value: bigint | number | null): string {
  if (value === null) return '?';
  let n = Number(value);
  let unit = 0;
  while (n >= 1024 && unit < UNITS.length - 1) {
    n /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} B` : `${n.toFixed(1)} ${UNITS[unit]}`;
}

export function formatRate(bytesPerSecond: number | null): string {
  return bytesPerSecond === null || !Number.isFinite(bytesPerSecond) ? '--/s' : `${formatBytes(Math.round(bytesPerSecond))}/s`;
}

/** Seconds → "42s", "3m05s", "2h07m" ("4.2s" when `precise`); null → "--". */
export function formatDuration(seconds: number | null, precise = false): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '--';
  if (precise && seconds < 10) return `${seconds.toFixed(1)}s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function formatPercent(transferred: bigint, total: bigint | null): string {
  if (total === null || total === 0n) return '?%';
  return `${Number((transferred * 1000n) / total) / 10}%`;
}

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

/** `label   value` lines with aligned values; null values are left out. */
export function fields(entries: ReadonlyArray<readonly [string, string | null]>, indent = '  '): string[] {
  const shown = entries.filter((e): e is readonly [string, string] => e[1] !== null);
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  const pad = ' '.repeat(indent.length + width + 2);
  // Multi-line values continue under the value column.
  return shown.flatMap(([k, v]) => v.split('\n').map((part, i) => (i === 0 ? `${indent}${k.padEnd(width)}  ${part}` : `${pad}${part}`)));
}

function fileLine(file: JobErrorFileInfo | null): string | null {
  if (!file) return null;
  const progress = file.progress ? ` (${formatBytes(file.progress.bytesTransferred)} of ${formatBytes(file.progress.bytesTotal)})` : '';
  return `${file.remoteUrl ?? '?'}\n-> ${file.localPath ?? '?'}${progress}`;
}

/**
 * The JobError block: what IBackgroundCopyJob::GetError reported, with our explanation when the
 * service gave no text (Wine never does).
 */
/** The job's error as lines; without one, what the job's state says instead. */
export function jobErrorBlock(error: JobErrorInfo | null, state?: string): string[] {
  if (!error && state === 'CANCELLED') {
    return ['The job was cancelled (by this program or another one: any program of the same user, or an administrator, can cancel it); there is no transfer error.'];
  }
  if (!error) {
    return [
      'JobError: none. The service gave no error information for this job',
      '  (Wine reports none for connection failures, bad URLs and TLS errors).',
    ];
  }
  return [
    'JobError',
    ...fields([
      ['code', error.code],
      ['hresult', `${formatHResult(error.hresult)} (${error.hresult | 0})`],
      ['message', error.message],
      ['context', `${error.contextName} (${error.context})`],
      ['context text', error.contextDescription],
      ['file', fileLine(error.file) ?? 'none reported'],
      ['protocol', error.protocol || 'not reported'],
      // The service's own text, when it differs from the message we show.
      ['service text', error.description && error.description !== error.message ? error.description : null],
    ], '  '),
  ];
}

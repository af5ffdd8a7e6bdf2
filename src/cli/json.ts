/**
 * The `--json` documents (docs/cli.md is their reference). Stable: fields are only ever added.
 * 64-bit byte counts are decimal strings (JSON numbers lose precision past 2^53); HRESULTs are
 * unsigned numbers plus their `0x%08X` text; dates are ISO 8601 strings.
 */
import { formatHResult } from '../errors';
import type { FileProgress } from '../bits';
import { JobPriority, stateName } from '../bits/enums';
import type { FinishResult } from '../api';
import { TransferFailedError, type HResultExplanation, type JobErrorFileInfo, type JobErrorInfo } from '../errors';
import type { CliStream } from './context';
import { effectiveTotal, type FileSnapshot, type JobSnapshot } from './snapshot';

export const SCHEMA_VERSION = 1;

/** Every document has these three fields; `ok` is false exactly when `error` is present. */
export interface Envelope {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly ok: boolean;
  readonly command: string;
}

export interface FileProgressJson {
  readonly bytesTotal: string | null;
  readonly bytesTransferred: string;
  readonly completed: boolean;
}

export interface FileJson {
  readonly remoteUrl: string | null;
  readonly localPath: string | null;
  readonly progress: FileProgressJson | null;
}

export interface JobErrorJson {
  readonly hresult: number;
  readonly hex: string;
  readonly code: string;
  readonly message: string;
  readonly context: number | null;
  readonly contextName: string | null;
  readonly description: string | null;
  readonly contextDescription: string | null;
  readonly protocol: string | null;
  readonly file: FileJson | null;
}

export interface JobTimesJson {
  readonly created: string | null;
  readonly modified: string | null;
  readonly transferCompleted: string | null;
}

export interface JobJson {
  readonly id: string;
  readonly displayName: string | null;
  /** e.g. "TRANSFERRING" (BG_JOB_STATE without the prefix). */
  readonly state: string;
  readonly stateCode: number;
  readonly bytesTransferred: string;
  /** The job's total, or the sum of its files' totals when the service does not report it; null when unknown. */
  readonly bytesTotal: string | null;
  readonly filesTransferred: number;
  readonly filesTotal: number;
  /** "foreground" | "high" | "normal" | "low", or null when the service does not say. */
  readonly priority: string | null;
  readonly owner: string | null;
  readonly times: JobTimesJson | null;
  readonly error: JobErrorJson | null;
  readonly files: readonly FileJson[];
}

export interface FinishJson {
  readonly hresult: number;
  readonly hex: string;
  readonly code: string;
  readonly partial: boolean;
  readonly unableToDeleteFiles: boolean;
}

export interface ExplainJson {
  readonly input: string;
  readonly hresult: number;
  readonly hex: string;
  readonly signed: number;
  readonly code: string;
  readonly message: string;
  readonly family: string;
  readonly facility: number;
  readonly facilityName: string;
  readonly isFailure: boolean;
  readonly isTransient: boolean;
  readonly known: boolean;
  /** The library's error class for this value, e.g. "HttpError". */
  readonly errorClass: string;
  /** The CLI's exit code when a command fails with this value. */
  readonly exitCode: number;
  /** How an ambiguous input (digits only: hex or decimal?) was read, and the other reading; null otherwise. */
  readonly readAs: string | null;
}

export interface ErrorJson {
  /** Error class, e.g. "JobFailedError", "UsageError", "ClassNotRegisteredError". */
  readonly name: string;
  /** Symbolic code: "BG_E_HTTP_ERROR_404", "ERR_JOB_FAILED", "ERR_USAGE", ... (null when none). */
  readonly code: string | null;
  readonly message: string;
  readonly exitCode: number;
  readonly hresult: number | null;
  readonly hex: string | null;
  readonly jobId: string | null;
  readonly state: string | null;
  readonly jobError: JobErrorJson | null;
}

export function bigJson(value: bigint | null): string | null {
  return value === null ? null : value.toString();
}

export function priorityJson(p: JobPriority | null): string | null {
  return p === null ? null : (JobPriority[p] ?? `priority_${p}`).toLowerCase();
}

export function fileProgressJson(p: FileProgress | null): FileProgressJson | null {
  return p === null ? null : { bytesTotal: bigJson(p.bytesTotal), bytesTransferred: p.bytesTransferred.toString(), completed: p.completed };
}

export function fileJson(f: FileSnapshot | JobErrorFileInfo): FileJson {
  return { remoteUrl: f.remoteUrl, localPath: f.localPath, progress: fileProgressJson(f.progress) };
}

export function jobErrorJson(e: JobErrorInfo | null): JobErrorJson | null {
  if (!e) return null;
  return {
    hresult: e.hresult >>> 0,
    hex: formatHResult(e.hresult),
    code: e.code,
    message: e.message,
    context: e.context,
    contextName: e.contextName,
    description: e.description,
    contextDescription: e.contextDescription,
    protocol: e.protocol || null,
    file: e.file ? fileJson(e.file) : null,
  };
}

const iso = (d: Date | null): string | null => (d && !Number.isNaN(d.getTime()) ? d.toISOString() : null);

export function jobJson(s: JobSnapshot): JobJson {
  return {
    id: s.id,
    displayName: s.displayName,
    state: stateName(s.state),
    stateCode: s.state,
    bytesTransferred: s.progress.bytesTransferred.toString(),
    bytesTotal: bigJson(effectiveTotal(s.progress, s.files)),
    filesTransferred: s.progress.filesTransferred,
    filesTotal: s.progress.filesTotal,
    priority: priorityJson(s.priority),
    owner: s.owner,
    times: s.times ? { created: iso(s.times.created), modified: iso(s.times.modified), transferCompleted: iso(s.times.transferCompleted) } : null,
    error: jobErrorJson(s.error),
    files: s.files.map(fileJson),
  };
}

export function finishJson(r: FinishResult): FinishJson {
  return { hresult: r.hresult >>> 0, hex: formatHResult(r.hresult), code: r.code, partial: r.partial, unableToDeleteFiles: r.unableToDeleteFiles };
}

export function explainJson(input: string, e: HResultExplanation, exitCode: number, readAs: string | null = null): ExplainJson {
  return {
    input, hresult: e.hresult, hex: e.hex, signed: e.hresult | 0, code: e.code, message: e.message, family: e.family,
    facility: e.facility, facilityName: e.facilityName, isFailure: e.isFailure, isTransient: e.isTransient, known: e.known,
    errorClass: e.className, exitCode, readAs,
  };
}

export function errorJson(error: unknown, exitCode: number): ErrorJson {
  const e = error instanceof Error ? error : new Error(String(error));
  const raw = (e as { hresult?: unknown; code?: unknown });
  const jobFailed = e instanceof TransferFailedError ? e : null;
  // A failed job's HRESULT is its JobError's, so scripts find it in one place.
  const hresult = typeof raw.hresult === 'number' ? raw.hresult >>> 0 : jobFailed?.jobError ? jobFailed.jobError.hresult >>> 0 : null;
  return {
    name: e.name,
    code: typeof raw.code === 'string' ? raw.code : null,
    message: e.message,
    exitCode,
    hresult,
    hex: hresult === null ? null : formatHResult(hresult),
    jobId: jobFailed?.jobId ?? null,
    state: jobFailed ? jobFailed.stateName : null,
    jobError: jobErrorJson(jobFailed?.jobError ?? null),
  };
}

export function envelope(command: string, ok: boolean): Envelope {
  return { schemaVersion: SCHEMA_VERSION, ok, command };
}

/** One pretty-printed document. */
export function writeJson<T extends Envelope>(stream: CliStream, doc: T): void {
  stream.write(`${JSON.stringify(doc, null, 2)}\n`);
}

/** One compact line (NDJSON, `watch --json`). */
export function writeJsonLine(stream: CliStream, doc: object): void {
  stream.write(`${JSON.stringify(doc)}\n`);
}

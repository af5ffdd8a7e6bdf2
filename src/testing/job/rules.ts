/** Rules shared by the job's methods and its tear-offs. */
import { JobType } from '../../bits';
import type { ServiceContext } from '../service/context';
import { BG_E_TOO_MANY_FILES, BG_E_TOO_MANY_FILES_IN_JOB, E_INVALIDARG, E_NOTIMPL } from '../service/hresults';
import { answer } from '../objects/wire';

/** What the rules read of a job (the job and its tear-offs pass themselves or their owner). */
export interface RuledJob {
  readonly ctx: Pick<ServiceContext, 'codes' | 'options'>;
  readonly isFinal: boolean;
  readonly type: number;
  readonly files: readonly unknown[];
}

/** CreateJob / SetDisplayName limit. */
export const MAX_DISPLAY_NAME = 256;

/** Setters refuse jobs in a final state. */
export function mutable(job: RuledJob): void {
  if (job.isFinal) answer(job.ctx.codes.invalidState);
}

/** The AddFile family may be switched off (DO adds files through IDeliveryOptimizationJob*). */
export function addFileAllowed(job: RuledJob): void {
  if (job.ctx.options.addFile === 'notimpl') answer(E_NOTIMPL);
  mutable(job);
}

/**
 * The fake writes its files on the machine it runs on, so on Linux or macOS a Windows path
 * (`C:\Downloads\setup.exe`, `\\server\share\x`) names no file it can write: refused where it
 * is given (E_INVALIDARG), not discovered at Complete. Windows itself takes them.
 */
export function isForeignWindowsPath(local: string): boolean {
  return process.platform !== 'win32' && (/^[a-zA-Z]:[\\/]/.test(local) || /^\\\\/.test(local));
}

/** A local name: not empty, and one this machine's file system can hold (see isForeignWindowsPath). */
export function checkLocalName(local: string | null): asserts local is string {
  if (local === null || local === '' || isForeignWindowsPath(local)) answer(E_INVALIDARG);
}

/** Remote names the services take: http(s) URLs and UNC paths. Local names must not be empty. */
export function checkNames(remote: string | null, local: string | null): { remote: string; local: string } {
  if (remote === null) answer(E_INVALIDARG);
  checkLocalName(local);
  // BG_FILE_INFO: http(s) URLs, UNC paths, full paths on a drive, file:// URLs.
  if (!/^(https?|file):\/\/./i.test(remote) && !remote.startsWith('\\\\') && !/^[a-zA-Z]:[\\/]/.test(remote)) answer(E_INVALIDARG);
  return { remote, local };
}

/** Upload jobs take exactly one file; no job more than `maxFilesPerJob`. Nothing of a refused set is added. */
export function checkFileCount(job: RuledJob, adding: number): void {
  if (job.type !== JobType.Download && job.files.length + adding > 1) answer(BG_E_TOO_MANY_FILES);
  if (job.files.length + adding > job.ctx.options.maxFilesPerJob) answer(BG_E_TOO_MANY_FILES_IN_JOB);
}

/**
 * `addFiles` on the wire: AddFileSet in batches, and the name of the file that failed.
 *
 * What the services do with a set that fails (docs/performance-notes.md, "Batching, streaming and start-up"):
 * Windows documents AddFileSet as adding none of the set when it refuses it (BG_E_TOO_MANY_FILES);
 * Wine's qmgr adds the entries one by one under the job's lock and stops at the first that fails,
 * keeping those before it. Neither says which entry failed. So after a failed batch the job's
 * FilesTotal tells how many of the batch are in: if some are, the next one is the failing entry;
 * if none are and the code is about one file, the batch is added again with AddFile, one by one,
 * until the failing file answers. Either way the contract is that of AddFile in a loop: the files
 * before the failing one are in the job, it and those after it are not.
 */
import { E_NOTIMPL, failure } from '../com';
import { IBackgroundCopyJob } from '../bits';
import { hresultIs } from '../errors';
import { redact } from '../secrets';
import type { StepCalls } from './calls';
import type { FileSpec } from './job-files';
import type { ServiceProvider } from './service';

/**
 * Entries per AddFileSet call. BITS has no per-call limit (MaxFilesPerJob, 200 by default for
 * users, bounds the job); a batch bounds one request's size (two names of up to 2,200 and 32,767
 * characters per entry) and one call's time, and 1,000 files take 5 calls instead of 1,000 AddFiles.
 */
export const ADD_FILE_SET_BATCH = 200;

/** Codes that one entry of a set can cause: worth finding which one. */
const PER_FILE_CODES = [
  'E_INVALIDARG', 'E_ACCESSDENIED', 'BG_E_TOO_MANY_FILES_IN_JOB', 'BG_E_TOO_MANY_FILES',
  'ERROR_FILE_NOT_FOUND', 'ERROR_PATH_NOT_FOUND', 'ERROR_INVALID_NAME', 'ERROR_FILENAME_EXCED_RANGE',
] as const;

function perFile(hr: number): boolean {
  return hresultIs(hr, ...PER_FILE_CODES);
}

/** Adds one file (AddFile, or Delivery Optimization's way); a failure rejects with the typed error. */
export type AddOne = (job: StepCalls, spec: FileSpec) => Promise<void>;

/** The same typed error, its message naming the entry (or batch) and what the job kept. */
function named(service: ServiceProvider, error: unknown, what: string, added: number, total: number): unknown {
  const { hresult: hr, operation } = (error ?? {}) as { hresult?: unknown; operation?: unknown };
  if (typeof hr !== 'number') return error;
  const method = typeof operation === 'string' ? operation : 'IBackgroundCopyJob::AddFileSet';
  const kept = added === 0 ? 'none of the files was added' : `files[0..${added - 1}] were added`;
  const result = failure(service.runtime, hr, redact(`addFiles: ${what} (${kept}, ${total - added} were not): ${method}`));
  Object.defineProperty(result, 'cause', { value: error, configurable: true, writable: true, enumerable: false });
  return result;
}

function entry(specs: readonly FileSpec[], index: number): string {
  const s = specs[index];
  return `files[${index}] (${s.remoteUrl} -> ${s.localPath})`;
}

/** FilesTotal of the job, or null when it cannot be read. */
export async function filesInJob(job: StepCalls): Promise<number | null> {
  const result = await job.callRaw(IBackgroundCopyJob, 'GetProgress').catch(() => null);
  return result && !result.failed && result.value ? result.value.filesTotal : null;
}

/** One by one from `start`; a failure names its file. */
async function addEach(job: StepCalls, service: ServiceProvider, specs: readonly FileSpec[], start: number, addOne: AddOne): Promise<void> {
  for (let i = start; i < specs.length; i++) {
    try {
      await addOne(job, specs[i]);
    } catch (error) {
      throw named(service, error, entry(specs, i), i, specs.length);
    }
  }
}

/**
 * AddFileSet in batches of ADD_FILE_SET_BATCH; AddFile one by one where AddFileSet is not
 * implemented. `filesBefore` is how many files the job had (null: unknown, then read here).
 */
export async function addInBatches(
  job: StepCalls, service: ServiceProvider, specs: readonly FileSpec[], filesBefore: number | null, addOne: AddOne,
): Promise<void> {
  const base = filesBefore ?? (await filesInJob(job));
  for (let from = 0; from < specs.length; from += ADD_FILE_SET_BATCH) {
    const batch = specs.slice(from, from + ADD_FILE_SET_BATCH);
    const result = await job.callRaw(IBackgroundCopyJob, 'AddFileSet', batch.map((s) => ({ RemoteName: s.remoteUrl, LocalName: s.localPath })));
    if (!result.failed) continue;
    if (result.hr === E_NOTIMPL) return addEach(job, service, specs, from, addOne);
    const error = thrown(() => result.orThrow());
    const after = base === null ? null : await filesInJob(job);
    const inBatch = after === null || base === null ? null : after - base - from;
    // Some of the batch are in (Wine): the next entry is the one that failed.
    if (inBatch !== null && inBatch > 0 && inBatch < batch.length) throw named(service, error, entry(specs, from + inBatch), from + inBatch, specs.length);
    // None are in (Windows), and one entry can be the cause: AddFile each until it answers.
    if (inBatch === 0 && perFile(result.hr)) return addEach(job, service, specs, from, addOne);
    const unknown = inBatch === null ? ', the service not saying how many of them it kept' : '';
    throw named(service, error, `files[${from}..${from + batch.length - 1}] in one AddFileSet${unknown}`, from + (inBatch ?? 0), specs.length);
  }
}

function thrown(f: () => void): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  return new Error('unreachable: a failed call did not throw');
}

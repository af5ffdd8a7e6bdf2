/**
 * A job's files: the checks before they reach the service, and the steps that add them. The steps
 * run inside the job's `inOrder` and get only its step pointer.
 */
import { ComPtr, E_NOTIMPL, type ComRuntime } from '../com';
import { IBackgroundCopyFile, IBackgroundCopyJob, IBackgroundCopyJob3, IEnumBackgroundCopyFiles } from '../bits';
import type { Calls, StepCalls } from './calls';
import { addInBatches, filesInJob } from './add-file-set';
import { addFileThroughDeliveryOptimization } from './do-add-file';
import { collectEnumerator } from './enumerate';
import { BackgroundCopyFile } from './file';
import type { ServiceProvider } from './service';
import { BitsEnumerator } from './enumerator';
import { firstExistingFolder } from './existing-folders';
import { BITS_MAX_LOCAL_PATH, existingFolder, invalidArgType, invalidArgValue, validateLocalPath, validateRemoteUrl, validateUint32 } from './validate';

/** One file of a job: where it comes from and where it goes. */
export interface FileSpec {
  /** http(s) URL (BITS also takes UNC paths). */
  readonly remoteUrl: string;
  /** Fully qualified destination path; the file appears there at `complete()`. */
  readonly localPath: string;
}

type Wire = Array<{ InitialOffset: bigint; Length: bigint }>;

export function checkFile(service: ServiceProvider, remoteUrl: unknown, localPath: unknown, name: string, folderCheck = true): FileSpec {
  return {
    remoteUrl: validateRemoteUrl(remoteUrl, `${name}.remoteUrl`, { flavour: service.kind }),
    localPath: validateLocalPath(localPath, `${name}.localPath`, { posix: service.posixPaths === true, maxLength: BITS_MAX_LOCAL_PATH, folderCheck }),
  };
}

/** The file specs of `addFiles`, each field read once; the same local path twice is refused. */
export function checkSpecs(service: ServiceProvider, files: unknown): FileSpec[] {
  if (!Array.isArray(files)) throw invalidArgType('files', 'an array of { remoteUrl, localPath }', files);
  if (files.length === 0) throw invalidArgType('files', 'a non-empty array', files);
  const specs = files.map((spec: unknown, i) => {
    if (typeof spec !== 'object' || spec === null) throw invalidArgType(`files[${i}]`, 'an object { remoteUrl, localPath }', spec);
    const { remoteUrl, localPath } = spec as Record<string, unknown>;
    return checkFile(service, remoteUrl, localPath, `files[${i}]`, false);
  });
  // The folder check of every path at once (one listing per folder; existing-folders.ts).
  const folder = firstExistingFolder(specs.map((s) => s.localPath), service.posixPaths === true);
  if (folder !== -1) throw existingFolder(`files[${folder}].localPath`, specs[folder].localPath);
  refuseRepeats(service, specs, setNames(specs));
  return specs;
}

function setNames(specs: readonly FileSpec[]): string[] {
  return specs.map((_, i) => `files[${i}]`);
}

/** The same file for Windows (case and separators do not matter there). */
function pathKey(service: ServiceProvider, localPath: string): string {
  return service.posixPaths === true && localPath.startsWith('/') ? localPath : localPath.replace(/\//g, '\\').toLowerCase();
}

/** The same local path twice in one call: refused before anything reaches the service. */
function refuseRepeats(service: ServiceProvider, specs: readonly FileSpec[], names: readonly string[]): void {
  const seen = new Map<string, string>();
  specs.forEach((spec, i) => {
    const key = pathKey(service, spec.localPath);
    const other = seen.get(key);
    if (other) throw invalidArgValue(`${names[i]}.localPath`, spec.localPath, `is also the local path of ${other}: one of the two files would be lost`);
    seen.set(key, names[i]);
  });
}

/**
 * Two files of one job with the same local path: the service answers S_OK and one file's data is
 * lost (Wine keeps the first, others the last), so the library refuses it, against the files the
 * job has now. An empty job (FilesTotal 0: one call) is not listed (three calls and a proxy).
 * Answers how many files the job has (null: unknown).
 */
async function refuseDuplicatePaths(job: StepCalls, service: ServiceProvider, specs: readonly FileSpec[], names: readonly string[]): Promise<number | null> {
  if ((await filesInJob(job)) === 0) return 0;
  const { locals, count } = await localNamesInJob(job, service.runtime);
  const inJob = new Set(locals.map((p) => pathKey(service, p)));
  specs.forEach((spec, i) => {
    if (inJob.has(pathKey(service, spec.localPath))) {
      throw invalidArgValue(`${names[i]}.localPath`, spec.localPath, 'is also the local path of a file already in the job: one of the two files would be lost');
    }
  });
  return count;
}

/**
 * The local names of the job's files and how many files it has; no names and a null count when
 * the service cannot list them (the check is then skipped).
 */
async function localNamesInJob(job: StepCalls, runtime: ComRuntime): Promise<{ locals: string[]; count: number | null }> {
  const unknown = { locals: [], count: null };
  const { failed, value: ptr } = await job.callRaw(IBackgroundCopyJob, 'EnumFiles');
  if (failed || ptr === null) return unknown;
  const enumerator = ComPtr.own(ptr, IEnumBackgroundCopyFiles, runtime);
  let files: Array<ComPtr<typeof IBackgroundCopyFile>> = [];
  try {
    files = await collectEnumerator(enumerator, IBackgroundCopyFile);
    const locals = await Promise.all(files.map((f) => f.invokeRaw('GetLocalName')));
    return { locals: locals.flatMap(({ failed, value: local }) => (failed || !local ? [] : [local])), count: files.length };
  } catch {
    return unknown;
  } finally {
    await Promise.all(files.map((f) => f.release()));
    await enumerator.release();
  }
}

/** AddFile; on Delivery Optimization, IDeliveryOptimizationJob when AddFile is not implemented. */
async function addOne(job: StepCalls, service: ServiceProvider, spec: FileSpec): Promise<void> {
  const result = await job.callRaw(IBackgroundCopyJob, 'AddFile', spec.remoteUrl, spec.localPath);
  if (result.hr === E_NOTIMPL && service.kind === 'delivery-optimization') return addFileThroughDeliveryOptimization(job, spec, service.runtime);
  result.orThrow();
}

/** Step: adds one file. */
export async function addFileStep(job: StepCalls, service: ServiceProvider, spec: FileSpec): Promise<void> {
  await refuseDuplicatePaths(job, service, [spec], ['file']);
  await addOne(job, service, spec);
}

/**
 * Step: adds several files with AddFileSet in batches, or one by one where the service does not
 * implement it; a failure names the file (add-file-set.ts).
 */
export async function addFileSetStep(job: StepCalls, service: ServiceProvider, specs: readonly FileSpec[]): Promise<void> {
  const filesBefore = await refuseDuplicatePaths(job, service, specs, setNames(specs));
  await addInBatches(job, service, specs, filesBefore, (step, spec) => addOne(step, service, spec));
}

/** Step: adds a file of which only some ranges are downloaded (IBackgroundCopyJob3). */
export async function addRangesStep(job: StepCalls, service: ServiceProvider, spec: FileSpec, ranges: Wire): Promise<void> {
  await refuseDuplicatePaths(job, service, [spec], ['file']);
  await job.call(IBackgroundCopyJob3, 'AddFileWithRanges', spec.remoteUrl, spec.localPath, ranges);
}

/** The job's files, as wrappers the caller disposes. */
export async function listFiles(calls: Calls, service: ServiceProvider): Promise<BackgroundCopyFile[]> {
  const ptr = await calls.call(IBackgroundCopyJob, 'EnumFiles');
  if (ptr === null) return [];
  const enumerator = ComPtr.own(ptr, IEnumBackgroundCopyFiles, service.runtime);
  try {
    const files = await collectEnumerator(enumerator, IBackgroundCopyFile);
    return files.map((f) => new BackgroundCopyFile(f, service.kind));
  } finally {
    await enumerator.release();
  }
}

/** Runs `use` on the job's file enumerator (a snapshot), then releases it. */
async function withFileEnumerator<T>(calls: Calls, runtime: ComRuntime, use: (files: BitsEnumerator<typeof IBackgroundCopyFile>) => Promise<T>): Promise<T | null> {
  const ptr = await calls.call(IBackgroundCopyJob, 'EnumFiles');
  if (ptr === null) return null;
  const files = new BitsEnumerator(ComPtr.own(ptr, IEnumBackgroundCopyFiles, runtime), IBackgroundCopyFile);
  try {
    return await use(files);
  } finally {
    await files.release();
  }
}

/** `job.fileCount()`: GetCount of the file enumerator. */
export async function countFiles(calls: Calls, service: ServiceProvider): Promise<number> {
  return (await withFileEnumerator(calls, service.runtime, (files) => files.count())) ?? 0;
}

/** `job.fileAt(index)`: Skip to it, then one Next. */
export async function fileAt(calls: Calls, service: ServiceProvider, index: number): Promise<BackgroundCopyFile | null> {
  const skip = validateUint32(index, 'index');
  const found = await withFileEnumerator(calls, service.runtime, async (files) => {
    if (!(await files.skip(skip))) return null;
    const [file] = await files.next(1);
    return file ?? null;
  });
  return found ? new BackgroundCopyFile(found, service.kind) : null;
}

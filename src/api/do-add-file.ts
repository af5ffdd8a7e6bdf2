/**
 * Adding a file on Delivery Optimization, whose IBackgroundCopyJob::AddFile may answer E_NOTIMPL.
 * DO's documented ways to add a file (their slot order is UNCONFIRMED):
 * IDeliveryOptimizationJob::AddFileWithRanges (Windows 10 1709, no ranges = the whole file), else
 * IDeliveryOptimizationJob2::AddFile (1803) and the local path as the file's DownloadSinkFilePath
 * property.
 */
import { randomUUID } from 'crypto';
import { ComPtr, E_NOTIMPL, withBstrVariant, UINT64_MAX, type ComRuntime } from '../com';
import { IDeliveryOptimizationFile, IDeliveryOptimizationFile2, IDeliveryOptimizationJob, IDeliveryOptimizationJob2 } from '../bits';
import { NoInterfaceError, NotImplementedError } from '../errors';
import type { StepCalls } from './calls';

/** DO_UNKNOWN_FILE_SIZE: unpublished, (UINT64)-1 in public code (UNCONFIRMED). */
const DO_UNKNOWN_FILE_SIZE = UINT64_MAX;
/** DOFilePropertyId DownloadSinkFilePath (implicit enum value 4 in the DO docs). */
const DO_FILE_PROPERTY_DOWNLOAD_SINK_FILE_PATH = 4;

/** Rejections for an interface the service does not have become null. */
function absentAsNull(error: unknown): null {
  if (error instanceof NoInterfaceError) return null;
  throw error;
}

export async function addFileThroughDeliveryOptimization(
  job: StepCalls,
  spec: { readonly remoteUrl: string; readonly localPath: string },
  runtime: ComRuntime,
): Promise<void> {
  const fileId = randomUUID();
  const first = await job.callRaw(IDeliveryOptimizationJob, 'AddFileWithRanges', fileId, spec.remoteUrl, spec.localPath, [], DO_UNKNOWN_FILE_SIZE).catch(absentAsNull);
  if (first && first.hr !== E_NOTIMPL) {
    first.orThrow();
    return;
  }
  const added = await job.call(IDeliveryOptimizationJob2, 'AddFile', fileId, spec.remoteUrl, [], IDeliveryOptimizationFile.iid).catch((error: unknown) => {
    if (error instanceof NoInterfaceError) {
      throw new NotImplementedError(undefined, { operation: 'IBackgroundCopyJob::AddFile (and the service offers no IDeliveryOptimizationJob or IDeliveryOptimizationJob2)' });
    }
    throw error;
  });
  if (added === null) return;
  const file = ComPtr.own(added, IDeliveryOptimizationFile, runtime);
  try {
    const file2 = await file.query(IDeliveryOptimizationFile2);
    if (!file2) throw new NotImplementedError(undefined, { operation: 'IDeliveryOptimizationFile::QueryInterface(IDeliveryOptimizationFile2)' });
    try {
      await withBstrVariant(runtime, spec.localPath, (variant) => file2.invoke('SetProperty', DO_FILE_PROPERTY_DOWNLOAD_SINK_FILE_PATH, variant));
    } finally {
      await file2.release();
    }
  } finally {
    await file.release();
  }
}

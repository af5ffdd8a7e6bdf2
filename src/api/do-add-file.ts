/**
 * Adding a file on Delivery Optimization, whose IBackgroundCopyJob::AddFile may answer E_NOTIMPL.
 * DO's documented ways to add a file (their slot order is UNCONFIRMED):
 * IDeliveryOptimizationJob::AddFileWithRanges (Windows 10 1709, no ranges = the whole file), else
 * IDeliveryOptimizationJob2::AddFile (1803) and the local path as the file's DownloadSinkFilePath
 * property.
 */
import { randomUUID } from 'crypto';
import { ComPtr, E_NOTIMPL, withBstrVariant, UINT64_MAX, type ComRuntime } from '../com';
import { IBackgroundCopyJob, IDeliveryOptimizationFile, IDeliveryOptimizationFile2, IDeliveryOptimizationJob, IDeliveryOptimizationJob2 } from '../bits';
import { NotImplementedError } from '../errors';
import type { FileSpec } from './job';

/** DO_UNKNOWN_FILE_SIZE: unpublished, (UINT64)-1 in public code (UNCONFIRMED). */
const DO_UNKNOWN_FILE_SIZE = UINT64_MAX;
/** DOFilePropertyId DownloadSinkFilePath (implicit enum value 4 in the DO docs). */
const DO_FILE_PROPERTY_DOWNLOAD_SINK_FILE_PATH = 4;

export async function addFileThroughDeliveryOptimization(job: ComPtr<typeof IBackgroundCopyJob>, spec: FileSpec, runtime: ComRuntime): Promise<void> {
  const fileId = randomUUID();
  const doJob = await job.query(IDeliveryOptimizationJob);
  if (doJob) {
    try {
      const result = await doJob.invokeRaw('AddFileWithRanges', fileId, spec.remoteUrl, spec.localPath, [], DO_UNKNOWN_FILE_SIZE);
      if (result.hr !== E_NOTIMPL) {
        result.orThrow();
        return;
      }
    } finally {
      await doJob.release();
    }
  }
  const doJob2 = await job.query(IDeliveryOptimizationJob2);
  if (!doJob2) throw new NotImplementedError(undefined, { operation: 'IBackgroundCopyJob::AddFile (and the service offers no IDeliveryOptimizationJob or IDeliveryOptimizationJob2)' });
  try {
    const filePtr = await doJob2.invoke('AddFile', fileId, spec.remoteUrl, [], IDeliveryOptimizationFile.iid);
    if (filePtr === null) return;
    const file = ComPtr.own(filePtr, IDeliveryOptimizationFile, runtime);
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
  } finally {
    await doJob2.release();
  }
}

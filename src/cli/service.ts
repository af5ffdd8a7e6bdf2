/**
 * What the CLI needs from a manager and its jobs. The library's classes satisfy these shapes;
 * tests inject the testing fake (or a small stub) through `connect`.
 */
import { BackgroundCopyManager } from '../api';
import { HResultError } from '../errors';
import type { CreateJobOptions, Credentials, FileSpec, FinishResult, JobError, JobStatus, ProxySettings, ServiceName, WatchOptions } from '../api';
import type { AuthScheme, AuthTarget, CertStoreLocation, FileProgress, JobPriority, JobPropertyId, JobTimes, JobType } from '../bits';
import type { ClientCertificate, JobPropertyValue, ServiceCapabilities } from '../api';
import type { HelperToken } from '../api';

export interface CliFile {
  getRemoteName(): Promise<string>;
  getLocalName(): Promise<string>;
  getProgress(): Promise<FileProgress>;
  dispose(): void;
}

export interface CliJob {
  readonly id: string;
  status(): Promise<JobStatus>;
  getError(): Promise<JobError | null>;
  getDisplayName(): Promise<string>;
  getPriority(): Promise<JobPriority>;
  getTimes(): Promise<JobTimes>;
  getOwner(): Promise<string>;
  files(): Promise<CliFile[]>;
  fileCount(): Promise<number>;
  addFile(remoteUrl: string, localPath: string): Promise<void>;
  addFiles(files: readonly FileSpec[]): Promise<void>;
  setDisplayName(name: string): Promise<void>;
  setPriority(priority: JobPriority): Promise<void>;
  setCustomHeaders(headers: string | null): Promise<void>;
  setProxySettings(settings: ProxySettings): Promise<void>;
  setMinimumRetryDelay(seconds: number): Promise<void>;
  setNoProgressTimeout(seconds: number): Promise<void>;
  setMaximumDownloadTime(seconds: number): Promise<void>;
  setCredentials(credentials: Credentials): Promise<void>;
  removeCredentials(target: AuthTarget, scheme: AuthScheme): Promise<void>;
  setDescription(description: string): Promise<void>;
  setProperty(id: JobPropertyId, value: JobPropertyValue): Promise<void>;
  setSecurityFlags(flags: number): Promise<void>;
  setClientCertificateById(location: CertStoreLocation, storeName: string, sha1Hash: Uint8Array): Promise<void>;
  setClientCertificateByName(location: CertStoreLocation, storeName: string, subjectName: string | null): Promise<void>;
  removeClientCertificate(): Promise<void>;
  setHttpMethod(method: string): Promise<void>;
  makeCustomHeadersWriteOnly(): Promise<void>;
  setFileAclFlags(flags: number): Promise<void>;
  setPeerCachingFlags(flags: number): Promise<void>;
  setNotifyFlags(flags: number): Promise<void>;
  setNotifyCmdLine(program: string | null, parameters: string | null): Promise<void>;
  /** IBitsTokenOptions: set and read by `set --helper-token…` and `show`. */
  readonly helperToken: Pick<HelperToken, 'set' | 'clear' | 'setFlags' | 'getFlags' | 'getSid'>;
  // The readers `show` prints (settings-read.ts).
  getType(): Promise<JobType>;
  getDescription(): Promise<string>;
  getErrorCount(): Promise<number>;
  getMinimumRetryDelay(): Promise<number>;
  getNoProgressTimeout(): Promise<number>;
  getMaximumDownloadTime(): Promise<number>;
  getProxySettings(): Promise<ProxySettings>;
  getProperty(id: JobPropertyId): Promise<JobPropertyValue>;
  getSecurityFlags(): Promise<number>;
  getClientCertificate(): Promise<ClientCertificate>;
  getHttpMethod(): Promise<string>;
  getCustomHeaders(): Promise<string | null>;
  getFileAclFlags(): Promise<number>;
  getPeerCachingFlags(): Promise<number>;
  getNotifyFlags(): Promise<number>;
  getNotifyCmdLine(): Promise<{ program: string | null; parameters: string | null }>;
  getOwnerIntegrityLevel(): Promise<number>;
  getOwnerElevationState(): Promise<boolean>;
  takeOwnership(): Promise<void>;
  replaceRemotePrefix(oldPrefix: string, newPrefix: string): Promise<void>;
  setReplyFileName(path: string | null): Promise<void>;
  getReplyFileName(): Promise<string | null>;
  getReplyData(): Promise<Buffer>;
  resume(): Promise<void>;
  suspend(): Promise<void>;
  cancel(): Promise<FinishResult>;
  complete(): Promise<FinishResult>;
  watch(options?: WatchOptions): AsyncIterable<JobStatus>;
  dispose(): void;
}

export interface CliManager {
  readonly service: { readonly kind: ServiceName; readonly displayName: string };
  createJob(displayName: string, options?: CreateJobOptions): Promise<CliJob>;
  getJob(id: string): Promise<CliJob>;
  jobs(options?: { allUsers?: boolean }): Promise<CliJob[]>;
  /** `doctor` (a stub manager may lack it). */
  capabilities?(): Promise<ServiceCapabilities>;
  dispose(): void;
}

export type Connect = (service: ServiceName) => Promise<CliManager>;

export const defaultConnect: Connect = (service) => BackgroundCopyManager.connect({ service });

/** `--bits` picks BITS; Delivery Optimization is the default, as in the library. */
export function serviceFrom(options: { bits?: boolean }): ServiceName {
  return options.bits ? 'bits' : 'delivery-optimization';
}

/**
 * Activation, retried while the failure is transient (RPC_S_SERVER_UNAVAILABLE, CO_E_SERVER_STOPPING,
 * ...): a service that is starting or restarting answers so for a moment (Wine's BITS does it too
 * when another process shares the prefix).
 */
export async function connectWithRetry(connect: Connect, service: ServiceName, delaysMs: readonly number[] = [500, 1500]): Promise<CliManager> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await connect(service);
    } catch (error) {
      if (!(error instanceof HResultError) || !error.isTransient || attempt >= delaysMs.length) throw error;
      await new Promise((resolve) => setTimeout(resolve, delaysMs[attempt]));
    }
  }
}

/** Connects (with retries), runs `fn`, and always releases the manager. */
export async function withManager<T>(
  ctx: { readonly connect: Connect; readonly retryDelaysMs: readonly number[]; serviceName?: string | null }, service: ServiceName, fn: (manager: CliManager) => Promise<T>,
): Promise<T> {
  // Messages name the service used, whatever happens next.
  ctx.serviceName = service === 'bits' ? 'BITS' : 'Delivery Optimization';
  const manager = await connectWithRetry(ctx.connect, service, ctx.retryDelaysMs);
  try {
    return await fn(manager);
  } finally {
    manager.dispose();
  }
}

/** Runs `fn` on the job with this id, then releases it. */
export async function withJob<T>(manager: CliManager, id: string, fn: (job: CliJob) => Promise<T>): Promise<T> {
  const job = await manager.getJob(id);
  try {
    return await fn(job);
  } finally {
    job.dispose();
  }
}

/**
 * A BITS / Delivery Optimization job: one class whose methods are one call each of `#job.call(Interface,
 * 'Method', …args)` (calls.ts; docs/architecture.md follows one). What takes more than one call lives
 * beside: job-status.ts, job-files.ts, job-notifications.ts, job-settings.ts, job-http-options.ts, job-tokens.ts.
 */
import {
  AuthScheme, AuthTarget, CertStoreLocation, FileAclFlags, IBackgroundCopyJob, IBackgroundCopyJob2, IBackgroundCopyJob3, IBackgroundCopyJob4,
  IBackgroundCopyJob5, IBackgroundCopyJobHttpOptions, IBackgroundCopyJobHttpOptions2, IBackgroundCopyJobHttpOptions3, JobPriority, JobPropertyId,
  NotifyFlags, PeerCachingFlags, SecurityFlags, type FileRange, type JobProgress, type JobState, type JobTimes, type JobType, type ReplyProgress,
} from '../bits';
import type { ComPtr, Interface } from '../com';
import type { Calls } from './calls';
import { CallOrder } from './call-order';
import { toWireRanges, type BackgroundCopyFile } from './file';
import { checkTransferredInFull } from './finish';
import { DEFAULT_LANGUAGE_ID, type JobError } from './job-error';
import { JobEvents, type JobEventName, type JobListener, type RangesListener } from './job-events';
import { addFileSetStep, addFileStep, addRangesStep, checkFile, checkSpecs, countFiles, fileAt, listFiles, type FileSpec } from './job-files';
import {
  checkCertificateStore, checkHttpMethod, checkSha1Hash, checkSubjectName, CertificateValidatorSlot, clientCertificate, type ClientCertificate,
} from './job-http-options';
import { checkOnOptions, JobNotifications, type NotifyInterfaceInfo, type OnOptions } from './job-notifications';
import { HelperToken } from './job-tokens';
import { decodeJobProperty, type JobPropertyValue } from './job-property';
import { credentialsWire, propertyArgs, proxyArgs, proxySettings, replyData, type Credentials, type NotifyCmdLine, type ProxySettings } from './job-settings';
import { finishResult, readError, readStatus, resumeJob, type FinishResult } from './job-status';
import { ComResource } from './resource';
import type { ServiceProvider } from './service';
import type { ServerCertificateValidator } from './certificate-validation';
import { checkWaitOptions, waitForCompletion, watchJob, type CheckedWaitOptions, type JobStatus, type WaitOptions, type WatchOptions } from './wait';
import {
  validateDescription, validateDisplayName, validateEnum, validateFlags, validateGuid, validateLocalPath, validateOptionalString, validateRemotePrefix,
  validateUint32,
} from './validate';

export type { FinishResult } from './job-status';
export type { ProxySettings, Credentials, NotifyCmdLine } from './job-settings';
export type { ClientCertificate } from './job-http-options';
export type { FileSpec } from './job-files';

const J = IBackgroundCopyJob;
const HTTP = IBackgroundCopyJobHttpOptions;

/**
 * A BITS or Delivery Optimization job: its files, settings, state and events. Get one from
 * `BackgroundCopyManager.createJob`, `getJob` or `jobs`; release it with `dispose()` /
 * `await close()` (or `using` / `await using`).
 *
 * @example
 * ```ts
 * await using job = await manager.createJob('nightly');
 * await job.addFile('https://example.com/a.bin', 'C:\\Downloads\\a.bin');
 * await job.resume();
 * await job.waitForCompletion();
 * await job.complete();
 * ```
 */
export class BackgroundCopyJob extends ComResource {
  /** Lowercase GUID, no braces. */
  readonly id: string;
  /** The service this job belongs to. */
  readonly service: ServiceProvider;
  readonly #job: Calls;
  readonly #events = new JobEvents();
  readonly #notifications: JobNotifications;
  readonly #validator: CertificateValidatorSlot;
  /** The job's helper token (IBitsTokenOptions): another identity for its local files and network authentication. */
  readonly helperToken: HelperToken;

  /** @hidden Takes ownership of `job`. Not for users: BackgroundCopyManager gives jobs. */
  constructor(job: ComPtr<typeof IBackgroundCopyJob>, id: string, service: ServiceProvider) {
    super();
    this.id = id;
    this.service = service;
    this.#job = this.callsOn(this.adopt(job), new CallOrder());
    this.#notifications = new JobNotifications(this.#job, this.#events, service, id, () => this.getError());
    this.#validator = new CertificateValidatorSlot(this.#job, (error) => this.#events.emitError(error));
    this.helperToken = new HelperToken(this.#job);
  }

  protected get displayName(): string { return `BackgroundCopyJob {${this.id}}`; }

  // --- life cycle ----------------------------------------------------------------------------

  /** Pauses the job (IBackgroundCopyJob::Suspend). */
  async suspend(): Promise<void> { await this.#job.call(J, 'Suspend'); }

  /** Starts or restarts the transfer (also retries a job in ERROR). */
  async resume(): Promise<void> {
    this.ensureLive();
    this.#events.forgetStates();
    await resumeJob(this.#job);
  }

  /** Cancels the job (final). Reports BG_S_UNABLE_TO_DELETE_FILES instead of hiding it. */
  async cancel(): Promise<FinishResult> { return finishResult(await this.#job.callRaw(J, 'Cancel')); }
  /** Completes the job (final): files get their names. Reports BG_S_PARTIAL_COMPLETE instead of hiding it. */
  async complete(): Promise<FinishResult> { return finishResult(await this.#job.callRaw(J, 'Complete')); }
  /** Makes the current user the job's owner (administrators only). */
  async takeOwnership(): Promise<void> { await this.#job.call(J, 'TakeOwnership'); }

  // --- state -------------------------------------------------------------------------------

  /** The job's state. */
  async getState(): Promise<JobState> { return await this.#job.call(J, 'GetState'); }
  /** Bytes and files transferred so far, and the totals when known. */
  async getProgress(): Promise<JobProgress> { return await this.#job.call(J, 'GetProgress'); }
  /** When the job was created, last modified, and transferred. */
  async getTimes(): Promise<JobTimes> { return await this.#job.call(J, 'GetTimes'); }
  /** Download, upload, or upload-reply. */
  async getType(): Promise<JobType> { return await this.#job.call(J, 'GetType'); }
  /** The owner's SID string. */
  async getOwner(): Promise<string> { return await this.#job.call(J, 'GetOwner') ?? ''; }
  /** How many times the job went to an error state. */
  async getErrorCount(): Promise<number> { return await this.#job.call(J, 'GetErrorCount'); }

  /**
   * The job's error, or null when the service has none (outside ERROR/TRANSIENT_ERROR, and on
   * Wine for connection failures: BG_E_/DO_E_ERROR_INFORMATION_UNAVAILABLE). Other failures throw.
   */
  async getError(languageId = DEFAULT_LANGUAGE_ID): Promise<JobError | null> {
    return readError(this.#job, this.service.runtime, validateUint32(languageId, 'languageId'));
  }

  /**
   * One snapshot: state and progress are read in parallel; the error only in ERROR /
   * TRANSIENT_ERROR. TRANSFERRED or ACKNOWLEDGED always come with the progress of that state.
   */
  async status(): Promise<JobStatus> { return readStatus(this.#job, () => this.getError()); }

  // --- properties (IBackgroundCopyJob) -------------------------------------------------------

  /** The job's display name. */
  async getDisplayName(): Promise<string> { return await this.#job.call(J, 'GetDisplayName') ?? ''; }
  /** Renames the job (at most 256 characters). */
  async setDisplayName(name: string): Promise<void> { await this.#job.call(J, 'SetDisplayName', validateDisplayName(name, 'name')); }
  /** The job's description. */
  async getDescription(): Promise<string> { return await this.#job.call(J, 'GetDescription') ?? ''; }
  /** Sets the job's description (at most 1,024 characters). */
  async setDescription(description: string): Promise<void> { await this.#job.call(J, 'SetDescription', validateDescription(description)); }
  /** The job's priority. */
  async getPriority(): Promise<JobPriority> { return await this.#job.call(J, 'GetPriority'); }
  /** Changes the job's priority. */
  async setPriority(priority: JobPriority): Promise<void> { await this.#job.call(J, 'SetPriority', validateEnum(priority, JobPriority, 'priority')); }
  /** Which events the service notifies (NotifyFlags bits). */
  async getNotifyFlags(): Promise<number> { return await this.#job.call(J, 'GetNotifyFlags'); }
  /** A combination of NotifyFlags. */
  async setNotifyFlags(flags: number): Promise<void> { await this.#job.call(J, 'SetNotifyFlags', validateFlags(flags, NotifyFlags.All, 'flags')); }
  /** Seconds the service waits before retrying after a transient error. */
  async getMinimumRetryDelay(): Promise<number> { return await this.#job.call(J, 'GetMinimumRetryDelay'); }
  /** Sets the wait before a retry after a transient error, in seconds (service minimum 60). */
  async setMinimumRetryDelay(seconds: number): Promise<void> { await this.#job.call(J, 'SetMinimumRetryDelay', validateUint32(seconds, 'seconds')); }
  /** Seconds without progress in TRANSIENT_ERROR before the job goes to ERROR. */
  async getNoProgressTimeout(): Promise<number> { return await this.#job.call(J, 'GetNoProgressTimeout'); }
  /** Sets how long a job may stay in TRANSIENT_ERROR without progress, in seconds. */
  async setNoProgressTimeout(seconds: number): Promise<void> { await this.#job.call(J, 'SetNoProgressTimeout', validateUint32(seconds, 'seconds')); }
  /** The job's proxy settings. */
  async getProxySettings(): Promise<ProxySettings> { return proxySettings(await this.#job.call(J, 'GetProxySettings')); }
  /** Sets the job's proxy use and lists. */
  async setProxySettings(settings: ProxySettings): Promise<void> { await this.#job.call(J, 'SetProxySettings', ...proxyArgs(settings)); }

  /** @internal Whether the job object answers QueryInterface for `iface` (capabilities.ts). */
  answers(iface: Interface): Promise<boolean> { return this.#job.answers(iface); }

  // --- IBackgroundCopyJob2 ---------------------------------------------------------------------

  /** A program the service runs when the job transfers or fails (IBackgroundCopyJob2); null removes it. */
  async setNotifyCmdLine(program: string | null, parameters: string | null): Promise<void> {
    const p = validateOptionalString(program, 'program', { max: 32767 });
    await this.#job.call(IBackgroundCopyJob2, 'SetNotifyCmdLine', p, validateOptionalString(parameters, 'parameters', { max: 32767 }));
  }

  /** The program (and its parameters) run on transfer or error, or nulls. */
  async getNotifyCmdLine(): Promise<NotifyCmdLine> {
    const [program, parameters] = await this.#job.call(IBackgroundCopyJob2, 'GetNotifyCmdLine');
    return { program, parameters };
  }

  /** Progress of the reply of an upload-reply job. */
  async getReplyProgress(): Promise<ReplyProgress> { return await this.#job.call(IBackgroundCopyJob2, 'GetReplyProgress'); }
  /** The reply of an upload-reply job (copied, then the CoTaskMem buffer is freed). */
  async getReplyData(): Promise<Buffer> { return replyData(this.service.runtime, await this.#job.call(IBackgroundCopyJob2, 'GetReplyData')); }

  /** Where an upload-reply job stores the reply (null: a temporary file). */
  async setReplyFileName(path: string | null): Promise<void> {
    const p = path === null ? null : validateLocalPath(path, 'path', { posix: this.service.posixPaths === true });
    await this.#job.call(IBackgroundCopyJob2, 'SetReplyFileName', p);
  }

  /** Where an upload-reply job stores the reply. */
  async getReplyFileName(): Promise<string | null> { return await this.#job.call(IBackgroundCopyJob2, 'GetReplyFileName'); }
  /** Credentials are sent to the service only; they never appear in errors or logs. */
  async setCredentials(credentials: Credentials): Promise<void> { await this.#job.call(IBackgroundCopyJob2, 'SetCredentials', credentialsWire(credentials)); }

  /** Removes the credentials for this target and scheme. */
  async removeCredentials(target: AuthTarget, scheme: AuthScheme): Promise<void> {
    await this.#job.call(IBackgroundCopyJob2, 'RemoveCredentials', validateEnum(target, AuthTarget, 'target'), validateEnum(scheme, AuthScheme, 'scheme'));
  }

  // --- IBackgroundCopyJob3 / 4 / 5 -------------------------------------------------------------

  /** Replaces the start of every file's URL (e.g. another server), IBackgroundCopyJob3. */
  async replaceRemotePrefix(oldPrefix: string, newPrefix: string): Promise<void> {
    const from = validateRemotePrefix(oldPrefix, 'oldPrefix');
    await this.#job.call(IBackgroundCopyJob3, 'ReplaceRemotePrefix', from, validateRemotePrefix(newPrefix, 'newPrefix'));
  }

  /** A combination of FileAclFlags (OWNER 1, GROUP 2, DACL 4, SACL 8). */
  async setFileAclFlags(flags: number): Promise<void> { await this.#job.call(IBackgroundCopyJob3, 'SetFileACLFlags', validateFlags(flags, FileAclFlags.All, 'flags')); }

  /** FileAclFlags bits: what of the ACL the files keep. */
  async getFileAclFlags(): Promise<number> { return await this.#job.call(IBackgroundCopyJob3, 'GetFileACLFlags'); }

  /** A combination of PeerCachingFlags (ENABLE_PEERCACHING_CLIENT 1, _SERVER 2, DISABLE_BRANCH_CACHE 4). */
  async setPeerCachingFlags(flags: number): Promise<void> { await this.#job.call(IBackgroundCopyJob4, 'SetPeerCachingFlags', validateFlags(flags, PeerCachingFlags.All, 'flags')); }

  /** Peer caching flags (PeerCachingFlags bits). */
  async getPeerCachingFlags(): Promise<number> { return await this.#job.call(IBackgroundCopyJob4, 'GetPeerCachingFlags'); }
  /** The owner's integrity level (IBackgroundCopyJob4). */
  async getOwnerIntegrityLevel(): Promise<number> { return await this.#job.call(IBackgroundCopyJob4, 'GetOwnerIntegrityLevel'); }
  /** Whether the owner was elevated when the job was created. */
  async getOwnerElevationState(): Promise<boolean> { return await this.#job.call(IBackgroundCopyJob4, 'GetOwnerElevationState'); }

  /** The job fails unless it transfers within this many seconds (0: no limit), IBackgroundCopyJob4. */
  async setMaximumDownloadTime(seconds: number): Promise<void> {
    await this.#job.call(IBackgroundCopyJob4, 'SetMaximumDownloadTime', validateUint32(seconds, 'seconds'));
  }

  /** Seconds the job may take before it fails (0: no limit). */
  async getMaximumDownloadTime(): Promise<number> { return await this.#job.call(IBackgroundCopyJob4, 'GetMaximumDownloadTime'); }

  /** IBackgroundCopyJob5::SetProperty, typed by property id. */
  async setProperty(id: JobPropertyId, value: JobPropertyValue): Promise<void> { await this.#job.call(IBackgroundCopyJob5, 'SetProperty', ...propertyArgs(id, value)); }

  /** The CLSID BITS activates when the job finishes or fails, even with this program gone (`registerNotificationServer`; BITS 5). */
  async setNotificationClsid(clsid: string): Promise<void> { await this.setProperty(JobPropertyId.NotificationClsid, validateGuid(clsid, 'clsid')); }

  /** Reads a BITS_JOB_PROPERTY_ID value (IBackgroundCopyJob5). */
  async getProperty(id: JobPropertyId): Promise<JobPropertyValue> {
    return decodeJobProperty(id, await this.#job.call(IBackgroundCopyJob5, 'GetProperty', validateEnum(id, JobPropertyId, 'id')));
  }

  // --- IBackgroundCopyJobHttpOptions -----------------------------------------------------------

  /** Custom HTTP headers sent with every request ("Name: value" lines separated by CRLF); null removes them. */
  async setCustomHeaders(headers: string | null): Promise<void> {
    await this.#job.call(HTTP, 'SetCustomHeaders', validateOptionalString(headers, 'headers', { max: 16 * 1024 }));
  }

  /** The custom headers, or null when none are set (E_ACCESSDENIED once made write-only). */
  async getCustomHeaders(): Promise<string | null> { return await this.#job.call(HTTP, 'GetCustomHeaders'); }
  /** A combination of SecurityFlags (BG_SSL_*) and one RedirectPolicy. */
  async setSecurityFlags(flags: number): Promise<void> { await this.#job.call(HTTP, 'SetSecurityFlags', validateFlags(flags, SecurityFlags.All, 'flags')); }
  /** SecurityFlags and RedirectPolicy bits. */
  async getSecurityFlags(): Promise<number> { return await this.#job.call(HTTP, 'GetSecurityFlags'); }

  /** The client certificate, chosen by store and subject name. */
  async setClientCertificateByName(location: CertStoreLocation, storeName: string, subjectName: string | null): Promise<void> {
    await this.#job.call(HTTP, 'SetClientCertificateByName', ...checkCertificateStore(location, storeName), checkSubjectName(subjectName));
  }

  /** The client certificate, chosen by store and SHA-1 hash. */
  async setClientCertificateById(location: CertStoreLocation, storeName: string, sha1Hash: Uint8Array): Promise<void> {
    await this.#job.call(HTTP, 'SetClientCertificateByID', ...checkCertificateStore(location, storeName), checkSha1Hash(sha1Hash));
  }

  /** Removes the client certificate. */
  async removeClientCertificate(): Promise<void> { await this.#job.call(HTTP, 'RemoveClientCertificate'); }

  /** The client certificate the job uses. */
  async getClientCertificate(): Promise<ClientCertificate> {
    return clientCertificate(this.service.runtime, await this.#job.call(HTTP, 'GetClientCertificate'));
  }

  /**
   * The HTTP verb of the job's requests (IBackgroundCopyJobHttpOptions2), e.g. `'POST'` for an
   * upload-style request with custom headers; the service default is GET.
   * @throws NoInterfaceError where the service lacks IBackgroundCopyJobHttpOptions2 (Wine, Windows before 1803).
   */
  async setHttpMethod(method: string): Promise<void> { await this.#job.call(IBackgroundCopyJobHttpOptions2, 'SetHttpMethod', checkHttpMethod(method)); }
  /** The HTTP verb of the job's requests (IBackgroundCopyJobHttpOptions2). */
  async getHttpMethod(): Promise<string> { return await this.#job.call(IBackgroundCopyJobHttpOptions2, 'GetHttpMethod') ?? 'GET'; }

  /**
   * Makes the custom headers write-only (IBackgroundCopyJobHttpOptions3): from now on nobody, this
   * program included, can read them back (`getCustomHeaders()` fails with E_ACCESSDENIED); the
   * service still sends them. For headers that carry secrets (API tokens). Cannot be undone.
   * @throws NoInterfaceError where the service lacks IBackgroundCopyJobHttpOptions3 (Wine, Windows before 1809).
   */
  async makeCustomHeadersWriteOnly(): Promise<void> { await this.#job.call(IBackgroundCopyJobHttpOptions3, 'MakeCustomHeadersWriteOnly'); }

  /**
   * Checks each HTTPS server certificate with `validator` after the operating system's own checks
   * passed (IBackgroundCopyJobHttpOptions3); `null` removes the check. The service forgets the
   * validator when this process ends: set it again on jobs you re-attach to. A rejection (or an
   * exception, reported on the job's `'error'` listeners) puts the job in TRANSIENT_ERROR with context
   * SERVER_CERTIFICATE_CALLBACK. The job must not be transferring (suspend it first).
   *
   * @example Pin a server certificate by its SHA-256
   * ```ts
   * import { createHash } from 'node:crypto';
   * await job.setServerCertificateValidation((cert) =>
   *   createHash('sha256').update(cert.data).digest('hex') === PINNED_SHA256);
   * ```
   * @throws NoInterfaceError where the service lacks IBackgroundCopyJobHttpOptions3 (Wine, Windows before 1809).
   */
  async setServerCertificateValidation(validator: ServerCertificateValidator | null): Promise<void> { await this.#validator.set(validator); }

  // --- files -------------------------------------------------------------------------------

  /** Adds one file. On Delivery Optimization, falls back to IDeliveryOptimizationJob when AddFile is not implemented. */
  async addFile(remoteUrl: string, localPath: string): Promise<void> {
    this.ensureLive();
    return this.addCheckedFile(checkFile(this.service, remoteUrl, localPath, 'file'));
  }

  /** @internal `addFile` for a spec already checked (`download()` checks its own once). */
  async addCheckedFile(spec: FileSpec): Promise<void> {
    this.ensureLive();
    this.#events.forgetStates();
    return this.#job.inOrder((job) => addFileStep(job, this.service, spec));
  }

  /** Adds files: AddFileSet in batches of 200 (one by one where it is lacking); a failure names `files[i]`, and only those before it are added. */
  async addFiles(files: readonly FileSpec[]): Promise<void> {
    this.ensureLive();
    const specs = checkSpecs(this.service, files);
    this.#events.forgetStates();
    return this.#job.inOrder((job) => addFileSetStep(job, this.service, specs));
  }

  /** Adds a file of which only `ranges` are downloaded (IBackgroundCopyJob3). */
  async addFileWithRanges(remoteUrl: string, localPath: string, ranges: readonly FileRange[]): Promise<void> {
    this.ensureLive();
    const spec = checkFile(this.service, remoteUrl, localPath, 'file');
    const wire = toWireRanges(ranges);
    this.#events.forgetStates();
    await this.#job.inOrder((job) => addRangesStep(job, this.service, spec, wire));
  }

  /** The job's files. Dispose them when done (or use `using`). */
  async files(): Promise<BackgroundCopyFile[]> { return listFiles(this.#job, this.service); }
  /** How many files the job has (GetCount: no file object is made). */
  async fileCount(): Promise<number> { return countFiles(this.#job, this.service); }
  /** The file at `index` in the order they were added (Skip, then one Next), or null past the last. */
  async fileAt(index: number): Promise<BackgroundCopyFile | null> { return fileAt(this.#job, this.service, index); }

  // --- notifications -------------------------------------------------------------------------

  /**
   * Listens to service notifications: 'transferred', 'error' (JobFailedError; also gets what other listeners throw), 'modification', 'file-transferred',
   * 'ranges-transferred' (`(file, ranges)`: on-demand ranges that arrived; never replayed). Registered in the background, but calls made on this job
   * afterwards (`resume()` …) reach the service after it (`notificationsReady()`). A listener added when the job is already TRANSFERRED (or in ERROR)
   * is told so once. Another program's callback object is not replaced (ForeignCallbackError) unless `options.replaceForeignCallback`. Some services never send JobError: use `waitForCompletion`.
   */
  on(event: 'ranges-transferred', listener: RangesListener, options?: OnOptions): this;
  on(event: JobEventName, listener: JobListener, options?: OnOptions): this;
  on(event: JobEventName, listener: JobListener | RangesListener, options: OnOptions = {}): this {
    this.ensureLive();
    const checked = checkOnOptions(options);
    this.#events.on(event, listener);
    this.#notifications.listenerAdded(event, checked);
    return this;
  }

  /** Removes a listener added with `on`. */
  off(event: JobEventName, listener: JobListener | RangesListener): this { this.#events.off(event, listener); return this; }
  /** Whether a callback object is registered on the job (GetNotifyInterface), and whether it is ours. */
  async getNotifyInterface(): Promise<NotifyInterfaceInfo> { return this.#notifications.notifyInterface(); }
  /** Resolves once the callback object is registered with the service (rejects if it refused). */
  notificationsReady(): Promise<void> { return this.#notifications.ready; }

  // --- waiting -------------------------------------------------------------------------------

  /**
   * Resolves when the job reaches TRANSFERRED (or ACKNOWLEDGED); rejects with JobFailedError in
   * ERROR or CANCELLED, with TruncatedTransferError when the job is TRANSFERRED but a file holds
   * fewer bytes than the server declared, with AbortError when `signal` aborts (the job is left
   * as it is in every case). Combines notifications with polling GetState.
   */
  async waitForCompletion(options: WaitOptions = {}): Promise<JobStatus> { return this.waitChecked(checkWaitOptions(options)); }

  /** @internal `waitForCompletion` with options already checked (`download()` checks its own once). */
  async waitChecked(options: CheckedWaitOptions): Promise<JobStatus> {
    this.ensureLive();
    const status = await waitForCompletion(this, this.#events, options);
    await checkTransferredInFull(this, status.state);
    return status;
  }

  /** Status snapshots until the job reaches a state it cannot leave without you. */
  watch(options: WatchOptions = {}): AsyncIterable<JobStatus> {
    this.ensureLive();
    return watchJob(this, this.#events, options);
  }

  protected override beforeClose(): Promise<void> { return this.#notifications.close(); }

  protected override beforeDispose(): void { this.#notifications.dispose(); this.#events.clear(); }
}

/** The job's settings: IBackgroundCopyJob properties, proxy, and IBackgroundCopyJob2 to 5. */
import { copyBytes, takeCoTaskMem } from '../com';
import {
  AuthScheme, AuthTarget, IBackgroundCopyJob2, IBackgroundCopyJob3, IBackgroundCopyJob4, IBackgroundCopyJob5, JobPriority, JobPropertyId,
  ProxyUsage, type ReplyProgress,
} from '../bits';
import { decodeJobProperty, encodeJobProperty, type JobPropertyValue } from './job-property';
import { JobCore } from './job-core';
import {
  invalidArgType, validateDescription, validateOptionsObject, validateDisplayName, validateEnum, validateFlags, validateLocalPath,
  validateOptionalString, validateString, validateUint32,
} from './validate';

/** A job's proxy use (BG_JOB_PROXY_USAGE and its lists). */
export interface ProxySettings {
  /** Which proxy settings apply. */
  readonly usage: ProxyUsage;
  /** With `ProxyUsage.Override`: space-separated `host:port` proxies; null otherwise. */
  readonly proxyList: string | null;
  /** With `ProxyUsage.Override`: hosts that bypass the proxies (`<local>` for intranet names); null otherwise. */
  readonly bypassList: string | null;
}

/** Credentials for server or proxy authentication (BG_AUTH_CREDENTIALS). Sent to the service only, never logged. */
export interface Credentials {
  /** Whether the server or the proxy asks for them. */
  readonly target: AuthTarget;
  /** Basic, Digest, NTLM, Negotiate or Passport. */
  readonly scheme: AuthScheme;
  /** User name (null: the current user, for NTLM and Negotiate). */
  readonly userName: string | null;
  /** Password; never appears in any message or error. */
  readonly password: string | null;
}

const ALL_NOTIFY_FLAGS = 0x3f;

/** The settings layer of BackgroundCopyJob (not exported from the package; see JobCore). */
export abstract class JobSettings extends JobCore {
  // --- properties ----------------------------------------------------------------------------

  /** The job's display name. */
  async getDisplayName(): Promise<string> {
    return await this.live.invoke('GetDisplayName') ?? '';
  }

  /** Renames the job (at most 256 characters). */
  async setDisplayName(name: string): Promise<void> {
    validateDisplayName(name, 'name');
    await this.live.invoke('SetDisplayName', name);
  }

  /** The job's description. */
  async getDescription(): Promise<string> {
    return await this.live.invoke('GetDescription') ?? '';
  }

  /** Sets the job's description (at most 1,024 characters). */
  async setDescription(description: string): Promise<void> {
    validateDescription(description);
    await this.live.invoke('SetDescription', description);
  }

  /** The job's priority. */
  async getPriority(): Promise<JobPriority> {
    return await this.live.invoke('GetPriority');
  }

  /** Changes the job's priority. */
  async setPriority(priority: JobPriority): Promise<void> {
    validateEnum(priority, JobPriority, 'priority');
    await this.live.invoke('SetPriority', priority);
  }

  /** Which events the service notifies (BG_NOTIFY_* bits). */
  async getNotifyFlags(): Promise<number> {
    return await this.live.invoke('GetNotifyFlags');
  }

  /** A combination of NotifyFlags. */
  async setNotifyFlags(flags: number): Promise<void> {
    validateFlags(flags, ALL_NOTIFY_FLAGS, 'flags');
    await this.live.invoke('SetNotifyFlags', flags);
  }

  /** Seconds the service waits before retrying after a transient error. */
  async getMinimumRetryDelay(): Promise<number> {
    return await this.live.invoke('GetMinimumRetryDelay');
  }

  /** Sets the wait before a retry after a transient error, in seconds (service minimum 60). */
  async setMinimumRetryDelay(seconds: number): Promise<void> {
    validateUint32(seconds, 'seconds');
    await this.live.invoke('SetMinimumRetryDelay', seconds);
  }

  /** Seconds without progress in TRANSIENT_ERROR before the job goes to ERROR. */
  async getNoProgressTimeout(): Promise<number> {
    return await this.live.invoke('GetNoProgressTimeout');
  }

  /** Sets how long a job may stay in TRANSIENT_ERROR without progress, in seconds. */
  async setNoProgressTimeout(seconds: number): Promise<void> {
    validateUint32(seconds, 'seconds');
    await this.live.invoke('SetNoProgressTimeout', seconds);
  }

  /** The job's proxy settings. */
  async getProxySettings(): Promise<ProxySettings> {
    const [usage, proxyList, bypassList] = await this.live.invoke('GetProxySettings');
    return { usage, proxyList, bypassList };
  }

  /** Sets the job's proxy use and lists. */
  async setProxySettings(settings: ProxySettings): Promise<void> {
    if (typeof settings !== 'object' || settings === null) throw invalidArgType('settings', 'an object', settings);
    const o = validateOptionsObject(settings, 'settings', ['usage', 'proxyList', 'bypassList']);
    const usage = validateEnum(o.usage, ProxyUsage, 'settings.usage');
    const list = validateOptionalString(o.proxyList, 'settings.proxyList', { max: 32000 });
    const bypass = validateOptionalString(o.bypassList, 'settings.bypassList', { max: 32000 });
    await this.live.invoke('SetProxySettings', usage, list, bypass);
  }

  // --- IBackgroundCopyJob2 ---------------------------------------------------------------------

  /** A program the service runs when the job transfers or fails (IBackgroundCopyJob2); null removes it. */
  async setNotifyCmdLine(program: string | null, parameters: string | null): Promise<void> {
    const p = validateOptionalString(program, 'program', { max: 32767 });
    const a = validateOptionalString(parameters, 'parameters', { max: 32767 });
    await (await this.facet(IBackgroundCopyJob2)).invoke('SetNotifyCmdLine', p, a);
  }

  /** The program (and its parameters) run on transfer or error, or nulls. */
  async getNotifyCmdLine(): Promise<{
    /** The program, or null. */
    program: string | null;
    /** Its command line, or null. */
    parameters: string | null;
  }> {
    const [program, parameters] = await (await this.facet(IBackgroundCopyJob2)).invoke('GetNotifyCmdLine');
    return { program, parameters };
  }

  /** Progress of the reply of an upload-reply job. */
  async getReplyProgress(): Promise<ReplyProgress> {
    return await (await this.facet(IBackgroundCopyJob2)).invoke('GetReplyProgress');
  }

  /** The reply of an upload-reply job (copied, then the CoTaskMem buffer is freed). */
  async getReplyData(): Promise<Buffer> {
    const j = await this.facet(IBackgroundCopyJob2);
    const [ptr, length] = await j.invoke('GetReplyData');
    return takeCoTaskMem(this.service.runtime, ptr, Buffer.alloc(0), (p) => copyBytes(p, Number(length)));
  }

  /** Where an upload-reply job stores the reply (null: a temporary file). */
  async setReplyFileName(path: string | null): Promise<void> {
    const p = path === null ? null : validateLocalPath(path, 'path', { posix: this.posixPaths });
    await (await this.facet(IBackgroundCopyJob2)).invoke('SetReplyFileName', p);
  }

  /** Where an upload-reply job stores the reply. */
  async getReplyFileName(): Promise<string | null> {
    return await (await this.facet(IBackgroundCopyJob2)).invoke('GetReplyFileName');
  }

  /** Credentials are sent to the service only; they never appear in errors or logs. */
  async setCredentials(credentials: Credentials): Promise<void> {
    if (typeof credentials !== 'object' || credentials === null) throw invalidArgType('credentials', 'an object', credentials);
    // Each field read once: a getter must not pass the checks with one value and send another.
    const c = validateOptionsObject(credentials, 'credentials', ['target', 'scheme', 'userName', 'password']);
    const target = validateEnum(c.target, AuthTarget, 'credentials.target');
    const scheme = validateEnum(c.scheme, AuthScheme, 'credentials.scheme');
    const user = validateOptionalString(c.userName, 'credentials.userName', { max: 300 });
    const rawPassword = c.password;
    if (rawPassword !== null && rawPassword !== undefined && (typeof rawPassword !== 'string' || rawPassword.includes('\0'))) {
      throw invalidArgType('credentials.password', 'a string without NUL characters (not shown)', '[redacted]');
    }
    const password = (rawPassword as string | null | undefined) ?? null;
    if (password !== null && password.length > 65536) throw invalidArgType('credentials.password', 'at most 65,536 characters (not shown)', '[redacted]');
    await (await this.facet(IBackgroundCopyJob2)).invoke('SetCredentials', { Target: target, Scheme: scheme, UserName: user, Password: password });
  }

  /** Removes the credentials for this target and scheme. */
  async removeCredentials(target: AuthTarget, scheme: AuthScheme): Promise<void> {
    validateEnum(target, AuthTarget, 'target');
    validateEnum(scheme, AuthScheme, 'scheme');
    await (await this.facet(IBackgroundCopyJob2)).invoke('RemoveCredentials', target, scheme);
  }

  // --- IBackgroundCopyJob3 / 4 / 5 -------------------------------------------------------------

  /** Replaces the start of every file's URL (e.g. another server), IBackgroundCopyJob3. */
  async replaceRemotePrefix(oldPrefix: string, newPrefix: string): Promise<void> {
    validateString(oldPrefix, 'oldPrefix', { min: 1, max: 2200 });
    validateString(newPrefix, 'newPrefix', { min: 1, max: 2200 });
    await (await this.facet(IBackgroundCopyJob3)).invoke('ReplaceRemotePrefix', oldPrefix, newPrefix);
  }

  /** BG_COPY_FILE_* flags (OWNER 1, GROUP 2, DACL 4, SACL 8). */
  async setFileAclFlags(flags: number): Promise<void> {
    validateFlags(flags, 0xf, 'flags');
    await (await this.facet(IBackgroundCopyJob3)).invoke('SetFileACLFlags', flags);
  }

  /** BG_COPY_FILE_* bits: what of the ACL the files keep. */
  async getFileAclFlags(): Promise<number> {
    return await (await this.facet(IBackgroundCopyJob3)).invoke('GetFileACLFlags');
  }

  /** BG_JOB_ENABLE_PEERCACHING_CLIENT 1, _SERVER 2, BG_JOB_DISABLE_BRANCH_CACHE 4. */
  async setPeerCachingFlags(flags: number): Promise<void> {
    validateFlags(flags, 0x7, 'flags');
    await (await this.facet(IBackgroundCopyJob4)).invoke('SetPeerCachingFlags', flags);
  }

  /** Peer caching flags (BG_JOB_ENABLE_PEERCACHING_* bits). */
  async getPeerCachingFlags(): Promise<number> {
    return await (await this.facet(IBackgroundCopyJob4)).invoke('GetPeerCachingFlags');
  }

  /** The owner's integrity level (IBackgroundCopyJob4). */
  async getOwnerIntegrityLevel(): Promise<number> {
    return await (await this.facet(IBackgroundCopyJob4)).invoke('GetOwnerIntegrityLevel');
  }

  /** Whether the owner was elevated when the job was created. */
  async getOwnerElevationState(): Promise<boolean> {
    return await (await this.facet(IBackgroundCopyJob4)).invoke('GetOwnerElevationState');
  }

  /** The job fails unless it transfers within this many seconds (0: no limit), IBackgroundCopyJob4. */
  async setMaximumDownloadTime(seconds: number): Promise<void> {
    validateUint32(seconds, 'seconds');
    await (await this.facet(IBackgroundCopyJob4)).invoke('SetMaximumDownloadTime', seconds);
  }

  /** Seconds the job may take before it fails (0: no limit). */
  async getMaximumDownloadTime(): Promise<number> {
    return await (await this.facet(IBackgroundCopyJob4)).invoke('GetMaximumDownloadTime');
  }

  /** IBackgroundCopyJob5::SetProperty, typed by property id. */
  async setProperty(id: JobPropertyId, value: JobPropertyValue): Promise<void> {
    validateEnum(id, JobPropertyId, 'id');
    const wire = encodeJobProperty(id, value);
    await (await this.facet(IBackgroundCopyJob5)).invoke('SetProperty', id, wire);
  }

  /** Reads a BITS_JOB_PROPERTY_ID value (IBackgroundCopyJob5). */
  async getProperty(id: JobPropertyId): Promise<JobPropertyValue> {
    validateEnum(id, JobPropertyId, 'id');
    const raw = await (await this.facet(IBackgroundCopyJob5)).invoke('GetProperty', id);
    return decodeJobProperty(id, raw);
  }

}

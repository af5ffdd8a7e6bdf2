/**
 * The checks behind a job's settings whose value is more than one number (proxy, credentials,
 * properties, the reply): each turns what the user gave into the call's arguments, or reads a
 * call's value back. The one-number settings need no helper: BackgroundCopyJob calls them directly.
 */
import { copyBytes, takeCoTaskMem, type ComRuntime } from '../com';
import { AuthScheme, AuthTarget, JobPropertyId, ProxyUsage, type AuthCredentialsWire, type JobPropertyValueWire } from '../bits';
import { encodeJobProperty, type JobPropertyValue } from './job-property';
import { invalidArgType, validateEnum, validateOptionalString, validateOptionsObject } from './validate';

/** A job's proxy use (BG_JOB_PROXY_USAGE and its lists). */
export interface ProxySettings {
  /** Which proxy settings apply. */
  readonly usage: ProxyUsage;
  /** With `ProxyUsage.Override`: space-separated `host:port` proxies; null otherwise. */
  readonly proxyList: string | null;
  /** With `ProxyUsage.Override`: hosts that bypass the proxies (`<local>` for intranet names); null otherwise. */
  readonly bypassList: string | null;
}

/** The program a job runs when it transfers or fails (IBackgroundCopyJob2::GetNotifyCmdLine). */
export interface NotifyCmdLine {
  /** The program, or null. */
  program: string | null;
  /** Its command line, or null. */
  parameters: string | null;
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

/** SetProxySettings' arguments, each field read once. */
export function proxyArgs(settings: ProxySettings): [ProxyUsage, string | null, string | null] {
  if (typeof settings !== 'object' || settings === null) throw invalidArgType('settings', 'an object', settings);
  const o = validateOptionsObject(settings, 'settings', ['usage', 'proxyList', 'bypassList']);
  return [
    validateEnum(o.usage, ProxyUsage, 'settings.usage'),
    validateOptionalString(o.proxyList, 'settings.proxyList', { max: 32000 }),
    validateOptionalString(o.bypassList, 'settings.bypassList', { max: 32000 }),
  ];
}

/** GetProxySettings' tuple as ProxySettings. */
export function proxySettings([usage, proxyList, bypassList]: [ProxyUsage, string | null, string | null]): ProxySettings {
  return { usage, proxyList, bypassList };
}

/** BG_AUTH_CREDENTIALS. Each field read once: a getter must not pass the checks with one value and send another. */
export function credentialsWire(credentials: Credentials): AuthCredentialsWire {
  if (typeof credentials !== 'object' || credentials === null) throw invalidArgType('credentials', 'an object', credentials);
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
  return { Target: target, Scheme: scheme, UserName: user, Password: password };
}

/** SetProperty's arguments: the id and its union member, validated. */
export function propertyArgs(id: JobPropertyId, value: JobPropertyValue): [JobPropertyId, JobPropertyValueWire] {
  validateEnum(id, JobPropertyId, 'id');
  return [id, encodeJobProperty(id, value)];
}

/** GetReplyData's buffer, copied, then the CoTaskMem block freed. */
export function replyData(runtime: ComRuntime, [ptr, length]: [bigint | null, bigint]): Buffer {
  return takeCoTaskMem(runtime, ptr, Buffer.alloc(0), (p) => copyBytes(p, Number(length)));
}

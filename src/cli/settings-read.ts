/**
 * Every reader of a job's settings, for `show` (text with --verbose, and --json): flag values by
 * name (flags.ts). A reader the service refuses (E_NOTIMPL on Wine, an interface it lacks) gives
 * null. Custom header values are never read out: only their names.
 */
import { JobPropertyId, JobType, enumMemberName } from '../bits/enums';
import { HResultError } from '../errors';
import { CHOICE_FAMILIES, FLAG_FAMILIES, choiceName, flagNames } from './flags';
import type { CliJob } from './service';
import { optional } from './snapshot';

/** A bit set by name, with its number. */
export interface FlagsJson {
  readonly names: readonly string[];
  readonly value: number;
}

export interface SettingsJson {
  readonly type: string | null;
  readonly description: string | null;
  readonly errorCount: number | null;
  readonly retryDelaySeconds: number | null;
  readonly noProgressTimeoutSeconds: number | null;
  readonly maxDownloadTimeSeconds: number | null;
  readonly proxy: { readonly usage: string; readonly proxyList: string | null; readonly bypassList: string | null } | null;
  /** JobPropertyId.CostFlags: the preset's name when it is one, and the bits by name. */
  readonly transferPolicy: string | null;
  readonly costFlags: FlagsJson | null;
  readonly dynamicContent: boolean | null;
  readonly highPerformance: boolean | null;
  readonly securityFlags: FlagsJson | null;
  readonly clientCertificate: { readonly location: string; readonly storeName: string | null; readonly sha1Hash: string | null; readonly subjectName: string | null } | null;
  readonly httpMethod: string | null;
  /** Header names only; writeOnly when the service refuses to read them back (E_ACCESSDENIED). */
  readonly customHeaders: { readonly names: readonly string[]; readonly writeOnly: boolean } | null;
  readonly aclFlags: FlagsJson | null;
  readonly peerCaching: FlagsJson | null;
  readonly notifyFlags: FlagsJson | null;
  readonly notifyCmdLine: { readonly program: string | null; readonly parameters: string | null } | null;
  readonly ownerIntegrityLevel: number | null;
  readonly ownerElevated: boolean | null;
  /** IBitsTokenOptions: the flags by name and the SID of the token lent (null: none); null where the service lacks it. */
  readonly helperToken: { readonly flags: FlagsJson; readonly sid: string | null } | null;
}

const flags = (family: Parameters<typeof flagNames>[0], value: number | null): FlagsJson | null =>
  value === null ? null : { names: flagNames(family, value), value: value >>> 0 };

async function customHeaders(job: CliJob): Promise<SettingsJson['customHeaders']> {
  try {
    const text = await job.getCustomHeaders();
    const names = (text ?? '').split(/\r?\n/).map((l) => l.split(':')[0].trim()).filter((n) => n !== '');
    return { names, writeOnly: false };
  } catch (error) {
    if (error instanceof HResultError && error.code === 'E_ACCESSDENIED') return { names: [], writeOnly: true };
    if (error instanceof HResultError) return null;
    throw error;
  }
}

export async function readSettings(job: CliJob): Promise<SettingsJson> {
  // One call after another: a job's calls reach the service in order anyway.
  const type = await optional(() => job.getType());
  const description = await optional(() => job.getDescription());
  const errorCount = await optional(() => job.getErrorCount());
  const retryDelaySeconds = await optional(() => job.getMinimumRetryDelay());
  const noProgressTimeoutSeconds = await optional(() => job.getNoProgressTimeout());
  const maxDownloadTimeSeconds = await optional(() => job.getMaximumDownloadTime());
  const proxy = await optional(() => job.getProxySettings());
  const cost = await optional(async () => Number(await job.getProperty(JobPropertyId.CostFlags)));
  const dynamicContent = await optional(async () => Boolean(await job.getProperty(JobPropertyId.DynamicContent)));
  const highPerformance = await optional(async () => Boolean(await job.getProperty(JobPropertyId.HighPerformance)));
  const security = await optional(() => job.getSecurityFlags());
  const certificate = await optional(() => job.getClientCertificate());
  const httpMethod = await optional(() => job.getHttpMethod());
  const headers = await customHeaders(job);
  const acl = await optional(() => job.getFileAclFlags());
  const peer = await optional(() => job.getPeerCachingFlags());
  const notify = await optional(() => job.getNotifyFlags());
  const notifyCmdLine = await optional(() => job.getNotifyCmdLine());
  const ownerIntegrityLevel = await optional(() => job.getOwnerIntegrityLevel());
  const ownerElevated = await optional(() => job.getOwnerElevationState());
  const helperTokenFlags = await optional(() => job.helperToken.getFlags());
  const helperTokenSid = helperTokenFlags === null ? null : await optional(() => job.helperToken.getSid());
  return {
    type: type === null ? null : enumMemberName(JobType, type, 'TYPE'),
    description, errorCount, retryDelaySeconds, noProgressTimeoutSeconds, maxDownloadTimeSeconds,
    proxy: proxy && { usage: choiceName(CHOICE_FAMILIES.proxyUsage, proxy.usage) ?? String(proxy.usage), proxyList: proxy.proxyList, bypassList: proxy.bypassList },
    transferPolicy: cost === null ? null : choiceName(CHOICE_FAMILIES.transferPolicy, cost),
    costFlags: flags(FLAG_FAMILIES.cost, cost),
    dynamicContent, highPerformance,
    securityFlags: flags(FLAG_FAMILIES.security, security),
    clientCertificate: certificate && {
      location: choiceName(CHOICE_FAMILIES.certStore, certificate.location) ?? String(certificate.location),
      storeName: certificate.storeName, sha1Hash: certificate.hash?.toString('hex') ?? null, subjectName: certificate.subjectName || null,
    },
    httpMethod, customHeaders: headers,
    aclFlags: flags(FLAG_FAMILIES.acl, acl),
    peerCaching: flags(FLAG_FAMILIES.peerCaching, peer),
    notifyFlags: flags(FLAG_FAMILIES.notify, notify),
    notifyCmdLine, ownerIntegrityLevel, ownerElevated,
    helperToken: helperTokenFlags === null ? null : { flags: flags(FLAG_FAMILIES.helperToken, helperTokenFlags) as FlagsJson, sid: helperTokenSid },
  };
}

const names = (f: FlagsJson | null): string | null => (f === null ? null : f.names.join(',') || 'none');

/** `show --verbose`: one line per reader; "not reported" where the service refused it. */
export function settingsLines(s: SettingsJson): Array<readonly [string, string]> {
  const or = (v: string | number | boolean | null): string => (v === null ? 'not reported' : String(v));
  return [
    ['type', or(s.type)],
    ['description', or(s.description)],
    ['errors', or(s.errorCount)],
    ['retry-delay', or(s.retryDelaySeconds === null ? null : `${s.retryDelaySeconds}s`)],
    ['no-progress-timeout', or(s.noProgressTimeoutSeconds === null ? null : `${s.noProgressTimeoutSeconds}s`)],
    ['max-time', or(s.maxDownloadTimeSeconds === null ? null : `${s.maxDownloadTimeSeconds}s`)],
    ['proxy-usage', or(s.proxy?.usage ?? null)],
    ['proxy', or(s.proxy ? s.proxy.proxyList ?? '' : null)],
    ['proxy-bypass', or(s.proxy ? s.proxy.bypassList ?? '' : null)],
    ['transfer-policy', or(s.costFlags === null ? null : s.transferPolicy ?? 'custom')],
    ['cost-flags', or(names(s.costFlags))],
    ['dynamic-content', or(s.dynamicContent)],
    ['high-performance', or(s.highPerformance)],
    ['security-flags', or(names(s.securityFlags))],
    ['client-cert', or(s.clientCertificate ? [s.clientCertificate.location, s.clientCertificate.storeName, s.clientCertificate.sha1Hash ?? s.clientCertificate.subjectName].filter((x) => x).join(' ') : null)],
    ['http-method', or(s.httpMethod)],
    ['headers', or(s.customHeaders ? (s.customHeaders.writeOnly ? 'write-only (not readable)' : s.customHeaders.names.join(', ') || 'none') : null)],
    ['acl-flags', or(names(s.aclFlags))],
    ['peer-caching', or(names(s.peerCaching))],
    ['notify-flags', or(names(s.notifyFlags))],
    ['notify-cmd', or(s.notifyCmdLine ? [s.notifyCmdLine.program, s.notifyCmdLine.parameters].filter((x) => x !== null).join(' | ') || 'none' : null)],
    ['integrity-level', or(s.ownerIntegrityLevel)],
    ['elevated', or(s.ownerElevated)],
    ['helper-token-flags', or(s.helperToken ? names(s.helperToken.flags) : null)],
    ['helper-token-sid', or(s.helperToken ? s.helperToken.sid ?? 'none' : null)],
  ];
}

/**
 * Job settings shared by `download`, `create` and `set <id>` (as Start-BitsTransfer / Set-BitsTransfer
 * take them): every setter the API has, by name. Header values and passwords are never printed: text
 * and JSON name what was set. Flag values are names from the API's enums (flags.ts).
 */
import { Option, type Command } from 'commander';
import type { JobPriority } from '../bits';
import { AuthScheme, AuthTarget, CertStoreLocation, JobPropertyId, ProxyUsage } from '../bits/enums';
import type { Credentials, ProxySettings } from '../api';
import { PRIORITIES, collectHeader, parseSeconds, priorityValue, type PriorityName } from './args';
import { CHOICE_FAMILIES, FLAG_FAMILIES, choiceNames, flagNamesOf, parseChoice, parseFlagList } from './flags';
import type { Prompter } from './prompt';
import type { CliJob } from './service';
import { UsageError } from './usage';

/** Where `--user`'s password comes from when `--password-env` is not given. */
export const DEFAULT_PASSWORD_ENV = 'DOPT_PASSWORD';

export const AUTH_SCHEMES = ['basic', 'digest', 'ntlm', 'negotiate', 'passport'] as const;
export const AUTH_TARGETS = ['server', 'proxy'] as const;
const SCHEME_VALUES: Record<(typeof AUTH_SCHEMES)[number], AuthScheme> = {
  basic: AuthScheme.Basic, digest: AuthScheme.Digest, ntlm: AuthScheme.Ntlm, negotiate: AuthScheme.Negotiate, passport: AuthScheme.Passport,
};

/** What commander hands over for the setting options. */
export interface SettingFlags {
  priority?: PriorityName;
  header?: string[];
  proxy?: string;
  proxyBypass?: string;
  retryDelay?: number;
  noProgressTimeout?: number;
  maxTime?: number;
  user?: string;
  passwordEnv?: string;
  authScheme?: (typeof AUTH_SCHEMES)[number];
  authTarget?: (typeof AUTH_TARGETS)[number];
  removeCredentials?: boolean;
  description?: string;
  transferPolicy?: string;
  costFlags?: string;
  proxyUsage?: string;
  securityFlags?: string;
  /** A store name (`MY`), or false with `--no-client-cert`. */
  clientCert?: string | false;
  clientCertLocation?: string;
  clientCertHash?: string;
  clientCertSubject?: string;
  httpMethod?: string;
  headersWriteOnly?: boolean;
  dynamicContent?: boolean;
  highPerformance?: boolean;
  aclFlags?: string;
  peerCaching?: string;
  notifyFlags?: string;
  /** A program, or false with `--no-notify-cmd`. */
  notifyCmd?: string | false;
  notifyArgs?: string;
  helperTokenFlags?: string;
  /** true with `--helper-token`, false with `--no-helper-token`. */
  helperToken?: boolean;
}

/** The client certificate to set: by store and SHA-1 hash, or by store and subject name. */
export interface ClientCertificateChoice {
  readonly location: CertStoreLocation;
  readonly storeName: string;
  readonly sha1Hash?: Buffer;
  readonly subjectName?: string;
}

export interface JobSettings {
  readonly priority?: JobPriority;
  /** `Name: value` lines. */
  readonly headers?: readonly string[];
  readonly proxy?: ProxySettings;
  readonly retryDelaySeconds?: number;
  readonly noProgressTimeoutSeconds?: number;
  readonly maxDownloadTimeSeconds?: number;
  readonly credentials?: Credentials;
  /** Removes the stored credentials of this target and scheme. */
  readonly removeCredentials?: { readonly target: AuthTarget; readonly scheme: AuthScheme };
  readonly description?: string;
  /** JobPropertyId.CostFlags: a TransferPolicy preset or CostFlags bits. */
  readonly costFlags?: number;
  readonly securityFlags?: number;
  /** null removes the client certificate. */
  readonly clientCertificate?: ClientCertificateChoice | null;
  readonly httpMethod?: string;
  readonly headersWriteOnly?: boolean;
  readonly dynamicContent?: boolean;
  readonly highPerformance?: boolean;
  readonly aclFlags?: number;
  readonly peerCachingFlags?: number;
  readonly notifyFlags?: number;
  /** null removes the notification command line. */
  readonly notifyCmdLine?: { readonly program: string; readonly parameters: string | null } | null;
  /** HelperTokenFlags bits. */
  readonly helperTokenFlags?: number;
  /** true lends the job this process's token, false discards the helper token. */
  readonly helperToken?: boolean;
}

/** Adds the setting options to a command (`download`, `set`). */
export function addSettingOptions(command: Command): Command {
  // A `--no-…` option with a value: not a negation (commander would make it `progressTimeout`, default true).
  const noProgressTimeout = new Option('--no-progress-timeout <duration>', 'give up (ERROR) after this long without progress in a transient error (90, 15m, 2h; service default 14 days)')
    .argParser(parseSeconds);
  noProgressTimeout.negate = false;
  return command
    .addOption(new Option('--priority <level>', 'job priority').choices(PRIORITIES))
    .addOption(new Option('--header <line>', 'custom HTTP header "Name: value" sent with every request (repeatable; values are never printed)').argParser(collectHeader))
    .option('--proxy <list>', 'use these proxies ("host:port", space-separated) instead of the system\'s')
    .option('--proxy-bypass <list>', 'hosts that bypass --proxy (space-separated; "<local>" for intranet names)')
    .addOption(new Option('--retry-delay <duration>', 'minimum wait before retrying after a transient error (60, 10m …; service default 600 s)').argParser(parseSeconds))
    .addOption(noProgressTimeout)
    .addOption(new Option('--max-time <duration>', 'the job fails if it is not transferred within this long (0 = no limit)').argParser(parseSeconds))
    .option('--user <name>', `user name for HTTP authentication; the password comes from $${DEFAULT_PASSWORD_ENV} (or --password-env), else a prompt without echo`)
    .option('--password-env <variable>', `environment variable that holds --user's password (default ${DEFAULT_PASSWORD_ENV})`)
    .addOption(new Option('--auth-scheme <scheme>', 'authentication scheme for --user').choices(AUTH_SCHEMES).default('basic'))
    .addOption(new Option('--auth-target <target>', 'who asks for --user\'s credentials: the server or the proxy').choices(AUTH_TARGETS).default('server'))
    .option('--remove-credentials', 'remove the credentials stored for --auth-target and --auth-scheme')
    .option('--description <text>', 'the job\'s description (at most 1,024 characters)')
    .addOption(new Option('--transfer-policy <preset>', 'on which networks the job may transfer').choices(choiceNames(CHOICE_FAMILIES.transferPolicy)))
    .option('--cost-flags <names>', `the network costs the job may transfer on, comma-separated: ${flagNamesOf(FLAG_FAMILIES.cost).join(', ')}`)
    .addOption(new Option('--proxy-usage <usage>', 'which proxy settings apply (--proxy implies override)').choices(choiceNames(CHOICE_FAMILIES.proxyUsage)))
    .option('--security-flags <names>', `TLS checks and redirect policy, comma-separated: ${flagNamesOf(FLAG_FAMILIES.security).join(', ')}`)
    .option('--client-cert <store>', 'present a client certificate from this certificate store (e.g. MY), chosen by --client-cert-hash or --client-cert-subject')
    .option('--no-client-cert', 'remove the job\'s client certificate')
    .addOption(new Option('--client-cert-location <location>', 'where --client-cert\'s store is').choices(choiceNames(CHOICE_FAMILIES.certStore)))
    .option('--client-cert-hash <sha1>', 'the client certificate\'s SHA-1 thumbprint (40 hex digits)')
    .option('--client-cert-subject <name>', 'the client certificate\'s subject name')
    .option('--http-method <verb>', 'the HTTP verb of the job\'s requests (default GET; needs Windows 10 1803+)')
    .option('--headers-write-only', 'make the custom headers write-only: nobody can read them back, the service still sends them (cannot be undone; Windows 10 1809+)')
    .option('--dynamic-content', 'the server generates the content (no size, no ranges)')
    .option('--no-dynamic-content', 'the content is a plain file (the default)')
    .option('--high-performance', 'let the job use more bandwidth')
    .option('--no-high-performance', 'the normal background bandwidth (the default)')
    .option('--acl-flags <names>', `what of the ACL the files keep, comma-separated: ${flagNamesOf(FLAG_FAMILIES.acl).join(', ')}`)
    .option('--peer-caching <names>', `peer caching, comma-separated: ${flagNamesOf(FLAG_FAMILIES.peerCaching).join(', ')}`)
    .option('--notify-flags <names>', `which events notify, comma-separated: ${flagNamesOf(FLAG_FAMILIES.notify).join(', ')}`)
    .option('--notify-cmd <program>', 'a program the service runs when the job transfers or fails')
    .option('--no-notify-cmd', 'remove the notification program')
    .option('--notify-args <parameters>', 'the whole command line given to --notify-cmd\'s program (by convention it starts with the program)')
    .option('--helper-token-flags <names>', `what the job's helper token is used for, comma-separated: ${flagNamesOf(FLAG_FAMILIES.helperToken).join(', ')}`)
    .option('--helper-token', 'lend the job this process\'s token as its helper token (IBitsTokenOptions; see docs/helper-tokens.md)')
    .option('--no-helper-token', 'discard the job\'s helper token (its flags stay)');
}

const HEX_SHA1 = /^[0-9a-f]{40}$/i;

function clientCertificateFrom(flags: SettingFlags): ClientCertificateChoice | null | undefined {
  const { clientCert, clientCertHash: hash, clientCertSubject: subject, clientCertLocation: location } = flags;
  if (clientCert === undefined || clientCert === false) {
    if (hash !== undefined || subject !== undefined || location !== undefined) throw new UsageError('--client-cert-hash, --client-cert-subject and --client-cert-location go with --client-cert <store>');
    return clientCert === false ? null : undefined;
  }
  if (clientCert.trim() === '') throw new UsageError('--client-cert needs a store name (e.g. MY)');
  if ((hash === undefined) === (subject === undefined)) throw new UsageError('--client-cert needs exactly one of --client-cert-hash and --client-cert-subject');
  const where = location === undefined ? CertStoreLocation.CurrentUser : parseChoice(CHOICE_FAMILIES.certStore, location);
  if (hash !== undefined) {
    const hex = hash.replace(/[\s:]/g, '');
    if (!HEX_SHA1.test(hex)) throw new UsageError('--client-cert-hash needs a SHA-1 thumbprint: 40 hex digits');
    return { location: where, storeName: clientCert, sha1Hash: Buffer.from(hex, 'hex') };
  }
  return { location: where, storeName: clientCert, subjectName: subject };
}

function proxyFrom(flags: SettingFlags): ProxySettings | undefined {
  if (flags.proxyBypass !== undefined && flags.proxy === undefined) throw new UsageError('--proxy-bypass needs --proxy');
  const usage = flags.proxyUsage === undefined ? undefined : parseChoice(CHOICE_FAMILIES.proxyUsage, flags.proxyUsage);
  if (flags.proxy !== undefined) {
    if (usage !== undefined && usage !== ProxyUsage.Override) throw new UsageError(`--proxy goes with --proxy-usage override (or none), not ${flags.proxyUsage}`);
    if (flags.proxy.trim() === '') throw new UsageError('--proxy needs at least one proxy ("host:port")');
    return { usage: ProxyUsage.Override, proxyList: flags.proxy, bypassList: flags.proxyBypass ?? null };
  }
  if (usage === ProxyUsage.Override) throw new UsageError('--proxy-usage override needs --proxy <list>');
  return usage === undefined ? undefined : { usage, proxyList: null, bypassList: null };
}

function checkHeaders(lines: readonly string[]): string[] {
  lines.forEach((line, i) => {
    // The value may be a secret: the message names the header's position, never its text.
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+:/.test(line) || /[\r\n\0]/.test(line)) {
      throw new UsageError(`--header #${i + 1} is not "Name: value" on one line (value not shown)`);
    }
  });
  return [...lines];
}

/** Reads the password (environment, else a no-echo prompt); it stays in memory only. */
async function readPassword(flags: SettingFlags, env: Readonly<Record<string, string | undefined>>, prompter: Prompter): Promise<string> {
  const variable = flags.passwordEnv ?? DEFAULT_PASSWORD_ENV;
  const fromEnv = env[variable];
  if (fromEnv !== undefined) return fromEnv;
  if (flags.passwordEnv !== undefined) throw new UsageError(`--password-env ${variable}: that environment variable is not set`);
  if (!prompter.interactive) {
    throw new UsageError(`--user needs a password: set ${DEFAULT_PASSWORD_ENV} (or name another variable with --password-env); there is no terminal to ask on`);
  }
  return prompter.secret(`Password for ${flags.user}: `);
}

/** Turns the flags into settings; asks for the password when needed. */
export async function settingsFromFlags(flags: SettingFlags, env: Readonly<Record<string, string | undefined>>, prompter: Prompter): Promise<JobSettings> {
  const s: { -readonly [K in keyof JobSettings]: JobSettings[K] } = {};
  if (flags.priority !== undefined) s.priority = priorityValue(flags.priority);
  if (flags.header !== undefined) s.headers = checkHeaders(flags.header);
  const proxy = proxyFrom(flags);
  if (proxy !== undefined) s.proxy = proxy;
  if (flags.description !== undefined) s.description = flags.description;
  if (flags.transferPolicy !== undefined && flags.costFlags !== undefined) throw new UsageError('--transfer-policy and --cost-flags set the same property: give one');
  if (flags.transferPolicy !== undefined) s.costFlags = parseChoice(CHOICE_FAMILIES.transferPolicy, flags.transferPolicy);
  if (flags.costFlags !== undefined) s.costFlags = parseFlagList(FLAG_FAMILIES.cost, flags.costFlags);
  if (flags.securityFlags !== undefined) s.securityFlags = parseFlagList(FLAG_FAMILIES.security, flags.securityFlags);
  const certificate = clientCertificateFrom(flags);
  if (certificate !== undefined) s.clientCertificate = certificate;
  if (flags.httpMethod !== undefined) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/.test(flags.httpMethod)) throw new UsageError(`--http-method needs an HTTP token such as GET or POST, not "${flags.httpMethod}"`);
    s.httpMethod = flags.httpMethod.toUpperCase();
  }
  if (flags.headersWriteOnly) s.headersWriteOnly = true;
  if (flags.dynamicContent !== undefined) s.dynamicContent = flags.dynamicContent;
  if (flags.highPerformance !== undefined) s.highPerformance = flags.highPerformance;
  if (flags.aclFlags !== undefined) s.aclFlags = parseFlagList(FLAG_FAMILIES.acl, flags.aclFlags);
  if (flags.peerCaching !== undefined) s.peerCachingFlags = parseFlagList(FLAG_FAMILIES.peerCaching, flags.peerCaching);
  if (flags.notifyFlags !== undefined) s.notifyFlags = parseFlagList(FLAG_FAMILIES.notify, flags.notifyFlags);
  if (flags.helperTokenFlags !== undefined) s.helperTokenFlags = parseFlagList(FLAG_FAMILIES.helperToken, flags.helperTokenFlags);
  if (flags.helperToken !== undefined) s.helperToken = flags.helperToken;
  if (flags.notifyArgs !== undefined && (flags.notifyCmd === undefined || flags.notifyCmd === false)) throw new UsageError('--notify-args needs --notify-cmd <program>');
  if (flags.notifyCmd === false) s.notifyCmdLine = null;
  else if (flags.notifyCmd !== undefined) {
    if (flags.notifyCmd.trim() === '') throw new UsageError('--notify-cmd needs a program (--no-notify-cmd removes it)');
    s.notifyCmdLine = { program: flags.notifyCmd, parameters: flags.notifyArgs ?? null };
  }
  if (flags.retryDelay !== undefined) s.retryDelaySeconds = flags.retryDelay;
  if (flags.noProgressTimeout !== undefined) s.noProgressTimeoutSeconds = flags.noProgressTimeout;
  if (flags.maxTime !== undefined) s.maxDownloadTimeSeconds = flags.maxTime;
  if (flags.passwordEnv !== undefined && flags.user === undefined) throw new UsageError('--password-env needs --user');
  if (flags.removeCredentials) {
    if (flags.user !== undefined) throw new UsageError('--remove-credentials and --user contradict each other');
    s.removeCredentials = { target: flags.authTarget === 'proxy' ? AuthTarget.Proxy : AuthTarget.Server, scheme: SCHEME_VALUES[flags.authScheme ?? 'basic'] };
  }
  if (flags.user !== undefined) {
    // `--user name:password` (curl's way) would put the password in argv: refused, and not echoed.
    if (flags.user.includes(':')) throw new UsageError('--user takes a name only, without ":password": the password comes from the environment or a prompt');
    if (flags.user === '') throw new UsageError('--user needs a name');
    s.credentials = {
      target: flags.authTarget === 'proxy' ? AuthTarget.Proxy : AuthTarget.Server,
      scheme: SCHEME_VALUES[flags.authScheme ?? 'basic'],
      userName: flags.user,
      password: await readPassword(flags, env, prompter),
    };
  }
  return s;
}

/** Names of what is set, for messages and JSON ("priority", "headers", …); never values. */
export function settingNames(s: JobSettings): string[] {
  const names: string[] = [];
  if (s.priority !== undefined) names.push('priority');
  if (s.headers !== undefined) names.push('headers');
  if (s.proxy !== undefined) names.push('proxy');
  if (s.retryDelaySeconds !== undefined) names.push('retryDelay');
  if (s.noProgressTimeoutSeconds !== undefined) names.push('noProgressTimeout');
  if (s.maxDownloadTimeSeconds !== undefined) names.push('maxTime');
  if (s.credentials !== undefined) names.push('credentials');
  if (s.removeCredentials !== undefined) names.push('removeCredentials');
  if (s.description !== undefined) names.push('description');
  if (s.costFlags !== undefined) names.push('costFlags');
  if (s.securityFlags !== undefined) names.push('securityFlags');
  if (s.clientCertificate !== undefined) names.push('clientCertificate');
  if (s.httpMethod !== undefined) names.push('httpMethod');
  if (s.headersWriteOnly !== undefined) names.push('headersWriteOnly');
  if (s.dynamicContent !== undefined) names.push('dynamicContent');
  if (s.highPerformance !== undefined) names.push('highPerformance');
  if (s.aclFlags !== undefined) names.push('aclFlags');
  if (s.peerCachingFlags !== undefined) names.push('peerCaching');
  if (s.notifyFlags !== undefined) names.push('notifyFlags');
  if (s.notifyCmdLine !== undefined) names.push('notifyCmdLine');
  if (s.helperTokenFlags !== undefined) names.push('helperTokenFlags');
  if (s.helperToken !== undefined) names.push('helperToken');
  return names;
}

/** Applies the settings to a job, in a fixed order. */
export async function applySettings(job: CliJob, s: JobSettings): Promise<void> {
  if (s.priority !== undefined) await job.setPriority(s.priority);
  if (s.headers !== undefined) await job.setCustomHeaders(s.headers.length ? s.headers.join('\r\n') : null);
  if (s.proxy !== undefined) await job.setProxySettings(s.proxy);
  if (s.retryDelaySeconds !== undefined) await job.setMinimumRetryDelay(s.retryDelaySeconds);
  if (s.noProgressTimeoutSeconds !== undefined) await job.setNoProgressTimeout(s.noProgressTimeoutSeconds);
  if (s.maxDownloadTimeSeconds !== undefined) await job.setMaximumDownloadTime(s.maxDownloadTimeSeconds);
  if (s.credentials !== undefined) await job.setCredentials(s.credentials);
  if (s.removeCredentials !== undefined) await job.removeCredentials(s.removeCredentials.target, s.removeCredentials.scheme);
  if (s.description !== undefined) await job.setDescription(s.description);
  if (s.costFlags !== undefined) await job.setProperty(JobPropertyId.CostFlags, s.costFlags);
  if (s.securityFlags !== undefined) await job.setSecurityFlags(s.securityFlags);
  if (s.clientCertificate === null) await job.removeClientCertificate();
  else if (s.clientCertificate !== undefined) await setClientCertificate(job, s.clientCertificate);
  if (s.httpMethod !== undefined) await job.setHttpMethod(s.httpMethod);
  // After the headers: write-only applies to what is set now.
  if (s.headersWriteOnly) await job.makeCustomHeadersWriteOnly();
  if (s.dynamicContent !== undefined) await job.setProperty(JobPropertyId.DynamicContent, s.dynamicContent);
  if (s.highPerformance !== undefined) await job.setProperty(JobPropertyId.HighPerformance, s.highPerformance);
  if (s.aclFlags !== undefined) await job.setFileAclFlags(s.aclFlags);
  if (s.peerCachingFlags !== undefined) await job.setPeerCachingFlags(s.peerCachingFlags);
  if (s.notifyFlags !== undefined) await job.setNotifyFlags(s.notifyFlags);
  if (s.notifyCmdLine === null) await job.setNotifyCmdLine(null, null);
  else if (s.notifyCmdLine !== undefined) await job.setNotifyCmdLine(s.notifyCmdLine.program, s.notifyCmdLine.parameters);
  if (s.helperTokenFlags !== undefined) await job.helperToken.setFlags(s.helperTokenFlags);
  if (s.helperToken === true) await job.helperToken.set();
  else if (s.helperToken === false) await job.helperToken.clear();
}

function setClientCertificate(job: CliJob, c: ClientCertificateChoice): Promise<void> {
  return c.sha1Hash !== undefined
    ? job.setClientCertificateById(c.location, c.storeName, c.sha1Hash)
    : job.setClientCertificateByName(c.location, c.storeName, c.subjectName ?? null);
}

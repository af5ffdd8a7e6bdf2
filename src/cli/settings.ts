/**
 * Job settings shared by `download` and `set <id>` (as Start-BitsTransfer / Set-BitsTransfer take
 * them): priority, custom headers, proxy, retry delay, no-progress timeout, maximum download time,
 * credentials. Header values and passwords are never printed: text and JSON name what was set.
 */
import { Option, type Command } from 'commander';
import type { JobPriority } from '../bits';
import { AuthScheme, AuthTarget, ProxyUsage } from '../bits/enums';
import type { Credentials, ProxySettings } from '../api';
import { PRIORITIES, collectHeader, parseSeconds, priorityValue, type PriorityName } from './args';
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
    .addOption(new Option('--auth-target <target>', 'who asks for --user\'s credentials: the server or the proxy').choices(AUTH_TARGETS).default('server'));
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
  if (flags.proxyBypass !== undefined && flags.proxy === undefined) throw new UsageError('--proxy-bypass needs --proxy');
  if (flags.proxy !== undefined) {
    if (flags.proxy.trim() === '') throw new UsageError('--proxy needs at least one proxy ("host:port")');
    s.proxy = { usage: ProxyUsage.Override, proxyList: flags.proxy, bypassList: flags.proxyBypass ?? null };
  }
  if (flags.retryDelay !== undefined) s.retryDelaySeconds = flags.retryDelay;
  if (flags.noProgressTimeout !== undefined) s.noProgressTimeoutSeconds = flags.noProgressTimeout;
  if (flags.maxTime !== undefined) s.maxDownloadTimeSeconds = flags.maxTime;
  if (flags.passwordEnv !== undefined && flags.user === undefined) throw new UsageError('--password-env needs --user');
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
}

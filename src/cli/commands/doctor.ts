/**
 * `doctor`: can this machine run downloads? Platform, koffi, each service's activation, the COM
 * apartment, and a plain-words diagnosis of every failure.
 */
import type { RegisteredNotificationServer, ServiceCapabilities, ServiceName } from '../../api';
import { NAMED_SERVICES } from '../../api/service';
import {
  AccessDeniedError, ClassNotRegisteredError, HResultError, PlatformNotSupportedError, ServiceUnavailableError,
} from '../../errors';
import { println, type CliContext } from '../context';
import { KoffiNotLoadedError, type EnvironmentInfo } from '../environment';
import { exitCodeFor, ExitCode } from '../exit-codes';
import { fields } from '../format';
import { envelope, errorJson, writeJson, type ErrorJson } from '../json';
import { connectWithRetry } from '../service';

export interface DoctorCommandOptions {
  readonly json?: boolean;
}

export interface ServiceCheckJson {
  readonly ok: boolean;
  readonly jobs: number | null;
  readonly error: ErrorJson | null;
  readonly diagnosis: string | null;
  /** What the service offers (manager.capabilities()); null when it did not activate or the probe failed. */
  readonly capabilities: ServiceCapabilities | null;
}

export interface DoctorJson {
  readonly platform: string;
  readonly arch: string;
  readonly osRelease: string;
  readonly node: string;
  readonly wine: string | null;
  readonly koffi: EnvironmentInfo['koffi'];
  readonly apartment: string | null;
  readonly services: Readonly<Record<ServiceName, ServiceCheckJson>>;
  /** Notification servers registered for this user (`registerNotificationServer`); null off Windows or when the registry could not be read. */
  readonly notificationServers: readonly RegisteredNotificationServer[] | null;
  /** One sentence: what works and what to use. */
  readonly verdict: string;
}

/** In the order they are checked and reported. */
const SERVICES: readonly ServiceName[] = ['delivery-optimization', 'bits'];

/** Plain words for an activation failure. */
export function diagnose(error: unknown, service: ServiceName, env: EnvironmentInfo): string {
  const { displayName: name, windowsService: svc } = NAMED_SERVICES[service];
  if (error instanceof PlatformNotSupportedError) {
    return `${name} is a Windows service and this is ${env.platform}: run this CLI on Windows (Windows node under Wine works for BITS); in tests use the fake from 'delivery-optimization/testing'.`;
  }
  if (error instanceof ClassNotRegisteredError) {
    if (service === 'delivery-optimization') {
      return env.wine
        ? 'Wine has no Delivery Optimization (its COM class is not registered). Use --bits: Wine implements BITS.'
        : "Delivery Optimization's COM API is not registered: it needs Windows 10 version 1709 or later (some Server and LTSC images lack it). Use --bits.";
    }
    return 'BITS is not registered: the Background Intelligent Transfer Service component is missing or damaged (e.g. a trimmed Server Core image).';
  }
  if (error instanceof ServiceUnavailableError || (error instanceof HResultError && error.code === 'ERROR_SERVICE_DISABLED')) {
    return `The ${svc} service is stopped, disabled or crashed: check \`sc query ${svc}\`, and its start type (\`sc qc ${svc}\`) must not be Disabled.`;
  }
  if (error instanceof AccessDeniedError) {
    return `Activating ${name} was refused: a policy or a restricted token (sandbox, service account without COM launch rights) blocks it.`;
  }
  if (error instanceof HResultError && error.code === 'CO_E_SERVER_EXEC_FAILURE') {
    return `The ${svc} service process failed to start: look in the System event log for Service Control Manager errors.`;
  }
  if (error instanceof HResultError) return `Activation failed with ${error.code}: ${error.message}`;
  return `Unexpected failure: ${error instanceof Error ? error.message : String(error)}`;
}

/** What to do about a koffi that does not load: which package is missing, and how to get it. */
export function koffiDiagnosis(env: EnvironmentInfo): string {
  const pkg = env.koffi.nativePackage ?? `@koromix/koffi-${env.platform}-${env.arch}`;
  const what = `koffi's native build for ${env.platform}-${env.arch} did not load: the package ${pkg} (an optional dependency of koffi, which npm installs only on a ${env.platform} ${env.arch} machine) is missing.`;
  if (env.platform === 'win32' && env.wine) {
    return `${what} Under Wine this node_modules was most likely installed on Linux, which has no Windows build: run through the test bed (\`node scripts/testbed.js run <script>\` in a clone of this package), which provides it, or reinstall with npm from Windows node.`;
  }
  return `${what} Reinstall on this machine with npm (\`npm ci\` or \`npm install\`), not with a node_modules copied from another OS or installed with --omit=optional.`;
}

async function checkService(ctx: CliContext, service: ServiceName, env: EnvironmentInfo): Promise<{ json: ServiceCheckJson; error: unknown }> {
  // Activation needs koffi: without it every service fails the same way, which the koffi line explains.
  if (env.platform === 'win32' && !env.koffi.ok) {
    const error = new KoffiNotLoadedError(env.koffi);
    return { json: { ok: false, jobs: null, error: errorJson(error, exitCodeFor(error)), diagnosis: 'not checked: koffi did not load (see its diagnosis).', capabilities: null }, error };
  }
  try {
    const manager = await connectWithRetry(ctx.connect, service, ctx.retryDelaysMs);
    try {
      const jobs = await manager.jobs().then((j) => {
        for (const job of j) job.dispose();
        return j.length;
      }, () => null);
      const capabilities = manager.capabilities ? await manager.capabilities().catch(() => null) : null;
      return { json: { ok: true, jobs, error: null, diagnosis: null, capabilities }, error: null };
    } finally {
      manager.dispose();
    }
  } catch (error) {
    return { json: { ok: false, jobs: null, error: errorJson(error, exitCodeFor(error)), diagnosis: diagnose(error, service, env), capabilities: null }, error };
  }
}

function verdict(env: EnvironmentInfo, doOk: boolean, bitsOk: boolean): string {
  if (doOk && bitsOk) return 'Both services work: downloads use Delivery Optimization by default, --bits picks BITS.';
  if (bitsOk) return 'BITS works, Delivery Optimization does not: add --bits to download, list, show, ... commands.';
  if (doOk) return 'Delivery Optimization works, BITS does not: use the default service (no --bits).';
  if (env.platform !== 'win32') return 'Nothing to download with here: this is not Windows. `explain` works on any OS.';
  if (!env.koffi.ok) return `Nothing can be activated until koffi loads: install ${env.koffi.nativePackage ?? "koffi's native build"} (see the koffi diagnosis).`;
  return 'Neither service can be activated here: see the diagnoses above.';
}

/** `IBackgroundCopyJob4` → `Job4`, `IBackgroundCopyJobHttpOptions2` → `HttpOptions2`. */
const shortName = (iface: string): string => iface.replace(/^IBackgroundCopy(Job(?=HttpOptions))?/, '');
const answered = (map: Readonly<Record<string, boolean>>): string => Object.keys(map).filter((k) => map[k]).map(shortName).join(' ') || 'none';

/** The capabilities section under a service that activated. */
export function capabilityLines(c: ServiceCapabilities | null): string[] {
  if (c === null) return ['  capabilities: not reported (the probe job could not be created)'];
  return fields([
    ['bits version', `${c.bitsVersion} (from the highest interface answered)`],
    ['job', answered(c.job)],
    ['file', c.file === null ? 'not reported (no file could be added to the probe job)' : answered(c.file)],
    ['IDO API', c.ido ? 'available' : 'not available'],
    ['windows build', c.windowsBuild === null ? 'n/a' : String(c.windowsBuild)],
  ], '    ');
}

function safeNotificationServers(ctx: CliContext): readonly RegisteredNotificationServer[] | null {
  try {
    return ctx.notificationServers();
  } catch {
    return null;
  }
}

/** The notification servers section: how many, and each stale one (its script is gone) with how to remove it. */
export function notificationServerLines(servers: readonly RegisteredNotificationServer[] | null): string[] {
  if (servers === null) return [];
  const stale = servers.filter((s) => s.stale);
  const lines = [`notification servers: ${servers.length} registered for you${stale.length ? `, ${stale.length} stale` : ''}`];
  for (const s of stale) {
    lines.push(`  STALE {${s.clsid}}: the script ${s.script} no longer exists; COM would start node.exe on nothing. Remove it: unregisterNotificationServer('${s.clsid}')`);
  }
  return lines;
}

function safeApartment(ctx: CliContext): string | null {
  try {
    return ctx.apartment();
  } catch (error) {
    return `unknown (${error instanceof Error ? error.message : String(error)})`;
  }
}

export async function doctorCommand(ctx: CliContext, options: DoctorCommandOptions): Promise<number> {
  const env = await ctx.probe();
  const checks = {} as Record<ServiceName, { json: ServiceCheckJson; error: unknown }>;
  for (const service of SERVICES) checks[service] = await checkService(ctx, service, env);
  const doOk = checks['delivery-optimization'].json.ok;
  const bitsOk = checks.bits.json.ok;
  const apartment = env.platform === 'win32' ? safeApartment(ctx) : null;
  const servers = env.platform === 'win32' && env.koffi.ok ? safeNotificationServers(ctx) : null;
  const doc: DoctorJson = {
    platform: env.platform, arch: env.arch, osRelease: env.osRelease, node: env.node, wine: env.wine, koffi: env.koffi, apartment,
    services: { 'delivery-optimization': checks['delivery-optimization'].json, bits: checks.bits.json },
    notificationServers: servers,
    verdict: verdict(env, doOk, bitsOk),
  };
  // Usable when one service works; otherwise the exit code of the first failure (3 off Windows).
  const code = doOk || bitsOk ? ExitCode.ok : exitCodeFor(checks['delivery-optimization'].error ?? checks.bits.error);
  if (options.json) {
    writeJson(ctx.stdout, { ...envelope('doctor', code === ExitCode.ok), ...doc });
    return code;
  }
  const out = (line: string) => println(ctx.stdout, line);
  out('delivery-optimization doctor');
  const facts = fields([
    ['platform', `${env.platform} ${env.arch} (OS ${env.osRelease})${env.wine ? `, Wine ${env.wine}` : ''}`],
    ['node', env.node],
    ['koffi', env.koffi.ok ? `loads (${env.koffi.version ?? 'version unknown'})` : `FAILS: ${env.koffi.error}`],
    ['apartment', apartment ?? (env.platform === 'win32' ? 'not initialised' : 'n/a (COM exists only on Windows)')],
  ]);
  // The diagnosis goes right under the koffi line it explains.
  if (!env.koffi.ok) facts.splice(3, 0, `  diagnosis: ${koffiDiagnosis(env)}`);
  for (const line of facts) out(line);
  for (const service of SERVICES) {
    const c = checks[service].json;
    out(NAMED_SERVICES[service].displayName);
    if (c.ok) {
      out(`  OK: activated${c.jobs === null ? '' : `, ${c.jobs} job(s) visible to you`}`);
      for (const line of capabilityLines(c.capabilities)) out(line);
    } else {
      const what = [c.error?.code, c.error?.hex].filter(Boolean).join(' ');
      out(`  FAILS: ${c.error?.name}${what ? `: ${what}` : ''}`);
      out(`  diagnosis: ${c.diagnosis}`);
    }
  }
  for (const line of notificationServerLines(servers)) out(line);
  out(`verdict: ${doc.verdict}`);
  return code;
}

/** Facts about the machine for `doctor`. Nothing here throws: failures become text. */
import * as os from 'os';

export interface EnvironmentInfo {
  readonly platform: string;
  readonly arch: string;
  readonly osRelease: string;
  readonly node: string;
  /** Wine's version when running under Wine (ntdll exports wine_get_version), else null. */
  readonly wine: string | null;
  readonly koffi: { readonly ok: boolean; readonly version: string | null; readonly error: string | null };
}

function loadKoffi(): EnvironmentInfo['koffi'] {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const koffi = require('koffi') as { version?: string };
    return { ok: true, version: typeof koffi.version === 'string' ? koffi.version : null, error: null };
  } catch (error) {
    return { ok: false, version: null, error: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
}

function readWineVersion(): string | null {
  if (process.platform !== 'win32') return null;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const koffi = require('koffi') as typeof import('koffi');
    const ntdll = koffi.load('ntdll.dll');
    // Only Wine's ntdll has this export; on Windows `func` throws and we say "not Wine".
    const get = ntdll.func('const char *wine_get_version()');
    const v: unknown = get();
    return typeof v === 'string' ? v : 'unknown version';
  } catch {
    return null;
  }
}

let wine: { version: string | null } | undefined;

/** Wine's version when this Windows process runs under Wine, else null (looked up once). */
export function wineVersion(): string | null {
  wine ??= { version: readWineVersion() };
  return wine.version;
}

export async function probeEnvironment(): Promise<EnvironmentInfo> {
  const koffi = loadKoffi();
  return {
    platform: process.platform,
    arch: process.arch,
    osRelease: os.release(),
    node: process.version,
    wine: koffi.ok ? wineVersion() : null,
    koffi,
  };
}

/** Facts about the machine for `doctor`. Nothing here throws: failures become text. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface EnvironmentInfo {
  readonly platform: string;
  readonly arch: string;
  readonly osRelease: string;
  readonly node: string;
  /**
   * Under Wine: Wine's version (ntdll's wine_get_version, through koffi), or `unknown version`
   * when koffi cannot load; null when not under Wine.
   */
  readonly wine: string | null;
  readonly koffi: {
    readonly ok: boolean;
    readonly version: string | null;
    readonly error: string | null;
    /** When koffi did not load: the npm package of its native build for this platform, e.g. `@koromix/koffi-win32-x64`. */
    readonly nativePackage?: string;
  };
}

/** koffi's native build for this platform ships as its own optional npm package. */
export function koffiNativePackage(platform: string = process.platform, arch: string = process.arch): string {
  return `@koromix/koffi-${platform}-${arch}`;
}

/** koffi's own version from its package.json (which resolves even when its native build is missing), or null. */
function koffiPackageVersion(): string | null {
  try {
    const file = path.join(path.dirname(require.resolve('koffi')), 'package.json');
    const version: unknown = (JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown }).version;
    return typeof version === 'string' ? version : null;
  } catch {
    return null;
  }
}

/** `doctor` found that koffi cannot load, so no service can be activated from this process. */
export class KoffiNotLoadedError extends Error {
  /** `ERR_KOFFI_NOT_LOADED`. */
  readonly code = 'ERR_KOFFI_NOT_LOADED';
  /** The npm package of koffi's native build that is missing, with koffi's version when known. */
  readonly nativePackage: string;

  constructor(koffi: EnvironmentInfo['koffi']) {
    const nativePackage = koffi.nativePackage ?? koffiNativePackage();
    super(`koffi did not load (${koffi.error ?? 'unknown error'}), so no COM service can be reached: its native build ${nativePackage} is missing.`);
    this.name = 'KoffiNotLoadedError';
    this.nativePackage = nativePackage;
  }
}

function loadKoffi(): EnvironmentInfo['koffi'] {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const koffi = require('koffi') as { version?: string };
    return { ok: true, version: typeof koffi.version === 'string' ? koffi.version : null, error: null };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const version = koffiPackageVersion();
    return { ok: false, version, error: message, nativePackage: `${koffiNativePackage()}${version === null ? '' : `@${version}`}` };
  }
}

/** What winebuild writes after the DOS header of every Wine builtin DLL (Wine's loader checks it too). */
const WINE_BUILTIN_SIGNATURE = 'Wine builtin DLL';

/**
 * Whether this Windows process runs under Wine, without native code: Wine's own ntdll.dll carries
 * the builtin signature at offset 0x40 (where Windows' DLLs have their DOS stub). Environment
 * variables (WINEPREFIX …) are not reliable: the default prefix sets none.
 */
export function hasWineNtdll(systemRoot: string | undefined = process.env.SystemRoot ?? process.env.windir): boolean {
  if (!systemRoot) return false;
  let fd: number | undefined;
  try {
    fd = fs.openSync(path.join(systemRoot, 'system32', 'ntdll.dll'), 'r');
    const head = Buffer.alloc(0x40 + WINE_BUILTIN_SIGNATURE.length);
    const read = fs.readSync(fd, head, 0, head.length, 0);
    return head.subarray(0x40, read).toString('latin1') === WINE_BUILTIN_SIGNATURE;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function wineGetVersion(): string | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const koffi = require('koffi') as typeof import('koffi');
    const ntdll = koffi.load('ntdll.dll');
    // Only Wine's ntdll has this export; on Windows `func` throws.
    const get = ntdll.func('const char *wine_get_version()');
    const v: unknown = get();
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}

function readWineVersion(): string | null {
  if (process.platform !== 'win32') return null;
  // The version needs koffi; telling Wine from Windows does not (a missing koffi build is when it matters).
  return wineGetVersion() ?? (hasWineNtdll() ? 'unknown version' : null);
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
    wine: wineVersion(),
    koffi,
  };
}

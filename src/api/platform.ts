/**
 * The platform services the CLI needs from the API, kept light: importing this module loads
 * neither koffi nor the COM interface layer (`explain` starts without them).
 */
import { settleReleases } from '../com/releases';
import { systemMessage } from '../com/system-message';
import { setLibrarySystemMessageSource } from '../errors/describe';

/**
 * On Windows, codes outside our tables are described with FormatMessageW (system, WinHTTP, WinINet
 * tables). Called where it is needed, never by an import: at the first connection to a Windows
 * service (activate.ts) and by the CLI's `explain`.
 */
export function installSystemMessages(): void {
  if (process.platform === 'win32') setLibrarySystemMessageSource(systemMessage);
}

/** The calling thread's COM apartment as Windows reports it (for `doctor`); null off Windows. */
export function callerApartment(): string | null {
  if (process.platform !== 'win32') return null;
  // Loaded lazily: the COM runtime loads ole32.dll.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { windowsRuntime } = require('../com/ole32') as typeof import('../com/ole32');
  return windowsRuntime().describeApartment();
}

/**
 * Resolves when every COM release the library has queued has been made: the CLI waits for it
 * (briefly) before it exits, without loading the API classes.
 */
export function releasesSettled(): Promise<void> {
  return settleReleases();
}

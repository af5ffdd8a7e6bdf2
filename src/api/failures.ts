/** Makes the COM core throw our typed errors, with Windows' own text for codes we do not know. */
import { setFailureFactory } from '../com';
import { systemMessage } from '../com/system-message';
import { HResultError, setSystemMessageSource } from '../errors';

let installed = false;

export function installFailureFactory(): void {
  if (installed) return;
  installed = true;
  setFailureFactory(({ hr, operation }) => HResultError.from(hr, { operation }));
  installSystemMessages();
}

/** On Windows, codes outside our tables are described with FormatMessageW (system, WinHTTP, WinINet tables). */
export function installSystemMessages(): void {
  if (process.platform === 'win32') setSystemMessageSource(systemMessage);
}

installFailureFactory();

/** Makes the COM core throw our typed errors. */
import { setFailureFactory } from '../com';
import { HResultError } from '../errors';

let installed = false;

export function installFailureFactory(): void {
  if (installed) return;
  installed = true;
  setFailureFactory(({ hr, operation }) => HResultError.from(hr, { operation }));
}

installFailureFactory();

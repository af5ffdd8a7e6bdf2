/** Errors the CLI raises itself (not HRESULTs). */
import { errorToJSON } from '../errors/to-json';

/** A bad command line. Printed as one line, never with a stack. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'ERR_USAGE';

  toJSON(): Record<string, unknown> {
    return errorToJSON(this);
  }
}

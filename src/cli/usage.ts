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

/** A job display name that matches none of the caller's jobs: exit 6 ("no such job"), as an unknown id. */
export class NoSuchJobNameError extends UsageError {}

/** A job already notifies another program's callback object: `job.on()` leaves it in place. */
import { setErrorName } from './error-name';
import { errorToJSON } from './to-json';

/**
 * `job.on()` found another program's callback object registered on the job (GetNotifyInterface)
 * and did not replace it: a job has one notification interface, and taking it silently would stop
 * that program's notifications without it knowing (SharpBITS' known fault). Pass
 * `{ replaceForeignCallback: true }` to take it over on purpose.
 */
export class ForeignCallbackError extends Error {
  static {
    setErrorName(this, 'ForeignCallbackError');
  }
  /** `ERR_FOREIGN_CALLBACK`. */
  readonly code = 'ERR_FOREIGN_CALLBACK';
  /** The job's id (lowercase GUID, no braces). */
  readonly jobId: string;

  constructor(options: { jobId: string }) {
    super(
      `Job {${options.jobId}} already notifies another program's callback object; job.on() did not replace it, ` +
        'because that program would stop hearing of its job without knowing. ' +
        'Pass { replaceForeignCallback: true } to job.on() to take the notifications over on purpose.',
    );
    this.jobId = options.jobId;
  }

  /** Plain JSON for loggers. */
  toJSON(): Record<string, unknown> {
    return errorToJSON(this);
  }
}

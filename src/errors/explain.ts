/**
 * `explainHResult`: everything we know about a value, for logs, support and the `explain` CLI.
 * Pure TypeScript: works on any OS.
 */
import { facilityOf, failed, formatHResult, parseHResult } from '../com/hresult';
import type { CodeFamily, ErrorCodeName } from './codes';
import { coerceHResult } from './coerce';
import { describeHResult } from './describe';
import { facilityName } from './facilities';
import { hresultErrorClassFor } from './hresult-error';

/** Result of {@link explainHResult}. */
export interface HResultExplanation {
  /** Unsigned value in [0, 2^32). */
  readonly hresult: number;
  /** `0x%08X`, e.g. `0x80D03002`. */
  readonly hex: string;
  /** Symbolic name, `BG_E_HTTP_ERROR_<status>`, or `HRESULT_0x%08X` when unknown. */
  readonly code: ErrorCodeName;
  /** Our description (plus a note when a non-integer number was coerced). */
  readonly message: string;
  /** The facility number (bits 16–26). */
  readonly facility: number;
  /** Facility name without `FACILITY_`, e.g. `DELIVERY_OPTIMIZATION`. */
  readonly facilityName: string;
  /** True when retrying later may succeed without changing anything. */
  readonly isTransient: boolean;
  /** True when bit 31 is set (`hr < 0` as int32). */
  readonly isFailure: boolean;
  /** Which table it comes from: `DO`, `BITS`, `WIN32`, `COM`, `RPC` … */
  readonly family: CodeFamily;
  /** True when the value is in our table (not synthesised from its facility). */
  readonly known: boolean;
  /** Name of the error class `HResultError.from` would build, e.g. `HttpError`. */
  readonly className: string;
}

/** A Node-style `TypeError` with `code: 'ERR_INVALID_ARG_VALUE'`. */
function invalidArgValue(name: string, value: string): TypeError & { code: 'ERR_INVALID_ARG_VALUE' } {
  const error = new TypeError(
    `The argument '${name}' is invalid. Received ${JSON.stringify(value)} ` +
      '(expected an HRESULT such as 0x80D03002, 80d03002, -2133839870 or 2161127426).',
  );
  return Object.assign(error, { code: 'ERR_INVALID_ARG_VALUE' as const });
}

/**
 * Explains a value given as a number (signed or unsigned form; other numbers are coerced with
 * `>>> 0` and noted in `message`) or as text accepted by `parseHResult` (`0x80D03002`,
 * `80d03002`, `-2133839870`, `2161127426`).
 *
 * @throws TypeError with `code: 'ERR_INVALID_ARG_VALUE'` when the text is not an HRESULT.
 */
export function explainHResult(hr: number | string): HResultExplanation {
  let value: number;
  let note: string | undefined;
  if (typeof hr === 'string') {
    const parsed = parseHResult(hr);
    if (parsed === null) throw invalidArgValue('hr', hr);
    value = parsed;
  } else {
    ({ hresult: value, note } = coerceHResult(hr));
  }
  const info = describeHResult(value);
  const facility = facilityOf(value);
  return {
    hresult: value,
    hex: formatHResult(value),
    code: info.name,
    message: note === undefined ? info.message : `${info.message} ${note}`,
    facility,
    facilityName: facilityName(facility),
    isTransient: info.isTransient,
    isFailure: failed(value),
    family: info.family,
    known: info.known,
    className: hresultErrorClassFor(value).prototype.name,
  };
}

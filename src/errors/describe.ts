/**
 * Describes any 32-bit value: the table entry when known, otherwise a generic description built
 * from its facility (HTTP rule, Win32 conversion, DO transient zone, ...).
 */
import { codeOf, facilityOf, failed, formatHResult } from '../com/hresult';
import { type CodeFamily, type CodeInfo, type ErrorCodeName, isTransientHResult, lookupHResult } from './codes';
import {
  FACILITY_BACKGROUNDCOPY,
  FACILITY_DELIVERY_OPTIMIZATION,
  FACILITY_HTTP,
  FACILITY_RPC,
  FACILITY_WIN32,
  facilityName,
} from './facilities';
import { httpStatusMessage } from './http-status';

/** A {@link CodeInfo} for any value, telling whether it came from the table. */
export interface HResultDescription extends Omit<CodeInfo, 'name'> {
  /** The table name, or one made up for a value the table lacks (see {@link symbolicName}). */
  readonly name: ErrorCodeName;
  /** True when the value is in the table; false when name and message were synthesised. */
  readonly known: boolean;
  /** Same as `name`, under the name `HResultError` and `explainHResult` use. */
  readonly code: ErrorCodeName;
}

/** Family of a value from its facility: 208 DO, 32 BITS, 25 HTTP, 1 RPC, 7 WIN32, others COM. */
export function familyOfFacility(facility: number): CodeFamily {
  switch (facility) {
    case FACILITY_DELIVERY_OPTIMIZATION:
      return 'DO';
    case FACILITY_BACKGROUNDCOPY:
      return 'BITS';
    case FACILITY_HTTP:
      return 'HTTP';
    case FACILITY_RPC:
      return 'RPC';
    case FACILITY_WIN32:
      return 'WIN32';
    default:
      return 'COM';
  }
}

/** True for a failed facility-25 value whose low word is an HTTP status (100–599). */
function isHttpStatusCode(hr: number): boolean {
  const status = codeOf(hr);
  return failed(hr) && facilityOf(hr) === FACILITY_HTTP && status >= 100 && status <= 599;
}

/**
 * Symbolic name of an unsigned value: the table name, `BG_E_HTTP_ERROR_<status>` for any failed
 * FACILITY_HTTP value whose low word is 100–599, otherwise `HRESULT_0x%08X` (e.g. `HRESULT_0x1234ABCD`).
 */
export function symbolicName(hr: number): ErrorCodeName {
  const u = hr >>> 0;
  const known = lookupHResult(u);
  if (known) return known.name;
  if (isHttpStatusCode(u)) return `BG_E_HTTP_ERROR_${codeOf(u)}`;
  return `HRESULT_0x${formatHResult(u).slice(2)}`;
}

function genericMessage(hr: number): string {
  if (!failed(hr)) return 'An unknown success code: the call succeeded.';
  const facility = facilityOf(hr);
  const code = codeOf(hr);
  if (isHttpStatusCode(hr)) return httpStatusMessage(code);
  switch (facility) {
    case FACILITY_DELIVERY_OPTIMIZATION:
      return isTransientHResult(hr)
        ? 'An unknown Delivery Optimization error in its transient zone: the download is paused and retried by Delivery Optimization.'
        : 'An unknown Delivery Optimization error (not in deliveryoptimizationerrors.h).';
    case FACILITY_BACKGROUNDCOPY:
      return 'An unknown BITS error (not in bitsmsg.h).';
    case FACILITY_HTTP:
      return `An unknown HTTP-facility error (${code} is not an HTTP status).`;
    case FACILITY_WIN32:
      return `Windows error ${code} (converted with HRESULT_FROM_WIN32(${code})).`;
    default:
      return `An unknown error in facility ${facilityName(facility)} (${facility}), code 0x${code
        .toString(16)
        .toUpperCase()
        .padStart(4, '0')}.`;
  }
}

/** Where text for codes outside our tables comes from (Windows' FormatMessageW, when installed). */
export type SystemMessageSource = (hr: number) => string | null;

/** The caller's source (`delivery-optimization/diagnostics`), which wins over the library's. */
let systemSource: SystemMessageSource | null = null;
/** The library's own: FormatMessageW, installed on Windows at the first connection (api/platform.ts). */
let librarySource: SystemMessageSource | null = null;

/**
 * Installs (or, with null, removes) your source of text for codes outside the tables; it is asked
 * before the library's own (Windows' FormatMessageW, used once a service was connected on Windows).
 * This folder loads nothing native itself.
 */
export function setSystemMessageSource(source: SystemMessageSource | null): void {
  systemSource = source;
}

/** @internal For api/platform.ts: the library's own source (FormatMessageW on Windows). */
export function setLibrarySystemMessageSource(source: SystemMessageSource | null): void {
  librarySource = source;
}

function systemText(hr: number): string | null {
  const source = systemSource ?? librarySource;
  if (!source || !failed(hr)) return null;
  try {
    return source(hr);
  } catch {
    return null;
  }
}

/** Describes any value (signed or unsigned form); never throws for an integer. */
export function describeHResult(hr: number): HResultDescription {
  const u = hr >>> 0;
  const known = lookupHResult(u);
  if (known) return { ...known, known: true, code: known.name };
  const name = symbolicName(u);
  const windows = isHttpStatusCode(u) ? null : systemText(u);
  return {
    name,
    code: name,
    hresult: u,
    message: windows ? `${windows} (Windows' text; the code is not in our tables.)` : genericMessage(u),
    family: familyOfFacility(facilityOf(u)),
    isTransient: isTransientHResult(u),
    known: false,
  };
}

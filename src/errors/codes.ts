/**
 * The one table of every HRESULT the binding knows (spec §6.2–§6.4): symbolic name, unsigned value
 * and our own message. Family and transience are derived from it, never written twice.
 */
import { codeOf, facilityOf, failed } from '../com/hresult';
import { FACILITY_DELIVERY_OPTIMIZATION, FACILITY_HTTP } from './facilities';
import { BITS_ROWS, DO_ROWS, type Row } from './code-rows';
import { ALIASES, COM_ROWS, RPC_ROWS, WIN32_ROWS, WINHTTP_ROWS } from './code-rows-platform';
import { BITS_HTTP_STATUSES, TRANSIENT_HTTP_STATUSES, httpStatusHResult, httpStatusMessage } from './http-status';

/** Where a code comes from: DO (0x80D0xxxx), BITS (0x8020xxxx), HTTP (0x8019xxxx), or the platform. */
export type CodeFamily = 'DO' | 'BITS' | 'HTTP' | 'COM' | 'RPC' | 'WIN32';

/**
 * The symbolic name of every code in the table (`DO_E_JOB_NOT_FOUND`, `BG_E_HTTP_ERROR_404`,
 * `E_ACCESSDENIED` …), derived from the rows, so editors complete them and typos do not compile.
 */
export type KnownErrorCode =
  | (typeof DO_ROWS)[number][0] | (typeof BITS_ROWS)[number][0] | `BG_E_HTTP_ERROR_${(typeof BITS_HTTP_STATUSES)[number]}`
  | (typeof COM_ROWS)[number][0] | (typeof RPC_ROWS)[number][0] | (typeof WIN32_ROWS)[number][0] | (typeof WINHTTP_ROWS)[number][0];

/**
 * What `HResultError.code` can be: a table name, `BG_E_HTTP_ERROR_<status>` for an HTTP status the
 * table lacks, or `HRESULT_0x%08X` for any other value.
 */
export type ErrorCodeName = KnownErrorCode | `BG_E_HTTP_ERROR_${number}` | `HRESULT_0x${string}`;

/** One known HRESULT. */
export interface CodeInfo {
  /** Symbolic name as in the Windows headers, e.g. `DO_E_JOB_NOT_FOUND`. */
  readonly name: KnownErrorCode;
  /** Unsigned 32-bit value, e.g. `0x80D02003`. */
  readonly hresult: number;
  /** What happened and, where it helps, what to do. */
  readonly message: string;
  /** Which table it comes from: `DO`, `BITS`, `WIN32`, `COM`, `RPC` … */
  readonly family: CodeFamily;
  /** True when retrying later may succeed without changing anything (see {@link isTransientHResult}). */
  readonly isTransient: boolean;
}

/** BITS's HTTP codes: `BG_E_HTTP_ERROR_<status> = 0x80190000 + status`. */
const HTTP_ROWS: readonly Row[] = BITS_HTTP_STATUSES.map(
  (status): Row => [`BG_E_HTTP_ERROR_${status}`, httpStatusHResult(status), httpStatusMessage(status)],
);

/** Named codes that are transient outside the DO zone and HTTP rules (see {@link isTransientHResult}). */
const TRANSIENT_NAMES: ReadonlySet<string> = new Set([
  'BG_E_NETWORK_DISCONNECTED',
  'BG_E_BLOCKED_BY_POLICY',
  'BG_E_BLOCKED_BY_COST_TRANSFER_POLICY',
  'BG_E_BLOCKED_BY_BATTERY_POLICY',
  'BG_E_BLOCKED_BY_BATTERY_SAVER',
  'BG_E_BLOCKED_BY_BACKGROUND_ACCESS_POLICY',
  'BG_E_BLOCKED_BY_GAME_MODE',
  'BG_E_BLOCKED_BY_SYSTEM_POLICY',
  'BG_E_STANDBY_MODE',
  'RPC_S_SERVER_UNAVAILABLE',
  'RPC_S_SERVER_TOO_BUSY',
  'RPC_S_CALL_FAILED',
  'RPC_S_CALL_FAILED_DNE',
  'RPC_S_UNKNOWN_IF',
  'RPC_E_TIMEOUT',
  'RPC_E_DISCONNECTED',
  'RPC_E_SERVER_DIED',
  'RPC_E_SERVER_DIED_DNE',
  'RPC_E_CALL_REJECTED',
  'RPC_E_SERVERCALL_RETRYLATER',
  'CO_E_OBJNOTCONNECTED',
  'CO_E_SERVER_STOPPING',
  'ERROR_NETNAME_DELETED',
  'ERROR_SEM_TIMEOUT',
  'ERROR_CONNECTION_REFUSED',
  'ERROR_NETWORK_UNREACHABLE',
  'ERROR_HOST_UNREACHABLE',
  'ERROR_CONNECTION_ABORTED',
  'ERROR_WINHTTP_TIMEOUT',
  'ERROR_WINHTTP_CANNOT_CONNECT',
  // A name that does not resolve (also ERROR_INTERNET_NAME_NOT_RESOLVED, the same value): BITS
  // puts the job in TRANSIENT_ERROR and retries. Microsoft's "Event ID 61 — Jobs" troubleshooting
  // page lists 0x80072ee7 under "BITS Job entering TRANSIENT_ERROR", and BG_JOB_STATE documents
  // CONNECTING → TRANSIENT_ERROR when the connection fails. Wine's qmgr (dlls/qmgr/file.c)
  // sends every transport failure, this one and cannot-connect alike, to ERROR with no retry,
  // so it tells nothing apart (docs/errors.md).
  'ERROR_WINHTTP_NAME_NOT_RESOLVED',
  'ERROR_WINHTTP_CONNECTION_ERROR',
  'ERROR_INTERNET_CONNECTION_RESET',
]);

const TRANSIENT_VALUES: ReadonlySet<number> = new Set(
  [...DO_ROWS, ...BITS_ROWS, ...COM_ROWS, ...RPC_ROWS, ...WIN32_ROWS, ...WINHTTP_ROWS]
    .filter(([name]) => TRANSIENT_NAMES.has(name))
    .map(([, hr]) => hr),
);

/**
 * Whether retrying later may succeed without changing anything. The rule, for any value:
 * - it must be a failure (`hr < 0` as int32); success codes are never transient;
 * - Delivery Optimization's own rule `IS_DO_TRANSIENT_ERROR`: facility 208 and
 *   `(code & 0xF800) === 0x3800`, i.e. 0x80D03800–0x80D03FFF (DO pauses and retries by itself);
 * - BITS pauses: `BG_E_NETWORK_DISCONNECTED`, every `BG_E_BLOCKED_BY_*`, `BG_E_STANDBY_MODE`;
 * - the network, as BITS retries it (TRANSIENT_ERROR): connection refused, reset or aborted,
 *   unreachable, timed out, and a host name that does not resolve (`ERROR_WINHTTP_NAME_NOT_RESOLVED`);
 * - the service went away or is busy: `RPC_S_SERVER_UNAVAILABLE`, `RPC_S_CALL_FAILED(_DNE)`,
 *   `RPC_E_DISCONNECTED`, `RPC_E_SERVER_DIED(_DNE)`, `RPC_E_CALL_REJECTED`,
 *   `RPC_E_SERVERCALL_RETRYLATER`, `CO_E_OBJNOTCONNECTED`, `CO_E_SERVER_STOPPING` (retry after
 *   re-creating the manager);
 * - HTTP (facility 25) statuses 408, 429, 500, 502, 503, 504, known to bitsmsg.h or not.
 */
export function isTransientHResult(hr: number): boolean {
  const u = hr >>> 0;
  if (!failed(u)) return false;
  const facility = facilityOf(u);
  if (facility === FACILITY_DELIVERY_OPTIMIZATION && (codeOf(u) & 0xf800) === 0x3800) return true;
  if (facility === FACILITY_HTTP) return TRANSIENT_HTTP_STATUSES.has(codeOf(u));
  return TRANSIENT_VALUES.has(u);
}

function toInfo(family: CodeFamily): (row: Row) => CodeInfo {
  // The rows are where KnownErrorCode comes from, so each row's name is one by construction.
  return ([name, hresult, message]) =>
    Object.freeze({ name: name as KnownErrorCode, hresult: hresult >>> 0, message, family, isTransient: isTransientHResult(hresult) });
}

/** Every known code, grouped by family in this order: DO, BITS, HTTP, COM, RPC, WIN32. */
export const CODES: readonly CodeInfo[] = Object.freeze([
  ...DO_ROWS.map(toInfo('DO')),
  ...BITS_ROWS.map(toInfo('BITS')),
  ...HTTP_ROWS.map(toInfo('HTTP')),
  ...COM_ROWS.map(toInfo('COM')),
  ...RPC_ROWS.map(toInfo('RPC')),
  ...WIN32_ROWS.map(toInfo('WIN32')),
  ...WINHTTP_ROWS.map(toInfo('WIN32')),
]);

const BY_HRESULT: ReadonlyMap<number, CodeInfo> = new Map(CODES.map((c) => [c.hresult, c]));
const BY_NAME: ReadonlyMap<string, CodeInfo> = new Map(CODES.map((c) => [c.name, c]));
const BY_ALIAS: ReadonlyMap<string, CodeInfo> = new Map(
  ALIASES.flatMap(([alias, name]) => {
    const info = BY_NAME.get(name);
    return info ? [[alias, info] as const] : [];
  }),
);

/** Every other name a table code goes by (WinINet's names, winerror.h synonyms), with the code it means. */
export const CODE_ALIASES: ReadonlyMap<string, CodeInfo> = BY_ALIAS;

/** The table entry for a value (signed or unsigned form), or undefined when it is not in the table. */
export function lookupHResult(hr: number): CodeInfo | undefined {
  return BY_HRESULT.get(hr >>> 0);
}

/**
 * The table entry for a symbolic name such as `DO_E_JOB_NOT_FOUND`, or for another name of the
 * same code (`ERROR_INTERNET_NAME_NOT_RESOLVED`, `ERROR_ACCESS_DENIED`), or undefined.
 */
export function lookupHResultByName(name: string): CodeInfo | undefined {
  return BY_NAME.get(name) ?? BY_ALIAS.get(name);
}

/**
 * True when `hr` is the table's code of one of `names` (e.g. `'BG_E_EMPTY', 'DO_E_JOB_EMPTY'`).
 * Only table names can match, so only they compile (an alias or a typo would always be false).
 */
export function hresultIs(hr: number, ...names: KnownErrorCode[]): boolean {
  const info = BY_HRESULT.get(hr >>> 0);
  return info !== undefined && names.includes(info.name);
}

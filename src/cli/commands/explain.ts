/** `explain <hresult>`: what a code means, offline, on any OS. */
import { hresultErrorClassFor } from '../../errors/hresult-error';
import { codeOf, explainHResult, formatHResult, httpStatusHResult, lookupHResultByName, type CodeFamily, type HResultExplanation } from '../../errors';
import { println, type CliContext } from '../context';
import { exitCodeFor } from '../exit-codes';
import { fields } from '../format';
import { envelope, explainJson, writeJson } from '../json';
import { UsageError } from '../usage';
import { installSystemMessages } from '../../api/platform';

export interface ExplainCommandOptions {
  readonly json?: boolean;
}

const FAMILY: Record<CodeFamily, string> = {
  DO: 'Delivery Optimization (deliveryoptimizationerrors.h)',
  BITS: 'BITS (bitsmsg.h)',
  HTTP: 'HTTP status from the server (BG_E_HTTP_ERROR_<status> = 0x80190000 + status)',
  COM: 'COM / Windows (winerror.h)',
  RPC: 'RPC runtime: the connection to the service',
  WIN32: 'Win32 error converted with HRESULT_FROM_WIN32',
};

/** An explanation, and how the input was read when it could be read two ways. */
export interface ParsedCode {
  readonly explanation: HResultExplanation;
  /** Set when the input was ambiguous (digits only: hex or decimal?): which reading, and the other one. */
  readonly readAs: string | null;
}

function short(hr: number): string {
  const e = explainHResult(hr);
  return e.known ? `${e.hex} ${e.code}` : e.hex;
}

/**
 * Digits alone can be hex (as Windows shows codes: "80200002") or decimal ("2161127426"). Eight
 * digits are read as hex; other lengths as decimal. Either way the other reading is named.
 */
function readDigits(digits: string): ParsedCode | null {
  if (!/^[0-9]+$/.test(digits)) return null;
  const asHex = digits.length <= 8 ? parseInt(digits, 16) : null;
  const asDecimal = Number(digits) <= 0xffffffff ? Number(digits) : null;
  if (asHex === null && asDecimal === null) return null;
  const hexFirst = asHex !== null && (digits.length === 8 || asDecimal === null);
  const value = (hexFirst ? asHex : asDecimal) as number;
  const other = hexFirst ? asDecimal : asHex;
  const readAs = other === null || other === value
    ? null
    : `${digits} was read as ${hexFirst ? 'hex' : 'decimal'} (${short(value)}); as ${hexFirst ? 'decimal' : 'hex'} it would be ${short(other)}. ${hexFirst ? 'A decimal failure code has ten digits; add 0x to say hex.' : `Write 0x${digits} to mean hex.`}`;
  return { explanation: explainHResult(value), readAs };
}

/**
 * Hex (0x80D03002, 80d03002, 80200002), decimal (signed or unsigned, e.g. -2133839870, 2161127426),
 * or a name from the tables (DO_E_JOB_NOT_FOUND, ERROR_NOT_LOGGED_ON, ERROR_INTERNET_TIMEOUT,
 * BG_E_HTTP_ERROR_418).
 */
export function parseCodeReading(input: string): ParsedCode {
  const trimmed = input.trim();
  const byName = lookupHResultByName(trimmed.toUpperCase());
  if (byName) return { explanation: explainHResult(byName.hresult), readAs: null };
  const http = /^BG_E_HTTP_ERROR_(\d{3})$/i.exec(trimmed);
  if (http) return { explanation: explainHResult(httpStatusHResult(Number(http[1]))), readAs: null };
  const digits = readDigits(trimmed);
  if (digits) return digits;
  try {
    return { explanation: explainHResult(input), readAs: null };
  } catch {
    throw new UsageError(
      `'${input}' is not an HRESULT: give hex (0x80D03002 or 80d03002), decimal (-2133839870 or 2161127426) or a name (DO_E_NO_DOWNLOAD_EXTSETTINGS, ERROR_NOT_LOGGED_ON)`,
    );
  }
}

/** {@link parseCodeReading} without the reading. */
export function parseCode(input: string): HResultExplanation {
  return parseCodeReading(input).explanation;
}

/** The CLI exit code a command would end with if it failed with this value. */
function exitCodeOf(e: HResultExplanation): number {
  const Class = hresultErrorClassFor(e.hresult);
  return exitCodeFor(new Class(e.hresult));
}

export function explainLines(e: HResultExplanation): string[] {
  const detail =
    e.family === 'HTTP' ? `HTTP status ${codeOf(e.hresult)}` : e.family === 'WIN32' ? `Win32 error ${codeOf(e.hresult)}` : null;
  return [
    `${e.code}  ${e.hex}`,
    `  ${e.message}`,
    '',
    ...fields([
      ['family', FAMILY[e.family]],
      ['facility', `${e.facility} (${e.facilityName})`],
      ['detail', detail],
      ['value', `${e.hresult} unsigned, ${e.hresult | 0} signed`],
      ['severity', e.isFailure ? 'failure' : 'success'],
      ['transient', e.isFailure ? (e.isTransient ? 'yes: retrying later may succeed without changing anything' : 'no: retrying the same thing will fail the same way') : null],
      ['error class', e.isFailure ? `${e.className} (a failing command exits with ${exitCodeOf(e)})` : null],
      ['known', e.known ? 'yes, from our tables' : `no: ${formatHResult(e.hresult)} is not in our tables; described from its facility`],
    ]),
  ];
}

export function explainCommand(ctx: CliContext, input: string, options: ExplainCommandOptions): number {
  // On Windows, codes outside our tables get Windows' own text (FormatMessageW).
  installSystemMessages();
  const { explanation: e, readAs } = parseCodeReading(input);
  if (options.json) {
    writeJson(ctx.stdout, { ...envelope('explain', true), ...explainJson(input, e, e.isFailure ? exitCodeOf(e) : 0, readAs) });
  } else {
    for (const line of explainLines(e)) println(ctx.stdout, line);
    if (readAs) println(ctx.stdout, `  note: ${readAs}`);
  }
  return 0;
}

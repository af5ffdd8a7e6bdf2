/** `explain <hresult>`: what a code means, offline, on any OS. */
import { codeOf, formatHResult } from '../../com/hresult';
import { explainHResult, hresultErrorClassFor, lookupHResultByName, type CodeFamily, type HResultExplanation } from '../../errors';
import { println, type CliContext } from '../context';
import { exitCodeFor } from '../exit-codes';
import { fields } from '../format';
import { envelope, explainJson, writeJson } from '../json';
import { UsageError } from '../usage';

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

/**
 * Hex (0x80D03002, 80d03002, 80200002), decimal (signed or unsigned, e.g. -2133839870, 2161127426),
 * or a symbolic name (DO_E_JOB_NOT_FOUND, BG_E_HTTP_ERROR_418).
 */
export function parseCode(input: string): HResultExplanation {
  const byName = lookupHResultByName(input.trim().toUpperCase());
  if (byName) return explainHResult(byName.hresult);
  const http = /^BG_E_HTTP_ERROR_(\d{3})$/i.exec(input.trim());
  if (http) return explainHResult((0x80190000 + Number(http[1])) >>> 0);
  // Eight unprefixed digits are hex, as Windows shows codes ("80200002"): as a decimal they would
  // be a meaningless success code (a decimal failure code has ten digits). parseHResult reads decimal.
  if (/^[0-9]{8}$/.test(input.trim())) return explainHResult(`0x${input.trim()}`);
  try {
    return explainHResult(input);
  } catch {
    throw new UsageError(
      `'${input}' is not an HRESULT: give hex (0x80D03002 or 80d03002), decimal (-2133839870 or 2161127426) or a name (DO_E_NO_DOWNLOAD_EXTSETTINGS)`,
    );
  }
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
  const e = parseCode(input);
  if (options.json) {
    writeJson(ctx.stdout, { ...envelope('explain', true), ...explainJson(input, e, e.isFailure ? exitCodeOf(e) : 0) });
  } else {
    for (const line of explainLines(e)) println(ctx.stdout, line);
  }
  return 0;
}

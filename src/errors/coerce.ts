/**
 * Turns whatever a caller passed as an HRESULT into an unsigned 32-bit value without throwing.
 */
import { formatHResult, parseHResult } from '../com/hresult';

/** Result of {@link coerceHResult}. */
export interface CoercedHResult {
  /** Unsigned 32-bit value in [0, 2^32). */
  readonly hresult: number;
  /** Set when the input was not a 32-bit integer and had to be coerced; says from what. */
  readonly note?: string;
}

const INT32_MIN = -0x80000000;
const UINT32_MAX = 0xffffffff;

function coerced(hresult: number, shown: string): CoercedHResult {
  return { hresult, note: `${shown} is not a 32-bit HRESULT; it was coerced to ${formatHResult(hresult)}.` };
}

/**
 * Normalises a value to the unsigned form. Integers in [-2^31, 2^32) (the signed and unsigned
 * forms) pass through as `value >>> 0`. Anything else never throws: other numbers go through
 * `>>> 0` too (ToUint32: NaN and ±Infinity → 0, 1.5 → 1, 2^32 + 5 → 5), bigints are truncated to
 * their low 32 bits, strings are parsed with `parseHResult` (0 if unparsable), other types give 0;
 * each such case carries a `note` saying what was coerced.
 */
export function coerceHResult(value: unknown): CoercedHResult {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= INT32_MIN && value <= UINT32_MAX) return { hresult: value >>> 0 };
    return coerced(value >>> 0, String(value));
  }
  if (typeof value === 'bigint') {
    const low = Number(BigInt.asUintN(32, value));
    return value >= BigInt(INT32_MIN) && value <= BigInt(UINT32_MAX) ? { hresult: low } : coerced(low, `${value}n`);
  }
  if (typeof value === 'string') {
    const parsed = parseHResult(value);
    return parsed === null ? coerced(0, JSON.stringify(value)) : { hresult: parsed };
  }
  return coerced(0, `A value of type ${value === null ? 'null' : typeof value}`);
}

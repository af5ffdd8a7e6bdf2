/**
 * HRESULT arithmetic. An HRESULT is a 32-bit signed value; bit 31 marks failure, so success
 * codes other than S_OK (S_FALSE, BG_S_PARTIAL_COMPLETE, ...) exist: test the sign, never `!== 0`.
 * Every function here accepts the signed (koffi's `int` return) or the unsigned form.
 */

export const S_OK = 0x00000000;
export const S_FALSE = 0x00000001;
export const E_NOTIMPL = 0x80004001;
export const E_NOINTERFACE = 0x80004002;
export const E_POINTER = 0x80004003;
export const E_FAIL = 0x80004005;
export const E_UNEXPECTED = 0x8000ffff;
export const E_ACCESSDENIED = 0x80070005;
export const E_OUTOFMEMORY = 0x8007000e;
export const E_INVALIDARG = 0x80070057;
/** The COM class is not registered (the service is not installed). */
export const REGDB_E_CLASSNOTREG = 0x80040154;
/** STG_E_INVALIDFUNCTION: an IStream method the object does not support (Read, Seek …). */
export const STG_E_INVALIDFUNCTION = 0x80030001;
/** STG_E_WRITEFAULT: a disk error during a write (what a stream that cannot take the bytes answers). */
export const STG_E_WRITEFAULT = 0x8003001d;
/** TRUST_E_FAIL: generic trust failure. */
export const TRUST_E_FAIL = 0x800b010b;
/** The call did not return in time (also what the library reports for a call it gave up on). */
export const RPC_E_TIMEOUT = 0x8001011f;
/** IClassFactory::CreateInstance with an outer object: the class cannot be aggregated. */
export const CLASS_E_NOAGGREGATION = 0x80040110;
/** A local server that is shutting down refuses new objects (the client then launches a new one). */
export const CO_E_SERVER_STOPPING = 0x80004008;

/** True for a failure HRESULT (bit 31 set), whatever its sign as a JS number. */
export function failed(hr: number): boolean {
  return (hr | 0) < 0;
}

/** True for S_OK, S_FALSE and every other success code. */
export function succeeded(hr: number): boolean {
  return (hr | 0) >= 0;
}

/** `(hr >> 16) & 0x1FFF`. */
export function facilityOf(hr: number): number {
  return (hr >>> 16) & 0x1fff;
}

/** `hr & 0xFFFF`. */
export function codeOf(hr: number): number {
  return hr & 0xffff;
}

/** `HRESULT_FROM_WIN32`: values <= 0 pass through, others become 0x8007xxxx. */
export function hresultFromWin32(win32: number): number {
  if ((win32 | 0) <= 0) return win32 >>> 0;
  return (0x80070000 | (win32 & 0xffff)) >>> 0;
}

/** `0x80190194` style, always eight digits. */
export function formatHResult(hr: number): string {
  return '0x' + (hr >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

/**
 * Parses "0x80D03002", "80d03002", "-2133839870" or "2161127426" into the unsigned value.
 * Returns null for anything that is not a 32-bit integer.
 */
export function parseHResult(text: string): number | null {
  const s = text.trim();
  let value: number;
  // Exactly eight digits is how Windows shows an HRESULT: hex, even when it has no letters
  // ("80200002"); a failure code in decimal needs ten digits.
  if (/^[0-9a-f]{8}$/i.test(s)) {
    value = parseInt(s, 16);
  } else if (/^[-+]?0x[0-9a-f]{1,8}$/i.test(s)) {
    const neg = s.startsWith('-');
    value = parseInt(s.replace(/^[-+]?0x/i, ''), 16);
    if (neg) value = -value;
  } else if (/^[-+]?\d{1,10}$/.test(s)) {
    value = Number(s);
  } else {
    return null;
  }
  if (!Number.isSafeInteger(value) || value < -0x80000000 || value > 0xffffffff) return null;
  return value >>> 0;
}

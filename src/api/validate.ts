/**
 * Argument checks that run before anything reaches native code. Errors follow Node's conventions
 * (`TypeError` / `RangeError` with `code` ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE,
 * ERR_OUT_OF_RANGE) so callers can handle them like any other bad argument.
 */
import { isGuid, normalizeGuid } from '../com/guid';

type NodeStyleCode = 'ERR_INVALID_ARG_TYPE' | 'ERR_INVALID_ARG_VALUE' | 'ERR_OUT_OF_RANGE';

export interface ArgumentError extends Error {
  readonly code: NodeStyleCode;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 40 ? `a string of length ${value.length}` : JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return `${typeof value} ${String(value)}`;
}

function make<E extends Error>(Ctor: new (m: string) => E, code: NodeStyleCode, message: string): E & ArgumentError {
  const error = new Ctor(message) as E & { code: NodeStyleCode };
  Object.defineProperty(error, 'code', { value: code, enumerable: true });
  return error;
}

export function invalidArgType(name: string, expected: string, value: unknown): TypeError & ArgumentError {
  return make(TypeError, 'ERR_INVALID_ARG_TYPE', `The "${name}" argument must be ${expected}. Received ${describe(value)}`);
}

export function invalidArgValue(name: string, value: unknown, reason: string): TypeError & ArgumentError {
  return make(TypeError, 'ERR_INVALID_ARG_VALUE', `The argument "${name}" ${reason}. Received ${describe(value)}`);
}

export function outOfRange(name: string, range: string, value: unknown): RangeError & ArgumentError {
  return make(RangeError, 'ERR_OUT_OF_RANGE', `The value of "${name}" is out of range. It must be ${range}. Received ${describe(value)}`);
}

/** A string with no NUL (which would silently cut it short in native code). */
export function validateString(value: unknown, name: string, options: { min?: number; max?: number } = {}): string {
  if (typeof value !== 'string') throw invalidArgType(name, 'of type string', value);
  if (value.includes('\0')) throw invalidArgValue(name, value, 'must not contain NUL characters');
  const { min = 0, max = Infinity } = options;
  if (value.length < min) throw invalidArgValue(name, value, min === 1 ? 'must not be empty' : `must have at least ${min} characters`);
  if (value.length > max) throw invalidArgValue(name, value, `must have at most ${max} characters`);
  return value;
}

export function validateOptionalString(value: unknown, name: string, options: { max?: number } = {}): string | null {
  return value === undefined || value === null ? null : validateString(value, name, options);
}

/** CreateJob and SetDisplayName accept 1–256 characters. */
export function validateDisplayName(value: unknown, name = 'displayName'): string {
  return validateString(value, name, { min: 1, max: 256 });
}

/** SetDescription accepts up to 1,024 characters. */
export function validateDescription(value: unknown, name = 'description'): string {
  return validateString(value, name, { max: 1024 });
}

/** 32-bit unsigned integer (seconds, flags). */
export function validateUint32(value: unknown, name: string): number {
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
  if (!Number.isInteger(value)) throw outOfRange(name, 'an integer', value);
  if (value < 0 || value > 0xffffffff) throw outOfRange(name, '>= 0 and <= 4294967295', value);
  return value;
}

/** An HRESULT in either form: signed (-2^31 … 2^31-1) or unsigned (0 … 2^32-1). Returns it unsigned. */
export function validateHResult(value: unknown, name: string): number {
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0xffffffff) {
    throw outOfRange(name, 'a 32-bit integer (signed or unsigned)', value);
  }
  return value >>> 0;
}

export function validateUint64(value: unknown, name: string): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value !== 'bigint') throw invalidArgType(name, 'of type bigint or a safe integer', value);
  if (value < 0n || value > 0xffffffffffffffffn) throw outOfRange(name, '>= 0n and <= 2n ** 64n - 1n', value);
  return value;
}

export function validateBoolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw invalidArgType(name, 'of type boolean', value);
  return value;
}

/** A member of a numeric TypeScript enum. */
export function validateEnum<E extends Record<string, string | number>>(value: unknown, enumObject: E, name: string): E[keyof E] & number {
  if (typeof value !== 'number') throw invalidArgType(name, 'a number from the enum', value);
  const members = Object.values(enumObject).filter((v): v is number => typeof v === 'number');
  if (!Number.isInteger(value) || !members.includes(value)) {
    throw outOfRange(name, `one of ${members.join(', ')}`, value);
  }
  return value as E[keyof E] & number;
}

/** A bit set whose bits all belong to `allowedMask`. */
export function validateFlags(value: unknown, allowedMask: number, name: string): number {
  const n = validateUint32(value, name);
  if ((n & ~allowedMask) !== 0) throw outOfRange(name, `a combination of the bits 0x${allowedMask.toString(16)}`, value);
  return n;
}

export function validateGuid(value: unknown, name: string): string {
  if (typeof value !== 'string') throw invalidArgType(name, 'a GUID string', value);
  if (!isGuid(value)) throw invalidArgValue(name, value, 'must be a GUID like "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"');
  return normalizeGuid(value);
}

const WINDOWS_ABSOLUTE = /^(?:[a-zA-Z]:[\\/]|\\\\[^\\/?]+[\\/][^\\/]+)/;
/** Win32 rejects these in file names (':' is allowed only after the drive letter). */
const WINDOWS_BAD_CHARS = /[<>"|?*\u0001-\u001f]/;

/**
 * A fully qualified local path: `C:\dir\file` or `\\server\share\file`. A POSIX absolute path is
 * accepted only when the service is not Windows itself (the testing fake).
 */
export function validateLocalPath(value: unknown, name: string, options: { posix?: boolean } = {}): string {
  const path = validateString(value, name, { min: 1, max: 32767 });
  if (options.posix && path.startsWith('/')) return path;
  if (!WINDOWS_ABSOLUTE.test(path)) {
    throw invalidArgValue(name, value, 'must be a fully qualified path such as C:\\Downloads\\file.bin or \\\\server\\share\\file.bin (relative paths are resolved by the service, not by you)');
  }
  const rest = path.startsWith('\\\\') ? path.slice(2) : path.slice(2);
  if (WINDOWS_BAD_CHARS.test(rest) || rest.includes(':')) throw invalidArgValue(name, value, 'contains characters Windows does not allow in paths');
  return path;
}

/** http:// and https:// URLs (plus UNC paths for BITS), at most 2,200 characters. */
export function validateRemoteUrl(value: unknown, name: string, options: { allowUnc?: boolean } = {}): string {
  const url = validateString(value, name, { min: 1, max: 2200 });
  if (options.allowUnc && /^\\\\[^\\]+\\[^\\]+/.test(url)) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidArgValue(name, value, 'must be an absolute http:// or https:// URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalidArgValue(name, value, `uses the scheme ${parsed.protocol.replace(/:$/, '')}, but the service downloads only http and https${options.allowUnc ? ' (and UNC paths)' : ''}`);
  }
  return url;
}

export function validateFunction<F extends (...args: never[]) => unknown>(value: unknown, name: string): F {
  if (typeof value !== 'function') throw invalidArgType(name, 'of type function', value);
  return value as F;
}

export function validateOptionsObject(value: unknown, name: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidArgType(name, 'an object', value);
  return value as Record<string, unknown>;
}

export function validateAbortSignal(value: unknown, name: string): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || typeof (value as AbortSignal).aborted !== 'boolean' || typeof (value as AbortSignal).addEventListener !== 'function') {
    throw invalidArgType(name, 'an AbortSignal', value);
  }
  return value as AbortSignal;
}

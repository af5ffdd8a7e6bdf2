/**
 * Argument checks that run before anything reaches native code. Errors follow Node's conventions
 * (`TypeError` / `RangeError` with `code` ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE,
 * ERR_OUT_OF_RANGE) so callers can handle them like any other bad argument.
 */
import { isGuid, normalizeGuid } from '../com/guid';

// Re-exported for the CLI, which checks job ids itself (with its own message) and must not import src/com.
export { isGuid, normalizeGuid };
import { UINT64_MAX } from '../com/marshal';
import * as fs from 'fs';
import { redact } from '../secrets';

type NodeStyleCode = 'ERR_INVALID_ARG_TYPE' | 'ERR_INVALID_ARG_VALUE' | 'ERR_OUT_OF_RANGE';

export interface ArgumentError extends Error {
  readonly code: NodeStyleCode;
}

/** DEL, C1 controls and the Unicode line separators, which JSON.stringify leaves raw, as \\uXXXX. */
function escapeInvisible(json: string): string {
  return json.replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 40 ? `a string of length ${value.length}` : redact(escapeInvisible(JSON.stringify(value)));
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

/**
 * Longest duration a Node.js timer can wait (2^31 - 1 ms, about 24.8 days). A longer one would
 * overflow to 1 ms (with a TimeoutOverflowWarning), so every duration is checked against it.
 */
export const MAX_DURATION_MS = 0x7fffffff;

/** A duration in milliseconds: an integer from `min` (default 0) to MAX_DURATION_MS. */
export function validateDuration(value: unknown, name: string, options: { min?: number } = {}): number {
  const min = options.min ?? 0;
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
  if (!Number.isInteger(value)) throw outOfRange(name, 'an integer', value);
  if (value < min || value > MAX_DURATION_MS) throw outOfRange(name, `>= ${min} and <= ${MAX_DURATION_MS} (milliseconds)`, value);
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
  if (value < 0n || value > UINT64_MAX) throw outOfRange(name, '>= 0n and <= 2n ** 64n - 1n', value);
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

/** Win32 rejects these in file names (':' is allowed only after the drive letter). */
const WINDOWS_BAD_CHARS = /[<>"|?*\u0001-\u001f]/;
/**
 * Names Win32 maps to devices in any folder, with or without an extension: "NUL.txt and NUL.tar.gz
 * are both equivalent to NUL" (learn.microsoft.com/windows/win32/fileio/naming-a-file).
 */
export const DEVICE_NAME = /^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³]|CONIN\$|CONOUT\$)(\..*)?$/i;
const DRIVE_PATH = /^[a-zA-Z]:[\\/]/;
/** `\\server\share\…`, where the server is a name, not `.` or `?` (those prefixes are namespaces). */
const UNC_PATH = /^[\\/]{2}(?![.?][\\/])[^\\/]+[\\/][^\\/]+/;
/** `\\.\` (devices: NUL, pipes, disks) and `\\?\` (paths Win32 does not normalise). */
const NAMESPACE_PREFIX = /^[\\/]{2}[.?][\\/]/;

/** A path written as a folder (`C:\dl\`, `/tmp/`): the reason, with an example in the path's own style. */
function endsInSeparator(folder: string): string {
  return `ends in a path separator, so it names a folder, not a file: give the file's full path (${folder}file.bin, not ${folder})`;
}

function pathComponents(path: string): string[] {
  return path.split(/[\\/]/).filter((c) => c !== '');
}

/**
 * What is wrong with a Windows path the service would open, or null. Refused on purpose: the
 * `\\.\` and `\\?\` namespaces (a device or a path Win32 does not normalise, never a plain file
 * the caller meant), device names (NUL, COM1 …) as a file or folder name, and a name ending in a
 * dot or a space (Win32 strips them, so the file would land under another name).
 */
function windowsPathProblem(path: string): string | null {
  if (NAMESPACE_PREFIX.test(path)) {
    return 'is in the \\\\.\\ or \\\\?\\ namespace (a device, or a path Windows does not normalise; BITS takes no \\\\?\\ long paths, BG_FILE_INFO: "Do not include the \\\\? prefix"): give a plain path such as C:\\Downloads\\file.bin or \\\\server\\share\\file.bin';
  }
  if (!DRIVE_PATH.test(path) && !UNC_PATH.test(path)) {
    return 'must be a fully qualified path such as C:\\Downloads\\file.bin or \\\\server\\share\\file.bin (relative paths are resolved by the service, not by you)';
  }
  const rest = path.slice(2);
  if (WINDOWS_BAD_CHARS.test(rest) || rest.includes(':')) return 'contains characters Windows does not allow in paths';
  if (/[\\/]$/.test(path)) return endsInSeparator('C:\\Downloads\\');
  for (const c of pathComponents(rest)) {
    if (c === '.' || c === '..') return 'contains a "." or ".." component (give the path the file should have)';
    if (/[. ]$/.test(c)) return `has a name ending in a dot or a space ("${c}"), which Windows strips, so the file would get another name`;
    if (DEVICE_NAME.test(c)) return `uses the device name "${c}" (Windows opens the device, not a file)`;
  }
  return null;
}

/**
 * MAX_PATH: BG_FILE_INFO limits a BITS job's local name to it: "The path is limited to MAX_PATH,
 * not including the null terminator … Do not include the \\? prefix in the path"
 * (learn.microsoft.com/windows/win32/api/bits/ns-bits-bg_file_info). So the `\\?\` long-path
 * form does not lift the limit for BITS: it is refused (see NAMESPACE_PREFIX) and so is a longer path.
 */
export const BITS_MAX_LOCAL_PATH = 260;

/** A folder that exists on this machine (only where the path is this machine's: no UNC, whose server may take long to answer). */
export function isExistingFolder(path: string): boolean {
  try {
    // throwIfNoEntry: a missing file (the usual case) is no exception: one is ~10× the cost of the
    // stat itself, which addFiles() of 1,000 files pays 1,000 times.
    return fs.statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
  } catch {
    return false; // missing (the usual case), or not ours to look at: the service answers
  }
}

/**
 * A fully qualified local path naming a file: `C:\dir\file` or `\\server\share\file`. A POSIX
 * absolute path is accepted only when the service is not Windows itself (the testing fake); such a
 * service writes to this machine's file system, so off Windows it takes only this machine's paths.
 * `maxLength`: the service's documented limit (BITS_MAX_LOCAL_PATH for the BITS interfaces).
 */
export function validateLocalPath(value: unknown, name: string, options: { posix?: boolean; maxLength?: number; folderCheck?: boolean } = {}): string {
  const path = validateString(value, name, { min: 1, max: 32767 });
  const posixPath = options.posix === true && path.startsWith('/') && !path.startsWith('//');
  if (posixPath && path.endsWith('/')) throw invalidArgValue(name, value, endsInSeparator('/downloads/'));
  const problem = posixPath ? null : windowsPathProblem(path);
  if (problem) throw invalidArgValue(name, value, problem);
  if (options.maxLength !== undefined && path.length > options.maxLength) {
    throw invalidArgValue(name, value,
      `is ${path.length} characters long, but the service takes local paths of at most ${options.maxLength} characters ` +
        '(MAX_PATH, BG_FILE_INFO; the \\\\?\\ long-path form is not supported by BITS): choose a shorter folder or file name');
  }
  if (!posixPath && options.posix && process.platform !== 'win32') {
    throw invalidArgValue(name, value,
      `is a Windows path, but this service (the testing fake) writes files on this machine (${process.platform}), ` +
        "where it names no folder: give a path of this system, such as path.join(os.tmpdir(), 'setup.exe')");
  }
  if (options.folderCheck !== false && isLocalToThisMachine(path, options.posix === true) && isExistingFolder(path)) throw existingFolder(name, path);
  return path;
}

/** Whether a checked local path is one of this machine's, so that its file system can be asked about it. */
export function isLocalToThisMachine(path: string, posix: boolean): boolean {
  const posixPath = posix && path.startsWith('/') && !path.startsWith('//');
  return posixPath ? process.platform !== 'win32' : process.platform === 'win32' && DRIVE_PATH.test(path);
}

/** The error for a local path that names an existing folder. */
export function existingFolder(name: string, path: string): Error {
  return invalidArgValue(name, path, 'names an existing folder, not a file: give the file\'s full path inside it');
}

/** C0 controls (TAB, CR, LF …), the space, DEL and C1 controls: never in a URL as it is sent. */
const NOT_IN_URL = /[\u0000-\u0020\u007f-\u009f]/;
/** A URL scheme, anywhere (" http://x" too: the WHATWG parser strips that space, the service would not). */
const SCHEME = /[a-z][a-z0-9+.-]*:/i;
/** Controls only: a UNC or drive path may hold spaces. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function characterName(ch: string): string {
  const code = `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  const names: Record<string, string> = { ' ': 'a space', '\t': 'a TAB', '\r': 'a carriage return (CR)', '\n': 'a line feed (LF)' };
  return `${names[ch] ?? 'the control character'} ${code}`;
}

/**
 * What is wrong with the characters of a remote name, or null. BG_FILE_INFO: "The URL must contain
 * only legal URL characters; no escape processing is performed" (learn.microsoft.com/windows/win32/
 * api/bits/ns-bits-bg_file_info). So the service sends what it is given: a raw CR LF would end the
 * request line (header injection), a raw space is not a URL character. The library refuses them
 * rather than percent-encoding them itself: a URL that is already encoded would be encoded twice.
 */
function remoteCharacterProblem(text: string, isUrl: boolean): string | null {
  const match = (isUrl ? NOT_IN_URL : CONTROL).exec(text);
  if (!match) return null;
  const ch = match[0];
  const what = `contains ${characterName(ch)} at index ${match.index}`;
  if (!isUrl) return `${what}: a remote path holds no control characters`;
  const encoded = encodeURIComponent(ch);
  return ch === ' '
    ? `${what}: a URL cannot hold a raw space (BITS sends the URL as given, BG_FILE_INFO), encode it as %20`
    : `${what}: a URL holds no control characters or whitespace (BITS sends the URL as given, BG_FILE_INFO); if the server really expects one, encode it (${encoded})`;
}

/** A remote name as error messages may show it: userinfo hidden even when it holds spaces or controls (which redact() stops at). */
function shownRemote(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@');
}

/** A remote name for a message of the CLI: userinfo and secrets hidden, control characters as \\uXXXX. */
export function remoteForMessage(text: string): string {
  return redact(shownRemote(text).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/**
 * A prefix for ReplaceRemotePrefix (`http://old-server`, `\\\\old\\share`): 1–2,200 characters, no
 * control characters, and no whitespace when it is a URL (the same rule as validateRemoteUrl).
 */
export function validateRemotePrefix(value: unknown, name: string): string {
  const prefix = validateString(value, name, { min: 1, max: 2200 });
  const problem = remoteCharacterProblem(prefix, /^[a-z][a-z0-9+.-]*:/i.test(prefix));
  if (problem) throw invalidArgValue(name, shownRemote(prefix), problem);
  return prefix;
}

/** Which remote names a service takes. */
export type RemoteNameFlavour = 'bits' | 'delivery-optimization';

const HTTP_SCHEMES = new Set(['http:', 'https:']);

/**
 * A remote name as the service documents it, at most 2,200 characters.
 * BITS (BG_FILE_INFO): http:// and https:// URLs, UNC paths, full paths on a (network) drive, and
 * file:// URLs. Delivery Optimization: http:// and https:// only (its downloads come from HTTP
 * servers and peers; nothing documents another form). `\\.\` and `\\?\` names are refused for
 * both: they name devices or bypass Win32's path rules (Wine copied a local file's bytes).
 */
export function validateRemoteUrl(value: unknown, name: string, options: { flavour?: RemoteNameFlavour } = {}): string {
  const url = validateString(value, name, { min: 1, max: 2200 });
  const bits = options.flavour === 'bits';
  const service = bits ? 'BITS' : 'Delivery Optimization';
  const accepted = bits
    ? 'an http:// or https:// URL, a UNC path (\\\\server\\share\\file), a full path on a drive (C:\\dir\\file) or a file:// URL'
    : 'an http:// or https:// URL (UNC paths, drive paths and file:// URLs need BITS: { service: \'bits\' })';
  const shown = shownRemote(url);
  const isPath = DRIVE_PATH.test(url) || UNC_PATH.test(url) || NAMESPACE_PREFIX.test(url);
  // Text with no scheme anywhere ("not a url") is told what a remote name is, below.
  const characters = isPath || SCHEME.test(url) ? remoteCharacterProblem(url, !isPath) : null;
  if (characters) throw invalidArgValue(name, shown, characters);
  if (NAMESPACE_PREFIX.test(url)) throw invalidArgValue(name, value, `is in the \\\\.\\ or \\\\?\\ namespace, which ${service} is not given: it must be ${accepted}`);
  if (DRIVE_PATH.test(url) || UNC_PATH.test(url)) {
    if (!bits) throw invalidArgValue(name, value, `is a file path, but Delivery Optimization downloads only http:// and https:// URLs; it must be ${accepted}`);
    const problem = windowsPathProblem(url);
    if (problem) throw invalidArgValue(name, value, problem);
    return url;
  }
  if (/^file:/i.test(url)) {
    if (!bits) throw invalidArgValue(name, value, `is a file:// URL, but Delivery Optimization downloads only http:// and https:// URLs; it must be ${accepted}`);
    if (/^[.?][\\/]/.test(url.replace(/^file:[\\/]*/i, ''))) {
      throw invalidArgValue(name, value, `is a file:// URL into the \\\\.\\ or \\\\?\\ namespace; it must be ${accepted}`);
    }
    if (!/^file:\/\/./i.test(url)) throw invalidArgValue(name, value, `must be ${accepted} (a file URL starts with file://)`);
    return url;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidArgValue(name, value, `must be ${accepted}`);
  }
  if (!HTTP_SCHEMES.has(parsed.protocol)) {
    throw invalidArgValue(name, value, `uses the scheme ${parsed.protocol.replace(/:$/, '')}, but ${service} takes ${accepted}`);
  }
  if (parsed.hostname === '') throw invalidArgValue(name, value, `has no host; it must be ${accepted}`);
  return url;
}

export function validateFunction<F extends (...args: never[]) => unknown>(value: unknown, name: string): F {
  if (typeof value !== 'function') throw invalidArgType(name, 'of type function', value);
  return value as F;
}

/**
 * An options object, read once: each of `keys` is read exactly one time (a getter that answers
 * differently on a second read cannot slip a value past the checks), into a plain object.
 */
export function validateOptionsObject<K extends string>(value: unknown, name: string, keys: readonly K[]): Partial<Record<K, unknown>>;
/** Without `keys`: the object itself (its getters run whenever the caller reads them). */
export function validateOptionsObject(value: unknown, name: string): Record<string, unknown>;
export function validateOptionsObject(value: unknown, name: string, keys?: readonly string[]): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidArgType(name, 'an object', value);
  const source = value as Record<string, unknown>;
  if (!keys) return source;
  const copy: Record<string, unknown> = {};
  for (const key of keys) copy[key] = source[key];
  return copy;
}

export function validateAbortSignal(value: unknown, name: string): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || typeof (value as AbortSignal).aborted !== 'boolean' || typeof (value as AbortSignal).addEventListener !== 'function') {
    throw invalidArgType(name, 'an AbortSignal', value);
  }
  return value as AbortSignal;
}

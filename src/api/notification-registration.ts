/**
 * A script registered as the current user's COM local server for a CLSID, so that BITS (or any
 * client) can launch it: `HKCU\Software\Classes\CLSID\{clsid}\LocalServer32` =
 * `"<node.exe>" "<script>"`; COM appends ` -Embedding` when it launches it (measured under Wine:
 * with it in the value as well, the script received it twice). Only the current user's hive,
 * never HKLM: no elevation.
 * Keys this library wrote carry the script in a value of their own, so that `unregister` and
 * `doctor` never take another program's class for ours.
 */
import * as fs from 'fs';
import * as path from 'path';
import { UserClassRegistry, windowsRuntime, type ComRuntime } from '../com';
import { PlatformNotSupportedError } from '../errors';
import { connection } from './failures';
import { invalidArgValue, validateGuid, validateOptionsObject, validateString } from './validate';

/** The class key's value naming the script: the mark of a key this library wrote. */
export const SCRIPT_VALUE = 'DeliveryOptimizationNotificationScript';
const CLASS_NAME = 'delivery-optimization notification server';

/** What `registerNotificationServer` wrote. */
export interface NotificationServerRegistration {
  /** Lowercase, no braces. */
  readonly clsid: string;
  /** The script COM launches. */
  readonly script: string;
  /** LocalServer32 as written: `"<node.exe>" "<script>"` (COM appends `-Embedding` when it launches it). */
  readonly commandLine: string;
}

/** One of the user's notification servers, as `listNotificationServers` (and `doctor`) report it. */
export interface RegisteredNotificationServer extends NotificationServerRegistration {
  /** True when the script no longer exists: COM would launch node.exe on a missing file. */
  readonly stale: boolean;
}

/** What `registerNotificationServer` registers. */
export interface RegisterNotificationServerOptions {
  /** The CLSID to serve (a GUID of your own: generate one once, e.g. with `crypto.randomUUID()`). */
  readonly clsid: string;
  /** Absolute path of the script that calls `serveNotifications()`. */
  readonly script: string;
  /** The node.exe COM starts (default: this process's, `process.execPath`). */
  readonly node?: string;
}

/** An absolute path (Windows' rules: `C:\…` or `\\server\share\…`) of an existing file. */
function existingFile(value: unknown, name: string): string {
  const text = validateString(value, name, { min: 1 });
  if (!path.win32.isAbsolute(text) || !/^([a-zA-Z]:[\\/]|[\\/]{2}[^\\/])/.test(text)) throw invalidArgValue(name, text, 'must be an absolute path (C:\\… or \\\\server\\share\\…)');
  // A quote would end the quoted argument in the command line COM runs.
  if (text.includes('"')) throw invalidArgValue(name, text, 'must not contain a double quote');
  let stat: fs.Stats;
  try {
    stat = fs.statSync(text);
  } catch {
    throw invalidArgValue(name, text, 'must name an existing file');
  }
  if (!stat.isFile()) throw invalidArgValue(name, text, 'must name a file, not a folder');
  return path.win32.normalize(text);
}

/** The current user's class registry, with the library's typed errors. */
function userClasses(runtime?: ComRuntime): UserClassRegistry {
  if (process.platform !== 'win32') throw new PlatformNotSupportedError({ feature: 'Registering a COM local server' });
  return new UserClassRegistry(connection({ kind: 'bits', displayName: 'BITS', clsid: '', runtime: runtime ?? windowsRuntime() }).runtime);
}

/** The command line COM runs to launch `script` with `node`. */
export function localServerCommandLine(node: string, script: string): string {
  return `"${node}" "${script}"`;
}

/**
 * Registers `script` as the current user's COM local server for `clsid`, so that BITS launches it
 * (with node.exe) when a job whose notification CLSID is `clsid` finishes. Arguments are checked
 * before anything is written; the key is written whole or not at all. A key that exists and was
 * not written by this library is left alone (`ERR_INVALID_ARG_VALUE`); one of ours is replaced.
 */
export function registerNotificationServer(options: RegisterNotificationServerOptions): NotificationServerRegistration {
  const o = validateOptionsObject(options, 'options', ['clsid', 'script', 'node']);
  const clsid = validateGuid(o.clsid, 'options.clsid');
  const script = existingFile(o.script, 'options.script');
  const node = existingFile(o.node ?? process.execPath, 'options.node');
  const registry = userClasses();
  const commandLine = localServerCommandLine(node, script);
  let foreign = false;
  registry.write(clsid, { name: CLASS_NAME, localServer32: commandLine, values: { [SCRIPT_VALUE]: script } }, (existing) => {
    foreign = existing.values[SCRIPT_VALUE] === null;
    return !foreign;
  });
  if (foreign) throw invalidArgValue('options.clsid', clsid, 'is already registered for this user by another program (HKCU\\Software\\Classes\\CLSID); pick another GUID');
  return { clsid, script, commandLine };
}

/**
 * Removes the registration of `clsid` (the whole key tree). Resolves false when there was none;
 * refuses (`ERR_INVALID_ARG_VALUE`) a class key this library did not write.
 */
export function unregisterNotificationServer(clsid: string): boolean {
  const id = validateGuid(clsid, 'clsid');
  const registry = userClasses();
  const existing = registry.read(id, [SCRIPT_VALUE]);
  if (existing === null) return false;
  if (existing.values[SCRIPT_VALUE] === null) throw invalidArgValue('clsid', id, 'is registered by another program, not as a notification server: left alone');
  return registry.remove(id);
}

/** The notification servers registered for the current user; `stale` ones name a script that is gone. */
export function listNotificationServers(): RegisteredNotificationServer[] {
  const registry = userClasses();
  const found: RegisteredNotificationServer[] = [];
  for (const clsid of registry.list()) {
    const key = registry.read(clsid, [SCRIPT_VALUE]);
    const script = key?.values[SCRIPT_VALUE];
    if (!key || !script) continue;
    found.push({ clsid, script, commandLine: key.localServer32 ?? '', stale: !fs.existsSync(script) });
  }
  return found;
}

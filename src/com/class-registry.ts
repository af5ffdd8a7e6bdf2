/**
 * Per-user COM class registrations: `HKCU\Software\Classes\CLSID\{clsid}` and its `LocalServer32`
 * command line, written and removed through advapi32 (bound on first use). Only the current
 * user's hive: nothing here needs elevation, and nothing touches HKLM.
 *
 * A class key is written whole or not at all: when a step fails after the key was created, the
 * key tree is deleted again before the error is thrown.
 */
import { failure } from './failure';
import { normalizeGuid } from './guid';
import { koffi, pointerSize, stdcall } from './koffi';
import type { ComRuntime } from './runtime';

const KEY_READ = 0x20019;
const KEY_WRITE = 0x20006;
const REG_SZ = 1;
const REG_CREATED_NEW_KEY = 1;
const RRF_RT_REG_SZ = 0x2;
const ERROR_FILE_NOT_FOUND = 2;
const ERROR_MORE_DATA = 234;
const ERROR_NO_MORE_ITEMS = 259;

/** Where the current user's classes live (HKCU\Software\Classes\CLSID). */
export const USER_CLASSES_KEY = 'Software\\Classes\\CLSID';

/** HKEY_CURRENT_USER: (HKEY)(LONG)0x80000001, sign-extended to the pointer's width. */
const hkcu = (): bigint => (pointerSize() === 8 ? 0xffffffff80000001n : 0x80000001n);

interface Advapi32 {
  RegCreateKeyExW(key: bigint, subKey: string, reserved: number, cls: null, options: number, sam: number, sa: null, result: Buffer, disposition: Buffer): number;
  RegOpenKeyExW(key: bigint, subKey: string, options: number, sam: number, result: Buffer): number;
  RegSetValueExW(key: bigint, name: string | null, reserved: number, type: number, data: Buffer, size: number): number;
  RegGetValueW(key: bigint, subKey: string | null, value: string | null, flags: number, type: null, data: Buffer | null, size: Buffer): number;
  RegEnumKeyExW(key: bigint, index: number, name: Buffer, size: Buffer, reserved: null, cls: null, clsSize: null, time: null): number;
  RegDeleteTreeW(key: bigint, subKey: string): number;
  RegCloseKey(key: bigint): number;
}

let bound: Advapi32 | undefined;

function bind(): Advapi32 {
  if (bound) return bound;
  const lib = koffi().load('advapi32.dll');
  const cc = stdcall();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const f = (decl: string): any => lib.func(decl);
  bound = {
    RegCreateKeyExW: f(`int32_t ${cc}RegCreateKeyExW(void *key, const char16_t *sub, uint32_t reserved, void *cls, uint32_t options, uint32_t sam, void *sa, void *result, void *disposition)`),
    RegOpenKeyExW: f(`int32_t ${cc}RegOpenKeyExW(void *key, const char16_t *sub, uint32_t options, uint32_t sam, void *result)`),
    RegSetValueExW: f(`int32_t ${cc}RegSetValueExW(void *key, const char16_t *name, uint32_t reserved, uint32_t type, void *data, uint32_t size)`),
    RegGetValueW: f(`int32_t ${cc}RegGetValueW(void *key, const char16_t *sub, const char16_t *value, uint32_t flags, void *type, void *data, void *size)`),
    RegEnumKeyExW: f(`int32_t ${cc}RegEnumKeyExW(void *key, uint32_t index, void *name, void *size, void *reserved, void *cls, void *clsSize, void *time)`),
    RegDeleteTreeW: f(`int32_t ${cc}RegDeleteTreeW(void *key, const char16_t *sub)`),
    RegCloseKey: f(`int32_t ${cc}RegCloseKey(void *key)`),
  };
  return bound;
}

/** A Win32 error code as its HRESULT (HRESULT_FROM_WIN32). */
const fromWin32 = (code: number): number => (code <= 0 ? code : ((code & 0xffff) | 0x80070000) >>> 0);

const readKey = (b: Buffer): bigint => (pointerSize() === 8 ? b.readBigUInt64LE(0) : BigInt(b.readUInt32LE(0)));

/** What one class key holds. */
export interface ClassKey {
  readonly clsid: string;
  /** The key's default value (the class's name), or null. */
  readonly name: string | null;
  /** LocalServer32's default value, or null. */
  readonly localServer32: string | null;
  /** The named string values asked for (null where absent). */
  readonly values: Readonly<Record<string, string | null>>;
}

export interface ClassKeyContent {
  readonly name: string;
  readonly localServer32: string;
  /** More REG_SZ values of the class key. */
  readonly values?: Readonly<Record<string, string>>;
}

/** Per-user class registration in the registry; `runtime` makes the errors (its failure factory). */
export class UserClassRegistry {
  constructor(readonly runtime: ComRuntime) {}

  #fail(code: number, operation: string): Error {
    return failure(this.runtime, fromWin32(code), operation);
  }

  /**
   * Writes `HKCU\…\CLSID\{clsid}` with `content`. `mayReplace(existing)` decides whether an existing
   * key may be overwritten (it is left as it was when it says no, or when a write fails). Returns true
   * when the key was created, false when it was replaced.
   */
  write(clsid: string, content: ClassKeyContent, mayReplace: (existing: ClassKey) => boolean): boolean {
    const api = bind();
    const path = `${USER_CLASSES_KEY}\\{${normalizeGuid(clsid)}}`;
    const existing = this.read(clsid, Object.keys(content.values ?? {}));
    if (existing && !mayReplace(existing)) return false;
    const out = Buffer.alloc(pointerSize());
    const disposition = Buffer.alloc(4);
    let rc = api.RegCreateKeyExW(hkcu(), path, 0, null, 0, KEY_WRITE, null, out, disposition);
    if (rc !== 0) throw this.#fail(rc, `RegCreateKeyExW(HKCU\\${path})`);
    const created = disposition.readUInt32LE(0) === REG_CREATED_NEW_KEY;
    const key = readKey(out);
    let sub: bigint | null = null;
    try {
      const set = (k: bigint, name: string | null, text: string, where: string) => {
        const data = Buffer.from(`${text}\0`, 'utf16le');
        const code = api.RegSetValueExW(k, name, 0, REG_SZ, data, data.length);
        if (code !== 0) throw this.#fail(code, `RegSetValueExW(HKCU\\${where}\\${name ?? '(default)'})`);
      };
      set(key, null, content.name, path);
      for (const [name, text] of Object.entries(content.values ?? {})) set(key, name, text, path);
      rc = api.RegCreateKeyExW(key, 'LocalServer32', 0, null, 0, KEY_WRITE, null, out, disposition);
      if (rc !== 0) throw this.#fail(rc, `RegCreateKeyExW(HKCU\\${path}\\LocalServer32)`);
      sub = readKey(out);
      set(sub, null, content.localServer32, `${path}\\LocalServer32`);
    } catch (error) {
      if (sub !== null) api.RegCloseKey(sub);
      api.RegCloseKey(key);
      // No half-written class: a key this call created goes again.
      if (created) api.RegDeleteTreeW(hkcu(), path);
      throw error;
    }
    api.RegCloseKey(sub);
    api.RegCloseKey(key);
    return created;
  }

  /** Deletes the class key and everything under it; false when there was none. */
  remove(clsid: string): boolean {
    const path = `${USER_CLASSES_KEY}\\{${normalizeGuid(clsid)}}`;
    const rc = bind().RegDeleteTreeW(hkcu(), path);
    if (rc === ERROR_FILE_NOT_FOUND) return false;
    if (rc !== 0) throw this.#fail(rc, `RegDeleteTreeW(HKCU\\${path})`);
    // RegDeleteTreeW deletes the key's contents; the key itself goes with RegDeleteKey semantics on
    // Windows, but check rather than trust it.
    if (this.read(clsid) !== null) throw this.#fail(5, `RegDeleteTreeW(HKCU\\${path})`);
    return true;
  }

  /** The class key of `clsid` with the named values, or null when there is none. */
  read(clsid: string, valueNames: readonly string[] = []): ClassKey | null {
    const path = `${USER_CLASSES_KEY}\\{${normalizeGuid(clsid)}}`;
    const api = bind();
    const out = Buffer.alloc(pointerSize());
    const rc = api.RegOpenKeyExW(hkcu(), path, 0, KEY_READ, out);
    if (rc === ERROR_FILE_NOT_FOUND) return null;
    if (rc !== 0) throw this.#fail(rc, `RegOpenKeyExW(HKCU\\${path})`);
    const key = readKey(out);
    try {
      const values: Record<string, string | null> = {};
      for (const name of valueNames) values[name] = this.#string(key, null, name);
      return { clsid: normalizeGuid(clsid), name: this.#string(key, null, null), localServer32: this.#string(key, 'LocalServer32', null), values };
    } finally {
      api.RegCloseKey(key);
    }
  }

  /** The CLSIDs registered for the current user. */
  list(): string[] {
    const api = bind();
    const out = Buffer.alloc(pointerSize());
    const rc = api.RegOpenKeyExW(hkcu(), USER_CLASSES_KEY, 0, KEY_READ, out);
    if (rc === ERROR_FILE_NOT_FOUND) return [];
    if (rc !== 0) throw this.#fail(rc, `RegOpenKeyExW(HKCU\\${USER_CLASSES_KEY})`);
    const key = readKey(out);
    const found: string[] = [];
    try {
      for (let i = 0; ; i++) {
        const name = Buffer.alloc(2 * 256);
        const size = Buffer.alloc(4);
        size.writeUInt32LE(256);
        const code = api.RegEnumKeyExW(key, i, name, size, null, null, null, null);
        if (code === ERROR_NO_MORE_ITEMS) break;
        if (code !== 0) throw this.#fail(code, `RegEnumKeyExW(HKCU\\${USER_CLASSES_KEY})`);
        const text = name.toString('utf16le', 0, 2 * size.readUInt32LE(0));
        if (/^\{[0-9a-f-]{36}\}$/i.test(text)) found.push(normalizeGuid(text));
      }
    } finally {
      api.RegCloseKey(key);
    }
    return found;
  }

  /** A REG_SZ value, or null when absent. */
  #string(key: bigint, sub: string | null, value: string | null): string | null {
    const api = bind();
    const size = Buffer.alloc(4);
    for (let attempt = 0; attempt < 3; attempt++) {
      let rc = api.RegGetValueW(key, sub, value, RRF_RT_REG_SZ, null, null, size);
      if (rc === ERROR_FILE_NOT_FOUND) return null;
      if (rc !== 0 && rc !== ERROR_MORE_DATA) throw this.#fail(rc, `RegGetValueW(${sub ?? ''}\\${value ?? '(default)'})`);
      const data = Buffer.alloc(size.readUInt32LE(0) + 2);
      size.writeUInt32LE(data.length);
      rc = api.RegGetValueW(key, sub, value, RRF_RT_REG_SZ, null, data, size);
      if (rc === ERROR_MORE_DATA) continue; // it grew meanwhile
      if (rc === ERROR_FILE_NOT_FOUND) return null;
      if (rc !== 0) throw this.#fail(rc, `RegGetValueW(${sub ?? ''}\\${value ?? '(default)'})`);
      return data.toString('utf16le', 0, size.readUInt32LE(0)).replace(/\0+$/, '');
    }
    return null;
  }
}

/**
 * Windows' own text for an error code (FormatMessageW), for codes our tables do not know. Win32
 * codes come from the system's message table; WinHTTP / WinINet codes (12000–12999) from those
 * modules' tables, which FormatMessage does not search by itself. Windows only; null elsewhere.
 */
import { koffi, stdcall } from './koffi';

const FORMAT_MESSAGE_IGNORE_INSERTS = 0x200;
const FORMAT_MESSAGE_FROM_HMODULE = 0x800;
const FORMAT_MESSAGE_FROM_SYSTEM = 0x1000;
const LOAD_LIBRARY_AS_DATAFILE = 0x2;
const FACILITY_WIN32 = 7;
/** US English first (what our own messages are in); 0 lets Windows choose. */
const LANGUAGES = [0x0409, 0];

interface Kernel32 {
  FormatMessageW(flags: number, source: bigint | null, id: number, language: number, buffer: Buffer, size: number, args: null): number;
  LoadLibraryExW(name: string, file: null, flags: number): bigint | null;
}

let bound: Kernel32 | null | undefined;
const modules = new Map<string, bigint | null>();

function kernel32(): Kernel32 | null {
  if (bound !== undefined) return bound;
  if (process.platform !== 'win32') return (bound = null);
  try {
    const lib = koffi().load('kernel32.dll');
    const cc = stdcall();
    bound = {
      FormatMessageW: lib.func(`uint32_t ${cc}FormatMessageW(uint32_t flags, void *source, uint32_t id, uint32_t lang, _Out_ uint8_t *buffer, uint32_t size, void *args)`) as unknown as Kernel32['FormatMessageW'],
      LoadLibraryExW: lib.func(`void * ${cc}LoadLibraryExW(const char16_t *name, void *file, uint32_t flags)`) as unknown as Kernel32['LoadLibraryExW'],
    };
  } catch {
    bound = null;
  }
  return bound;
}

/** A message-table module, loaded once as data (never run). */
function messageModule(k: Kernel32, name: string): bigint | null {
  if (!modules.has(name)) modules.set(name, k.LoadLibraryExW(name, null, LOAD_LIBRARY_AS_DATAFILE));
  return modules.get(name) ?? null;
}

function format(k: Kernel32, flags: number, source: bigint | null, id: number): string | null {
  const chars = 2048;
  for (const language of LANGUAGES) {
    const buffer = Buffer.alloc(chars * 2);
    const n = k.FormatMessageW(flags | FORMAT_MESSAGE_IGNORE_INSERTS, source, id >>> 0, language, buffer, chars, null);
    if (n > 0) return buffer.toString('utf16le', 0, n * 2).trim() || null;
  }
  return null;
}

/** Windows' text for an HRESULT, or null (not Windows, or no table knows it). */
export function systemMessage(hr: number): string | null {
  const k = kernel32();
  if (!k) return null;
  const u = hr >>> 0;
  try {
    const isWin32 = ((u >>> 16) & 0x1fff) === FACILITY_WIN32;
    const code = u & 0xffff;
    if (isWin32 && code >= 12000 && code <= 12999) {
      for (const name of ['winhttp.dll', 'wininet.dll']) {
        const module = messageModule(k, name);
        const text = module ? format(k, FORMAT_MESSAGE_FROM_HMODULE, module, code) : null;
        if (text) return text;
      }
    }
    return format(k, FORMAT_MESSAGE_FROM_SYSTEM, null, u) ?? (isWin32 ? format(k, FORMAT_MESSAGE_FROM_SYSTEM, null, code) : null);
  } catch {
    return null;
  }
}

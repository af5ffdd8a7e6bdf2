/** A ComRuntime over libc for tests of the COM core alone (the testing fake has its own). */
import { AsyncCallQueue, koffi, type ComRuntime } from '../../src/com';

export function libcRuntime(limit = 16): ComRuntime & { frees: number; allocs: number } {
  // On Windows the C runtime is msvcrt.dll (malloc/free are cdecl on ia32 too).
  const libc = koffi().load(process.platform === 'win32' ? 'msvcrt.dll' : 'libc.so.6');
  const malloc = libc.func('void *malloc(size_t n)') as unknown as (n: number) => bigint;
  const free = libc.func('void free(void *p)') as unknown as (p: bigint) => void;
  const rt = {
    name: 'libc',
    queue: new AsyncCallQueue(limit),
    tornDown: false,
    frees: 0,
    allocs: 0,
    initialize() {},
    async createInstance() {
      return { hr: 0x80040154, ptr: null };
    },
    coTaskMemAlloc(n: number) {
      rt.allocs++;
      return malloc(n);
    },
    coTaskMemFree(p: bigint) {
      rt.frees++;
      free(p);
    },
    setProxyBlanket() {
      return 0;
    },
    describeApartment() {
      return 'none (libc)';
    },
  };
  return rt;
}

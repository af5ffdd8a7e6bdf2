/**
 * BSTR and VARIANT inputs. A BSTR is a length-prefixed UTF-16 string; marshalling reads the
 * prefix, so a plain UTF-16 buffer would be mis-sent. On Windows it comes from SysAllocString;
 * runtimes without oleaut32 (the testing fake) get the same layout built in native memory.
 */
import { koffi, pointerSize } from './koffi';
import type { ComRuntime } from './runtime';

export const VT_BSTR = 8;

/** sizeof(VARIANT): 24 on 64-bit, 16 on 32-bit. */
export function variantSize(): number {
  return pointerSize() === 8 ? 24 : 16;
}

function allocBstr(runtime: ComRuntime, text: string): { ptr: bigint; free(): void } {
  if (runtime.sysAllocString && runtime.sysFreeString) {
    const ptr = runtime.sysAllocString(text);
    return { ptr, free: () => runtime.sysFreeString!(ptr) };
  }
  const k = koffi();
  const bytes = Buffer.alloc(4 + text.length * 2 + 2);
  bytes.writeUInt32LE(text.length * 2, 0);
  bytes.write(text, 4, 'utf16le');
  const base = k.alloc('uint8_t', bytes.length) as bigint;
  k.encode(base, 'uint8_t', [...bytes], bytes.length);
  return { ptr: base + 4n, free: () => k.free(base) };
}

/** Calls `fn` with a VARIANT of type VT_BSTR holding `text`, then frees the BSTR. */
export async function withBstrVariant<T>(runtime: ComRuntime, text: string, fn: (variant: Buffer) => Promise<T>): Promise<T> {
  if (text.includes('\0')) throw new TypeError('A BSTR passed to COM must not contain NUL characters');
  const bstr = allocBstr(runtime, text);
  try {
    const variant = Buffer.alloc(variantSize());
    variant.writeUInt16LE(VT_BSTR, 0);
    if (pointerSize() === 8) variant.writeBigUInt64LE(bstr.ptr, 8);
    else variant.writeUInt32LE(Number(bstr.ptr), 8);
    return await fn(variant);
  } finally {
    bstr.free();
  }
}

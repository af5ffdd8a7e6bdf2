/** Drains an IEnum* enumerator into owned pointers (Next in batches; each element is AddRef'd). */
import { ComPtr, pointerSize, readPointer, type IEnumUnknown, type Interface } from '../com';
import type { IEnumBackgroundCopyFiles } from '../bits';

const BATCH = 16;

export async function collectEnumerator<I extends Interface>(
  enumerator: ComPtr<typeof IEnumBackgroundCopyFiles> | ComPtr<typeof IEnumUnknown>,
  element: I,
): Promise<Array<ComPtr<I>>> {
  const out: Array<ComPtr<I>> = [];
  const ps = pointerSize();
  try {
    for (;;) {
      const slots = Buffer.alloc(BATCH * ps);
      const next = await (enumerator as ComPtr<typeof IEnumBackgroundCopyFiles>).invokeRaw('Next', BATCH, slots);
      const fetched = Math.min(next.orThrow(), BATCH);
      const hr = next.hr;
      for (let i = 0; i < fetched; i++) {
        const p = readPointer(slots, i * ps);
        if (p !== null) out.push(ComPtr.own(p, element, enumerator.runtime));
      }
      if (hr !== 0 || fetched < BATCH) return out; // S_FALSE: no more
    }
  } catch (error) {
    await Promise.all(out.map((p) => p.release()));
    throw error;
  }
}

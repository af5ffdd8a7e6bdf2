/** Drains an IEnum* enumerator into owned pointers (Next in batches; each element is AddRef'd). */
import { ComPtr, failed, failure, pointerSize, readPointer, type IEnumUnknown, type Interface } from '../com';
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
      const { hr, values } = await (enumerator as ComPtr<typeof IEnumBackgroundCopyFiles>).invokeRaw('Next', BATCH, slots);
      if (failed(hr)) throw failure(hr, `${enumerator.iface.name}::Next`);
      const fetched = Math.min(values[0] ?? 0, BATCH);
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

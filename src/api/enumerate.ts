/** Drains an IEnum* enumerator into owned pointers (Next in batches; each element is AddRef'd). */
import { ComPtr, IUnknown, lateResults, pointerSize, readPointer, type IEnumUnknown, type Interface, type LateHandler } from '../com';
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
      // The elements land in our array, not in an out-parameter the default late handler sees: a
      // Next that timed out and then succeeded has AddRef'd them for nobody, so release them here.
      const late: LateHandler = (lateValues, _plan, runtime) => {
        const n = Math.min(Number(lateValues[0] ?? 0), BATCH);
        for (let i = 0; i < n; i++) {
          const p = readPointer(slots, i * ps);
          if (p === null) continue;
          lateResults.released++;
          ComPtr.own(p, IUnknown, runtime).release().catch(() => undefined);
        }
      };
      const next = await (enumerator as ComPtr<typeof IEnumBackgroundCopyFiles>).onLateResult(late).invokeRaw('Next', BATCH, slots);
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

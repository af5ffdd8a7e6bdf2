/**
 * A typed IEnumBackgroundCopyFiles / IEnumBackgroundCopyJobs: a snapshot of the list the service
 * took when it made the enumerator, read with a cursor. `count()` (GetCount) says how many items
 * there are, `next(n)` reads up to n (Next, one call), `skip(n)` jumps (Skip), `reset()` goes back
 * to the start (Reset), `clone()` gives a second cursor over the same snapshot (Clone; Wine 8
 * does not implement it: NotImplementedError). Items come as owned pointers.
 */
import { ComPtr, S_FALSE, type Interface } from '../com';
import { IEnumBackgroundCopyFiles, type IEnumBackgroundCopyJobs } from '../bits';
import { nextBatch } from './enumerate';
import { validateUint32 } from './validate';

type EnumPtr = ComPtr<typeof IEnumBackgroundCopyFiles> | ComPtr<typeof IEnumBackgroundCopyJobs>;

export class BitsEnumerator<I extends Interface> {
  readonly #enum: ComPtr<typeof IEnumBackgroundCopyFiles>;

  /** Takes ownership of `enumerator`; its items are read as `element`. */
  constructor(enumerator: EnumPtr, readonly element: I) {
    // Both enumerators have the same table (bits/interfaces.ts: enumeratorMethods).
    this.#enum = enumerator as ComPtr<typeof IEnumBackgroundCopyFiles>;
  }

  /** How many items the snapshot holds, wherever the cursor is (GetCount). */
  async count(): Promise<number> {
    return await this.#enum.invoke('GetCount');
  }

  /** Up to `n` items from the cursor on (fewer at the end: none once past it). */
  async next(n: number): Promise<Array<ComPtr<I>>> {
    const wanted = validateUint32(n, 'n');
    return wanted === 0 ? [] : (await nextBatch(this.#enum, this.element, wanted)).got;
  }

  /** Moves the cursor `n` items on; false when fewer than `n` were left (S_FALSE: it is at the end). */
  async skip(n: number): Promise<boolean> {
    const result = await this.#enum.invokeRaw('Skip', validateUint32(n, 'n'));
    result.orThrow();
    return result.hr !== S_FALSE;
  }

  /** Back to the first item. */
  async reset(): Promise<void> {
    await this.#enum.invoke('Reset');
  }

  /** A second cursor over the same snapshot, at the same place (Clone); release it too. */
  async clone(): Promise<BitsEnumerator<I>> {
    const ptr = await this.#enum.invoke('Clone');
    if (ptr === null) throw new Error('Clone returned no enumerator');
    return new BitsEnumerator(ComPtr.own(ptr, IEnumBackgroundCopyFiles, this.#enum.runtime), this.element);
  }

  /** Gives up the enumerator (the items already read are owned by whoever has them). */
  release(): Promise<void> {
    return this.#enum.release();
  }
}

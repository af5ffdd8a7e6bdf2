/**
 * IEnumBackgroundCopyFiles / IEnumBackgroundCopyJobs / IEnumUnknown (IDO downloads) over a snapshot of the items that existed
 * when the enumerator was made. The enumerator holds each item; Next hands out AddRef'd pointers.
 */
import { IEnumBackgroundCopyFiles, IEnumBackgroundCopyJobs } from '../../bits';
import { IEnumUnknown, raw, reply, type Implementation } from '../../com';
import { FakeComObject, lazyImplementation, type HandlerTable, type ObjectContext } from './fake-object';
import { E_INVALIDARG, E_POINTER, S_FALSE, S_OK } from '../service/hresults';
import { arg, write } from './wire';
import { pointerSize } from '../../com';

export type EnumKind = 'files' | 'jobs' | 'unknown';

const IFACE = { files: IEnumBackgroundCopyFiles, jobs: IEnumBackgroundCopyJobs, unknown: IEnumUnknown } as const;

export class FakeEnum extends FakeComObject {
  position: number;
  /** A snapshot: items added to the job or manager later are not enumerated. */
  readonly items: readonly FakeComObject[];

  constructor(ctx: ObjectContext, readonly enumKind: EnumKind, items: readonly FakeComObject[], position = 0) {
    super(ctx, IFACE[enumKind], false);
    this.items = [...items];
    this.position = position;
    for (const item of items) item.hold();
    this.attach(enumKind === 'files' ? filesImplementation() : enumKind === 'jobs' ? jobsImplementation() : unknownImplementation());
  }

  get label(): string {
    return `${this.iface.name} over ${this.items.length} item(s)`;
  }

  protected override onFinalRelease(): void {
    for (const item of this.items) item.drop();
  }
}

/** One table for the three enumerators (same shape; IEnumUnknown has no GetCount). */
function handlers(): HandlerTable<typeof IEnumBackgroundCopyJobs, FakeEnum> {
  return {
    // Raw: it fills the caller's array itself, and pceltFetched may be NULL only when celt is 1.
    Next: raw<FakeEnum>((self, count, rgelt, pFetched) => {
      const celt = arg.u32(count);
      const array = arg.ptr(rgelt);
      const fetched = arg.ptr(pFetched);
      // pceltFetched may be NULL only when asking for one element (IEnumXXXX rules).
      if (fetched === null && celt !== 1) return E_INVALIDARG;
      if (fetched !== null) write.u32(fetched, 0);
      if (array === null) return E_POINTER;
      const n = Math.min(celt, self.items.length - self.position);
      for (let i = 0; i < n; i++) {
        const item = self.items[self.position + i] as FakeComObject;
        write.ptr(array + BigInt(i * pointerSize()), item.clientRef());
      }
      self.position += n;
      if (fetched !== null) write.u32(fetched, n);
      return n === celt ? S_OK : S_FALSE;
    }),
    Skip: (self, celt) => {
      const n = Math.min(celt, self.items.length - self.position);
      self.position += n;
      if (n !== celt) return reply(S_FALSE);
    },
    Reset: (self) => {
      self.position = 0;
    },
    Clone: (self) => new FakeEnum(self.ctx, self.enumKind, self.items, self.position).ptr,
    GetCount: (self) => self.items.length,
  };
}

const filesImplementation: () => Implementation<FakeEnum> = lazyImplementation<FakeEnum, typeof IEnumBackgroundCopyFiles>(
  IEnumBackgroundCopyFiles, handlers);
const jobsImplementation: () => Implementation<FakeEnum> = lazyImplementation<FakeEnum, typeof IEnumBackgroundCopyJobs>(
  IEnumBackgroundCopyJobs, handlers);
/** IEnumUnknown has no GetCount. */
const unknownImplementation: () => Implementation<FakeEnum> = lazyImplementation<FakeEnum, typeof IEnumUnknown>(IEnumUnknown, () => {
  const { GetCount, ...rest } = handlers();
  void GetCount;
  return rest;
});

/**
 * Tear-offs: interfaces whose vtable would clash with the main object's (IBackgroundCopyJobHttpOptions,
 * the IDeliveryOptimization* ones) live in a small separate object that holds its owner. Its
 * QueryInterface(IUnknown) answers the owner, as COM identity requires; other IIDs are the owner's.
 */
import type { Implementation, Interface } from '../../com';
import { FakeComObject, type ObjectContext } from './fake-object';

export abstract class TearOff<O extends FakeComObject, C extends ObjectContext = ObjectContext> extends FakeComObject<C> {
  protected constructor(ctx: C, iface: Interface, readonly owner: O) {
    super(ctx, iface, false);
    owner.hold();
  }

  get label(): string {
    return `${this.iface.name} of ${this.owner.label}`;
  }

  override resolveInterface(iid: string): bigint | null | undefined {
    if (iid === this.iface.iid) return undefined;
    return this.owner.queryInterface(iid);
  }

  protected override onFinalRelease(): void {
    this.owner.drop();
  }
}

/** A tear-off that is nothing but its interface's handler table (the DO job and file tear-offs). */
export class TableTearOff<O extends FakeComObject, C extends ObjectContext = ObjectContext> extends TearOff<O, C> {
  constructor(ctx: C, iface: Interface, owner: O, implementation: Implementation<TableTearOff<O, C>>) {
    super(ctx, iface, owner);
    this.attach(implementation);
  }
}

/** Per owner: the live tear-off of each IID, so repeated QueryInterface calls answer the same one. */
export class TearOffCache {
  readonly #byIid = new Map<string, FakeComObject>();

  /** An AddRef'd pointer to the live tear-off for `iid`, created by `make` when there is none. */
  get(iid: string, make: () => FakeComObject): bigint {
    const existing = this.#byIid.get(iid);
    if (existing?.alive) return existing.clientRef();
    const created = make();
    this.#byIid.set(iid, created);
    return created.ptr; // its creation reference is the caller's
  }
}


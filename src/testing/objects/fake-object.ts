/**
 * The base of every fake COM object, and the one place where its handlers are wrapped: call
 * counting, `notImplemented` / `failures`, dispose and calls-after-release are handled here for
 * every interface alike.
 *
 * Reference counting: `refCount` lives in the native object (JsComObject); `internalRefs` counts
 * the references the fake holds itself (the manager's job list, a job's files, an enumerator's
 * items, a tear-off's hold on its owner). What remains are the client's references, which must be
 * zero at the end of every test.
 */
import { Implementation, IUnknown, type HandlerTable, type Handlers, type ImplementContext, type Interface, type JsComObject } from '../../com';
import { E_NOTIMPL, E_UNEXPECTED, RPC_E_DISCONNECTED } from '../service/hresults';
import { jobPropertyValueBytesType } from './layout';
import { gatedVtable, gatePrototype } from '../native/native-wait';

/**
 * What every fake COM object needs from the service that made it: the fake's books (calls,
 * references, problems) and its gates: the narrow base of the service's one ServiceContext
 * (service/context.ts). An enumerator needs no more.
 */
export interface ObjectContext {
  /** True once `dispose()` ran: objects answer RPC_E_DISCONNECTED. */
  readonly disposed: boolean;
  /** Adds a new object to the fake's books; returns its serial number. */
  register(object: FakeComObject): number;
  countCall(qualifiedName: string): void;
  /** The HRESULT forced by `notImplemented` / `failures` / a 'fail' fault, if any (counts the call). */
  forcedResult(qualifiedName: string): number | undefined;
  /** True when objects get gated vtables (delay / hang faults, held calls). */
  readonly gated: boolean;
  /** Gate of a gated object's method: the native wait record the caller must wait on, or null. */
  waitBefore(object: FakeComObject, qualifiedName: string): bigint | null;
  recordHandlerError(where: string, error: unknown): void;
  /** A reference-counting fault found while it happened (reported by `assertBalanced`). */
  recordProblem(message: string): void;
}

/**
 * One handler per method of `I` beyond IUnknown's, typed from the table (src/com/handlers.ts):
 * the compiler checks the table is complete and each handler's arguments and out-values.
 */
export type { HandlerTable } from '../../com';

export abstract class FakeComObject<C extends ObjectContext = ObjectContext> {
  #com: JsComObject<FakeComObject> | null = null;
  #finalized = false;
  internalRefs: number;
  readonly serial: number;

  /**
   * @param iface the interface the object stands for (its bases are answered by QueryInterface)
   * @param heldByFake true when the fake keeps the creation reference (else it goes to the client)
   */
  protected constructor(
    readonly ctx: C,
    readonly iface: Interface,
    heldByFake: boolean,
  ) {
    this.internalRefs = heldByFake ? 1 : 0;
    this.serial = ctx.register(this);
  }

  /** For messages: `job 'name' {id}`. */
  abstract get label(): string;

  /** The interface name reported by `stats()` (the family's base name). */
  get kind(): string {
    return this.iface.name;
  }

  /** Creates the native object (one reference, which the constructor's `heldByFake` assigned). */
  protected attach<S extends FakeComObject>(this: S, implementation: Implementation<S>): void {
    const self: FakeComObject = this;
    self.#com = implementation.create(this, { gated: this.ctx.gated }) as unknown as JsComObject<FakeComObject>;
  }

  get com(): JsComObject<FakeComObject> {
    if (!this.#com) throw new Error(`${this.label} has no native object yet`);
    return this.#com;
  }

  get ptr(): bigint {
    return this.com.ptr;
  }

  get refCount(): number {
    return this.#com?.refCount ?? 0;
  }

  get alive(): boolean {
    return this.refCount > 0;
  }

  /** A new reference for the client (an out-parameter): AddRef without a vtable call. */
  clientRef(): bigint {
    if (!this.alive) throw new Error(`${this.label} is dead; it cannot be handed out`);
    this.com.refCount++;
    return this.ptr;
  }

  /** The fake takes one more reference of its own. */
  hold(): void {
    if (!this.alive) throw new Error(`${this.label} is dead; the fake cannot hold it`);
    this.com.refCount++;
    this.internalRefs++;
  }

  /** The fake gives up one of its own references. */
  drop(): void {
    if (this.internalRefs <= 0) {
      this.ctx.recordProblem(`the fake dropped a reference it did not hold on ${this.label}`);
      return;
    }
    this.internalRefs--;
    if (!this.alive) return; // already released to zero by an over-releasing client (reported then)
    this.com.refCount--;
    if (this.com.refCount === 0) this.finalRelease();
  }

  /** Runs once, when the reference count reaches zero (client Release or fake `drop`). */
  finalRelease(): void {
    if (this.#finalized) return;
    this.#finalized = true;
    if (this.internalRefs > 0) {
      this.ctx.recordProblem(
        `${this.label} was released to zero while the fake still held ${this.internalRefs} reference(s): the client released more than it owned`,
      );
    }
    this.onFinalRelease();
  }

  /** Releases what the object holds. */
  protected onFinalRelease(): void {}

  /**
   * QueryInterface hook: an AddRef'd pointer, null to refuse, undefined for the default answer
   * (the interface's IIDs and IUnknown, with this same pointer).
   */
  resolveInterface(iid: string): bigint | null | undefined {
    void iid;
    return undefined;
  }

  /** QueryInterface from inside the fake (tear-offs, AddFile's riid): an AddRef'd pointer or null. */
  queryInterface(iid: string): bigint | null {
    const resolved = this.resolveInterface(iid);
    if (resolved !== undefined) return resolved;
    return this.iface.iids.includes(iid) ? this.clientRef() : null;
  }

  /** Frees the native memory once nothing can call the object any more. */
  freeMemory(): void {
    if (this.#com && !this.alive) this.#com.free();
  }
}

/**
 * One Implementation (one vtable of registered callbacks) per class, shared by every fake: koffi
 * allows 8,192 registered callbacks in all and Implementation never unregisters them.
 */
export function lazyImplementation<S extends FakeComObject, I extends Interface>(
  iface: I,
  handlers: () => HandlerTable<I, S>,
): () => Implementation<S> {
  let implementation: Implementation<S> | undefined;
  return () => {
    if (implementation) return implementation;
    const methods = handlers() as Record<string, unknown>;
    for (const name of Object.keys(methods)) {
      if (!(name in iface.methods) || iface.methods[name].slot < IUnknown.slotCount) throw new Error(`${iface.name} has no method ${name}`);
    }
    const qualified = new Map(Object.values(iface.methods).map((m) => [m.name, m.qualifiedName]));
    implementation = new Implementation<S, I>({
      iface,
      methods: methods as Handlers<I, S>,
      missing: E_NOTIMPL,
      onThrowResult: E_UNEXPECTED,
      before: (self, method) => {
        if (self.ctx.disposed) return RPC_E_DISCONNECTED;
        // A call on a released object: counted by JsComObject; nothing must run.
        if (!self.alive) return E_UNEXPECTED;
        return self.ctx.forcedResult(method.qualifiedName);
      },
      // Out-strings are CoTaskMem the fake counts (the service's allocString).
      memory: (self) => self.ctx as unknown as ImplementContext,
      onCall: (name, self) => self.ctx.countCall(qualified.get(name) ?? `${iface.name}::${name}`),
      onError: (error, name, self) => self.ctx.recordHandlerError(qualified.get(name) ?? name, error),
      // A released object must not be resurrected by a late QueryInterface.
      resolve: (iid, self) => (self.ctx.disposed ? undefined : self.alive ? self.resolveInterface(iid) : null),
      onFinalRelease: (self) => self.finalRelease(),
      // Structures are read with the fake's own layouts (layout.ts), never through the table's koffi types.
      callbackParamType: (method, index) => {
        const param = method.params[index];
        if (param.dir !== 'in' || typeof param.c === 'string') return undefined;
        return BY_VALUE_STRUCTS.has(`${method.qualifiedName}#${index}`) ? jobPropertyValueBytesType() : 'void *';
      },
      // Delays, hangs and held calls wait on the caller's thread before the handler runs.
      gate: {
        prototype: gatePrototype,
        build: (vtable, slots, gate) => gatedVtable(vtable, slots, gate, IUnknown.slotCount),
        decide: (self, name) => (self.ctx.disposed ? null : self.ctx.waitBefore(self, qualified.get(name) ?? `${iface.name}::${name}`)),
      },
    });
    return implementation;
  };
}

/** Structures passed by value (all others arrive through pointers the fake reads itself). */
const BY_VALUE_STRUCTS = new Set(['IBackgroundCopyJob5::SetProperty#1']);

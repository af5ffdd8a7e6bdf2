/**
 * COM objects implemented in JavaScript (callback sinks, and the testing fake's service objects).
 *
 * One vtable of `koffi.register`ed callbacks is built per implementation class, not per object
 * (koffi allows 8,192 registered callbacks in all); each callback finds its object from `This`.
 * Objects live in native memory (a pointer to the vtable) so COM can hold them; they are kept
 * while their reference count is positive, and JS exceptions never cross back into native code.
 */
import { koffi, pointerSize, stdcall, type KoffiType } from './koffi';
import type { ImplementContext } from './abi';
import type { Interface, Method } from './interface';
import { methodsInSlotOrder } from './interface';
import { normalizeGuid, guidFromBytes } from './guid';
import { E_NOINTERFACE, E_NOTIMPL, E_POINTER, E_UNEXPECTED, S_OK } from './hresult';
import { HResultAnswer, typedBody, type AnyHandler, type Handlers, type RawArgs } from './handlers';

export * from './handlers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface ImplementationOptions<S, I extends Interface = any> {
  /** The most-derived interface this vtable implements (its bases are answered by QI too). */
  readonly iface: I;
  /** More IIDs answered by QueryInterface with this same pointer. */
  readonly extraIids?: readonly string[];
  /**
   * One handler per non-IUnknown method, typed from the table (handlers.ts), or `raw(fn)`; a
   * missing one returns `missing`.
   */
  readonly methods: Handlers<I, S>;
  /** HRESULT returned for a method with no handler (default E_NOTIMPL). */
  readonly missing?: number;
  /**
   * HRESULT returned when a handler throws anything but `answer(hr)` (default E_UNEXPECTED): a JS
   * exception never crosses into COM.
   */
  readonly onThrowResult?: number;
  /**
   * Runs before every handler (after `onCall`): a number answers the call with that HRESULT
   * without running the handler (the testing fake's disposal and forced failures).
   */
  readonly before?: (self: S, method: Method) => number | undefined;
  /** CoTaskMem for out-strings a handler returns (`$.out.wstr`); without it such a call fails. */
  readonly memory?: (self: S) => ImplementContext;
  /** Told about every exception a handler threw; must not throw itself. */
  readonly onError?: (error: unknown, method: string, self: S) => void;
  /** Called before every method (IUnknown's included), for counters. */
  readonly onCall?: (method: string, self: S) => void;
  /**
   * QueryInterface hook for interfaces served by another object (tear-offs): return an AddRef'd
   * pointer, or null to refuse; undefined falls back to the IID list.
   */
  readonly resolve?: (iid: string, self: S) => bigint | null | undefined;
  /** Called after the last Release. */
  readonly onFinalRelease?: (self: S) => void;
  /**
   * Free an object's native memory this many ms after its last Release (production objects such
   * as notification sinks, so that long-lived processes do not accumulate them). The grace period
   * lets a late call from a misbehaving caller land on a dead object (answered, counted) rather
   * than on freed memory. Unset: never freed (testing fakes keep dead objects to catch late calls).
   */
  readonly freeAfterFinalReleaseMs?: number;
  /**
   * The C type a callback receives for parameter `index` of `method`, instead of the table's
   * (the testing fake reads what it receives with its own layouts). undefined: the table's.
   */
  readonly callbackParamType?: (method: Method, index: number) => string | KoffiType | undefined;
  /**
   * A second vtable for objects created with `{ gated: true }` (the testing fake's waits on the
   * caller's thread): `build(vtable, slotCount, gate)` wraps the plain vtable, `gate` is a registered
   * callback of `prototype` whose JS answer comes from `decide(self, method)`.
   */
  readonly gate?: {
    readonly prototype: () => KoffiType;
    readonly build: (vtable: bigint, slotCount: number, gate: bigint) => bigint;
    readonly decide: (self: S, method: string) => bigint | null;
  };
}

/** A live JS-implemented COM object. */
export class JsComObject<S = unknown> {
  refCount = 1;
  #memory: bigint | null;
  /** Calls that arrived after the final Release (a bug in whoever called). */
  callsAfterRelease = 0;

  constructor(
    readonly implementation: Implementation<S>,
    readonly state: S,
    memory: bigint,
  ) {
    this.#memory = memory;
  }

  /** The interface pointer to hand to COM. */
  get ptr(): bigint {
    if (this.#memory === null) throw new Error('The object memory was freed');
    return this.#memory;
  }

  get alive(): boolean {
    return this.refCount > 0;
  }

  /** Drops one reference held by JS (the creator's); COM holders keep theirs. */
  release(): number {
    if (this.refCount === 0) return 0;
    this.refCount--;
    if (this.refCount === 0) this.implementation.finalRelease(this);
    return this.refCount;
  }

  /** Frees the native memory of a dead object (only once nothing can call it any more). */
  free(): void {
    if (this.refCount > 0 || this.#memory === null) return;
    this.implementation.forget(this.#memory);
    koffi().free(this.#memory);
    this.#memory = null;
  }
}

const IID_IUNKNOWN = '00000000-0000-0000-c000-000000000046';

function hrOf(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value | 0 : fallback | 0;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class Implementation<S = unknown, I extends Interface = any> {
  readonly #objects = new Map<bigint, JsComObject<S>>();
  readonly #iids: Set<string>;
  readonly #registered: bigint[] = [];
  #vtable: bigint | null = null;
  #gatedVtable: bigint | null = null;

  constructor(readonly options: ImplementationOptions<S, I>) {
    this.#iids = new Set([...options.iface.iids, IID_IUNKNOWN, ...(options.extraIids ?? []).map(normalizeGuid)]);
  }

  /** Objects not yet released to zero. */
  get liveCount(): number {
    let n = 0;
    for (const o of this.#objects.values()) if (o.alive) n++;
    return n;
  }

  /** Whether `ptr` is the interface pointer of one of this implementation's live objects. */
  owns(ptr: bigint): boolean {
    return this.#objects.get(ptr)?.alive === true;
  }

  /** Every object created and not yet freed (alive or dead). */
  objects(): JsComObject<S>[] {
    return [...this.#objects.values()];
  }

  /** Creates an object with one reference, owned by the caller. */
  create(state: S, options: { gated?: boolean } = {}): JsComObject<S> {
    const k = koffi();
    const vtable = options.gated ? this.#buildGatedVtable() : this.#buildVtable();
    const memory = k.alloc('void *', 2) as bigint;
    k.encode(memory, 0, 'void *', vtable);
    k.encode(memory, pointerSize(), 'void *', 0n);
    const object = new JsComObject(this, state, memory);
    this.#objects.set(memory, object);
    return object;
  }

  /**
   * Builds the shared vtable now. A server calls it before objects are made inside a callback:
   * callbacks koffi registers while a callback that a synchronous main-thread call started is
   * running fail when called later ("Maximum call stack size exceeded", measured on Linux).
   */
  prepare(): void {
    this.#buildVtable();
  }

  /** Runs once an object's count reaches zero (from COM's Release or from JS). */
  finalRelease(obj: JsComObject<S>): void {
    this.options.onFinalRelease?.(obj.state);
    const grace = this.options.freeAfterFinalReleaseMs;
    if (grace !== undefined) setTimeout(() => obj.free(), grace).unref();
  }

  /** Called by JsComObject.free. */
  forget(memory: bigint): void {
    this.#objects.delete(memory);
  }

  /** Frees the memory of every dead object. */
  sweep(): void {
    for (const o of [...this.#objects.values()]) if (!o.alive) o.free();
  }

  #buildVtable(): bigint {
    if (this.#vtable !== null) return this.#vtable;
    const k = koffi();
    const methods = methodsInSlotOrder(this.options.iface);
    const vtable = k.alloc('void *', methods.length) as bigint;
    methods.forEach((method, slot) => {
      const fn = k.register(this.#trampoline(method), k.pointer(this.#callbackProto(method)));
      this.#registered.push(fn);
      k.encode(vtable, slot * pointerSize(), 'void *', fn);
    });
    this.#vtable = vtable;
    return vtable;
  }

  #buildGatedVtable(): bigint {
    if (this.#gatedVtable !== null) return this.#gatedVtable;
    const gate = this.options.gate;
    if (!gate) throw new Error(`${this.options.iface.name}: no gate was configured`);
    const k = koffi();
    const methods = methodsInSlotOrder(this.options.iface);
    const decide = (self: bigint, slot: number): bigint | null => {
      const obj = this.#objects.get(self);
      if (!obj) return null;
      try {
        return gate.decide(obj.state, methods[slot].name);
      } catch (error) {
        try {
          this.options.onError?.(error, methods[slot].name, obj.state);
        } catch {
          // Nothing may cross back into native code.
        }
        return null;
      }
    };
    const fn = k.register(decide, k.pointer(gate.prototype()));
    this.#registered.push(fn);
    this.#gatedVtable = gate.build(this.#buildVtable(), methods.length, fn);
    return this.#gatedVtable;
  }

  #callbackProto(method: Method): KoffiType {
    const ret = method.returns === 'ulong' ? 'uint32_t' : 'int32_t';
    // Incoming strings stay pointers: the implementer decides how to read them.
    const args = ['void *', ...method.params.flatMap((p, i) => {
      const type = (): string | KoffiType => {
        const override = this.options.callbackParamType?.(method, i);
        if (override !== undefined) return override;
        if (p.dir === 'out') return 'void *';
        if (typeof p.c !== 'string') return p.c();
        return p.c.includes('char16_t') ? 'void *' : p.c;
      };
      // A count+array pair arrives as its two native arguments (an out pair as two addresses).
      if (p.pair) return p.dir === 'in' ? ['uint32_t', type()] : ['void *', 'void *'];
      return [type()];
    })];
    return stdcall() ? koffi().proto('__stdcall', null, ret, args) : koffi().proto(null, ret, args);
  }

  #trampoline(method: Method): (self: bigint, ...args: RawArgs) => number {
    const o = this.options;
    const name = method.name;
    const guard = (self: bigint, body: (obj: JsComObject<S>) => number, fallback: number): number => {
      const obj = this.#objects.get(self);
      if (!obj) return fallback;
      try {
        o.onCall?.(name, obj.state);
        if (!obj.alive) obj.callsAfterRelease++;
        return body(obj);
      } catch (error) {
        try {
          o.onError?.(error, name, obj.state);
        } catch {
          // A reporting hook that throws must not reach native code either.
        }
        return fallback;
      }
    };
    switch (name) {
      case 'QueryInterface':
        return (self, riid, ppv) => guard(self, (obj) => this.#queryInterface(obj, riid as bigint | null, ppv as bigint | null), E_UNEXPECTED);
      case 'AddRef':
        // A dead object stays dead: the late call is counted (callsAfterRelease), not obeyed.
        return (self) => guard(self, (obj) => (obj.alive ? ++obj.refCount : 0), 1);
      case 'Release':
        return (self) => guard(self, (obj) => obj.release(), 1);
      default: {
        const handler = (o.methods as Record<string, AnyHandler<S> | undefined>)[name];
        const missing = o.missing ?? E_NOTIMPL;
        const thrown = o.onThrowResult ?? E_UNEXPECTED;
        const before = o.before;
        const body: (state: S, args: RawArgs) => number = !handler
          ? () => missing | 0
          : typeof handler === 'function'
            ? typedBody(method, handler as (self: S, ...args: unknown[]) => unknown, o.memory)
            : (state, args) => hrOf(handler.raw(state, ...args), thrown);
        return (self, ...args) => guard(self, (obj) => {
          const early = before?.(obj.state, method);
          if (early !== undefined) return early | 0;
          try {
            return body(obj.state, args);
          } catch (error) {
            if (error instanceof HResultAnswer) return error.hr | 0;
            throw error;
          }
        }, thrown);
      }
    }
  }

  #queryInterface(obj: JsComObject<S>, riid: bigint | null, ppv: bigint | null): number {
    if (ppv === null) return E_POINTER | 0;
    const k = koffi();
    const writeOut = (value: bigint | null) => k.encode(ppv, 'void *', value ?? 0n);
    if (riid === null) {
      writeOut(null);
      return E_POINTER | 0;
    }
    const iid = guidFromBytes(Buffer.from(k.view(riid, 16)));
    const resolved = this.options.resolve?.(iid, obj.state);
    if (resolved !== undefined) {
      writeOut(resolved);
      return resolved === null ? E_NOINTERFACE | 0 : S_OK;
    }
    const found = this.query(obj, iid);
    writeOut(found);
    return found === null ? E_NOINTERFACE | 0 : S_OK;
  }

  /**
   * QueryInterface in JS, without a round trip through the vtable (a class factory answering the
   * IID it was asked for). An AddRef'd pointer, or null. The `resolve` hook is not asked.
   */
  query(obj: JsComObject<S>, iid: string): bigint | null {
    if (!obj.alive || !this.#iids.has(normalizeGuid(iid))) return null;
    obj.refCount++;
    return obj.ptr;
  }
}

/**
 * Declarative interface tables (the comtypes idea): an interface is its IID, its base and its own
 * methods in vtable order. Slots are counted here, once; nothing else in the code base writes a
 * slot number. Derived interfaces extend their base's table instead of copying it.
 */
import { normalizeGuid } from './guid';
import type { ParamList } from './abi';

/** A method returns an HRESULT, except IUnknown's AddRef/Release which return a ULONG count. */
export type MethodReturn = 'hresult' | 'ulong';

export interface MethodSpec<P extends ParamList = ParamList> {
  readonly params: P;
  readonly returns: MethodReturn;
}

export type MethodTable = Record<string, ParamList | MethodSpec>;

type SpecOf<S> = S extends MethodSpec ? S : S extends ParamList ? MethodSpec<S> : never;

export interface Method<P extends ParamList = ParamList> {
  readonly name: string;
  /** `IBackgroundCopyJob::GetError`, for messages. */
  readonly qualifiedName: string;
  readonly slot: number;
  readonly params: P;
  readonly returns: MethodReturn;
}

export type MethodsOf<T extends MethodTable> = { readonly [K in keyof T]: Method<SpecOf<T[K]>['params']> };

export interface Interface<M extends Record<string, Method> = Record<string, Method>> {
  readonly name: string;
  /** Lowercase, no braces. */
  readonly iid: string;
  readonly base: Interface | null;
  /** Every method, inherited ones included, by name. */
  readonly methods: M;
  /** Number of vtable slots (inherited ones included). */
  readonly slotCount: number;
  /** This interface's IID followed by its bases' IIDs, IUnknown last. */
  readonly iids: readonly string[];
}

/** A method that returns a ULONG instead of an HRESULT (AddRef, Release). */
export function ulong<P extends ParamList>(params: P): MethodSpec<P> {
  return { params, returns: 'ulong' };
}

function toSpec(spec: ParamList | MethodSpec): MethodSpec {
  return Array.isArray(spec) ? { params: spec as ParamList, returns: 'hresult' } : (spec as MethodSpec);
}

export function defineInterface<const T extends MethodTable, B extends Interface | null>(
  name: string,
  iid: string,
  base: B,
  own: T,
): Interface<(B extends Interface<infer BM> ? BM : unknown) & MethodsOf<T>> {
  const methods: Record<string, Method> = { ...(base?.methods ?? {}) };
  let slot = base?.slotCount ?? 0;
  for (const [methodName, spec] of Object.entries(own)) {
    if (methods[methodName]) throw new Error(`${name}.${methodName} is already declared by a base interface`);
    const { params, returns } = toSpec(spec);
    methods[methodName] = Object.freeze({ name: methodName, qualifiedName: `${name}::${methodName}`, slot, params, returns });
    slot++;
  }
  const normalized = normalizeGuid(iid);
  return Object.freeze({
    name,
    iid: normalized,
    base,
    methods: Object.freeze(methods),
    slotCount: slot,
    iids: Object.freeze([normalized, ...(base?.iids ?? [])]),
  }) as unknown as Interface<(B extends Interface<infer BM> ? BM : unknown) & MethodsOf<T>>;
}

/** Methods in slot order (the vtable layout). */
export function methodsInSlotOrder(iface: Interface): Method[] {
  return Object.values(iface.methods).sort((a, b) => a.slot - b.slot);
}

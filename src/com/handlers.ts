/**
 * The typed implement side (windows-rs' `_Impl` traits): a handler is derived from the same
 * interface table the calling side uses. It receives its in-parameters decoded and borrowed
 * (numbers, bigints, enums, strings, addresses, as each table entry's `receive` says) and RETURNS
 * its out-values (nothing, the value, or the tuple, as `Returns` on the calling side); the
 * trampoline writes them at the caller's addresses with each entry's `write`.
 *
 * HRESULTs: returning is S_OK; `answer(hr)` (thrown) ends the call with `hr` and zeroes the outs
 * (COM's rule for a failed call; any other exception zeroes them too, then answers the
 * implementation's `onThrowResult`); `reply(hr, values)` returns a success code such as S_FALSE with
 * its values. A NULL out-pointer is answered with E_POINTER before the handler runs (unless the
 * table marks it `optional`). `raw(fn)` keeps the native arguments for what a handler must lay
 * out itself; it returns the HRESULT.
 */
import { receivePointer, type HandlerReturns, type ImplementContext, type OutParam, type Param, type ParamList, type ReceivedArgs } from './abi';
import { failed, E_POINTER, S_OK } from './hresult';
import type { Interface, Method } from './interface';
import { koffi } from './koffi';

/**
 * Raw native arguments as koffi hands them to callbacks: pointers are bigint or null; 64-bit
 * integers arrive as a number when they fit in 2^53, else as a bigint (use `BigInt(x)`).
 */
export type RawArgs = unknown[];

/** Thrown by `answer(hr)`; the trampoline turns it into the call's HRESULT. */
export class HResultAnswer extends Error {
  constructor(readonly hr: number) {
    super(`HRESULT 0x${(hr >>> 0).toString(16).padStart(8, '0')}`);
    this.name = 'HResultAnswer';
  }
}

/** Ends the handler with `hr` (its outs are zeroed): `if (!name) answer(E_INVALIDARG)`. */
export function answer(hr: number): never {
  throw new HResultAnswer(hr);
}

const REPLY = Symbol('reply');

/** A success code other than S_OK, with the out-values (`reply(S_FALSE, fetched)`). */
export interface Reply<V> {
  readonly [REPLY]: true;
  readonly hr: number;
  readonly values: V;
}

export function reply(hr: number): Reply<void>;
export function reply<V>(hr: number, values: V): Reply<V>;
export function reply<V>(hr: number, values?: V): Reply<V | undefined> {
  return { [REPLY]: true, hr, values };
}

function isReply(value: unknown): value is Reply<unknown> {
  return typeof value === 'object' && value !== null && REPLY in value;
}

/** A handler that works on the native arguments itself (out-pointers included) and returns the HRESULT. */
export interface RawHandler<S> {
  readonly raw: (self: S, ...args: RawArgs) => number;
}

/** Marks a handler as raw: it gets koffi's arguments and lays out what it answers itself. */
export function raw<S>(fn: (self: S, ...args: RawArgs) => number): RawHandler<S> {
  return { raw: fn };
}

/** A typed handler for a method with parameters `P`. */
export type Handler<S, P extends ParamList> = (self: S, ...args: ReceivedArgs<P>) => HandlerReturns<P> | Reply<HandlerReturns<P>>;

type MethodsOf<I> = I extends Interface<infer M> ? M : never;
type ParamsOf<I, K extends keyof MethodsOf<I>> = MethodsOf<I>[K] extends Method<infer P> ? P : never;
/** The methods an implementation writes: IUnknown's three are the Implementation's own. */
export type OwnMethodName<I> = Exclude<keyof MethodsOf<I>, 'QueryInterface' | 'AddRef' | 'Release'> & string;

/** A handler (typed or raw) for every method of `I` beyond IUnknown's. */
export type HandlerTable<I extends Interface, S> = 0 extends 1 & I
  ? Record<string, AnyHandler<S>>
  : { readonly [K in OwnMethodName<I>]: Handler<S, ParamsOf<I, K>> | RawHandler<S> };

/** Some handlers of `I` (a missing one answers `missing`). */
export type Handlers<I extends Interface, S> = Partial<HandlerTable<I, S>>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyHandler<S> = ((self: S, ...args: any[]) => unknown) | RawHandler<S>;

const noMemory: ImplementContext = {
  allocString: () => {
    throw new Error('This implementation has no CoTaskMem allocator (ImplementationOptions.memory)');
  },
};

interface Slot {
  readonly param: Param;
  /** Index of its first native argument (after `This`). */
  readonly at: number;
}

/** Zeroes an out-parameter the caller gave (COM's rule: a failed call leaves its outs NULL / 0). */
function zero(param: OutParam<unknown, unknown>, address: bigint, arrayAddress: bigint | null): void {
  const k = koffi();
  if (param.pair) {
    k.encode(address, 'uint32_t', 0);
    if (arrayAddress !== null) k.encode(arrayAddress, 'void *', 0n);
    return;
  }
  Buffer.from(k.view(address, param.size())).fill(0);
}

/**
 * The body a trampoline runs for a typed handler of `method`: the native argument layout is
 * worked out once; each call receives, calls, and writes.
 */
export function typedBody<S>(
  method: Method,
  handler: (self: S, ...args: unknown[]) => unknown,
  memory: ((self: S) => ImplementContext) | undefined,
): (self: S, args: RawArgs) => number {
  const ins: Slot[] = [];
  const outs: Slot[] = [];
  let at = 0;
  for (const param of method.params as readonly Param[]) {
    (param.dir === 'in' ? ins : outs).push({ param, at });
    at += param.pair ? 2 : 1;
  }
  const single = outs.length === 1;
  return (self, args) => {
    const addresses: Array<bigint | null> = new Array(outs.length);
    const arrays: Array<bigint | null> = new Array(outs.length);
    for (let i = 0; i < outs.length; i++) {
      const { param, at: index } = outs[i];
      addresses[i] = receivePointer(args[index]);
      arrays[i] = param.pair ? receivePointer(args[index + 1]) : null;
      const missing = addresses[i] === null || (param.pair && arrays[i] === null);
      if (missing && !(param as OutParam<unknown, unknown>).optional) return E_POINTER | 0;
    }
    const zeroOuts = (hr: number): number => {
      outs.forEach((o, i) => {
        if (addresses[i] !== null) zero(o.param as OutParam<unknown, unknown>, addresses[i]!, arrays[i]);
      });
      return hr | 0;
    };
    const received = new Array<unknown>(ins.length);
    for (let i = 0; i < ins.length; i++) {
      const { param, at: index } = ins[i];
      received[i] = param.dir === 'in' && param.pair ? param.receive(args[index], args[index + 1]) : (param as { receive(v: unknown): unknown }).receive(args[index]);
    }
    let result: unknown;
    try {
      result = handler(self, ...received);
    } catch (error) {
      // Any failure leaves the outs zeroed; an exception other than answer() goes on to onThrowResult.
      const hr = zeroOuts(error instanceof HResultAnswer ? error.hr : 0);
      if (error instanceof HResultAnswer) return hr;
      throw error;
    }
    let hr = S_OK;
    if (isReply(result)) {
      hr = result.hr | 0;
      if (failed(hr)) return zeroOuts(hr);
      result = result.values;
    }
    if (outs.length === 0) return hr;
    const values = single ? [result] : result;
    if (!Array.isArray(values) || values.length !== outs.length) {
      throw new TypeError(`${method.qualifiedName}: a handler must return ${outs.length} out-value(s)`);
    }
    const ctx = memory ? memory(self) : noMemory;
    for (let i = 0; i < outs.length; i++) {
      if (addresses[i] === null) continue; // an optional out the caller did not ask for
      (outs[i].param as OutParam<unknown, unknown>).write(addresses[i]!, values[i], ctx, arrays[i] ?? undefined);
    }
    return hr;
  };
}

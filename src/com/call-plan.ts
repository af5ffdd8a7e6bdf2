/**
 * How a method is called through a vtable, worked out once per method: its koffi prototype, its
 * decoded native function (per address), and its call plan (which arguments are inputs, which
 * are out-buffers and their sizes; a count+array pair takes two native arguments).
 */
import { koffi, pointerSize, stdcall, type KoffiType } from './koffi';
import { OUT_PAIR_POINTER_OFFSET, type OutParam, type Param } from './abi';
import type { Method } from './interface';

/** A decoded native function, as koffi returns it. */
export interface NativeFunction {
  (...args: unknown[]): unknown;
  async(...args: unknown[]): void;
}

const prototypes = new WeakMap<Method, KoffiType>();

/** The koffi prototype of a method, built on first use (with `This` first). */
export function prototypeOf(method: Method): KoffiType {
  let proto = prototypes.get(method);
  if (!proto) {
    const k = koffi();
    const ret = method.returns === 'ulong' ? 'uint32_t' : 'int32_t';
    const args: Array<string | KoffiType> = ['void *'];
    for (const p of method.params) {
      if (p.dir === 'in' && p.pair) args.push('uint32_t');
      if (p.dir === 'out' && p.pair) args.push('void *');
      args.push(p.dir === 'in' ? (typeof p.c === 'string' ? p.c : p.c()) : 'void *');
    }
    proto = stdcall() ? k.proto('__stdcall', null, ret, args) : k.proto(null, ret, args);
    prototypes.set(method, proto);
  }
  return proto;
}

/** Decoded functions by method, then by native address: objects of one class share a vtable. */
const decoded = new WeakMap<Method, Map<bigint, NativeFunction>>();

export function decodeFunction(method: Method, address: bigint): NativeFunction {
  let byAddress = decoded.get(method);
  if (!byAddress) decoded.set(method, (byAddress = new Map()));
  let fn = byAddress.get(address);
  if (!fn) {
    fn = koffi().decode(address, prototypeOf(method)) as unknown as NativeFunction;
    byAddress.set(address, fn);
  }
  return fn;
}

/**
 * A method's call plan, computed once: which arguments are inputs, which are out-buffers and
 * their sizes. Keeps the per-call work to the encoding itself (bench:dispatch measures it).
 */
export interface CallPlan {
  readonly params: readonly Param[];
  readonly outSizes: readonly number[];
  readonly outIndexes: readonly number[];
  readonly inCount: number;
  /** Native arguments after `This` (a count+array pair takes two). */
  readonly nativeCount: number;
  /** The getter shape (no inputs, one out-parameter): most calls; it takes a shorter path. */
  readonly getter: OutParam<unknown> | null;
}

const plans = new WeakMap<Method, CallPlan>();

export function planOf(method: Method): CallPlan {
  let plan = plans.get(method);
  if (!plan) {
    const params = method.params as readonly Param[];
    const outIndexes: number[] = [];
    const outSizes: number[] = [];
    params.forEach((p, i) => {
      if (p.dir === 'out') {
        outIndexes.push(i);
        outSizes.push(p.size());
      }
    });
    // The getter path passes one buffer as one argument: not for an out pair (two arguments).
    const getter = params.length === 1 && params[0].dir === 'out' && !params[0].pair ? params[0] : null;
    const pairs = params.filter((p) => p.pair).length;
    plan = { params, outSizes, outIndexes, inCount: params.length - outIndexes.length, nativeCount: params.length + pairs, getter };
    plans.set(method, plan);
  }
  return plan;
}

/** Fills `args` (native arguments) from `inputs`; returns the out-parameter buffers. */
export function prepare(plan: CallPlan, inputs: readonly unknown[], args: unknown[]): Buffer[] {
  if (inputs.length !== plan.inCount) throw new TypeError(`Expected ${plan.inCount} argument(s), got ${inputs.length}`);
  const params = plan.params;
  const outs: Buffer[] = new Array(plan.outSizes.length);
  let next = 0;
  let o = 0;
  let a = 0;
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (p.dir === 'out') {
      const buf = (outs[o] = Buffer.alloc(plan.outSizes[o++]));
      args[a++] = buf;
      if (p.pair) args[a++] = buf.subarray(OUT_PAIR_POINTER_OFFSET);
    } else if (p.pair) {
      const [count, array] = p.encode(inputs[next++]) as [number, unknown];
      args[a++] = count;
      args[a++] = array;
    } else {
      args[a++] = p.encode(inputs[next++]);
    }
  }
  return outs;
}

/** A method resolved for one pointer: its plan and its decoded native function. */
export interface Bound {
  readonly method: Method;
  readonly plan: CallPlan;
  readonly fn: NativeFunction;
}

/** Calls without spreading for the common arities (spread costs more than the call itself). */
export function callNative(fn: NativeFunction, self: bigint, args: unknown[]): number {
  switch (args.length) {
    case 0: return fn(self) as number;
    case 1: return fn(self, args[0]) as number;
    case 2: return fn(self, args[0], args[1]) as number;
    case 3: return fn(self, args[0], args[1], args[2]) as number;
    case 4: return fn(self, args[0], args[1], args[2], args[3]) as number;
    default: return fn(self, ...args) as number;
  }
}


/** The native address in `ptr`'s vtable at `slot`. */
export function vtableEntry(ptr: bigint, slot: number): bigint {
  const k = koffi();
  const vtable = k.decode(ptr, 'void *') as bigint;
  return k.decode(vtable, slot * pointerSize(), 'void *') as bigint;
}

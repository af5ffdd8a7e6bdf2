/**
 * bench:dispatch — the cost of our vtable call helper against the raw decoded koffi function, on
 * the same vtable slot of the same object, interleaved in one run.
 *
 * The slot points at a native function (libc's getppid, which ignores the arguments), so the
 * figure is the helper's own overhead: table lookup, argument encoding, the out-parameter, the
 * result. Goal: ratio <= 1.3. Prints `name=value` pairs on its last line.
 *   npm run bench:dispatch [-- --smoke]
 */
import { $, ComPtr, defineInterface, IUnknown, koffi, pointerSize, prototypeOf, AsyncCallQueue, type ComRuntime } from '../src/com';

const smoke = process.argv.includes('--smoke');
const ROUNDS = smoke ? 3 : 15;
const CALLS = smoke ? 20_000 : 200_000;

const IBench = defineInterface('IBench', '0badc0de-0000-4000-8000-000000000001', IUnknown, { GetState: [$.out.u32] });

const runtime: ComRuntime = {
  name: 'bench', queue: new AsyncCallQueue(64), tornDown: false, initialize() {},
  createInstance: async () => ({ hr: 0x80004001, ptr: null }), coTaskMemAlloc: () => 0n, coTaskMemFree() {},
  setProxyBlanket: () => 0, describeApartment: () => 'none',
};

// A native object whose vtable slot 3 is a real C function.
const k = koffi();
const libc = k.load('libc.so.6');
const target = libc.symbol('getppid') as bigint;
const ps = pointerSize();
const vtable = k.alloc('void *', 4) as bigint;
for (let i = 0; i < 4; i++) k.encode(vtable, i * ps, 'void *', target);
const object = k.alloc('void *', 1) as bigint;
k.encode(object, 0, 'void *', vtable);

const ours = ComPtr.borrow(object, IBench, runtime);
const raw = k.decode(target, prototypeOf(IBench.methods.GetState)) as unknown as (self: bigint, out: Buffer) => number;

function timeRaw(): number {
  const t0 = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < CALLS; i++) {
    const out = Buffer.alloc(4);
    const hr = raw(object, out);
    sink += hr >= 0 ? out.readUInt32LE(0) : 0;
  }
  if (sink === -1) console.log(sink);
  return Number(process.hrtime.bigint() - t0) / CALLS;
}

function timeOurs(): number {
  const t0 = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < CALLS; i++) {
    const { hr, values } = ours.invokeRawSync('GetState');
    sink += hr < 0x80000000 ? (values[0] ?? 0) : 0;
  }
  if (sink === -1) console.log(sink);
  return Number(process.hrtime.bigint() - t0) / CALLS;
}

timeRaw();
timeOurs(); // warm-up
const ratios: number[] = [];
const raws: number[] = [];
const ourTimes: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const a = timeRaw();
  const b = timeOurs();
  raws.push(a);
  ourTimes.push(b);
  ratios.push(b / a);
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
console.log(`rounds=${ROUNDS} calls/round=${CALLS} raw_ns=${median(raws).toFixed(1)} ours_ns=${median(ourTimes).toFixed(1)}`);
console.log(`dispatch=${median(ratios).toFixed(2)} raw_ns=${median(raws).toFixed(1)} ours_ns=${median(ourTimes).toFixed(1)} goal=1.30`);

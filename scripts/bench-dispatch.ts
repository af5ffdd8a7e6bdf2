/**
 * bench:dispatch — the cost of our vtable call helper against the raw decoded koffi function, on
 * the same vtable slot of the same object, interleaved in one run (scripts/bench/harness.js).
 *
 * Times are CPU time of the process (getrusage), not wall time: preemption by the other work on a
 * shared machine does not count.
 * The slot points at a native function (libc's getppid, which ignores the arguments), so the
 * figure is the helper's own overhead: table lookup, argument encoding, the out-parameter, the
 * result. Goal: ratio <= 1.10.
 *   npm run bench:dispatch [-- --smoke]
 */
import { $, ComPtr, defineInterface, IUnknown, koffi, pointerSize, prototypeOf, AsyncCallQueue, type ComRuntime } from '../src/com';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { smoke, interleave, median, ratios, Report } = require('./bench/harness');

const ROUNDS = smoke ? 5 : 15;
/** A round alternates BLOCKS short blocks of each variant: a busy moment hits both alike. */
const BLOCKS = smoke ? 10 : 40;
const CALLS = smoke ? 2_000 : 5_000;

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

let sink = 0;
/**
 * CPU time of this process in ns (user + system). Unlike wall time it does not count the moments
 * another process had the core, which on a shared machine is most of the noise.
 */
function cpuNs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

/** What a hand-written koffi binding does: an out-buffer, the call, a read. */
function timeRaw(): number {
  const t0 = cpuNs();
  for (let i = 0; i < CALLS; i++) {
    const out = Buffer.alloc(4);
    const hr = raw(object, out);
    sink += hr >= 0 ? out.readUInt32LE(0) : 0;
  }
  return (cpuNs() - t0) / CALLS;
}

function timeOurs(): number {
  const t0 = cpuNs();
  for (let i = 0; i < CALLS; i++) {
    const { hr, value } = ours.invokeRawSync('GetState');
    sink += hr < 0x80000000 ? (value ?? 0) : 0;
  }
  return (cpuNs() - t0) / CALLS;
}

/**
 * One round: short blocks of each variant alternate (which goes first alternates too). The round's
 * ratio is the median of the block pairs' ratios: a pair hit by a busy moment is an outlier there.
 */
function round(): { raw: number; ours: number; ratio: number } {
  const raws: number[] = [];
  const ourTimes: number[] = [];
  for (let b = 0; b < BLOCKS; b++) {
    if (b % 2) {
      raws.push(timeRaw());
      ourTimes.push(timeOurs());
    } else {
      ourTimes.push(timeOurs());
      raws.push(timeRaw());
    }
  }
  return { raw: median(raws), ours: median(ourTimes), ratio: median(ratios(ourTimes, raws)) };
}

async function main() {
  for (let i = 0; i < 20; i++) {
    timeRaw();
    timeOurs(); // warm-up: both paths optimised before the first round
  }
  const rounds: Array<{ raw: number; ours: number; ratio: number }> = [];
  const s = await interleave(ROUNDS, { both: () => (rounds.push(round()), 0) });
  const raws = rounds.map((r) => r.raw);
  const ourTimes = rounds.map((r) => r.ours);
  const report = new Report('dispatch', `our vtable call helper against raw koffi, same slot, ${ROUNDS} rounds × ${BLOCKS} alternating blocks × ${CALLS} calls`);
  report.figure('dispatch', rounds.map((r) => r.ratio), { goal: 1.1, text: 'ours / raw koffi (per round: median of its block pairs)' });
  report.figure('raw_ns', raws, { digits: 0, unit: ' ns' });
  report.figure('ours_ns', ourTimes, { digits: 0, unit: ' ns' });
  report.noise(s.calibration);
  if (sink === -1) console.log(sink);
  report.print();
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

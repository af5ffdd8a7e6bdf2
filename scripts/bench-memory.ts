/**
 * bench:memory — 10^6 public calls and 10^4 job create/cancel cycles through the fake service
 * (real native vtables, koffi asynchronous calls on worker threads), then:
 *
 * - **what the library owns**: growth of the JS heap (used) plus external memory and array buffers
 *   after garbage collection. Goal < 8 MB. Every AddRef/Release and CoTaskMem counter must balance
 *   (a failure otherwise).
 * - **the rest of RSS** ("native" = RSS − heap committed − external): koffi's and libc's memory.
 *   It is sampled after each tenth of the calls: a leak grows in every segment, allocator arenas of
 *   the worker threads grow at first and then stay level. `malloc_trim(0)` at the end shows how
 *   much of it glibc holds free but unreturned (arena retention, not a leak).
 *
 * Run with MALLOC_ARENA_MAX=1 to see the arenas' share (the figure is printed with the result).
 *   npm run bench:memory [-- --smoke]
 */
import { BackgroundCopyManager } from '../src';
import { koffi, settleReleases } from '../src/com';
import { createFakeService } from '../src/testing';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { smoke, calibrate, Report } = require('./bench/harness');

const CALLS = smoke ? 20_000 : 1_000_000;
const SEGMENTS = smoke ? 5 : 10;
const CYCLES = smoke ? 200 : 10_000;
const BATCH = 500;
const MB = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

let sweep: () => number = () => 0;

interface Sample { rss: number; heapUsed: number; heapTotal: number; owned: number; native: number }

async function settle(): Promise<Sample> {
  await settleReleases();
  // The fake keeps released objects to catch calls after Release; a benchmark of the library's
  // memory must not count the fake's books.
  sweep();
  for (let i = 0; i < 3; i++) {
    gc!();
    await new Promise((r) => setImmediate(r));
  }
  const m = process.memoryUsage();
  return {
    rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal,
    owned: m.heapUsed + m.external, // arrayBuffers are part of external
    native: m.rss - m.heapTotal - m.external,
  };
}

/** glibc only: returns free arena memory to the system; 0 elsewhere. */
function mallocTrim(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const trim = koffi().load('libc.so.6').func('int malloc_trim(size_t pad)') as (pad: number) => number;
    trim(0);
    return true;
  } catch {
    return false;
  }
}

async function main() {
  const fake = createFakeService({ flavour: 'bits' });
  const manager = await BackgroundCopyManager.connect({ service: fake });
  const job = await manager.createJob('bench:memory');
  sweep = () => fake.sweep();

  // Warm-up: let code paths, caches and pools reach their steady size before the baseline.
  for (let i = 0; i < 20; i++) await Promise.all(Array.from({ length: BATCH }, () => job.getState()));
  for (let i = 0; i < 50; i++) {
    const j = await manager.createJob('warm-up');
    await j.cancel();
    j.dispose();
  }
  const baseline = await settle();

  const perSegment = CALLS / SEGMENTS;
  const segments: Sample[] = [baseline];
  const calibration: number[] = [];
  const segmentNsPerCall: number[] = [];
  const t0 = Date.now();
  for (let s = 0; s < SEGMENTS; s++) {
    calibration.push(calibrate());
    const ts = process.hrtime.bigint();
    for (let done = 0; done < perSegment; done += BATCH) {
      await Promise.all(Array.from({ length: BATCH }, (_, i) => ((done + i) % 2 ? job.getState() : job.getProgress())));
    }
    segmentNsPerCall.push(Number(process.hrtime.bigint() - ts) / perSegment);
    segments.push(await settle());
  }
  const afterCalls = segments[segments.length - 1];
  const callsMs = Date.now() - t0;

  const t1 = Date.now();
  for (let c = 0; c < CYCLES; c++) {
    const j = await manager.createJob(`cycle ${c}`);
    await j.cancel();
    j.dispose();
    if (c % 1000 === 999) {
      await settleReleases();
      sweep();
    }
  }
  const afterCycles = await settle();
  const cyclesMs = Date.now() - t1;
  const trimmed = mallocTrim();
  const afterTrim = await settle();

  await job.cancel();
  job.dispose();
  manager.dispose();
  await settle();
  const report = new Report('memory', `${CALLS} calls in ${SEGMENTS} segments, then ${CYCLES} job create/cancel cycles, through the fake service`);
  try {
    fake.assertBalanced();
  } catch (error) {
    report.fail(`counters not balanced: ${String(error)}`);
  }
  fake.dispose();

  const mb = (bytes: number) => bytes / MB;
  const delta = (key: keyof Sample) => segments.slice(1).map((x, i) => mb(x[key] - segments[i][key]));
  const half = Math.floor(SEGMENTS / 2);
  report.figure('owned_growth_mb', [mb(afterCycles.owned - baseline.owned)], {
    goal: 8, unit: ' MB', text: 'JS heap used + external/array buffers, after all calls and cycles (what the library owns)',
  });
  report.figure('owned_per_segment_mb', delta('owned'), { unit: ' MB', text: `per ${perSegment} calls` });
  report.figure('native_per_segment_mb', delta('native'), { unit: ' MB', text: 'RSS − heap committed − external, per segment' });
  report.figure('native_late_segments_mb', delta('native').slice(half), { unit: ' MB', text: 'the same, second half only: ~0 when it levels off (arenas), > 0 for a leak' });
  report.figure('call_ns', segmentNsPerCall, { digits: 0, unit: ' ns', text: 'wall time per asynchronous call through the fake' });
  report.fact('rss_growth_mb', mb(afterCycles.rss - baseline.rss).toFixed(2), 'RSS after the calls and cycles, before malloc_trim');
  report.fact('heap_used_growth_mb', mb(afterCycles.heapUsed - baseline.heapUsed).toFixed(2));
  report.fact('heap_committed_growth_mb', mb(afterCycles.heapTotal - baseline.heapTotal).toFixed(2));
  report.fact('native_growth_mb', mb(afterCycles.native - baseline.native).toFixed(2));
  report.fact('rss_after_trim_growth_mb', trimmed ? mb(afterTrim.rss - baseline.rss).toFixed(2) : 'n/a', 'RSS growth once glibc returned its free arena memory (malloc_trim)');
  report.fact('calls_growth_mb', mb(afterCalls.rss - baseline.rss).toFixed(2), 'RSS, calls only');
  report.fact('malloc_arena_max', process.env.MALLOC_ARENA_MAX ?? 'default');
  report.fact('calls_s', (callsMs / 1000).toFixed(1));
  report.fact('cycles_s', (cyclesMs / 1000).toFixed(1));
  report.noise(calibration);
  report.print();
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

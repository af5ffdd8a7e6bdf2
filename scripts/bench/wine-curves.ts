/**
 * The growth curves of bench:wine (scripts/bench-wine-inner.ts runs them under Wine):
 *   list   manager.jobs() then status() of every job, at 3 sizes, against the native client serially
 *          and with NATIVE_THREADS threads (bench/native-client.c `scale` / `pscale`); at the largest
 *          size one more, untimed, traced pass of each: per-call start/end of the native client, and
 *          the completion times of ours, to see whether Wine's service answers calls in parallel
 *   files  addFiles() of 1 / 100 / 1,000 files into a fresh job and files() of it, against the native
 *          client's one AddFileSet and its EnumFiles listing
 *   watch  1 / 10 / 200 / 1,000 jobs waited on at once (waitForCompletion, default options): CPU of
 *          this process as a share of one core, and the memory the library owns, per watcher
 */
import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import type { BackgroundCopyJob, BackgroundCopyManager } from '../../src';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { interleave, ratios, Report, calibrate, median } = require('./harness');

export interface CurveContext {
  manager: BackgroundCopyManager;
  /** One command to the native client; its `key=value` answer. */
  ask(command: string): Promise<Record<string, number>>;
  emit(report: { print(): void }): void;
  cleanup: BackgroundCopyJob[];
  /** A Windows folder for destinations and traces. */
  tmp: string;
  smoke: boolean;
  archTag: string;
  slowUrl: string;
}

const NATIVE_THREADS = 4;

// --- traces ------------------------------------------------------------------------------------

interface Call { lane: number; call: string; start: number; end: number } // ms from the first start

/** "<thread> <call> <start ns> <end ns>" lines of the native client, as ms from the first call. */
function readNativeTrace(file: string): Call[] {
  const rows = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split(' '));
  const t0 = Math.min(...rows.map((r) => Number(r[2])));
  return rows.map(([lane, call, s, e]) => ({ lane: Number(lane), call, start: (Number(s) - t0) / 1e6, end: (Number(e) - t0) / 1e6 }));
}

/**
 * What a trace shows: calls, wall time, mean call time, calls in flight on average (sum of call
 * times / wall) and the share of the wall time with two or more calls in flight, throughput.
 */
export function traceSummary(calls: Call[]): Record<string, number> {
  const wall = Math.max(...calls.map((c) => c.end)) - Math.min(...calls.map((c) => c.start));
  const busy = calls.reduce((a, c) => a + (c.end - c.start), 0);
  const edges = calls.flatMap((c) => [[c.start, 1], [c.end, -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let inFlight = 0;
  let overlapped = 0;
  let last = edges.length ? edges[0][0] : 0;
  for (const [t, d] of edges) {
    if (inFlight >= 2) overlapped += t - last;
    inFlight += d;
    last = t;
  }
  return {
    calls: calls.length,
    wall_ms: wall,
    call_us: (busy / calls.length) * 1000,
    in_flight: busy / wall,
    overlapped_pct: (overlapped / wall) * 100,
    calls_per_ms: calls.length / wall,
  };
}

/** A short window from the middle of a trace, for the timeline picture (docs/performance-trace.svg). */
function traceWindow(calls: Call[], ms: number): Call[] {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  const mid = sorted[Math.floor(sorted.length / 2)]?.start ?? 0;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return sorted.filter((c) => c.start >= mid && c.end <= mid + ms).map((c) => ({ ...c, start: round(c.start - mid), end: round(c.end - mid) }));
}

// --- list ----------------------------------------------------------------------------------------

async function oursList(manager: BackgroundCopyManager, trace?: Call[]): Promise<{ ns: number; jobs: number }> {
  const t0 = process.hrtime.bigint();
  const jobs = await manager.jobs();
  const start = performance.now();
  await Promise.all(jobs.map(async (j) => {
    await j.status();
    trace?.push({ lane: 0, call: 'status', start: 0, end: performance.now() - start });
  }));
  await Promise.all(jobs.map((j) => j.close())); // the native client releases its pointers too
  return { ns: Number(process.hrtime.bigint() - t0), jobs: jobs.length };
}

export async function listCurve(ctx: CurveContext): Promise<void> {
  const sizes = ctx.smoke ? [5, 20, 50] : [10, 100, 1000];
  const rounds = ctx.smoke ? 3 : 5;
  const series: Record<string, Array<{ x: number; samples: number[] }>> = { ours: [], native: [], [`native_${NATIVE_THREADS}_threads`]: [] };
  const vsSerial: number[] = [];
  const vsParallel: number[] = [];
  const calibration: number[] = [];
  const seenAt: string[] = [];
  const existing = await ctx.manager.jobs();
  let created = existing.length;
  await Promise.all(existing.map((j) => j.close()));
  let last: Record<string, number[]> = {};
  for (const size of sizes) {
    if (size === sizes[0]) {
      // warm-up of both sides' first calls (not counted)
      await oursList(ctx.manager);
      await ctx.ask(`pscale ${NATIVE_THREADS}`);
    }
    while (created < size) {
      ctx.cleanup.push(await ctx.manager.createJob(`bench:wine list ${created}`));
      created++;
    }
    let seen = 0;
    const s = await interleave(rounds, {
      ours: async () => { const r = await oursList(ctx.manager); seen = r.jobs; return r.ns; },
      native: async () => (await ctx.ask('scale')).ns,
      parallel: async () => (await ctx.ask(`pscale ${NATIVE_THREADS}`)).ns,
    });
    seenAt.push(String(seen));
    series.ours.push({ x: seen, samples: s.ours });
    series.native.push({ x: seen, samples: s.native });
    series[`native_${NATIVE_THREADS}_threads`].push({ x: seen, samples: s.parallel });
    calibration.push(...s.calibration);
    last = s;
  }
  vsSerial.push(...ratios(last.ours, last.native));
  vsParallel.push(...ratios(last.ours, last.parallel));
  const ms = (xs: number[]) => xs.map((x) => x / 1e6);

  const report = new Report(`wine_scale${ctx.archTag}`, `jobs() then status() of each, at ${seenAt.join(' / ')} jobs, against the native client serially and with ${NATIVE_THREADS} threads, ${rounds} interleaved rounds per size`);
  report.figure('scale', vsSerial, { goal: 0.5, text: `ours / native serial at ${seenAt[seenAt.length - 1]} jobs, per round (ours: parallel calls, releases included)` });
  report.figure('scale_vs_parallel', vsParallel, { goal: 1.1, text: `ours / native with ${NATIVE_THREADS} threads at ${seenAt[seenAt.length - 1]} jobs, per round` });
  report.figure('native_scale_ms', ms(last.native), { digits: 0, unit: ' ms' });
  report.figure('native_parallel_scale_ms', ms(last.parallel), { digits: 0, unit: ' ms' });
  report.figure('ours_scale_ms', ms(last.ours), { digits: 0, unit: ' ms' });
  report.curve('list', {
    title: 'jobs() + status() of each', xLabel: 'jobs', totalUnit: 'ns', perItemUnit: 'µs per job', perItemScale: 1e-3, digits: 0,
    series, own: ['ours'],
  });

  // One more pass of each at the largest size, traced (not timed above: the trace is the point).
  const serialFile = path.join(ctx.tmp, 'trace-serial.txt');
  const parallelFile = path.join(ctx.tmp, 'trace-parallel.txt');
  await ctx.ask(`scale ${serialFile}`);
  await ctx.ask(`pscale ${NATIVE_THREADS} ${parallelFile}`);
  const ours: Call[] = [];
  await oursList(ctx.manager, ours);
  const serial = readNativeTrace(serialFile);
  const parallel = readNativeTrace(parallelFile);
  const traces = {
    native: traceSummary(serial.filter((c) => c.call !== 'Release')),
    [`native_${NATIVE_THREADS}_threads`]: traceSummary(parallel.filter((c) => c.call !== 'Release')),
  };
  for (const [name, t] of Object.entries(traces)) {
    report.fact(`trace_${name}`, `${t.calls} calls in ${t.wall_ms.toFixed(0)} ms: ${t.call_us.toFixed(0)} µs per call, ${t.in_flight.toFixed(2)} in flight, ≥ 2 in flight ${t.overlapped_pct.toFixed(0)} % of the time, ${t.calls_per_ms.toFixed(2)} calls/ms`,
      'GetState + GetProgress of every job, from the native client\'s per-call trace');
  }
  const oursWall = Math.max(...ours.map((c) => c.end));
  report.fact('trace_ours', `${ours.length} status() in ${oursWall.toFixed(0)} ms: ${(ours.length / oursWall).toFixed(2)} snapshots/ms (${((2 * ours.length) / oursWall).toFixed(2)} calls/ms)`, 'completion times of ours, after jobs()');
  const p = traces[`native_${NATIVE_THREADS}_threads`];
  report.fact('trace_speedup', (p.calls_per_ms / traces.native.calls_per_ms).toFixed(2), `native calls/ms with ${NATIVE_THREADS} threads / serially: 1.00 means the service answers one call at a time`);
  report.trace('serial', { title: 'native client, one thread: 20 ms of its per-call trace', lanes: 1, calls: traceWindow(serial, 20) });
  report.trace('parallel', { title: `native client, ${NATIVE_THREADS} threads: 20 ms of its per-call trace`, lanes: NATIVE_THREADS, calls: traceWindow(parallel, 20) });
  report.noise(calibration);
  ctx.emit(report);
}

// --- files ---------------------------------------------------------------------------------------

export async function filesCurve(ctx: CurveContext): Promise<void> {
  const sizes = ctx.smoke ? [1, 10, 50] : [1, 100, 1000];
  const rounds = ctx.smoke ? 3 : 5;
  const add: Record<string, Array<{ x: number; samples: number[] }>> = { ours: [], native_AddFileSet: [] };
  const list: Record<string, Array<{ x: number; samples: number[] }>> = { ours: [], native: [] };
  const calibration: number[] = [];
  let job: BackgroundCopyJob | null = null;
  let round = 0;
  let last: Record<string, number[]> = {};
  const warm = await ctx.manager.createJob('bench:wine files warm-up'); // first calls of both sides, not counted
  await warm.addFiles([{ remoteUrl: `${ctx.slowUrl}/bytes/1?warm`, localPath: path.join(ctx.tmp, 'warm.bin') }]);
  await Promise.all((await warm.files()).map((f) => f.close()));
  await ctx.ask(`addfiles 1 ${ctx.slowUrl}/bytes/1?warm= ${ctx.tmp}`);
  await ctx.ask(`files ${warm.id} 1`);
  await warm.cancel();
  await warm.close();
  for (const size of sizes) {
    const dir = path.join(ctx.tmp, `files-${size}`);
    fs.mkdirSync(dir, { recursive: true });
    const s = await interleave(rounds, {
      ours: async () => {
        if (job) await job.cancel().then(() => job!.close());
        job = await ctx.manager.createJob(`bench:wine files ${size}`);
        const r = round++;
        const specs = Array.from({ length: size }, (_, i) => ({ remoteUrl: `${ctx.slowUrl}/bytes/1?r=${r}&i=${i}`, localPath: path.join(dir, `r${r}-${i}.bin`) }));
        const t0 = process.hrtime.bigint();
        await job.addFiles(specs);
        return Number(process.hrtime.bigint() - t0);
      },
      native: async () => (await ctx.ask(`addfiles ${size} ${ctx.slowUrl}/bytes/1?i= ${dir}`)).ns,
    });
    // files() of the job the last round left, against the native listing of the same job
    const current = job as BackgroundCopyJob | null;
    if (!current) throw new Error('no job');
    const l = await interleave(rounds, {
      ours: async () => {
        const t0 = process.hrtime.bigint();
        const files = await current.files();
        await Promise.all(files.map((f) => f.close()));
        if (files.length !== size) throw new Error(`files(): ${files.length} files, expected ${size}`);
        return Number(process.hrtime.bigint() - t0);
      },
      native: async () => (await ctx.ask(`files ${current.id} 1`)).ns,
    });
    add.ours.push({ x: size, samples: s.ours });
    add.native_AddFileSet.push({ x: size, samples: s.native });
    list.ours.push({ x: size, samples: l.ours });
    list.native.push({ x: size, samples: l.native });
    calibration.push(...s.calibration, ...l.calibration);
    last = { addOurs: s.ours, addNative: s.native, listOurs: l.ours, listNative: l.native };
  }
  const finalJob = job as BackgroundCopyJob | null;
  if (finalJob) await finalJob.cancel().then(() => finalJob.close());
  const top = sizes[sizes.length - 1];
  const report = new Report(`wine_files${ctx.archTag}`, `addFiles() and files() of ${sizes.join(' / ')} files, against the native client, ${rounds} interleaved rounds per size`);
  report.figure('add_files', ratios(last.addOurs, last.addNative), { goal: 2, text: `addFiles() of ${top} files / the native client's one AddFileSet, per round` });
  report.figure('list_files', ratios(last.listOurs, last.listNative), { text: `files() of ${top} files (and closing them) / native EnumFiles + Next(16) + Release, per round` });
  report.curve('add_files', { title: 'addFiles()', xLabel: 'files', totalUnit: 'ns', perItemUnit: 'µs per file', perItemScale: 1e-3, digits: 0, series: add, own: ['ours'] });
  report.curve('list_files', { title: 'files() + close', xLabel: 'files', totalUnit: 'ns', perItemUnit: 'µs per file', perItemScale: 1e-3, digits: 0, series: list, own: ['ours'] });
  report.noise(calibration);
  ctx.emit(report);
}

// --- watch ---------------------------------------------------------------------------------------

/** CPU time of this process (all threads) in ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Share of one core (%) this process used in `windows` windows of `seconds` / windows each. */
async function cpuWindows(seconds: number, windows: number, calibration: number[]): Promise<number[]> {
  const out: number[] = [];
  for (let w = 0; w < windows; w++) {
    const c0 = cpuMs();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, (seconds * 1000) / windows));
    out.push(((cpuMs() - c0) / (performance.now() - t0)) * 100);
    calibration.push(calibrate(200_000)); // small: it must not weigh on the figure
  }
  return out;
}

let gcFn: (() => void) | null = null;
/** JS heap used + external + array buffers after two full collections, in MB: what the library owns. */
function ownedMb(): number {
  if (!gcFn) {
    v8.setFlagsFromString('--expose-gc');
    gcFn = vm.runInNewContext('gc') as () => void;
  }
  gcFn();
  gcFn();
  const m = process.memoryUsage();
  return (m.heapUsed + m.external + m.arrayBuffers) / 2 ** 20;
}

export async function watchCurve(ctx: CurveContext): Promise<void> {
  const sizes = ctx.smoke ? [1, 10, 20, 30] : [1, 10, 200, 1000];
  const seconds = ctx.smoke ? 4 : 20;
  const windows = 5;
  const calibration: number[] = [];
  const idle = await cpuWindows(ctx.smoke ? 2 : 10, windows, calibration);
  const cpu: Array<{ x: number; samples: number[] }> = [];
  const mem: Array<{ x: number; samples: number[] }> = [];
  const kib = (seconds + 60) * 4; // 4 KiB per second: still transferring when the windows end
  const readsPerS: string[] = [];
  for (const size of sizes) {
    const before = ownedMb();
    const jobs: BackgroundCopyJob[] = [];
    const reads = { started: 0, ended: 0 };
    for (let i = 0; i < size; i++) {
      const job = await ctx.manager.createJob(`bench:wine watch ${size} ${i}`);
      ctx.cleanup.push(job);
      await job.addFile(`${ctx.slowUrl}/slow/${kib}?ms=1000&chunk=4&seed=${size * 10_000 + i}`, path.join(ctx.tmp, `watch-${size}-${i}.bin`));
      await job.resume();
      // count the waits' status reads (they call job.status() on the object)
      const read = job.status.bind(job);
      Object.defineProperty(job, 'status', { value: () => (reads.started++, read().finally(() => reads.ended++)) });
      jobs.push(job);
    }
    const abort = new AbortController();
    const ended: string[] = []; // waits that ended before the abort: they no longer cost anything
    const waits = jobs.map((j) => j.waitForCompletion({ signal: abort.signal }).then((st) => st.stateName, (e: Error) => (abort.signal.aborted ? null : e.name)).then((why) => { if (why) ended.push(why); }));
    // The windows measure waiting, not starting: every wait reads once when it starts (1,000 reads
    // took ~20 s to drain under Wine in run 2 of 2026-12-06), so they begin once those reads ended.
    const settleBy = Date.now() + 120_000;
    await new Promise((r) => setTimeout(r, 2000));
    while (reads.ended < size && Date.now() < settleBy) await new Promise((r) => setTimeout(r, 250));
    const atStart = { ...reads };
    cpu.push({ x: size, samples: await cpuWindows(seconds, windows, calibration) });
    const endedWhy = [...new Set(ended)].map((w) => `${ended.filter((x) => x === w).length} ${w}`).join(', ');
    readsPerS.push(`${size}: ${((reads.ended - atStart.ended) / seconds).toFixed(1)}/s (${atStart.started - atStart.ended} in flight at the start${ended.length ? `; waits ended early: ${endedWhy}` : ''})`);
    mem.push({ x: size, samples: [0, 1, 2].map(() => ownedMb() - before) });
    abort.abort();
    await Promise.all(waits);
    for (const job of jobs) await job.cancel().catch(() => undefined).then(() => job.close());
  }
  const at = (n: number) => cpu.find((c) => c.x === n)?.samples;
  const memAt = (n: number) => mem.find((c) => c.x === n)?.samples;
  const top = sizes[sizes.length - 1];
  const report = new Report(`wine_wait${ctx.archTag}`, `jobs waited on at once (waitForCompletion, defaults): CPU of this process as % of one core (${windows} windows of ${seconds / windows} s) and owned memory, at ${sizes.join(' / ')} jobs`);
  report.figure('wait_one_pct', at(1) ?? [], { goal: 0.5, digits: 2, unit: ' %', text: 'one job transferring' });
  if (at(200)) report.figure('wait_200_pct', at(200)!, { goal: 5, digits: 2, unit: ' %', text: '200 jobs waited on at once' });
  report.figure(`wait_${top}_pct`, at(top)!, { goal: 5, digits: 2, unit: ' %', text: `${top} jobs waited on at once` });
  report.figure(`wait_${top}_owned_mb`, memAt(top)!, { goal: 20, digits: 2, unit: ' MB', text: `memory the library owns (JS heap used + external) with ${top} jobs waited on, over the same process before them` });
  report.figure('idle_pct', idle, { digits: 2, unit: ' %', text: 'the same process waiting for nothing (baseline, included above)' });
  report.curve('watch_cpu', { title: 'CPU of waiting', xLabel: 'jobs', totalUnit: '% of a core', perItemUnit: '% of a core per 1,000 jobs', perItemScale: 1000, digits: 2, series: { ours: cpu.filter((c) => c.x >= 10) }, own: ['ours'] });
  report.curve('watch_memory', { title: 'owned memory of waiting', xLabel: 'jobs', totalUnit: 'MB', perItemUnit: 'KB per job', perItemScale: 1024, digits: 1, series: { ours: mem.filter((m) => m.x >= 10) }, own: ['ours'] });
  report.fact('watch_idle_median_pct', median(idle).toFixed(2), 'median idle CPU');
  report.fact('watch_reads', readsPerS.join(', '), 'status reads that ended during the CPU windows, per second, by number of jobs waited on');
  report.noise(calibration);
  ctx.emit(report);
}

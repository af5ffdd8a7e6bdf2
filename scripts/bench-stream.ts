/**
 * bench:stream — DODownload.stream() on the fake (issue 25, item 4): the bytes per second a Node
 * consumer gets from the stream sink (the fake's IStream::Write from its native thread, the JS
 * Write on the main thread, the Readable), against writing the same chunks to a file.
 *
 * Both sides make the same chunks (the fake's content generator, 1 MiB per chunk as the fake hands
 * them to Write), so the ratio compares only what happens to a chunk once made: the sink's path into
 * a consumer, or fs.writeSync into a file. `gen` times making the chunks alone (their share of both).
 *   npm run bench:stream [-- --smoke] [-- --mib=512]
 * BENCH_STREAM_MAIN=1: the fake calls Write on the main thread (default: from its native thread, as DoSvc does).
 * BENCH_CPU_PROF=<dir>: a V8 CPU profile of the stream rounds (node scripts/bench/profile-summary.js).
 */
import * as fs from 'fs';
import * as inspector from 'inspector';
import * as os from 'os';
import * as path from 'path';
import { DOManager } from '../src';
import { sinkStats } from '../src/diagnostics';
import { createFakeService } from '../src/testing';
import { ContentCursor } from '../src/testing/scripts';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { smoke, interleave, ratios, Report } = require('./bench/harness');

const MIB = 1 << 20;
const mibArg = process.argv.find((a) => a.startsWith('--mib='));
const SIZE = (mibArg ? Number(mibArg.slice('--mib='.length)) : smoke ? 16 : 64) * MIB;
const ROUNDS = smoke ? 5 : 7;
/** The fake's largest Write (src/testing/ido/fake-download.ts, MAX_CHUNK). */
const CHUNK = MIB;
const url = (round: number) => `http://bench.test/stream/${round}.bin`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'do-bench-stream-'));

let maxBuffered = 0;
let writes = 0;
let statusReads = 0;
let statusCalls: () => number = () => 0;
/** CPU time (all threads of this process) per variant and round: steadier than wall time on a loaded machine. */
const cpu: Record<string, number[]> = { stream: [], file: [], gen: [] };
function cpuNs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}
async function withCpu(name: string, run: () => number | Promise<number>): Promise<number> {
  const c0 = cpuNs();
  const wall = await run();
  cpu[name].push(cpuNs() - c0);
  return wall;
}

async function throughStream(manager: DOManager, round: number): Promise<number> {
  const download = await manager.createDownload({ uri: url(round) });
  const readable = await download.stream();
  let bytes = 0;
  const ended = new Promise<void>((resolve, reject) => {
    readable.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    readable.on('end', resolve);
    readable.on('error', reject);
  });
  const reads0 = statusCalls();
  const t0 = process.hrtime.bigint();
  await download.start([{ offset: 0n, length: null }]);
  await ended;
  const ns = Number(process.hrtime.bigint() - t0);
  statusReads = statusCalls() - reads0;
  if (bytes !== SIZE) throw new Error(`the stream gave ${bytes} bytes, not ${SIZE}`);
  const stats = sinkStats(readable);
  maxBuffered = Math.max(maxBuffered, stats?.maxBuffered ?? 0);
  writes = stats?.writes ?? 0;
  await download.finalize();
  await download.close();
  return ns;
}

function chunks(round: number, each: (chunk: Buffer) => void): number {
  const cursor = new ContentCursor(url(round));
  const t0 = process.hrtime.bigint();
  for (let offset = 0; offset < SIZE; offset += CHUNK) each(cursor.read(offset, Math.min(CHUNK, SIZE - offset)));
  return Number(process.hrtime.bigint() - t0);
}

function toFile(round: number): number {
  const file = path.join(dir, `file-${round}.bin`);
  const fd = fs.openSync(file, 'w');
  try {
    return chunks(round, (chunk) => fs.writeSync(fd, chunk));
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
}

async function profiled<T>(run: () => Promise<T>): Promise<T> {
  const out = process.env.BENCH_CPU_PROF;
  if (!out) return run();
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) => new Promise<any>((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = await post('Profiler.stop');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'bench-stream.cpuprofile'), JSON.stringify(profile));
    session.disconnect();
  }
}

async function main(): Promise<void> {
  const script = Object.fromEntries(Array.from({ length: ROUNDS + 1 }, (_, r) => [url(r), { kind: 'succeed' as const, bytes: SIZE, durationMs: 0 }]));
  const fake = createFakeService({ flavour: 'ido', script, ...(process.env.BENCH_STREAM_MAIN ? { callbackThread: 'main-thread' as const } : {}) });
  const manager = await DOManager.connect({ service: fake });
  statusCalls = () => fake.stats().calls.get('IDODownload::GetStatus') ?? 0;
  try {
    // Warm-up round (not counted): the JIT, the fake's and the sink's first objects.
    await throughStream(manager, ROUNDS);
    toFile(ROUNDS);
    const s: Record<string, number[]> = await profiled(() => interleave(ROUNDS, {
      stream: (r: number) => withCpu('stream', () => throughStream(manager, r)),
      file: (r: number) => withCpu('file', () => toFile(r)),
      gen: (r: number) => withCpu('gen', () => chunks(r, () => undefined)),
    }));
    const mibs = (ns: number[]) => ns.map((x) => SIZE / MIB / (x / 1e9));
    const report = new Report('stream', `DODownload.stream() on the fake against fs.writeSync of the same chunks, ${SIZE / MIB} MiB, ${ROUNDS} interleaved rounds`);
    report.figure('stream_vs_file', ratios(s.file, s.stream), { goal: 0.8, atLeast: true, text: 'throughput of the stream / of the file writes, per round' });
    report.figure('stream_mib_s', mibs(s.stream), { digits: 0, unit: ' MiB/s' });
    report.figure('file_mib_s', mibs(s.file), { digits: 0, unit: ' MiB/s' });
    report.figure('gen_mib_s', mibs(s.gen), { digits: 0, unit: ' MiB/s', text: 'making the chunks alone (in both of the above)' });
    report.figure('stream_vs_file_cpu', ratios(cpu.file, cpu.stream), { text: 'the same with CPU time of the process (all threads) instead of wall time' });
    report.figure('stream_cpu_ms', cpu.stream.map((x) => x / 1e6), { digits: 0, unit: ' ms' });
    report.figure('file_cpu_ms', cpu.file.map((x) => x / 1e6), { digits: 0, unit: ' ms' });
    report.figure('gen_cpu_ms', cpu.gen.map((x) => x / 1e6), { digits: 0, unit: ' ms', text: 'making the chunks alone (in both of the above)' });
    report.fact('writes', writes, 'IStream::Write calls per download');
    report.fact('status_reads', statusReads, 'IDODownload::GetStatus calls per download (the sink checks for the end)');
    report.fact('max_buffered_mib', (maxBuffered / MIB).toFixed(1), 'most the Readable held (highWaterMark 4 MiB)');
    report.noise(s.calibration);
    report.print();
  } finally {
    await manager.close();
    await fake.settle();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

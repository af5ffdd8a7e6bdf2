/**
 * bench:memory — 10^6 public calls and 10^4 job create/cancel cycles through the fake service
 * (real native vtables): RSS growth must stay under 8 MB and every counter must balance.
 * Last line: `name=value` pairs.   npm run bench:memory [-- --smoke]
 */
import { BackgroundCopyManager } from '../src';
import { settleReleases } from '../src/com';
import { createFakeService } from '../src/testing';

const smoke = process.argv.includes('--smoke');
const CALLS = smoke ? 20_000 : 1_000_000;
const CYCLES = smoke ? 200 : 10_000;
const BATCH = 500;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

let sweep: () => number = () => 0;

async function settle(): Promise<number> {
  await settleReleases();
  // The fake keeps released objects to catch calls after Release; a benchmark of the library's
  // memory must not count the fake's books.
  sweep();
  for (let i = 0; i < 3; i++) {
    gc!();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().rss;
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

  const t0 = Date.now();
  for (let done = 0; done < CALLS; done += BATCH) {
    await Promise.all(Array.from({ length: BATCH }, (_, i) => ((done + i) % 2 ? job.getState() : job.getProgress())));
  }
  const afterCalls = await settle();
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

  await job.cancel();
  job.dispose();
  manager.dispose();
  await settle();
  let balanced = true;
  try {
    fake.assertBalanced();
  } catch (error) {
    balanced = false;
    console.error(String(error));
  }
  const stats = fake.stats();
  fake.dispose();
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);
  console.log(`calls=${CALLS} in ${callsMs} ms (${((callsMs * 1e6) / CALLS).toFixed(0)} ns/call), cycles=${CYCLES} in ${cyclesMs} ms, coTaskMem allocs=${stats.coTaskMem.allocs} frees=${stats.coTaskMem.frees}`);
  console.log(`rss_growth_calls_mb=${mb(afterCalls - baseline)} rss_growth_cycles_mb=${mb(afterCycles - afterCalls)} rss_growth_total_mb=${mb(afterCycles - baseline)} balanced=${balanced} goal_mb=8`);
  if (!balanced) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

/**
 * Diagnostic for bench:wine (run under Wine with `node scripts/testbed.js run`, optionally with
 * --cpu-prof): splits the cost of one `job.getState()` into the thread hop of a koffi asynchronous
 * call (timed on a trivial kernel32 function, GetCurrentProcessId) and the rest.
 * Prints the median ns per call of 5 rounds: the trivial call synchronously, the same call through
 * koffi's `.async` (the hop alone), and our getState.
 */
import { koffi } from '../../src/com';
import { BackgroundCopyManager } from '../../src';

const N = Number(process.argv[2] ?? 300);

async function main() {
  const k = koffi();
  const kernel32 = k.load('kernel32.dll');
  const trivial = kernel32.func('uint32_t __stdcall GetCurrentProcessId()') as unknown as { (): number; async(cb: (e: unknown, r: number) => void): void };
  const asyncOnce = () => new Promise<number>((resolve, reject) => trivial.async((e, r) => (e ? reject(e) : resolve(r))));
  const manager = await BackgroundCopyManager.connect({ service: 'bits' });
  const job = await manager.createJob('hop probe');
  try {
    const time = async (f: () => unknown) => {
      await f();
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < N; i++) await f();
      return Number(process.hrtime.bigint() - t0) / N;
    };
    const rounds: Record<string, number[]> = { syncTrivial: [], asyncTrivial: [], getState: [] };
    for (let r = 0; r < 5; r++) {
      rounds.syncTrivial.push(await time(() => trivial()));
      rounds.asyncTrivial.push(await time(asyncOnce));
      rounds.getState.push(await time(() => job.getState()));
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(Object.entries(rounds).map(([k2, v]) => `${k2}_ns=${med(v).toFixed(0)}`).join(' '));
  } finally {
    await job.cancel().catch(() => undefined);
    await job.close();
    await manager.close();
  }
}
main().catch((e) => { console.error(e); process.exitCode = 1; });

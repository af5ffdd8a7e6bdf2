/**
 * Runs under Windows node in Wine (started by scripts/bench-wine.js): times job.getState() and
 * job.status() against the native client on the same job, interleaved round by round.
 */
import { execFileSync } from 'child_process';
import { BackgroundCopyManager } from '../src';

const [exe, nArg, roundsArg] = process.argv.slice(2);
const N = Number(nArg);
const ROUNDS = Number(roundsArg);

async function timeOurs(job: Awaited<ReturnType<BackgroundCopyManager['createJob']>>) {
  await job.getState();
  let t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await job.getState();
  const getState = Number(process.hrtime.bigint() - t0) / N;
  t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await job.status();
  const status = Number(process.hrtime.bigint() - t0) / N;
  return { getState, status };
}

function timeNative(jobId: string) {
  const out = execFileSync(exe, [jobId, String(N)], { encoding: 'utf8' });
  const m = /getState_ns=(\d+) status_ns=(\d+)/.exec(out);
  if (!m) throw new Error(`native client said: ${out}`);
  return { getState: Number(m[1]), status: Number(m[2]) };
}

async function main() {
  const manager = await BackgroundCopyManager.connect({ service: 'bits' });
  const job = await manager.createJob('bench:wine');
  try {
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const r = { nativeGet: [] as number[], nativeStatus: [] as number[], oursGet: [] as number[], oursStatus: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      const n = timeNative(job.id);
      const o = await timeOurs(job);
      r.nativeGet.push(n.getState); r.nativeStatus.push(n.status); r.oursGet.push(o.getState); r.oursStatus.push(o.status);
    }
    const f = (ns: number) => (ns / 1000).toFixed(0);
    console.log(`rounds=${ROUNDS} calls=${N} native_getState_us=${f(median(r.nativeGet))} ours_getState_us=${f(median(r.oursGet))} native_status_us=${f(median(r.nativeStatus))} ours_status_us=${f(median(r.oursStatus))}`);
    const ratios = (a: number[], b: number[]) => median(a.map((x, i) => x / b[i])).toFixed(2);
    console.log(`getState=${ratios(r.oursGet, r.nativeGet)} status=${ratios(r.oursStatus, r.nativeStatus)} goal_getState=1.15 goal_status=1.10`);
  } finally {
    await job.cancel().catch(() => undefined);
    job.dispose();
    manager.dispose();
  }
}
main().catch((e) => { console.error(e); process.exitCode = 1; });

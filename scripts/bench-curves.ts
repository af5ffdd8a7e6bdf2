/**
 * bench:curves — how the library's own cost grows with the work, on the fake service (real native
 * vtables, koffi asynchronous calls; no Wine, no RPC: what is left is the library and koffi):
 *   list   manager.jobs() then status() of every job (and close), at 10 / 100 / 1,000 jobs
 *   add    addFiles() of 1 / 100 / 1,000 files into a fresh job
 *   files  files() of that job (and close every file)
 * Each size runs ROUNDS interleaved rounds (list: the sizes of one round share one service, whose
 * jobs are added between the sizes). The same curves against Wine's real service and a native
 * client are in bench:wine (scripts/bench/wine-curves.ts).
 *   npm run bench:curves [-- --smoke]
 */
import * as os from 'os';
import * as path from 'path';
import { BackgroundCopyManager, type BackgroundCopyJob } from '../src';
import { settleReleases } from '../src/com';
import { createFakeService } from '../src/testing';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { smoke, interleave, Report } = require('./bench/harness');

const ROUNDS = smoke ? 3 : 7;
const JOB_SIZES = smoke ? [5, 20, 50] : [10, 100, 1000];
const FILE_SIZES = smoke ? [1, 10, 50] : [1, 100, 1000];

async function timed(work: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - t0);
}

async function main() {
  const fake = createFakeService({ flavour: 'bits' });
  /**
   * The fake keeps released objects to catch calls after Release: swept after every timed part
   * (not timed), or the later rounds and larger sizes pay for the fake's growing books in GC.
   */
  const swept = <T extends unknown[]>(fn: (...a: T) => Promise<number>) => async (...a: T) => {
    const ns = await fn(...a);
    await settleReleases();
    fake.sweep();
    return ns;
  };
  const manager = await BackgroundCopyManager.connect({ service: fake });
  const calibration: number[] = [];
  const list: Array<{ x: number; samples: number[] }> = [];
  let created = 0;
  const jobs: BackgroundCopyJob[] = [];
  for (const size of JOB_SIZES) {
    while (created < size) {
      jobs.push(await manager.createJob(`bench:curves ${created}`));
      created++;
    }
    const listAll = () => timed(async () => {
      const listed = await manager.jobs();
      if (listed.length !== size) throw new Error(`jobs(): ${listed.length}, expected ${size}`);
      await Promise.all(listed.map((j) => j.status()));
      await Promise.all(listed.map((j) => j.close()));
    });
    await swept(listAll)(); // warm-up, not counted
    const s = await interleave(ROUNDS, { list: swept(listAll) });
    list.push({ x: size, samples: s.list });
    calibration.push(...s.calibration);
  }
  for (const job of jobs) {
    await job.cancel();
    await job.close();
  }

  const add: Array<{ x: number; samples: number[] }> = [];
  const files: Array<{ x: number; samples: number[] }> = [];
  for (const size of FILE_SIZES) {
    let job: BackgroundCopyJob | null = null;
    let round = 0;
    const addOnce = async () => {
      if (job) await job.cancel().then(() => job!.close());
      job = await manager.createJob(`bench:curves files ${size}`);
      const r = round++;
      const specs = Array.from({ length: size }, (_, i) => ({ remoteUrl: `https://example.test/r${r}/f${i}`, localPath: path.join(os.tmpdir(), 'bench-curves', `r${r}-f${i}.bin`) })); // never written: the jobs are not resumed
      const current = job;
      return timed(() => current.addFiles(specs));
    };
    await swept(addOnce)(); // warm-up, not counted
    const s = await interleave(ROUNDS, { add: swept(addOnce) });
    const current = job as BackgroundCopyJob | null;
    if (!current) throw new Error('no job');
    const l = await interleave(ROUNDS, {
      files: swept(() => timed(async () => {
        const listed = await current.files();
        if (listed.length !== size) throw new Error(`files(): ${listed.length}, expected ${size}`);
        await Promise.all(listed.map((f) => f.close()));
      })),
    });
    await current.cancel();
    await current.close();
    add.push({ x: size, samples: s.add });
    files.push({ x: size, samples: l.files });
    calibration.push(...s.calibration, ...l.calibration);
  }
  await manager.close();
  await settleReleases();

  const report = new Report('curves', `the library's cost per item on the fake service, ${ROUNDS} rounds per size`);
  const common = { totalUnit: 'ns', perItemScale: 1e-3, digits: 1, own: ['ours'] };
  report.curve('fake_list', { ...common, title: 'jobs() + status() of each, fake', xLabel: 'jobs', perItemUnit: 'µs per job', series: { ours: list } });
  report.curve('fake_add_files', { ...common, title: 'addFiles(), fake', xLabel: 'files', perItemUnit: 'µs per file', series: { ours: add } });
  report.curve('fake_list_files', { ...common, title: 'files() + close, fake', xLabel: 'files', perItemUnit: 'µs per file', series: { ours: files } });
  report.noise(calibration);
  report.print();
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

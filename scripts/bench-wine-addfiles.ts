/**
 * bench:wine part `addfiles` (issue 25, item 3): job.addFiles() of N files against the native C
 * client doing one AddFileSet of the same N files, each on a new job, interleaved round by round.
 * Ours is timed around addFiles() only (argument checks, the duplicate-path check, AddFileSet in
 * batches); native around its one AddFileSet call. Both jobs are cancelled after the round.
 * Exported for scripts/bench-wine-inner.ts (and the growth curves, which call it at several sizes).
 */
import * as path from 'path';
import type { BackgroundCopyManager } from '../src';
import { ADD_FILE_SET_BATCH } from '../src/api/add-file-set';
import { activate } from '../src/api/activate';
import { IBackgroundCopyJob, IBackgroundCopyManager } from '../src/bits';
import { ComPtr } from '../src/com';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { interleave, ratios, Report } = require('./bench/harness');

export interface AddFilesBench {
  readonly manager: BackgroundCopyManager;
  /** One command to the native client (bench/native-client.c); resolves with its `k=v` answer. */
  readonly ask: (command: string) => Promise<Record<string, number>>;
  /** Files per addFiles call. */
  readonly files: number;
  readonly rounds: number;
  /** A URL prefix (nothing is downloaded) and a Windows folder for the local names. */
  readonly url: string;
  readonly dir: string;
  /** Appended to the report's name (e.g. `_ia32`). */
  readonly tag: string;
}

/**
 * AddFileSet through the COM layer alone (koffi `.async` and the vtable call, no API layer, no
 * checks) in batches of `batch`: what the platform costs this process, apart from the library.
 */
async function rawAddFileSet(o: AddFilesBench, manager: ComPtr<typeof IBackgroundCopyManager>, batch: number, round: number): Promise<number> {
  const wire = Array.from({ length: o.files }, (_, i) => ({ RemoteName: `${o.url}/raw${batch}/${round}/${i}`, LocalName: path.win32.join(o.dir, `raw${batch}-${round}-${i}.bin`) }));
  const [, ptr] = await manager.invoke('CreateJob', 'bench:wine addFiles raw', 0);
  const job = ComPtr.own(ptr as bigint, IBackgroundCopyJob, manager.runtime);
  try {
    const t0 = process.hrtime.bigint();
    for (let from = 0; from < wire.length; from += batch) await job.invoke('AddFileSet', wire.slice(from, from + batch));
    return Number(process.hrtime.bigint() - t0);
  } finally {
    await job.invoke('Cancel').catch(() => undefined);
    await job.release();
  }
}

/** Measures; returns the report (the caller prints it). */
export async function benchAddFiles(o: AddFilesBench): Promise<{ print(): void }> {
  const { ptr: rawManager } = await activate({ service: 'bits' }, { iface: IBackgroundCopyManager, names: ['bits'], feature: () => 'bench:wine addfiles' });
  let round = 0;
  const variants = {
    rawOne: () => rawAddFileSet(o, rawManager, o.files, round),
    rawBatched: () => rawAddFileSet(o, rawManager, ADD_FILE_SET_BATCH, round),
    native: async () => (await o.ask(`addfiles ${o.files} ${o.url}/native/ ${o.dir}`)).ns,
    ours: async () => {
      round++;
      const specs = Array.from({ length: o.files }, (_, i) => ({ remoteUrl: `${o.url}/ours/${round}/${i}`, localPath: path.win32.join(o.dir, `ours-${round}-${i}.bin`) }));
      const job = await o.manager.createJob('bench:wine addFiles ours');
      try {
        const t0 = process.hrtime.bigint();
        await job.addFiles(specs);
        return Number(process.hrtime.bigint() - t0);
      } finally {
        await job.cancel().catch(() => undefined);
        await job.close();
      }
    },
  };
  // One round not counted: both sides warm (the library's checks compiled, the service's code paged in).
  await variants.native();
  await variants.ours();
  const s = await interleave(o.rounds, variants);
  await rawManager.release();
  const report = new Report(`wine_addfiles${o.tag}`, `job.addFiles() of ${o.files} files against the native client's one AddFileSet, ${o.rounds} interleaved rounds`);
  report.figure(`addfiles_${o.files}`, ratios(s.ours, s.native), { goal: 2, text: 'ours / native AddFileSet, per round' });
  report.figure(`native_addfiles_${o.files}_ms`, s.native.map((x: number) => x / 1e6), { digits: 1, unit: ' ms' });
  report.figure(`ours_addfiles_${o.files}_ms`, s.ours.map((x: number) => x / 1e6), { digits: 1, unit: ' ms' });
  report.figure(`raw_one_${o.files}_ms`, s.rawOne.map((x: number) => x / 1e6), { digits: 1, unit: ' ms', text: 'one AddFileSet through koffi .async alone' });
  report.figure(`raw_batched_${o.files}_ms`, s.rawBatched.map((x: number) => x / 1e6), { digits: 1, unit: ' ms', text: `AddFileSet in batches of ${ADD_FILE_SET_BATCH} through koffi .async alone` });
  report.figure('raw_one_vs_native', ratios(s.rawOne, s.native), { text: 'koffi .async AddFileSet / native: the platform share' });
  report.figure('batched_vs_one', ratios(s.rawBatched, s.rawOne), { text: `batches of ${ADD_FILE_SET_BATCH} / one call, both through koffi: what batching costs` });
  report.figure('ours_vs_raw_batched', ratios(s.ours, s.rawBatched), { text: 'ours / the same batches through koffi alone: the library\'s own share (checks, duplicate-path check, ordering)' });
  report.figure(`ours_per_file_us`, s.ours.map((x: number) => x / 1e3 / o.files), { digits: 1, unit: ' µs' });
  report.noise(s.calibration);
  return report;
}

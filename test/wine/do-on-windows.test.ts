/**
 * Delivery Optimization itself: only Windows has it (Wine has no DoSvc: CLSID_DeliveryOptimization
 * is not registered, see ido.test.ts). Every test here is `waitingForWindows`: skipped under Wine,
 * run on a Windows runner (.github/workflows/windows.yml). Each names the documented behaviour it
 * checks and where it is documented; the facts and sources are in /work/shared/spec/do-com-api.md
 * (§0, §7.4, §8, §9, §12).
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  BackgroundCopyManager, ClassNotRegisteredError, DODownloadState, DOManager, ErrorContext, JobState, download, type BackgroundCopyJob,
} from '../../src';
import { activate } from '../../src/api/activate';
import { IBackgroundCopyJob, IBackgroundCopyManager, JobType } from '../../src/bits';
import { ComPtr } from '../../src/com';
import { expectedSha256, startHttpFixture, type HttpFixture } from '../fixtures/http-server';
import { JOB_PREFIX, makeTempDir, pollUntil, sha256File, waitingForWindows, wineOnly } from './helpers';

const DO_E_ERROR_INFORMATION_UNAVAILABLE = 0x80d02014;
/** The DO doc set (BITS-style API) and the IDO API reference. */
const DO_DOCS = 'https://learn.microsoft.com/windows/win32/delivery_optimization';
const IDO_DOCS = 'https://learn.microsoft.com/windows/win32/api/deliveryoptimization';

let srv: HttpFixture;
let dir: string;
let manager: BackgroundCopyManager | undefined;
const jobs: BackgroundCopyJob[] = [];

beforeAll(async () => {
  dir = makeTempDir('do-windows-');
  srv = await startHttpFixture({ dir });
});
afterEach(async () => {
  for (const job of jobs.splice(0)) {
    await job.cancel().catch(() => undefined);
    job.dispose();
  }
});
afterAll(async () => {
  manager?.dispose();
  await srv?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function doManager(): Promise<BackgroundCopyManager> {
  manager ??= await BackgroundCopyManager.connect({ service: 'delivery-optimization' });
  return manager;
}

async function doJob(name: string): Promise<BackgroundCopyJob> {
  const job = await (await doManager()).createJob(`${JOB_PREFIX}: ${name}`);
  jobs.push(job);
  return job;
}

/** GetError's own HRESULT, which `job.getError()` turns into null (a raw call on a job of DO's manager). */
async function rawGetErrorOfNewJob(): Promise<{ before: number; cancel: () => Promise<void> }> {
  const { service, ptr } = await activate({ service: 'delivery-optimization' }, {
    iface: IBackgroundCopyManager, names: ['delivery-optimization'], feature: () => 'DO',
  });
  const [, jobPtr] = await ptr.invoke('CreateJob', `${JOB_PREFIX}: raw GetError`, JobType.Download);
  if (jobPtr === null) throw new Error('CreateJob succeeded with no job');
  const job = ComPtr.own(jobPtr, IBackgroundCopyJob, service.runtime);
  const before = (await job.invokeRaw('GetError')).hr;
  return {
    before,
    cancel: async () => {
      await job.invokeRaw('Cancel');
      await job.release();
      await ptr.release();
    },
  };
}

describe(`the BITS-style API on CLSID_DeliveryOptimization (${DO_DOCS})`, () => {
  // Why the rest waits for Windows, asserted where it holds (and so that Jest lists the skipped tests
  // by name: npm test's summary counts them).
  wineOnly('Wine: Delivery Optimization\'s class is not registered (no DoSvc): connect({ service: delivery-optimization }) rejects with ClassNotRegisteredError', async () => {
    const error = await BackgroundCopyManager.connect({ service: 'delivery-optimization' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClassNotRegisteredError);
    expect((error as ClassNotRegisteredError).code).toBe('REGDB_E_CLASSNOTREG');
  });

  waitingForWindows('connect({ service: delivery-optimization }) activates DO\'s manager and CreateJob gives a SUSPENDED job (DO docs: ibackgroundcopymanager-createjob, bg-job-state-; CLSID from RPC-Racer, spec §0.5)', async () => {
    const job = await doJob('create');
    expect((await doManager()).service.kind).toBe('delivery-optimization');
    expect(await job.getState()).toBe(JobState.Suspended);
  });

  waitingForWindows('GetError before any error → DO_E_ERROR_INFORMATION_UNAVAILABLE 0x80D02014, and getError() resolves null (DO docs: ibackgroundcopyjob-geterror, do-return-values)', async () => {
    const raw = await rawGetErrorOfNewJob();
    try {
      expect(raw.before >>> 0).toBe(DO_E_ERROR_INFORMATION_UNAVAILABLE);
    } finally {
      await raw.cancel();
    }
    expect(await (await doJob('no error yet')).getError()).toBeNull();
  });

  waitingForWindows('a 404 puts the job in ERROR (or TRANSIENT_ERROR) with an error object on the remote file; once the transfer restarts and succeeds, GetError has none again (DO docs: ibackgroundcopyjob-geterror: "until the job moves to TRANSFERRING"; spec §7.4)', async () => {
    const job = await doJob('error then restart');
    const local = path.join(dir, 'late.bin');
    await job.addFile(srv.url('/files/late-source.bin'), local); // 404 until the file exists
    await job.resume();
    const failedState = await pollUntil(() => job.getState(), (s) => s === JobState.Error || s === JobState.TransientError, 60_000, 100);
    expect([JobState.Error, JobState.TransientError]).toContain(failedState);
    const error = await job.getError();
    expect(error).not.toBeNull();
    expect(error?.context).toBe(ErrorContext.RemoteFile);
    fs.writeFileSync(path.join(dir, 'late-source.bin'), Buffer.alloc(4096, 7));
    await job.resume();
    const done = await pollUntil(() => job.getState(), (s) => s === JobState.Transferred, 120_000, 100);
    expect(done).toBe(JobState.Transferred);
    expect(await job.getError()).toBeNull();
  }, 200_000);

  waitingForWindows('a download job transfers, and Complete() renames it to its final name with the right bytes (DO docs: ibackgroundcopyjob-complete)', async () => {
    const job = await doJob('complete');
    const local = path.join(dir, 'bits-style.bin');
    await job.addFile(srv.url('/bytes/262144?seed=31'), local);
    await job.resume();
    expect(await pollUntil(() => job.getState(), (s) => s === JobState.Transferred || s === JobState.Error, 120_000, 100)).toBe(JobState.Transferred);
    await job.complete();
    expect(sha256File(local)).toBe(expectedSha256(262144, 31));
  }, 200_000);
});

describe(`the IDO API (${IDO_DOCS})`, () => {
  waitingForWindows('a new download is in DODownloadState Created; Start, then TRANSFERRED; Finalize leaves the file with the right bytes (IDO docs: nf-deliveryoptimization-idodownload-start, -finalize, ne-…-dodownloadstate)', async () => {
    const ido = await DOManager.connect();
    try {
      const local = path.join(dir, 'ido.bin');
      const dl = await ido.createDownload({ uri: srv.url('/bytes/262144?seed=32'), localPath: local });
      try {
        expect((await dl.status()).state).toBe(DODownloadState.Created);
        await dl.start();
        const status = await dl.waitForCompletion({ timeoutMs: 120_000 });
        expect(status.state).toBe(DODownloadState.Transferred);
        await dl.finalize();
        expect(sha256File(local)).toBe(expectedSha256(262144, 32));
      } finally {
        dl.dispose();
      }
    } finally {
      ido.dispose();
    }
  }, 200_000);

  waitingForWindows('download() with api auto picks the IDO API where DO has it (IDO docs: nn-deliveryoptimization-idomanager; Windows 10 1809+)', async () => {
    const local = path.join(dir, 'auto.bin');
    const result = await download(srv.url('/bytes/131072?seed=33'), local);
    expect(result.api).toBe('ido');
    expect(sha256File(local)).toBe(expectedSha256(131072, 33));
  }, 200_000);
});

/**
 * What a service offers: which interface versions its job and file objects answer, the BITS
 * version they imply, whether Delivery Optimization's IDO API is there, and the Windows build.
 * Interface versions belong to the job and file objects, so the probe creates a suspended job with
 * one file (nothing is transferred) and cancels it.
 */
import * as os from 'os';
import * as path from 'path';
import {
  IBackgroundCopyFile, IBackgroundCopyFile2, IBackgroundCopyFile3, IBackgroundCopyFile4, IBackgroundCopyFile5, IBackgroundCopyFile6,
  IBackgroundCopyJob, IBackgroundCopyJob2, IBackgroundCopyJob3, IBackgroundCopyJob4, IBackgroundCopyJob5,
  IBackgroundCopyJobHttpOptions, IBackgroundCopyJobHttpOptions2, IBackgroundCopyJobHttpOptions3,
} from '../bits';
import type { Interface } from '../com';
import type { BackgroundCopyJob } from './job';

/** What `BackgroundCopyManager.capabilities()` reports. */
export interface ServiceCapabilities {
  /** Interface name → whether the job object answers it (IBackgroundCopyJob … IBackgroundCopyJob5, the HTTP options 1–3). */
  readonly job: Readonly<Record<string, boolean>>;
  /** Interface name → whether a file object answers it (IBackgroundCopyFile … IBackgroundCopyFile6); null when no file could be added. */
  readonly file: Readonly<Record<string, boolean>> | null;
  /** The BITS version the highest interface answered implies ("3.0", "5.0", "10.3" …): the least this service offers. */
  readonly bitsVersion: string;
  /** Whether Delivery Optimization's IDO API (IDOManager) can be activated. */
  readonly ido: boolean;
  /** The Windows build number (22631 …), null off Windows. Under Wine, the Windows version the prefix imitates. */
  readonly windowsBuild: number | null;
}

/** Each interface with the BITS version (bits*.h) that introduced it. */
const JOB_INTERFACES: ReadonlyArray<readonly [Interface, string]> = [
  [IBackgroundCopyJob, '1.0'], [IBackgroundCopyJob2, '1.5'], [IBackgroundCopyJob3, '2.0'], [IBackgroundCopyJob4, '3.0'], [IBackgroundCopyJob5, '5.0'],
  [IBackgroundCopyJobHttpOptions, '2.5'], [IBackgroundCopyJobHttpOptions2, '10.2'], [IBackgroundCopyJobHttpOptions3, '10.3'],
];
const FILE_INTERFACES: ReadonlyArray<readonly [Interface, string]> = [
  [IBackgroundCopyFile, '1.0'], [IBackgroundCopyFile2, '2.0'], [IBackgroundCopyFile3, '3.0'], [IBackgroundCopyFile4, '4.0'], [IBackgroundCopyFile5, '5.0'],
  [IBackgroundCopyFile6, '10.1'],
];

const versionNumber = (v: string): number => {
  const [major, minor] = v.split('.').map(Number);
  return major * 100 + minor;
};

async function probe(answers: (iface: Interface) => Promise<boolean>, table: ReadonlyArray<readonly [Interface, string]>): Promise<{ map: Record<string, boolean>; highest: string }> {
  const map: Record<string, boolean> = {};
  let highest = '1.0';
  for (const [iface, version] of table) {
    map[iface.name] = await answers(iface);
    if (map[iface.name] && versionNumber(version) > versionNumber(highest)) highest = version;
  }
  return { map, highest };
}

/** The Windows build from `os.release()` ("10.0.22631" → 22631); null off Windows. */
export function windowsBuild(platform: string = process.platform, release: string = os.release()): number | null {
  if (platform !== 'win32') return null;
  const build = Number(release.split('.')[2]);
  return Number.isInteger(build) ? build : null;
}

/** The probe file's path: a name in the temporary folder, in the service's path style; nothing is written there. */
export function probeFilePath(posix: boolean): string {
  return posix ? path.posix.join(os.tmpdir(), 'delivery-optimization-capabilities.probe') : path.win32.join(os.tmpdir(), 'delivery-optimization-capabilities.probe');
}

/** Reads the interfaces of `job` (suspended, the caller's) and of its first file once one is added. */
export async function probeJob(job: BackgroundCopyJob, posix: boolean): Promise<Pick<ServiceCapabilities, 'job' | 'file' | 'bitsVersion'>> {
  const jobs = await probe((i) => job.answers(i), JOB_INTERFACES);
  let file: Record<string, boolean> | null = null;
  let fileHighest = '1.0';
  const added = await job.addFile('http://127.0.0.1/delivery-optimization-capabilities.probe', probeFilePath(posix)).then(() => true, () => false);
  if (added) {
    const files = await job.files();
    try {
      if (files.length > 0) {
        const found = await probe((i) => files[0].answers(i), FILE_INTERFACES);
        file = found.map;
        fileHighest = found.highest;
      }
    } finally {
      for (const f of files) f.dispose();
    }
  }
  const bitsVersion = versionNumber(fileHighest) > versionNumber(jobs.highest) ? fileHighest : jobs.highest;
  return { job: jobs.map, file, bitsVersion };
}

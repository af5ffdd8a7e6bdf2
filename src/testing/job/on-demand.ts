/**
 * On-demand jobs (BITS_JOB_PROPERTY_ON_DEMAND_MODE, IBackgroundCopyFile6): a TRANSFERRING job
 * fetches only the ranges asked for with RequestFileRanges, one progress step at a time, tells
 * FileRangesTransferred with the ranges each step brought, and writes them into the file's
 * temporary name (with `writeFiles`) where a reader can take them. When nothing is asked for any
 * more the job is SUSPENDED, or TRANSFERRED once every byte of every file is there (the documented
 * rule of RequestFileRanges).
 */
import * as fs from 'fs';
import * as path from 'path';
import { JobPropertyId, JobState } from '../../bits';
import { UINT64_MAX } from '../../com';
import type { FakeFile } from './fake-file';
import type { FakeJob } from './fake-job';
import { mergeRanges, missingRanges, type RangeValue } from '../objects/ranges';
import { fakeContent } from '../scripts';

/** One fetch of the ranges asked for. */
const STEP_MS = 5;
/** Jobs with a step scheduled: a request made meanwhile is served by that step's follow-up. */
const busy = new WeakSet<FakeJob>();

export function isOnDemand(job: FakeJob): boolean {
  return job.properties.get(JobPropertyId.OnDemandMode).readUInt32LE(0) !== 0;
}

/** The whole content of a file whose script succeeds (null for the other behaviours). */
export function onDemandContent(file: FakeFile): Buffer | null {
  const b = file.behaviour();
  return b.kind === 'succeed' ? fakeContent(file.remoteName, b.bytes) : null;
}

/** Serves what was asked for, if the job is an on-demand one that is TRANSFERRING and idle. */
export function serveOnDemand(job: FakeJob): void {
  if (busy.has(job) || !isOnDemand(job) || job.state !== JobState.Transferring || !job.alive || job.ctx.disposed) return;
  const run = job.runId;
  const work = job.files.flatMap((file) => {
    const content = onDemandContent(file);
    const asked = file.requestedRanges.splice(0);
    if (content === null || file.completed) return [];
    const size = BigInt(content.length);
    file.bytesTotal = size;
    const ranges = asked.flatMap((r) => {
      const end = r.length === UINT64_MAX || r.offset + r.length > size ? size : r.offset + r.length;
      return r.offset >= end ? [] : missingRanges(r.offset, end, file.onDemandFilled);
    });
    return ranges.length > 0 ? [{ file, content, ranges: mergeRanges(ranges) }] : [];
  });
  if (work.length === 0) {
    settle(job);
    return;
  }
  busy.add(job);
  job.ctx.timers.schedule(STEP_MS, 'on-demand ranges', () => {
    busy.delete(job);
    if (job.runId !== run || job.isFinal || !job.alive || job.ctx.disposed) return;
    for (const { file, content, ranges } of work) {
      file.onDemandFilled = mergeRanges([...file.onDemandFilled, ...ranges]);
      file.bytesTransferred = file.onDemandFilled.reduce((n, r) => n + r.length, 0n);
      writeTemporary(file, content, ranges);
      job.touch();
      job.notify({ kind: 'modification' });
      job.notify({ kind: 'ranges-transferred', file, ranges });
    }
    serveOnDemand(job);
  });
}

/** Nothing is asked for: TRANSFERRED when every file is whole, else SUSPENDED until the next Resume. */
function settle(job: FakeJob): void {
  const whole = job.files.every((f) => {
    const content = onDemandContent(f);
    return content !== null && missingRanges(0n, BigInt(content.length), f.onDemandFilled).length === 0;
  });
  job.runId++;
  if (!whole) {
    job.setState(JobState.Suspended);
    return;
  }
  for (const f of job.files) {
    f.content = onDemandContent(f);
    f.completed = true;
    f.finishedAt = Date.now();
    job.notify({ kind: 'file-transferred', file: f });
  }
  job.transferCompleted = new Date();
  job.setState(JobState.Transferred);
  job.notify({ kind: 'transferred' });
}

/** The ranges' bytes at their offsets in the temporary file (absolute host paths, `writeFiles` only). */
function writeTemporary(file: FakeFile, content: Buffer, ranges: readonly RangeValue[]): void {
  const temp = file.temporaryName;
  if (!file.ctx.options.writeFiles || !path.isAbsolute(temp)) return;
  try {
    const fd = fs.openSync(temp, fs.existsSync(temp) ? 'r+' : 'w+');
    try {
      for (const r of ranges) fs.writeSync(fd, content, Number(r.offset), Number(r.length), Number(r.offset));
    } finally {
      fs.closeSync(fd);
    }
    file.temporaryWritten = true;
  } catch {
    // a folder that does not exist: the ranges are still reported, as BITS reports what it fetched
  }
}

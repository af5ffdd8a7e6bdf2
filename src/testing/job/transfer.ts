/**
 * The job state machine (spec §8) on real timers. BITS: Resume → QUEUED → CONNECTING →
 * TRANSFERRING; DO: Resume → TRANSFERRING (DO never reports CONNECTING). Files transfer one after
 * the other as their URL's script says; every step first checks that its run is still current.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ErrorContext, IBackgroundCopyServerCertificateValidationCallback, JobState, JobType } from '../../bits';
import { ComPtr, failed, reply, type Reply } from '../../com';
import { FakeError } from '../objects/fake-error';
import type { FakeFile } from './fake-file';
import type { FakeJob } from './fake-job';
import { BG_S_PARTIAL_COMPLETE, BG_S_UNABLE_TO_DELETE_FILES, DO_E_LOCALPATH_NOT_SET } from '../service/hresults';
import { answer } from '../objects/wire';
import { slicedLength, sliceRanges } from '../objects/ranges';
import { isOnDemand, serveOnDemand } from './on-demand';
import { fakeContent, fakeServerCertificate, type FailBehaviour, type TransientBehaviour } from '../scripts';

const DEFAULT_DURATION_MS = 20;
const DEFAULT_FAIL_AFTER_MS = 10;

/** IBackgroundCopyJob::Resume. */
export function resume(job: FakeJob): void {
  const codes = job.ctx.codes;
  if (job.isFinal) answer(codes.invalidState);
  if (job.files.length === 0) answer(codes.empty);
  switch (job.state) {
    case JobState.Queued:
    case JobState.Connecting:
    case JobState.Transferring:
      return;
    case JobState.Transferred:
      if (job.files.every((f) => f.completed)) return;
      break;
    default:
      break;
  }
  startRun(job);
}

/** IBackgroundCopyJob::Suspend. */
export function suspend(job: FakeJob): void {
  if (job.isFinal) answer(job.ctx.codes.invalidState);
  job.runId++;
  job.setState(JobState.Suspended);
}

/** IBackgroundCopyJob::Cancel. */
export function cancel(job: FakeJob): Reply<void> | void {
  if (job.isFinal) answer(job.ctx.codes.invalidState);
  job.enterFinal(JobState.Cancelled);
  if (job.ctx.options.cancelUnableToDelete) return reply(BG_S_UNABLE_TO_DELETE_FILES);
}

/**
 * IBackgroundCopyJob::Complete: completed files are written to their local names; if any file
 * was not complete, or could not be written, BG_S_PARTIAL_COMPLETE (still ACKNOWLEDGED).
 */
export function complete(job: FakeJob): Reply<void> | void {
  if (job.isFinal) answer(job.ctx.codes.invalidState);
  if (job.type !== JobType.Download && job.state !== JobState.Transferred) answer(job.ctx.codes.invalidState);
  let partial = false;
  for (const file of job.files) {
    if (!file.completed) {
      partial = true;
      continue;
    }
    if (job.type === JobType.Download && job.ctx.options.writeFiles && !writeLocalFile(file)) partial = true;
  }
  job.enterFinal(JobState.Acknowledged);
  if (partial) return reply(BG_S_PARTIAL_COMPLETE);
}

/**
 * Writes a completed file. Only absolute host paths are written, never created folders: a
 * Windows-style or relative name fails like a rename into a missing folder does.
 */
function writeLocalFile(file: FakeFile): boolean {
  const local = file.localName;
  if (!local || !path.isAbsolute(local) || !file.content) return false;
  try {
    fs.writeFileSync(local, file.content);
    return true;
  } catch {
    return false;
  }
}

function current(job: FakeJob, run: number): boolean {
  return job.runId === run && !job.isFinal && job.alive && !job.ctx.disposed;
}

function startRun(job: FakeJob): void {
  const run = ++job.runId;
  const ctx = job.ctx;
  if (ctx.options.flavour === 'delivery-optimization') {
    beginTransferring(job, run);
    return;
  }
  const step = ctx.options.timing.connectMs;
  job.setState(JobState.Queued);
  ctx.timers.schedule(step, 'QUEUED → CONNECTING', () => {
    if (!current(job, run)) return;
    job.setState(JobState.Connecting);
    ctx.timers.schedule(step, 'CONNECTING → TRANSFERRING', () => {
      if (current(job, run)) beginTransferring(job, run);
    });
  });
}

function beginTransferring(job: FakeJob, run: number): void {
  // The error object stays available until the job transfers again (spec §7.4).
  job.setError(null);
  // Like BITS' size-determination pass: sizes of files that will succeed are known up front.
  for (const file of job.files) {
    if (file.completed) continue;
    const b = file.behaviour();
    if (b.kind === 'succeed') file.bytesTotal = BigInt(slicedLength(b.bytes, file.ranges));
  }
  job.setState(JobState.Transferring);
  if (isOnDemand(job)) {
    serveOnDemand(job);
    return;
  }
  nextFile(job, run);
}

function nextFile(job: FakeJob, run: number): void {
  if (!current(job, run)) return;
  const file = job.files.find((f) => !f.completed);
  if (!file) {
    transferred(job);
    return;
  }
  const ctx = job.ctx;
  if (file.localName === null) {
    fail(job, run, file, { kind: 'fail', hresult: DO_E_LOCALPATH_NOT_SET, context: ErrorContext.LocalFile, protocol: '' });
    return;
  }
  const b = file.behaviour();
  file.startedAt ??= Date.now();
  const rejected = validateCertificate(job, file);
  if (rejected !== null) {
    transient(job, run, file, { kind: 'transient', hresult: rejected, context: ErrorContext.ServerCertificateCallback, then: b });
    return;
  }
  switch (b.kind) {
    case 'succeed': {
      const content = sliceRanges(fakeContent(file.remoteName, b.bytes), file.ranges);
      file.bytesTotal = BigInt(content.length);
      file.responseHeaders = `HTTP/1.1 200 OK\r\nContent-Length: ${b.bytes}\r\nContent-Type: application/octet-stream\r\n`;
      const steps = ctx.options.timing.progressSteps;
      progress(job, run, file, content, (b.durationMs ?? DEFAULT_DURATION_MS) / steps);
      return;
    }
    case 'fail':
      ctx.timers.schedule(b.afterMs ?? DEFAULT_FAIL_AFTER_MS, 'scripted failure', () => fail(job, run, file, b));
      return;
    case 'transient':
      ctx.timers.schedule(b.afterMs ?? DEFAULT_FAIL_AFTER_MS, 'scripted transient error', () => transient(job, run, file, b));
      return;
    case 'hang':
      return;
  }
}

/** X509_ASN_ENCODING: what the service says its certificate bytes are. */
const X509_ASN_ENCODING = 1;

/**
 * HTTPS with a validator set (IBackgroundCopyJobHttpOptions3): asks it about the URL's fake
 * certificate, as the service does after its own checks. Returns the rejection HRESULT, or null.
 */
function validateCertificate(job: FakeJob, file: FakeFile): number | null {
  const validator = job.httpOptions.certificateValidator;
  if (validator === null || !/^https:/i.test(file.remoteName)) return null;
  const cert = fakeServerCertificate(file.remoteName);
  const callback = ComPtr.borrow(validator, IBackgroundCopyServerCertificateValidationCallback, job.ctx.runtime);
  job.hold();
  file.hold();
  try {
    const { hr } = callback.invokeRawSync('ValidateServerCertificate', job.ptr, file.ptr, cert.length, cert, X509_ASN_ENCODING, 0, null);
    return failed(hr) ? hr : null;
  } finally {
    file.drop();
    job.drop();
  }
}

function progress(job: FakeJob, run: number, file: FakeFile, content: Buffer, stepMs: number): void {
  job.ctx.timers.schedule(stepMs, 'progress', () => {
    if (!current(job, run)) return;
    const total = BigInt(content.length);
    const step = (total + BigInt(job.ctx.options.timing.progressSteps) - 1n) / BigInt(job.ctx.options.timing.progressSteps);
    file.bytesTransferred = file.bytesTransferred + step >= total ? total : file.bytesTransferred + step;
    job.touch();
    if (file.bytesTransferred < total) {
      job.notify({ kind: 'modification' });
      progress(job, run, file, content, stepMs);
      return;
    }
    file.completed = true;
    file.content = content;
    file.finishedAt = Date.now();
    file.override = null;
    job.notify({ kind: 'modification' });
    job.notify({ kind: 'file-transferred', file });
    nextFile(job, run);
  });
}

function transferred(job: FakeJob): void {
  job.transferCompleted = new Date();
  job.setState(JobState.Transferred);
  job.notify({ kind: 'transferred' });
}

/** Protocol of an error: as scripted ('' = none), else 'http' for http(s) URLs. */
function protocolOf(file: FakeFile, scripted: string | undefined): string | null {
  if (scripted !== undefined) return scripted === '' ? null : scripted;
  return /^https?:/i.test(file.remoteName) ? 'http' : null;
}

function fail(job: FakeJob, run: number, file: FakeFile, b: FailBehaviour): void {
  if (!current(job, run)) return;
  job.errorCount++;
  file.override = null;
  const error = b.withErrorObject === false
    ? null
    : new FakeError(job.ctx, {
      file: b.withFile === false ? null : file,
      context: b.context ?? ErrorContext.RemoteFile,
      code: b.hresult,
      protocol: protocolOf(file, b.protocol),
    });
  job.setError(error);
  job.setState(JobState.Error);
  job.notify({ kind: 'error' });
}

function transient(job: FakeJob, run: number, file: FakeFile, b: TransientBehaviour): void {
  if (!current(job, run)) return;
  job.errorCount++;
  job.setError(new FakeError(job.ctx, { file, context: b.context ?? ErrorContext.RemoteFile, code: b.hresult, protocol: protocolOf(file, undefined) }));
  job.setState(JobState.TransientError);
  // The retry does what the script says comes next.
  file.override = b.then;
  job.ctx.timers.schedule(job.ctx.options.timing.retryDelayMs, 'retry after transient error', () => {
    if (current(job, run)) startRun(job);
  });
}

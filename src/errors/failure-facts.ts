/**
 * What the library can say about a failed job when the service gave no error information (Wine's
 * BITS, for a refused connection, a bad URL or an untrusted certificate): the state is in the
 * message already; these are the bytes and files it read, and a hint for https URLs.
 */
import type { JobProgress } from '../bits';

/** One file of the failed job, as read from the service. */
export interface FailedFileFacts {
  /** The file's URL (shown redacted). */
  readonly remoteUrl: string;
  /** Its destination path. */
  readonly localPath: string;
  /** Bytes received. */
  readonly bytesTransferred: bigint;
  /** null when the service does not know the size. */
  readonly bytesTotal: bigint | null;
}

/** What the library read of a job that failed without an error object (each part absent when it could not be read). */
export interface FailedJobFacts {
  /** The job's bytes and files. */
  readonly progress?: JobProgress;
  /** Its files. */
  readonly files?: readonly FailedFileFacts[];
}

const NO_ERROR_INFORMATION = 'the service gave no error information';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function bytes(transferred: bigint, total: bigint | null): string {
  return `${transferred} of ${total ?? '?'} bytes`;
}

/**
 * The part of the message after `failed in state X: ` when there is no error object: what is
 * known, and for an https URL the certificate hint (the whole message is redacted by its error).
 */
export function noErrorInformation(facts: FailedJobFacts | undefined): string {
  if (!facts || (facts.progress === undefined && facts.files === undefined)) return NO_ERROR_INFORMATION;
  const known: string[] = [];
  const { progress, files } = facts;
  if (progress) known.push(`${progress.filesTransferred} of ${plural(progress.filesTotal, 'file')} transferred, ${bytes(progress.bytesTransferred, progress.bytesTotal)}`);
  if (files && files.length > 0) known.push(files.map((f) => `${f.remoteUrl} -> ${f.localPath} (${bytes(f.bytesTransferred, f.bytesTotal)})`).join('; '));
  const https = files?.some((f) => /^https:/i.test(f.remoteUrl)) === true;
  const hint = https
    ? " The URL is https: if the server answers on that host and port, this computer may not trust its certificate (trust its CA in the local machine's Trusted Root Certification Authorities store; docs/errors.md, \"Certificate errors\")."
    : '';
  return `${NO_ERROR_INFORMATION}. What the library read of the job: ${known.join('; ')}.${hint}`;
}

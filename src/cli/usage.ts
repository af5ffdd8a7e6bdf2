/** Errors the CLI raises itself (not HRESULTs). */
import { formatHResult } from '../com/hresult';
import type { FinishResult } from '../api';

/** A bad command line. Printed as one line, never with a stack. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'ERR_USAGE';
}

/**
 * Complete succeeded with BG_S_PARTIAL_COMPLETE: the service kept only the fully transferred
 * files, so the file the user asked for may be missing (Wine does this for a missing folder).
 */
export class IncompleteTransferError extends Error {
  override readonly name = 'IncompleteTransferError';
  readonly code = 'ERR_INCOMPLETE_TRANSFER';
  readonly jobId: string;
  readonly completion: FinishResult;

  constructor(jobId: string, completion: FinishResult) {
    super(`Job ${jobId} completed with ${completion.code} (${formatHResult(completion.hresult)}): only fully transferred files were kept.`);
    this.jobId = jobId;
    this.completion = completion;
  }
}

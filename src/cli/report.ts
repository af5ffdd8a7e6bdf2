/** Prints the error that ended a command: one readable block, a hint, never a stack (unless asked). */
import { formatHResult } from '../errors';
import {
  AbortError, AccessDeniedError, ClassNotRegisteredError, HResultError, IncompleteDownloadError, InvalidStateError, TransferFailedError, JobNotFoundError, NotImplementedError,
  PlatformNotSupportedError, ServiceUnavailableError, TruncatedTransferError,
} from '../errors';
import { println, type CliContext } from './context';
import { exitCodeFor, ExitCode, isArgumentError } from './exit-codes';
import { jobErrorBlock } from './format';
import { envelope, errorJson, writeJson } from './json';
import { BIN_NAME } from './names';
import { UsageError } from './usage';

function hintFor(error: unknown, service: string | null): string | null {
  if (error instanceof ClassNotRegisteredError) {
    if (error.service.includes('IDO')) return "`--api auto` uses the best API this computer has (Delivery Optimization's BITS-style API, or BITS) for a download; `list --api all` lists the jobs of every API there is.";
    return error.service === 'BITS'
      ? 'BITS is not registered on this computer (the component is missing or broken).'
      : "Delivery Optimization's COM API is not registered here (it needs Windows 10 1709+; Wine has none). Add --bits to use BITS.";
  }
  if (error instanceof PlatformNotSupportedError) {
    return `this command needs Windows (or Windows node under Wine). \`${BIN_NAME} explain\` works everywhere; to test code elsewhere, use the fake from 'delivery-optimization/testing'.`;
  }
  if (error instanceof NotImplementedError) {
    const who = service ?? 'the service';
    return `${who} does not implement this call${service === 'BITS' ? " (Wine's BITS leaves Suspend, GetTimes, GetOwner and others unimplemented)" : ''}.`;
  }
  if (error instanceof JobNotFoundError) return `\`${BIN_NAME} list\` shows your jobs (--all-users needs an administrator; add --bits for BITS jobs).`;
  if (error instanceof InvalidStateError) return `the job's state does not allow this: \`${BIN_NAME} show <id>\` tells its state.`;
  if (error instanceof AccessDeniedError) return "only the job's owner or an administrator can do this.";
  if (error instanceof ServiceUnavailableError) return 'the service stopped or is disabled: check `sc query DoSvc` or `sc query BITS`.';
  if (error instanceof TransferFailedError && error.jobError) return `\`${BIN_NAME} explain ${formatHResult(error.jobError.hresult)}\` says more about the code.`;
  if (error instanceof HResultError) return `\`${BIN_NAME} explain ${formatHResult(error.hresult)}\` says more about the code.`;
  return null;
}

function humanLines(ctx: CliContext, error: unknown, code: number): string[] {
  if (error instanceof UsageError || isArgumentError(error)) return [`error: ${(error as Error).message}`, `(see \`${BIN_NAME} ${ctx.command || ''} --help\`)`.replace('  ', ' ')];
  if (error instanceof AbortError) return ['interrupted'];
  if (error instanceof IncompleteDownloadError || error instanceof TruncatedTransferError) return [`error: ${error.message}`];
  if (error instanceof TransferFailedError) {
    // Without an error object, the message holds what the library read of the job (files, bytes, an https hint).
    const known = error.jobError === null && error.stateName === 'ERROR' ? ['', error.message] : [];
    return [`error: job ${error.jobId} failed in state ${error.stateName}`, '', ...jobErrorBlock(error.jobError, error.stateName), ...known];
  }
  if (code === ExitCode.internal) {
    const e = error instanceof Error ? error : new Error(String(error));
    const debug = ctx.env.DELIVERY_OPTIMIZATION_DEBUG;
    return debug && debug !== '0'
      ? [`error: internal error: ${e.stack ?? e.message}`]
      : [`error: internal error: ${e.name}: ${e.message}`, 'This is a bug in delivery-optimization: report it to the package\'s maintainers (`npm view delivery-optimization maintainers`) with the stack (run again with DELIVERY_OPTIMIZATION_DEBUG=1) and the output of `delivery-optimization doctor --json`.'];
  }
  return [`error: ${error instanceof Error ? error.message : String(error)}`];
}

/** Prints `error` (as JSON on stdout when the command is in --json mode) and returns the exit code. */
export function reportError(ctx: CliContext, error: unknown): number {
  const code = exitCodeFor(error);
  if (ctx.json) writeJson(ctx.stdout, { ...envelope(ctx.command, false), error: errorJson(error, code) });
  for (const line of humanLines(ctx, error, code)) println(ctx.stderr, line);
  const hint = hintFor(error, ctx.serviceName);
  if (hint) println(ctx.stderr, `hint: ${hint}`);
  return code;
}

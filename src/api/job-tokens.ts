/**
 * A job's helper token (IBitsTokenOptions, bits4_0.h): a second identity BITS uses for the job's
 * local files and/or its network and proxy authentication, e.g. the signed-in user's for a job an
 * updater service owns. The documented failures become errors that say what to do.
 */
import { HelperTokenFlags, IBitsTokenOptions } from '../bits';
import { AccessDeniedError, HResultError, NoInterfaceError, hresultIs } from '../errors';
import type { Calls } from './calls';
import { validateFlags } from './validate';

const T = IBitsTokenOptions;

const NO_INTERFACE = 'This BITS has no IBitsTokenOptions (it needs Windows 7 / BITS 4.0; Wine\'s BITS does not implement it), so a job cannot have a helper token here.';
const SET_DENIED = 'BITS refused the helper token. Since Windows 10 version 1607 this means the token is an administrator\'s but this process is not elevated '
  + '(run it elevated); before 1607, only jobs owned by an administrator may have a helper token.';
const CLEAR_DENIED = 'BITS refused to clear the helper token: only an administrator, or (Windows 10 version 1607 and later) the job\'s owner, may clear it.';
const NO_IMPERSONATION = 'BITS could not read this process\'s token: COM settings on the client do not allow impersonate-level access to it '
  + '(CoInitializeSecurity with an impersonation level below RPC_C_IMP_LEVEL_IMPERSONATE).';

/** The error `IBitsTokenOptions::<method>` fails with, made specific for the documented cases. */
function explained(error: unknown, method: string): unknown {
  if (!(error instanceof HResultError)) return error;
  const operation = `IBitsTokenOptions::${method}`;
  if (error instanceof NoInterfaceError) return new NoInterfaceError(error.hresult, { operation, description: NO_INTERFACE, cause: error });
  if (hresultIs(error.hresult, 'E_ACCESSDENIED')) return new AccessDeniedError(error.hresult, { operation, description: method === 'ClearHelperToken' ? CLEAR_DENIED : SET_DENIED, cause: error });
  // CO_E_FAILEDTOIMPERSONATE: COM could not impersonate the caller to read its token.
  if (hresultIs(error.hresult, 'CO_E_FAILEDTOIMPERSONATE')) return new HResultError(error.hresult, { operation, description: NO_IMPERSONATION, cause: error });
  return error;
}

/**
 * A job's helper token (IBitsTokenOptions), reached as `job.helperToken`. Every method fails with
 * NoInterfaceError where the service has no IBitsTokenOptions (Wine; Windows before 7).
 *
 * @example Let BITS open the job's files with this process's token
 * ```ts
 * await job.helperToken.setFlags(HelperTokenFlags.LocalFile);
 * await job.helperToken.set();
 * console.log(await job.helperToken.getSid()); // e.g. 'S-1-5-21-…-1001'
 * ```
 */
export class HelperToken {
  readonly #job: Calls;

  /** @hidden The job gives its helper token; not for users. */
  constructor(job: Calls) { this.#job = job; }

  /**
   * Lends the job the caller's token (IBitsTokenOptions::SetHelperToken). BITS takes the token of
   * the thread that makes the call through COM impersonation; this library calls from its own
   * worker threads, which never impersonate, so the token is **this process's token**: run the
   * call in a process that runs as the user whose identity the job should use. BITS keeps it
   * until `clear()` or until that user logs off (it is not persisted).
   * @throws AccessDeniedError (E_ACCESSDENIED) when the token is an administrator's but this process is not elevated (Windows 10 1607+), or the job's owner is not an administrator (earlier Windows).
   * @throws HResultError CO_E_FAILEDTOIMPERSONATE when the client's COM security does not let BITS impersonate it.
   */
  async set(): Promise<void> { await this.#guard('SetHelperToken', () => this.#job.call(T, 'SetHelperToken')); }

  /** Discards the helper token; the flags stay (IBitsTokenOptions::ClearHelperToken). */
  async clear(): Promise<void> { await this.#guard('ClearHelperToken', () => this.#job.call(T, 'ClearHelperToken')); }

  /** What the helper token is used for: a combination of HelperTokenFlags (LocalFile 1, Network 2). */
  async setFlags(flags: HelperTokenFlags | number): Promise<void> {
    const checked = validateFlags(flags, HelperTokenFlags.All, 'flags');
    await this.#guard('SetHelperTokenFlags', () => this.#job.call(T, 'SetHelperTokenFlags', checked));
  }

  /** HelperTokenFlags bits (0: the helper token, if any, is not used). */
  async getFlags(): Promise<number> { return this.#guard('GetHelperTokenFlags', () => this.#job.call(T, 'GetHelperTokenFlags')); }

  /** The SID string of the helper token's user, or null when the job has no helper token. */
  async getSid(): Promise<string | null> {
    const sid = await this.#guard('GetHelperTokenSid', () => this.#job.call(T, 'GetHelperTokenSid'));
    return sid === '' ? null : sid;
  }

  async #guard<R>(method: string, run: () => Promise<R>): Promise<R> {
    try {
      return await run();
    } catch (error) {
      throw explained(error, method);
    }
  }
}

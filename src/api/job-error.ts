/**
 * Reads an IBackgroundCopyError into a plain object. Description calls fail on some services
 * (Wine returns 0x800706F4): then our own message table fills in, and the code and context are
 * never lost.
 */
import { redactOptional } from '../secrets';
import { ComPtr, type CallResult } from '../com';
import { enumMemberName, ErrorContext, IBackgroundCopyError, IBackgroundCopyFile } from '../bits';
import { HResultError, describeHResult, type JobError, type JobErrorFile } from '../errors';

/** US English; the services translate into the language asked for when they can. */
export const DEFAULT_LANGUAGE_ID = 0x0409;

// The shapes live beside JobFailedError, whose `jobError` has exactly this type.
export type { JobError, JobErrorFile } from '../errors';

/** `REMOTE_FILE` style name of a BG_ERROR_CONTEXT value. */
export function contextName(context: number): string {
  return enumMemberName(ErrorContext, context, 'CONTEXT');
}

async function optionalString(call: Promise<CallResult<string | null>>): Promise<string | null> {
  try {
    const result = await call;
    return result.failed ? null : result.value;
  } catch {
    return null;
  }
}

async function readFile(error: ComPtr<typeof IBackgroundCopyError>): Promise<JobErrorFile | null> {
  const { failed, value: ptr } = await error.invokeRaw('GetFile');
  if (failed || ptr === null) return null;
  const file = ComPtr.own(ptr, IBackgroundCopyFile, error.runtime);
  try {
    const [remote, local, progress] = await Promise.all([
      optionalString(file.invokeRaw('GetRemoteName')),
      optionalString(file.invokeRaw('GetLocalName')),
      file.invokeRaw('GetProgress').then((r) => (r.failed ? null : r.value)).catch(() => null),
    ]);
    // Shown in messages, inspect and JSON: the URL's credentials stay out (src/secrets.ts).
    return { remoteUrl: redactOptional(remote), localPath: local, progress };
  } finally {
    await file.release();
  }
}

/** Reads everything from an error object (which the caller still owns). */
export async function readJobError(error: ComPtr<typeof IBackgroundCopyError>, languageId = DEFAULT_LANGUAGE_ID): Promise<JobError> {
  const [context, code] = await error.invoke('GetError');
  const hresult = code >>> 0;
  const [description, contextDescription, protocol, file] = await Promise.all([
    optionalString(error.invokeRaw('GetErrorDescription', languageId)),
    optionalString(error.invokeRaw('GetErrorContextDescription', languageId)),
    optionalString(error.invokeRaw('GetProtocol')),
    readFile(error).catch(() => null),
  ]);
  const ours = describeHResult(hresult);
  const serviceText = redactOptional(description?.trim() || null);
  const jobError: JobError = {
    hresult,
    code: ours.name,
    message: serviceText ?? ours.message,
    context,
    contextName: contextName(context),
    description: serviceText,
    contextDescription: redactOptional(contextDescription?.trim() || null),
    protocol,
    file,
    toException: () => HResultError.from(hresult, { description: serviceText ?? undefined, operation: file?.remoteUrl ? `Transfer of ${file.remoteUrl}` : 'Transfer' }),
  };
  Object.defineProperty(jobError, 'toException', { enumerable: false });
  return jobError;
}

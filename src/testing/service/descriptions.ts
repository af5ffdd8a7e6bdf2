/**
 * English texts the fake answers for GetErrorDescription / GetErrorContextDescription: a few
 * codes only, like a service with a small message table. Unknown codes answer
 * ERROR_RESOURCE_LANG_NOT_FOUND, which is what the real services answer when they have no text.
 */

const ERROR_TEXTS: ReadonlyMap<number, string> = new Map([
  [0x80200001, 'The requested job was not found.'],
  [0x80200002, 'The requested action is not allowed in the current job state.'],
  [0x80200003, 'There are currently no files attached to this job.'],
  [0x8020000f, 'No errors have occurred.'],
  [0x80200010, 'No network connection is active on this computer.'],
  [0x80d02003, 'The job was not found.'],
  [0x80d02004, 'The job has no files.'],
  [0x80d02013, 'The action is not allowed in the current job state.'],
  [0x80070002, 'The system cannot find the file specified.'],
  [0x80070005, 'Access is denied.'],
  [0x800704c9, 'The remote computer refused the network connection.'],
  [0x80072ee7, 'The server name or address could not be resolved.'],
]);

const HTTP_REASONS: ReadonlyMap<number, string> = new Map([
  [400, 'Bad Request'],
  [401, 'Unauthorized'],
  [403, 'Forbidden'],
  [404, 'Not Found'],
  [407, 'Proxy Authentication Required'],
  [500, 'Internal Server Error'],
  [502, 'Bad Gateway'],
  [503, 'Service Unavailable'],
  [504, 'Gateway Timeout'],
]);

/** The text for `hr`, or null when the fake has none. HTTP statuses (0x8019xxxx) all have one. */
export function errorDescription(hr: number): string | null {
  const u = hr >>> 0;
  const text = ERROR_TEXTS.get(u);
  if (text) return text;
  if ((u & 0xffff0000) >>> 0 === 0x80190000) {
    const status = u & 0xffff;
    const reason = HTTP_REASONS.get(status);
    return `The server returned HTTP status ${status}${reason ? ` (${reason})` : ''}.`;
  }
  return null;
}

const CONTEXT_TEXTS: readonly string[] = [
  'No error context.',
  'The error context is unknown.',
  'The error occurred in the queue manager.',
  'The error occurred while the queue manager was notifying the client.',
  'The error occurred while processing the local file.',
  'The error occurred while processing the remote file.',
  'The error occurred in the transport layer.',
  'The error occurred while the server application processed the file.',
  'The error occurred in the server certificate validation callback.',
];

/** The text for a BG_ERROR_CONTEXT value. */
export function contextDescription(context: number): string {
  return CONTEXT_TEXTS[context] ?? `Error context ${context}.`;
}

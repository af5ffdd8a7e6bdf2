/**
 * HTTP statuses as BITS reports them: `BG_E_HTTP_ERROR_<status> = 0x80190000 + status`
 * (numerically equal to winerror.h `HTTP_E_STATUS_*`).
 */

import { FACILITY_HTTP } from './facilities';

/** `BG_E_HTTP_ERROR_<status>`: the failing HRESULT of FACILITY_HTTP whose code is `status`. */
export function httpStatusHResult(status: number): number {
  return (0x80000000 | (FACILITY_HTTP << 16) | (status & 0xffff)) >>> 0;
}

/** The 41 statuses bitsmsg.h (SDK 10.0.25290) defines a `BG_E_HTTP_ERROR_<status>` for. */
export const BITS_HTTP_STATUSES = [
  100, 101, 200, 201, 202, 203, 204, 205, 206, 300, 301, 302, 303, 304, 305, 307, 400, 401, 402,
  403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 449, 500, 501, 502,
  503, 504, 505,
] as const satisfies readonly number[];

/** HTTP statuses worth retrying later (timeout, rate limit, server-side trouble). */
export const TRANSIENT_HTTP_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Reason phrase and, for the statuses BITS defines, a hint of what it means for a transfer. */
const HTTP_STATUS_TEXT: ReadonlyMap<number, readonly [phrase: string, hint?: string]> = new Map<
  number,
  readonly [string, string?]
>([
  [100, ['Continue', 'an interim reply that BITS does not expect as a final answer.']],
  [101, ['Switching Protocols', 'the server wants another protocol, which BITS does not support.']],
  [102, ['Processing']],
  [103, ['Early Hints']],
  [200, ['OK', 'a full reply where BITS expected another status (for example a range request answered with the whole file).']],
  [201, ['Created', 'a status BITS does not expect for this request.']],
  [202, ['Accepted', 'the server accepted the request but has not produced the content yet.']],
  [203, ['Non-Authoritative Information', 'a proxy changed the reply; BITS does not accept it.']],
  [204, ['No Content', 'the server sent no content for this URL.']],
  [205, ['Reset Content', 'a status BITS does not expect for this request.']],
  [206, ['Partial Content', 'a partial reply BITS did not expect or could not use.']],
  [300, ['Multiple Choices', 'the server offers several representations; use a URL that names one.']],
  [301, ['Moved Permanently', 'the redirect could not be followed; use the new URL.']],
  [302, ['Found', 'the temporary redirect could not be followed.']],
  [303, ['See Other', 'the redirect could not be followed.']],
  [304, ['Not Modified', 'the server says the content has not changed.']],
  [305, ['Use Proxy', 'the server requires a proxy. Check the proxy settings.']],
  [307, ['Temporary Redirect', 'the temporary redirect could not be followed.']],
  [308, ['Permanent Redirect']],
  [400, ['Bad Request', 'the server could not understand the request. Check the URL and custom headers.']],
  [401, ['Unauthorized', 'the server needs credentials. Set credentials on the job or check they are right.']],
  [402, ['Payment Required', 'the server refuses to serve this content without payment.']],
  [403, ['Forbidden', 'the server refuses access to this URL. Check permissions on the server.']],
  [404, ['Not Found', 'the remote file does not exist at that URL. Check the URL.']],
  [405, ['Method Not Allowed', 'the server does not allow the HTTP method used.']],
  [406, ['Not Acceptable', 'the server cannot produce a reply the client accepts.']],
  [407, ['Proxy Authentication Required', 'the proxy needs credentials. Set proxy credentials on the job.']],
  [408, ['Request Timeout', 'the server timed out waiting for the request. Retry later.']],
  [409, ['Conflict', 'the request conflicts with the state of the resource on the server.']],
  [410, ['Gone', 'the remote file was removed for good. Use another URL.']],
  [411, ['Length Required', 'the server needs a Content-Length header.']],
  [412, ['Precondition Failed', 'the remote file changed since the transfer started.']],
  [413, ['Content Too Large', 'the request is larger than the server accepts.']],
  [414, ['URI Too Long', 'the URL is too long for the server. Use a shorter URL.']],
  [415, ['Unsupported Media Type', 'the server does not accept the content type sent.']],
  [416, ['Range Not Satisfiable', 'the requested byte range lies outside the remote file.']],
  [417, ['Expectation Failed', 'the server could not meet the Expect header of the request.']],
  [418, ["I'm a teapot"]],
  [421, ['Misdirected Request']],
  [422, ['Unprocessable Content']],
  [423, ['Locked']],
  [424, ['Failed Dependency']],
  [425, ['Too Early']],
  [426, ['Upgrade Required']],
  [428, ['Precondition Required']],
  [429, ['Too Many Requests', 'the server is rate limiting requests. Retry later.']],
  [431, ['Request Header Fields Too Large']],
  [449, ['Retry With', 'the server (IIS) asks the client to retry with more information.']],
  [451, ['Unavailable For Legal Reasons']],
  [500, ['Internal Server Error', 'the server failed while handling the request. Retry later.']],
  [501, ['Not Implemented', 'the server does not support a feature the transfer needs (for example HTTP range requests).']],
  [502, ['Bad Gateway', 'a gateway or proxy got a bad reply from the upstream server. Retry later.']],
  [503, ['Service Unavailable', 'the server is overloaded or down for maintenance. Retry later.']],
  [504, ['Gateway Timeout', 'a gateway or proxy timed out waiting for the upstream server. Retry later.']],
  [505, ['HTTP Version Not Supported', 'the server does not support the HTTP version used.']],
  [506, ['Variant Also Negotiates']],
  [507, ['Insufficient Storage']],
  [508, ['Loop Detected']],
  [510, ['Not Extended']],
  [511, ['Network Authentication Required', 'the network (for example a captive portal) needs a sign-in.']],
]);

/** Reason phrase of an HTTP status (`404` → `Not Found`), or undefined when not a known status. */
export function httpReasonPhrase(status: number): string | undefined {
  return HTTP_STATUS_TEXT.get(status)?.[0];
}

/**
 * Message for a `BG_E_HTTP_ERROR_<status>` code, e.g.
 * `The server returned HTTP 404 Not Found: the remote file does not exist at that URL. Check the URL.`
 */
export function httpStatusMessage(status: number): string {
  const text = HTTP_STATUS_TEXT.get(status);
  const phrase = text === undefined ? '' : ` ${text[0]}`;
  const hint =
    text?.[1] ??
    (TRANSIENT_HTTP_STATUSES.has(status)
      ? 'the server could not serve the request now. Retry later.'
      : status >= 500
        ? 'the server failed to handle the request.'
        : status >= 400
          ? 'the server rejected the request.'
          : 'a status the transfer cannot use.');
  return `The server returned HTTP ${status}${phrase}: ${hint}`;
}

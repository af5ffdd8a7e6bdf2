/**
 * The one rule for credentials in text: anything the library shows (job display names it makes
 * up, error messages and their JSON, argument errors, CLI output) passes through `redact`, so a
 * URL's user:password, a password or token in a query string, a proxy list's credentials, or the
 * value of an Authorization-like header never leaves the process in clear. What goes to the
 * service (the URL to download, the headers to send) is not touched.
 */

/** What replaces a secret. */
export const REDACTED = '***';

/** `scheme://user:pass@` → `scheme://***@`. */
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi;
/** `user:pass@host` without a scheme (proxy lists). */
const BARE_USERINFO = /(^|[\s;,"'(=])[^\s;,"'(/@:=]+:[^\s;,"'/@]+@/g;
/** Query or form parameters that carry secrets (`password=`, `token=`, SAS `sig=` …). */
const SECRET_PARAMETER = /([?&;\s]|^)((?:[\w.-]*(?:password|passwd|pwd|secret|token|apikey|api_key|api-key))|sig|signature|key|code|auth)=([^&#\s;]*)/gi;
/**
 * Header lines whose value is a credential: at the start of a line (or of a quoted string, or
 * after an escaped line break in JSON), so that prose such as "needs a password: …" stays.
 */
const SECRET_HEADER = /(^|[\r\n"'`]|\\[rn])((?:proxy-)?authorization|cookie|set-cookie|api-?key|x-[\w-]*(?:token|secret|key|auth|password)[\w-]*)(\s*:\s*)([^\r\n"'`\\]*)/gim;

/** `text` with every credential it may carry replaced by `***`. */
export function redact(text: string): string {
  return text
    .replace(URL_USERINFO, `$1${REDACTED}@`)
    .replace(BARE_USERINFO, `$1${REDACTED}@`)
    .replace(SECRET_HEADER, `$1$2$3${REDACTED}`)
    .replace(SECRET_PARAMETER, `$1$2=${REDACTED}`);
}

/** `redact` for values that may be null. */
export function redactOptional<T extends string | null | undefined>(text: T): T {
  return (typeof text === 'string' ? redact(text) : text) as T;
}

/**
 * The server-certificate failures (WinHTTP's ERROR_WINHTTP_SECURE_* and DO's own code), and which
 * BG_SSL_IGNORE_* security flag makes the service accept a certificate despite each
 * (IBackgroundCopyJobHttpOptions::SetSecurityFlags documents one flag per failure).
 */
import { SecurityFlags } from '../bits/enums';
import { lookupHResult, type KnownErrorCode } from './codes';

/** What `ServerCertificateError` covers; the first is its default. */
export const CERTIFICATE_CODES = [
  'ERROR_WINHTTP_SECURE_FAILURE', 'ERROR_WINHTTP_SECURE_INVALID_CA', 'ERROR_WINHTTP_SECURE_CERT_CN_INVALID',
  'ERROR_WINHTTP_SECURE_CERT_DATE_INVALID', 'ERROR_WINHTTP_SECURE_CERT_WRONG_USAGE', 'ERROR_WINHTTP_SECURE_CERT_REV_FAILED',
  'ERROR_WINHTTP_SECURE_CERT_REVOKED', 'ERROR_WINHTTP_SECURE_INVALID_CERT', 'ERROR_WINHTTP_SECURE_FAILURE_PROXY',
  'DO_E_HTTP_CERT_VALIDATION',
] as const satisfies readonly KnownErrorCode[];

const IGNORED_BY: ReadonlyMap<KnownErrorCode, SecurityFlags> = new Map<KnownErrorCode, SecurityFlags>([
  ['ERROR_WINHTTP_SECURE_INVALID_CA', SecurityFlags.IgnoreUnknownCa],
  ['ERROR_WINHTTP_SECURE_CERT_CN_INVALID', SecurityFlags.IgnoreCertCnInvalid],
  ['ERROR_WINHTTP_SECURE_CERT_DATE_INVALID', SecurityFlags.IgnoreCertDateInvalid],
  ['ERROR_WINHTTP_SECURE_CERT_WRONG_USAGE', SecurityFlags.IgnoreCertWrongUsage],
]);

/**
 * The one security flag that ignores this certificate failure, or null: none does (revoked, not
 * valid, a proxy's), or the code does not say which check failed (ERROR_WINHTTP_SECURE_FAILURE).
 */
export function certificateIgnoreFlag(hr: number): SecurityFlags | null {
  const name = lookupHResult(hr)?.name;
  return (name && IGNORED_BY.get(name)) ?? null;
}

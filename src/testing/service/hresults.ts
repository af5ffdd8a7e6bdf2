/**
 * The HRESULTs the fake returns. Kept here (not taken from src/errors) so the fake states exactly
 * what it answers, and stays independent of the library's own tables.
 */
export const S_OK = 0x00000000;
export const S_FALSE = 0x00000001;
export const E_NOTIMPL = 0x80004001;
export const E_NOINTERFACE = 0x80004002;
export const E_POINTER = 0x80004003;
export const E_UNEXPECTED = 0x8000ffff;
export const E_INVALIDARG = 0x80070057;
/** What DO answers for SecurityContext bytes that are not a serialized certificate. */
export const CRYPT_E_FILE_ERROR = 0x80092003;
export const E_ACCESSDENIED = 0x80070005;
/** HRESULT_FROM_WIN32(ERROR_NOT_FOUND): a property that was never set. */
export const E_NOT_SET = 0x80070490;
export const REGDB_E_CLASSNOTREG = 0x80040154;
/** What a proxy answers once its server is gone (here: after `dispose()`). */
export const RPC_E_DISCONNECTED = 0x80010108;
/** RPC_X_NULL_REF_POINTER: what Wine's proxy turns a NULL [out, ref] string into. */
export const RPC_X_NULL_REF_POINTER = 0x800706f4;
/** What GetClientCertificate answers when no certificate was set (BITS documents it). */
export const RPC_X_BAD_STUB_DATA = 0x800706f7;
/** HRESULT_FROM_WIN32(ERROR_RESOURCE_LANG_NOT_FOUND). */
export const ERROR_RESOURCE_LANG_NOT_FOUND = 0x80070717;
/** STG_E_MEDIUMFULL: what the fake reports when the client's stream took fewer bytes than given. */
export const STG_E_MEDIUMFULL = 0x80030070;

export const BG_E_NOT_FOUND = 0x80200001;
export const BG_E_INVALID_STATE = 0x80200002;
export const BG_E_EMPTY = 0x80200003;
export const BG_E_FILE_NOT_AVAILABLE = 0x80200004;
export const BG_E_PROTOCOL_NOT_AVAILABLE = 0x80200005;
export const BG_E_ERROR_INFORMATION_UNAVAILABLE = 0x8020000f;
export const BG_S_PARTIAL_COMPLETE = 0x00200017;
export const BG_E_PROXY_LIST_TOO_LARGE = 0x80200018;
export const BG_E_PROXY_BYPASS_LIST_TOO_LARGE = 0x80200019;
export const BG_S_UNABLE_TO_DELETE_FILES = 0x0020001a;
export const BG_E_TOO_MANY_FILES = 0x8020001c;
export const BG_E_TOO_MANY_FILES_IN_JOB = 0x80200051;
export const BG_E_STRING_TOO_LONG = 0x80200021;
export const BG_E_USERNAME_TOO_LARGE = 0x80200025;
export const BG_E_PASSWORD_TOO_LARGE = 0x80200026;
export const BG_E_INVALID_AUTH_TARGET = 0x80200027;
export const BG_E_INVALID_AUTH_SCHEME = 0x80200028;
export const BG_E_INVALID_RANGE = 0x8020002b;
export const BG_E_OVERLAPPING_RANGES = 0x8020002c;
export const BG_E_UNKNOWN_PROPERTY_ID = 0x80200057;
export const BG_E_READ_ONLY_PROPERTY = 0x80200058;

export const DO_E_JOB_NOT_FOUND = 0x80d02003;
export const DO_E_JOB_EMPTY = 0x80d02004;
export const DO_E_LOCALPATH_NOT_SET = 0x80d0200d;
export const DO_E_FILE_NOT_AVAILABLE = 0x80d02010;
export const DO_E_UNKNOWN_PROPERTY_ID = 0x80d02011;
export const DO_E_READ_ONLY_PROPERTY = 0x80d02012;
export const DO_E_INVALID_STATE = 0x80d02013;
export const DO_E_ERROR_INFORMATION_UNAVAILABLE = 0x80d02014;
export const DO_E_WRITE_ONLY_PROPERTY = 0x80d02015;
export const DO_E_FILE_DOWNLOADSINK_UNSPECIFIED = 0x80d02018;
export const DO_E_FILE_DOWNLOADSINK_ALREADY_SET = 0x80d02019;
export const DO_E_DOWNLOAD_NO_URI = 0x80d02200;
export const DO_E_DOWNLOAD_RANGES_UNEXPECTED = 0x80d02203;
export const DO_E_DOWNLOAD_RANGES_EXPECTED = 0x80d02204;
export const DO_E_INVALID_RANGE = 0x80d05010;
export const DO_E_OVERLAPPING_RANGES = 0x80d05012;

/** The codes whose value depends on the service: BITS answers BG_E_*, DO answers DO_E_*. */
export interface FlavourCodes {
  readonly notFound: number;
  readonly empty: number;
  readonly invalidState: number;
  readonly errorInformationUnavailable: number;
  readonly fileNotAvailable: number;
  readonly unknownPropertyId: number;
  readonly readOnlyProperty: number;
  readonly invalidRange: number;
  readonly overlappingRanges: number;
}

const BITS_CODES: FlavourCodes = Object.freeze({
  notFound: BG_E_NOT_FOUND,
  empty: BG_E_EMPTY,
  invalidState: BG_E_INVALID_STATE,
  errorInformationUnavailable: BG_E_ERROR_INFORMATION_UNAVAILABLE,
  fileNotAvailable: BG_E_FILE_NOT_AVAILABLE,
  unknownPropertyId: BG_E_UNKNOWN_PROPERTY_ID,
  readOnlyProperty: BG_E_READ_ONLY_PROPERTY,
  invalidRange: BG_E_INVALID_RANGE,
  overlappingRanges: BG_E_OVERLAPPING_RANGES,
});

const DO_CODES: FlavourCodes = Object.freeze({
  notFound: DO_E_JOB_NOT_FOUND,
  empty: DO_E_JOB_EMPTY,
  invalidState: DO_E_INVALID_STATE,
  errorInformationUnavailable: DO_E_ERROR_INFORMATION_UNAVAILABLE,
  fileNotAvailable: DO_E_FILE_NOT_AVAILABLE,
  unknownPropertyId: DO_E_UNKNOWN_PROPERTY_ID,
  readOnlyProperty: DO_E_READ_ONLY_PROPERTY,
  invalidRange: DO_E_INVALID_RANGE,
  overlappingRanges: DO_E_OVERLAPPING_RANGES,
});

/** The flavour-dependent codes of `flavour`. */
export function flavourCodes(flavour: 'bits' | 'delivery-optimization'): FlavourCodes {
  return flavour === 'bits' ? BITS_CODES : DO_CODES;
}

/**
 * `HResultError` and its subclasses: a failing HRESULT as a JavaScript error, with the symbolic
 * `code`, the unsigned `hresult` and a message that always shows the hex value.
 */
import { facilityOf, failed, formatHResult } from '../com/hresult';
import { type CodeFamily, type ErrorCodeName, type KnownErrorCode, lookupHResultByName } from './codes';
import { coerceHResult } from './coerce';
import { describeHResult } from './describe';
import { setErrorName } from './error-name';
import { errorToJSON } from './to-json';
import { redact, redactOptional } from '../secrets';
import { FACILITY_HTTP, facilityName } from './facilities';
import { httpStatusHResult } from './http-status';
import type { SecurityFlags } from '../bits/enums';
import { CERTIFICATE_CODES, certificateIgnoreFlag } from './certificate-flags';

/** Options shared by every {@link HResultError} constructor. */
export interface HResultErrorOptions {
  /** What failed, e.g. `IBackgroundCopyJob::Resume`; the message starts with `<operation> failed: `. */
  readonly operation?: string;
  /** Replaces our table message, e.g. with the text of `IBackgroundCopyError::GetErrorDescription`. */
  readonly description?: string;
  /** The underlying error, stored as the standard `cause`. */
  readonly cause?: unknown;
}

/** A constructor that {@link HResultError.from} can pick. */
export type HResultErrorClass = new (hresult: number, options?: HResultErrorOptions) => HResultError;

/** A class's table codes (at least one); the first is its default. Checked against the table by the compiler. */
function declareCodes<const C extends readonly [KnownErrorCode, ...KnownErrorCode[]]>(...codes: C): C {
  return codes;
}

/** Value of a table name; throws only if the table lacks it (a bug caught by the unit tests). */
function valueOf(name: KnownErrorCode): number {
  const info = lookupHResultByName(name);
  if (!info) throw new Error(`errors/codes.ts has no ${name}`);
  return info.hresult;
}

/**
 * An HRESULT failure. `message` reads `[<operation> failed: ]<code> (0x%08X): <description>`,
 * e.g. `BG_E_HTTP_ERROR_404 (0x80190194): The server returned HTTP 404 Not Found: ...`.
 */
export class HResultError extends Error {
  static {
    setErrorName(this, 'HResultError');
  }

  /** Unsigned 32-bit value, e.g. `0x80D02003` (never negative). */
  readonly hresult: number;
  /** Symbolic name (`DO_E_JOB_NOT_FOUND`), `BG_E_HTTP_ERROR_<status>`, or `HRESULT_0x%08X` when unknown. */
  readonly code: ErrorCodeName;
  /** `(hresult >> 16) & 0x1FFF`. */
  readonly facility: number;
  /** Facility name without `FACILITY_`, e.g. `DELIVERY_OPTIMIZATION`, `HTTP`, `WIN32`. */
  readonly facilityName: string;
  /** Which family the code belongs to. */
  readonly family: CodeFamily;
  /** True when retrying later may succeed (DO transient zone, BITS pauses, service restarts, HTTP 5xx/408/429). */
  readonly isTransient: boolean;
  /** The `operation` option, if given. */
  readonly operation: string | undefined;

  /**
   * @param hresult Signed or unsigned form. Any other value is coerced without throwing
   *   (see `coerceHResult`) and the message says so.
   */
  constructor(hresult: number, options: HResultErrorOptions = {}) {
    const { hresult: hr, note } = coerceHResult(hresult);
    const info = describeHResult(hr);
    const prefix = options.operation === undefined ? '' : `${options.operation} failed: `;
    const text = options.description ?? info.message;
    const message = `${prefix}${info.name} (${formatHResult(hr)}): ${text}${note === undefined ? '' : ` ${note}`}`;
    super(redact(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.hresult = hr;
    this.code = info.name;
    this.facility = facilityOf(hr);
    this.facilityName = facilityName(this.facility);
    this.family = info.family;
    this.isTransient = info.isTransient;
    this.operation = redactOptional(options.operation);
  }

  /** Plain JSON for loggers (`JSON.stringify(error)` works). */
  toJSON(): Record<string, unknown> {
    return errorToJSON(this);
  }

  /**
   * Builds the most specific error class for a value: the class mapped to that code, `HttpError`
   * for any other FACILITY_HTTP failure, otherwise `HResultError`. Never throws: values that are
   * not 32-bit integers (NaN, 1.5, Infinity, ...) are first checked, then coerced with `>>> 0`,
   * and the message notes the coercion.
   */
  static from(hr: number, options?: HResultErrorOptions): HResultError {
    const Class = hresultErrorClassFor(coerceHResult(hr).hresult);
    return new Class(hr, options);
  }
}

/** No error object exists: the job is not in ERROR/TRANSIENT_ERROR (BG_E_ / DO_E_ERROR_INFORMATION_UNAVAILABLE). */
export class ErrorInformationUnavailableError extends HResultError {
  static {
    setErrorName(this, 'ErrorInformationUnavailableError');
  }
  /** The codes `HResultError.from` maps to this class; the first is what `new ErrorInformationUnavailableError()` means. */
  static readonly codes = declareCodes('DO_E_ERROR_INFORMATION_UNAVAILABLE', 'BG_E_ERROR_INFORMATION_UNAVAILABLE');
  /** @param hresult Defaults to the first of `codes`. */
  constructor(hresult: number = valueOf(ErrorInformationUnavailableError.codes[0]), options?: HResultErrorOptions) {
    super(hresult, options);
  }
}

/** `E_NOTIMPL`: the object does not implement the method. */
export class NotImplementedError extends HResultError {
  static {
    setErrorName(this, 'NotImplementedError');
  }
  /** The codes `HResultError.from` maps to this class; the first is what `new NotImplementedError()` means. */
  static readonly codes = declareCodes('E_NOTIMPL');
  /** @param hresult Defaults to the first of `codes`. */
  constructor(hresult: number = valueOf(NotImplementedError.codes[0]), options?: HResultErrorOptions) {
    super(hresult, options);
  }
}

/** `E_NOINTERFACE`: the object (or this Windows version) lacks the requested interface. */
export class NoInterfaceError extends HResultError {
  static {
    setErrorName(this, 'NoInterfaceError');
  }
  /** The codes `HResultError.from` maps to this class; the first is what `new NoInterfaceError()` means. */
  static readonly codes = declareCodes('E_NOINTERFACE');
  /** @param hresult Defaults to the first of `codes`. */
  constructor(hresult: number = valueOf(NoInterfaceError.codes[0]), options?: HResultErrorOptions) {
    super(hresult, options);
  }
}

/** `E_INVALIDARG`: an argument was rejected. */
export class InvalidArgumentError extends HResultError {
  static {
    setErrorName(this, 'InvalidArgumentError');
  }
  /** The codes `HResultError.from` maps to this class; the first is what `new InvalidArgumentError()` means. */
  static readonly codes = declareCodes('E_INVALIDARG');
  /** @param hresult Defaults to the first of `codes`. */
  constructor(hresult: number = valueOf(InvalidArgumentError.codes[0]), options?: HResultErrorOptions) {
    super(hresult, options);
  }
}

/** `E_ACCESSDENIED` or `RPC_E_ACCESS_DENIED`. */
export class AccessDeniedError extends HResultError {
  static {
    setErrorName(this, 'AccessDeniedError');
  }
  /** The codes `HResultError.from` maps to this class; the first is what `new AccessDeniedError()` means. */
  static readonly codes = declareCodes('E_ACCESSDENIED', 'RPC_E_ACCESS_DENIED');
  /** @param hresult Defaults to the first of `codes`. */
  constructor(hresult: number = valueOf(AccessDeniedError.codes[0]), options?: HResultErrorOptions) {
    super(hresult, options);
  }
}

/** Not allowed in the current state: `BG_E_INVALID_STATE`, `DO_E_INVALID_STATE`, `E_NOT_VALID_STATE`. */
export class InvalidStateError extends HResultError {
  static {
    setErrorName(this, 'InvalidStateError');
  }
  /** The codes `HResultError.from` maps to this class; the first is what `new InvalidStateError()` means. */
  static readonly codes = declareCodes('DO_E_INVALID_STATE', 'BG_E_INVALID_STATE', 'E_NOT_VALID_STATE');
  /** @param hresult Defaults to the first of `codes`. */
  constructor(hresult: number = valueOf(InvalidStateError.codes[0]), options?: HResultErrorOptions) {
    super(hresult, options);
  }
}

/** A property id the service does not know (a newer Windows may): `DO_E_UNKNOWN_PROPERTY_ID`, `BG_E_UNKNOWN_PROPERTY_ID`. */
export class UnknownPropertyError extends HResultError {
  static {
    setErrorName(this, 'UnknownPropertyError');
  }
  /** The codes `HResultError.from` maps to this class; the first is what `new UnknownPropertyError()` means. */
  static readonly codes = declareCodes('DO_E_UNKNOWN_PROPERTY_ID', 'BG_E_UNKNOWN_PROPERTY_ID');
  /** @param hresult Defaults to the first of `codes`. */
  constructor(hresult: number = valueOf(UnknownPropertyError.codes[0]), options?: HResultErrorOptions) {
    super(hresult, options);
  }
}

/** SetProperty on a read-only property: `DO_E_READ_ONLY_PROPERTY`, `BG_E_READ_ONLY_PROPERTY`. */
export class ReadOnlyPropertyError extends HResultError {
  static {
    setErrorName(this, 'ReadOnlyPropertyError');
  }
  /** The codes `HResultError.from` maps to this class; the first is what `new ReadOnlyPropertyError()` means. */
  static readonly codes = declareCodes('DO_E_READ_ONLY_PROPERTY', 'BG_E_READ_ONLY_PROPERTY');
  /** @param hresult Defaults to the first of `codes`. */
  constructor(hresult: number = valueOf(ReadOnlyPropertyError.codes[0]), options?: HResultErrorOptions) {
    super(hresult, options);
  }
}

/** GetProperty on a write-only property: `DO_E_WRITE_ONLY_PROPERTY`. */
export class WriteOnlyPropertyError extends HResultError {
  static {
    setErrorName(this, 'WriteOnlyPropertyError');
  }
  /** The codes `HResultError.from` maps to this class; the first is what `new WriteOnlyPropertyError()` means. */
  static readonly codes = declareCodes('DO_E_WRITE_ONLY_PROPERTY');
  /** @param hresult Defaults to the first of `codes`. */
  constructor(hresult: number = valueOf(WriteOnlyPropertyError.codes[0]), options?: HResultErrorOptions) {
    super(hresult, options);
  }
}

/** GetProperty on a property that was never set: `E_NOT_SET` (HRESULT_FROM_WIN32(ERROR_NOT_FOUND)). */
export class PropertyNotSetError extends HResultError {
  static {
    setErrorName(this, 'PropertyNotSetError');
  }
  /** The codes `HResultError.from` maps to this class; the first is what `new PropertyNotSetError()` means. */
  static readonly codes = declareCodes('E_NOT_SET');
  /** @param hresult Defaults to the first of `codes`. */
  constructor(hresult: number = valueOf(PropertyNotSetError.codes[0]), options?: HResultErrorOptions) {
    super(hresult, options);
  }
}

/** No such job: `BG_E_NOT_FOUND`, `DO_E_JOB_NOT_FOUND`. */
export class JobNotFoundError extends HResultError {
  static {
    setErrorName(this, 'JobNotFoundError');
  }
  /** The codes `HResultError.from` maps to this class; the first is what `new JobNotFoundError()` means. */
  static readonly codes = declareCodes('DO_E_JOB_NOT_FOUND', 'BG_E_NOT_FOUND');
  /** @param hresult Defaults to the first of `codes`. */
  constructor(hresult: number = valueOf(JobNotFoundError.codes[0]), options?: HResultErrorOptions) {
    super(hresult, options);
  }
}

/** The job has no files: `BG_E_EMPTY`, `DO_E_JOB_EMPTY`. */
export class EmptyJobError extends HResultError {
  static {
    setErrorName(this, 'EmptyJobError');
  }
  /** The codes `HResultError.from` maps to this class; the first is what `new EmptyJobError()` means. */
  static readonly codes = declareCodes('DO_E_JOB_EMPTY', 'BG_E_EMPTY');
  /** @param hresult Defaults to the first of `codes`. */
  constructor(hresult: number = valueOf(EmptyJobError.codes[0]), options?: HResultErrorOptions) {
    super(hresult, options);
  }
}

/** Any FACILITY_HTTP (25) failure: `BG_E_HTTP_ERROR_<status> = 0x80190000 + status`. */
export class HttpError extends HResultError {
  static {
    setErrorName(this, 'HttpError');
  }
  /** The HTTP status, `hresult & 0xFFFF` (e.g. 404). */
  readonly status: number;

  constructor(hresult: number, options?: HResultErrorOptions) {
    super(hresult, options);
    this.status = this.hresult & 0xffff;
  }

  /** `HttpError.fromStatus(404)` is the error for `BG_E_HTTP_ERROR_404` (0x80190194). */
  static fromStatus(status: number, options?: HResultErrorOptions): HttpError {
    return new HttpError(httpStatusHResult(status), options);
  }
}

/** Options of {@link ClassNotRegisteredError}. */
export interface ClassNotRegisteredErrorOptions extends HResultErrorOptions {
  /** Which service or class was asked for; defaults to `Delivery Optimization`. */
  readonly service?: string;
}

/** `REGDB_E_CLASSNOTREG`: the COM class is not registered (Windows too old, or component missing). */
export class ClassNotRegisteredError extends HResultError {
  static {
    setErrorName(this, 'ClassNotRegisteredError');
  }
  /** The `service` option, or `Delivery Optimization`. */
  readonly service: string;

  /** The codes `HResultError.from` maps to this class; the first is what `new ClassNotRegisteredError()` means. */
  static readonly codes = declareCodes('REGDB_E_CLASSNOTREG');
  /** @param hresult Defaults to the first of `codes`. */
  constructor(hresult: number = valueOf(ClassNotRegisteredError.codes[0]), options: ClassNotRegisteredErrorOptions = {}) {
    const service = options.service ?? 'Delivery Optimization';
    const description =
      options.description ??
      `${service} is not available: its COM class is not registered on this computer. ` +
        "Delivery Optimization's BITS-style API needs Windows 10 version 1709 or later.";
    super(hresult, { ...options, description });
    this.service = service;
  }
}

/** The service stopped, crashed, is disabled or is shutting down (RPC/COM server-unavailable family). */
export class ServiceUnavailableError extends HResultError {
  static {
    setErrorName(this, 'ServiceUnavailableError');
  }
  /** The codes `HResultError.from` maps to this class; the first is what `new ServiceUnavailableError()` means. */
  static readonly codes = declareCodes(
    'RPC_S_SERVER_UNAVAILABLE',
    // Wine: a 32-bit client whose 64-bit service was killed while it opened connections (ERROR_PIPE_BUSY)
    'RPC_S_SERVER_TOO_BUSY',
    'RPC_E_DISCONNECTED',
    'RPC_E_SERVER_DIED',
    'RPC_E_SERVER_DIED_DNE',
    'RPC_S_CALL_FAILED',
    'RPC_S_CALL_FAILED_DNE',
    'RPC_S_UNKNOWN_IF',
    'RPC_E_TIMEOUT',
    'CO_E_OBJNOTCONNECTED',
    'CO_E_SERVER_STOPPING',
    'ERROR_SERVICE_DISABLED',
    'CO_E_SERVER_EXEC_FAILURE',
  );
  /** @param hresult Defaults to the first of `codes`. */
  constructor(hresult: number = valueOf(ServiceUnavailableError.codes[0]), options?: HResultErrorOptions) {
    super(hresult, options);
  }
}

/** `E_OUTOFMEMORY`. */
export class OutOfMemoryError extends HResultError {
  static {
    setErrorName(this, 'OutOfMemoryError');
  }
  /** The codes `HResultError.from` maps to this class; the first is what `new OutOfMemoryError()` means. */
  static readonly codes = declareCodes('E_OUTOFMEMORY');
  /** @param hresult Defaults to the first of `codes`. */
  constructor(hresult: number = valueOf(OutOfMemoryError.codes[0]), options?: HResultErrorOptions) {
    super(hresult, options);
  }
}

/**
 * The service refused the server's (or proxy's) TLS certificate: ERROR_WINHTTP_SECURE_* or
 * DO_E_HTTP_CERT_VALIDATION. The message says what to fix; `ignoreFlag` names the flag that would
 * accept it anyway (docs/errors.md: each flag's risk).
 */
export class ServerCertificateError extends HResultError {
  static {
    setErrorName(this, 'ServerCertificateError');
  }
  /** The codes `HResultError.from` maps to this class; the first is what `new ServerCertificateError()` means. */
  static readonly codes = declareCodes(...CERTIFICATE_CODES);
  /** The `SecurityFlags` bit (BG_SSL_IGNORE_*) that makes the service accept this certificate anyway, or null when none does. */
  readonly ignoreFlag: SecurityFlags | null;
  /** @param hresult Defaults to the first of `codes`. */
  constructor(hresult: number = valueOf(ServerCertificateError.codes[0]), options?: HResultErrorOptions) {
    super(hresult, options);
    this.ignoreFlag = certificateIgnoreFlag(this.hresult);
  }
}

/** The classes {@link HResultError.from} picks by code, each with its own `codes`. */
const MAPPED_CLASSES = [
  ErrorInformationUnavailableError, NotImplementedError, NoInterfaceError, InvalidArgumentError, AccessDeniedError,
  InvalidStateError, JobNotFoundError, EmptyJobError, ClassNotRegisteredError, UnknownPropertyError,
  ReadOnlyPropertyError, WriteOnlyPropertyError, PropertyNotSetError, ServiceUnavailableError, OutOfMemoryError,
  ServerCertificateError,
] as const;

/**
 * Which class {@link HResultError.from} uses for which table codes, read from each class's `codes`
 * (HttpError is not listed: it takes every FACILITY_HTTP failure by rule).
 */
export const ERROR_CLASS_CODES: ReadonlyArray<readonly [HResultErrorClass, readonly KnownErrorCode[]]> = MAPPED_CLASSES.map((Class) => [Class, Class.codes] as const);

const CLASS_BY_HRESULT: ReadonlyMap<number, HResultErrorClass> = new Map(
  ERROR_CLASS_CODES.flatMap(([Class, names]) => names.map((name) => [valueOf(name), Class] as const)),
);

/** The class {@link HResultError.from} picks for a value (signed or unsigned form). */
export function hresultErrorClassFor(hr: number): HResultErrorClass {
  const u = hr >>> 0;
  const Class = CLASS_BY_HRESULT.get(u);
  if (Class) return Class;
  return failed(u) && facilityOf(u) === FACILITY_HTTP ? HttpError : HResultError;
}

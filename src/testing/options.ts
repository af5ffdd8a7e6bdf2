/** Options of `createFakeService`, their defaults, and a preset that behaves like Wine's BITS. */
import {
  invalidArgType, invalidArgValue, outOfRange, validateBoolean, validateHResult, validateOptionsObject, validateString, validateUint32,
} from '../api/validate';
import { RPC_X_NULL_REF_POINTER } from './service/hresults';
import { DEFAULT_BEHAVIOUR, validateBehaviour, type Behaviour } from './scripts';
import type { FakeCertificate } from './ido/fake-certificates';
import type { FakeActivator } from './service/class-activation';

/**
 * Which service the fake imitates: codes (BG_E_* / DO_E_*), states and DO-only interfaces differ.
 * 'ido' is Delivery Optimization as on Windows 11: the BITS-style API and the IDO API
 * (IDOManager / IDODownload) on the same class.
 */
export type FakeFlavour = 'bits' | 'delivery-optimization' | 'ido';

/** Timings of the simulated service, in milliseconds (real timers). */
export interface FakeTiming {
  /** QUEUED → CONNECTING → TRANSFERRING steps (BITS flavour), each. Default 3. */
  readonly connectMs?: number;
  /** TRANSIENT_ERROR → retry. The real MinimumRetryDelay (≥ 5 s) is compressed to this. Default 20. */
  readonly retryDelayMs?: number;
  /** Progress updates per file (default 4). */
  readonly progressSteps?: number;
  /** Delay before a failed JobTransferred / JobError callback is tried again. Default 20. */
  readonly callbackRetryMs?: number;
  /** How many times a failed JobTransferred / JobError callback is retried. Default 3. */
  readonly callbackRetries?: number;
}

/** How the fake behaves; every option has a default (shown per field). */
export interface FakeServiceOptions {
  /** Default 'bits'. */
  readonly flavour?: FakeFlavour;
  /** Activation for IID_IDOManager succeeds. Default true for 'ido', false otherwise (E_NOINTERFACE, like Windows 10 1709–1803). */
  readonly ido?: boolean;
  /** false: activation fails with REGDB_E_CLASSNOTREG, like a machine without the service. Default true. */
  readonly classRegistered?: boolean;
  /** 'refuse': setProxyBlanket answers E_NOINTERFACE, like a service that refuses. Default 'ok'. */
  readonly proxyBlanket?: 'ok' | 'refuse';
  /** Behaviour per remote URL. */
  readonly script?: Readonly<Record<string, Behaviour>>;
  /** Behaviour of URLs not in `script` (default: 1 KiB in 20 ms). */
  readonly defaultBehaviour?: Behaviour;
  /** Qualified method names (`'IBackgroundCopyJob::GetTimes'`) that answer E_NOTIMPL. */
  readonly notImplemented?: readonly string[];
  /** Qualified method name → HRESULT it answers instead of running (out-parameters untouched). */
  readonly failures?: Readonly<Record<string, number>>;
  /**
   * Faults injected per qualified method name: fail with any HRESULT, answer late, or never
   * answer; each on every call or only on the Nth. Delays and hangs keep the calling thread waiting
   * natively while the JS main thread stays free, as a slow remote service does (linux-x64, win32-x64 and win32-ia32).
   */
  readonly faults?: Readonly<Record<string, MethodFault | readonly MethodFault[]>>;
  /**
   * Where the fake's calls into the client's objects (notifications) come from. 'native-thread': a
   * native thread that is not the JS main thread, as a service's RPC thread does: the client's
   * object runs when the main thread is free, in no particular order with the client's other work.
   * 'main-thread': a timer on the main thread (calls made synchronously). Default 'native-thread'.
   */
  readonly callbackThread?: 'native-thread' | 'main-thread';
  /**
   * true: a call on a job waits (on the caller's thread) while a notification about that job is in
   * flight, like a service that serializes a job's calls with its callbacks. A synchronous call on
   * the JS main thread then deadlocks, exactly as with a real service (linux-x64, win32-x64 and win32-ia32). Default false.
   */
  readonly holdCallsDuringCallbacks?: boolean;
  /** Highest IBackgroundCopyJobN answered by QueryInterface (Wine: 4). Default 5. */
  readonly jobInterfaces?: 1 | 2 | 3 | 4 | 5;
  /**
   * Highest IBackgroundCopyJobHttpOptionsN answered by QueryInterface: 1 like Wine (E_NOINTERFACE
   * for …2 and …3), 3 like Windows 10 1809 and later. Default 3.
   */
  readonly httpOptionsInterfaces?: 1 | 2 | 3;
  /** Jobs answer QueryInterface for IBitsTokenOptions (helper tokens). Default true; false like Wine (E_NOINTERFACE). */
  readonly tokenOptions?: boolean;
  /** Certificates in the fake's certificate store (IDO client certificates, `setClientCertificate`). Default none. */
  readonly certificates?: readonly FakeCertificate[];
  /**
   * IBackgroundCopyJob::AddFile / AddFileSet and IBackgroundCopyJob3::AddFileWithRanges.
   * Default 'supported' for BITS, 'notimpl' for Delivery Optimization (files are added through
   * IDeliveryOptimizationJob / IDeliveryOptimizationJob2 there).
   */
  readonly addFile?: 'supported' | 'notimpl';
  /** Job BytesTotal stays BG_SIZE_UNKNOWN, as on Wine. Default false. */
  readonly unknownJobSize?: boolean;
  /**
   * IBackgroundCopyError::GetErrorDescription / GetErrorContextDescription: 'notimpl' answers
   * E_NOTIMPL, 'null-ref' answers RPC_X_NULL_REF_POINTER (0x800706F4) like Wine. Default 'ok'.
   */
  readonly errorDescriptions?: 'ok' | 'notimpl' | 'null-ref';
  /** false: never calls JobError (Wine never does). Default true. */
  readonly sendJobError?: boolean;
  /** false: never calls JobModification. Default true. */
  readonly sendModification?: boolean;
  /** true: Cancel answers BG_S_UNABLE_TO_DELETE_FILES (still a success). Default false. */
  readonly cancelUnableToDelete?: boolean;
  /**
   * false: the service predates IBackgroundCopyCallback3, and SetNotifyFlags refuses
   * BG_NOTIFY_FILE_RANGES_TRANSFERRED with E_NOTIMPL (Wine). Default true.
   */
  readonly rangeNotifications?: boolean;
  /** Owner SID string (GetOwner). Default 'S-1-5-21-1-2-3-1001'. */
  readonly owner?: string;
  /** false: Complete does not write files to disk. Default true. */
  readonly writeFiles?: boolean;
  /**
   * Most files a job may hold, like the MaxFilesPerJob policy (Windows: 200 for users by default):
   * AddFile / AddFileSet beyond it answer BG_E_TOO_MANY_FILES_IN_JOB and add nothing. Default: no limit.
   */
  readonly maxFilesPerJob?: number;
  /**
   * How a job's notification CLSID (`JobPropertyId.NotificationClsid`) is activated when the job,
   * with no callback interface, is transferred or fails: an owned IUnknown, or null (not registered).
   * Default: the class objects registered with `fake.classRegistrar` (a notification server in this process).
   */
  readonly activator?: FakeActivator;
  /** Timings of the simulated service (defaults per field). */
  readonly timing?: FakeTiming;
}

/** Which calls of a method a fault applies to. */
export interface FaultWhen {
  /** Only the Nth call of the method (1-based, counted per fake); default every call. */
  readonly nth?: number;
}

/** One fault injected into a method (option `faults`). */
export type MethodFault =
  /** The call answers `hresult` without running (out-parameters untouched). */
  | (FaultWhen & {
    /** Fail. */
    readonly kind: 'fail';
    /** The HRESULT answered. */
    readonly hresult: number;
  })
  /** The call runs `ms` late; the caller's thread waits, the JS main thread does not. */
  | (FaultWhen & {
    /** Answer late. */
    readonly kind: 'delay';
    /** How late, in milliseconds. */
    readonly ms: number;
  })
  /**
   * The call does not return until `dispose()` (or `maxMs`, default 60 000, so that a forgotten
   * fake cannot pin a thread for ever); then it runs as usual.
   */
  | (FaultWhen & {
    /** Do not answer. */
    readonly kind: 'hang';
    /** Give up hanging after this long (default 60 000 ms). */
    readonly maxMs?: number;
  });

/** Options with every default applied (the fake's own; not exported from delivery-optimization/testing). */
export interface ResolvedOptions {
  /** 'ido' resolves to 'delivery-optimization' with `ido` set. */
  readonly flavour: Exclude<FakeFlavour, 'ido'>;
  readonly ido: boolean;
  readonly classRegistered: boolean;
  readonly proxyBlanket: 'ok' | 'refuse';
  readonly script: Readonly<Record<string, Behaviour>>;
  readonly defaultBehaviour: Behaviour;
  readonly notImplemented: ReadonlySet<string>;
  readonly failures: ReadonlyMap<string, number>;
  readonly faults: ReadonlyMap<string, readonly MethodFault[]>;
  readonly callbackThread: 'native-thread' | 'main-thread';
  readonly holdCallsDuringCallbacks: boolean;
  readonly jobInterfaces: 1 | 2 | 3 | 4 | 5;
  readonly httpOptionsInterfaces: 1 | 2 | 3;
  readonly tokenOptions: boolean;
  readonly certificates: readonly FakeCertificate[];
  readonly addFile: 'supported' | 'notimpl';
  readonly unknownJobSize: boolean;
  readonly errorDescriptions: 'ok' | 'notimpl' | 'null-ref';
  readonly sendJobError: boolean;
  readonly sendModification: boolean;
  readonly cancelUnableToDelete: boolean;
  readonly rangeNotifications: boolean;
  readonly owner: string;
  readonly writeFiles: boolean;
  readonly maxFilesPerJob: number;
  readonly activator: FakeActivator | null;
  readonly timing: Required<FakeTiming>;
}

/**
 * The methods Wine 8's BITS leaves unimplemented (E_NOTIMPL), as found in the testbed: the one list
 * both `WINE_LIKE_OPTIONS` and the wine tier (test/wine/wine-like.test.ts asserts each against Wine)
 * are made from.
 */
export const WINE_NOT_IMPLEMENTED: readonly string[] = Object.freeze([
  'IBackgroundCopyManager::GetErrorDescription',
  'IBackgroundCopyJob::Suspend',
  'IBackgroundCopyJob::GetTimes',
  'IBackgroundCopyJob::GetOwner',
  'IBackgroundCopyJob::SetDisplayName',
  'IBackgroundCopyJob::GetPriority',
  'IBackgroundCopyJob::GetErrorCount',
  'IBackgroundCopyJob::SetProxySettings',
  'IBackgroundCopyJob::GetProxySettings',
  'IBackgroundCopyJob::TakeOwnership',
  'IEnumBackgroundCopyFiles::Clone',
]);

/** Methods that answer a failure on Wine instead of running (also asserted by the wine tier). */
export const WINE_FAILURES: Readonly<Record<string, number>> = Object.freeze({ 'IBackgroundCopyError::GetProtocol': RPC_X_NULL_REF_POINTER });

/**
 * What Wine 8's BITS answered in the testbed (docs: testbed.md §2–§4): the methods it does not
 * implement, Job5 missing, null-ref error texts, no JobError / JobModification, unknown job size.
 */
export const WINE_LIKE_OPTIONS: FakeServiceOptions = Object.freeze({
  flavour: 'bits',
  jobInterfaces: 4,
  httpOptionsInterfaces: 1,
  tokenOptions: false,
  unknownJobSize: true,
  errorDescriptions: 'null-ref',
  sendJobError: false,
  sendModification: false,
  rangeNotifications: false,
  notImplemented: WINE_NOT_IMPLEMENTED,
  failures: WINE_FAILURES,
});

/** Node's timers hold at most 2^31 − 1 ms; a longer delay would fire after 1 ms. */
export const MAX_FAKE_DELAY_MS = 2 ** 31 - 1;

/** A duration in ms: a finite number in 0 … 2^31 − 1. */
export function validateDelay(value: unknown, name: string): number {
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
  if (!Number.isFinite(value) || value < 0 || value > MAX_FAKE_DELAY_MS) throw outOfRange(name, `>= 0 and <= ${MAX_FAKE_DELAY_MS}`, value);
  return value;
}

function optional<T>(options: Record<string, unknown>, key: string, check: (value: unknown, name: string) => T, fallback: T): T {
  const value = options[key];
  return value === undefined ? fallback : check(value, key);
}

function oneOf<T extends string | number>(allowed: readonly T[]): (value: unknown, name: string) => T {
  return (value, name) => {
    if (!allowed.includes(value as T)) throw invalidArgValue(name, value, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
    return value as T;
  };
}

function timingValue(timing: Record<string, unknown>, key: keyof FakeTiming, fallback: number, integer = false): number {
  const value = timing[key];
  if (value === undefined) return fallback;
  const n = validateDelay(value, `timing.${key}`);
  if (integer && !Number.isInteger(n)) throw outOfRange(`timing.${key}`, 'an integer', value);
  return n;
}

/**
 * Applies defaults and checks every option the way the library checks its own arguments (typed
 * Node-style errors): a misspelt qualified name in `notImplemented` / `failures` would silently
 * test nothing, so `isKnownMethod` must accept every one.
 */
export function resolveOptions(input: FakeServiceOptions, isKnownMethod: (qualifiedName: string) => boolean): ResolvedOptions {
  const options = validateOptionsObject(input, 'options');
  const requested = optional(options, 'flavour', oneOf<FakeFlavour>(['bits', 'delivery-optimization', 'ido']), 'bits');
  const flavour = requested === 'ido' ? 'delivery-optimization' : requested;
  const ido = flavour === 'delivery-optimization' && optional(options, 'ido', validateBoolean, requested === 'ido');
  const names = (key: string): readonly string[] => {
    const value = options[key];
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw invalidArgType(key, 'an array of qualified method names', value);
    return value.map((v, i) => validateString(v, `${key}[${i}]`));
  };
  const notImplemented = new Set(names('notImplemented'));
  const failureObject = validateOptionsObject(options.failures, 'failures');
  const failures = new Map(Object.entries(failureObject).map(([name, hr]) => [name, validateFailure(hr, `failures['${name}']`)]));
  const faults = resolveFaults(validateOptionsObject(options.faults, 'faults'));
  for (const name of [...notImplemented, ...failures.keys(), ...faults.keys()]) {
    if (!isKnownMethod(name)) {
      throw invalidArgValue(name, name, 'is not a method the fake implements (use \'Interface::Method\' as declared, IUnknown methods excluded)');
    }
  }
  const defaultBehaviour = optional(options, 'defaultBehaviour', (b, n) => (validateBehaviour(b as Behaviour, n), b as Behaviour), DEFAULT_BEHAVIOUR);
  const script = validateOptionsObject(options.script, 'script') as Record<string, Behaviour>;
  for (const [url, behaviour] of Object.entries(script)) validateBehaviour(behaviour, `script['${url}']`);
  const timing = validateOptionsObject(options.timing, 'timing');
  const owner = optional(options, 'owner', (v, n) => validateString(v, n, { min: 1 }), 'S-1-5-21-1-2-3-1001');
  return {
    flavour,
    ido,
    classRegistered: optional(options, 'classRegistered', validateBoolean, true),
    proxyBlanket: optional(options, 'proxyBlanket', oneOf(['ok', 'refuse'] as const), 'ok'),
    script,
    defaultBehaviour,
    notImplemented,
    failures,
    faults,
    callbackThread: optional(options, 'callbackThread', oneOf(['native-thread', 'main-thread'] as const), 'native-thread'),
    holdCallsDuringCallbacks: optional(options, 'holdCallsDuringCallbacks', validateBoolean, false),
    jobInterfaces: optional(options, 'jobInterfaces', oneOf([1, 2, 3, 4, 5] as const), 5),
    httpOptionsInterfaces: optional(options, 'httpOptionsInterfaces', oneOf([1, 2, 3] as const), 3),
    tokenOptions: optional(options, 'tokenOptions', validateBoolean, true),
    certificates: validateCertificates(options.certificates),
    addFile: optional(options, 'addFile', oneOf(['supported', 'notimpl'] as const), flavour === 'bits' ? 'supported' : 'notimpl'),
    unknownJobSize: optional(options, 'unknownJobSize', validateBoolean, false),
    errorDescriptions: optional(options, 'errorDescriptions', oneOf(['ok', 'notimpl', 'null-ref'] as const), 'ok'),
    sendJobError: optional(options, 'sendJobError', validateBoolean, true),
    sendModification: optional(options, 'sendModification', validateBoolean, true),
    cancelUnableToDelete: optional(options, 'cancelUnableToDelete', validateBoolean, false),
    rangeNotifications: optional(options, 'rangeNotifications', validateBoolean, true),
    owner,
    writeFiles: optional(options, 'writeFiles', validateBoolean, true),
    maxFilesPerJob: optional(options, 'maxFilesPerJob', (v, n) => validateUint32(v, n), Infinity),
    activator: optional(options, 'activator', (v, n) => {
      if (typeof v !== 'function') throw invalidArgType(n, 'a function', v);
      return v as FakeActivator;
    }, null),
    timing: {
      connectMs: timingValue(timing, 'connectMs', 3),
      retryDelayMs: timingValue(timing, 'retryDelayMs', 20),
      progressSteps: Math.max(1, timingValue(timing, 'progressSteps', 4, true)),
      callbackRetryMs: timingValue(timing, 'callbackRetryMs', 20),
      callbackRetries: timingValue(timing, 'callbackRetries', 3, true),
    },
  };
}

function resolveFaults(faults: Record<string, unknown>): Map<string, MethodFault[]> {
  const resolved = new Map<string, MethodFault[]>();
  for (const [name, value] of Object.entries(faults)) {
    const list = Array.isArray(value) ? value : [value];
    resolved.set(name, list.map((fault, i) => validateFault(fault, Array.isArray(value) ? `faults['${name}'][${i}]` : `faults['${name}']`)));
  }
  return resolved;
}

function validateFault(value: unknown, name: string): MethodFault {
  const fault = validateOptionsObject(value, name);
  if (fault.nth !== undefined && (typeof fault.nth !== 'number' || !Number.isSafeInteger(fault.nth) || fault.nth < 1)) {
    throw outOfRange(`${name}.nth`, 'an integer >= 1', fault.nth);
  }
  switch (fault.kind) {
    case 'fail':
      validateFailure(fault.hresult, `${name}.hresult`);
      break;
    case 'delay':
      validateDelay(fault.ms, `${name}.ms`);
      break;
    case 'hang':
      if (fault.maxMs !== undefined) validateDelay(fault.maxMs, `${name}.maxMs`);
      break;
    default:
      throw invalidArgValue(`${name}.kind`, fault.kind, "must be 'fail', 'delay' or 'hang'");
  }
  return Object.freeze({ ...fault }) as unknown as MethodFault;
}

/** A failure HRESULT (severity bit set), signed or unsigned; returned signed. */
function validateFailure(value: unknown, name: string): number {
  const hr = validateHResult(value, name) | 0;
  if (hr >= 0) throw outOfRange(name, 'a failure HRESULT (0x80000000 … 0xFFFFFFFF)', value);
  return hr;
}

function validateCertificates(value: unknown): FakeCertificate[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalidArgType('certificates', 'an array of { storeName, subjectName, sha1Hash }', value);
  return value.map((c: unknown, i) => {
    const o = validateOptionsObject(c, `certificates[${i}]`);
    const sha1Hash = validateString(o.sha1Hash, `certificates[${i}].sha1Hash`);
    if (!/^[0-9a-fA-F]{40}$/.test(sha1Hash)) throw invalidArgValue(`certificates[${i}].sha1Hash`, sha1Hash, 'must be 40 hex digits');
    const location = o.location === undefined ? undefined : validateUint32(o.location, `certificates[${i}].location`);
    return { storeName: validateString(o.storeName, `certificates[${i}].storeName`, { min: 1 }), subjectName: validateString(o.subjectName, `certificates[${i}].subjectName`, { min: 1 }), sha1Hash, location };
  });
}

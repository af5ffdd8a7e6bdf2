/** Options of `createFakeService`, their defaults, and a preset that behaves like Wine's BITS. */
import { DEFAULT_BEHAVIOUR, validateBehaviour, type Behaviour } from './scripts';

/** Which service the fake imitates: codes (BG_E_* / DO_E_*), states and DO-only interfaces differ. */
export type FakeFlavour = 'bits' | 'delivery-optimization';

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
  /** Highest IBackgroundCopyJobN answered by QueryInterface (Wine: 4). Default 5. */
  readonly jobInterfaces?: 1 | 2 | 3 | 4 | 5;
  /**
   * Highest IBackgroundCopyJobHttpOptionsN answered by QueryInterface: 1 like Wine (E_NOINTERFACE
   * for …2 and …3), 3 like Windows 10 1809 and later. Default 3.
   */
  readonly httpOptionsInterfaces?: 1 | 2 | 3;
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
  /** Owner SID string (GetOwner). Default 'S-1-5-21-1-2-3-1001'. */
  readonly owner?: string;
  /** false: Complete does not write files to disk. Default true. */
  readonly writeFiles?: boolean;
  readonly timing?: FakeTiming;
}

/** @internal Options with every default applied. */
export interface ResolvedOptions {
  readonly flavour: FakeFlavour;
  readonly classRegistered: boolean;
  readonly proxyBlanket: 'ok' | 'refuse';
  readonly script: Readonly<Record<string, Behaviour>>;
  readonly defaultBehaviour: Behaviour;
  readonly notImplemented: ReadonlySet<string>;
  readonly failures: ReadonlyMap<string, number>;
  readonly jobInterfaces: 1 | 2 | 3 | 4 | 5;
  readonly httpOptionsInterfaces: 1 | 2 | 3;
  readonly addFile: 'supported' | 'notimpl';
  readonly unknownJobSize: boolean;
  readonly errorDescriptions: 'ok' | 'notimpl' | 'null-ref';
  readonly sendJobError: boolean;
  readonly sendModification: boolean;
  readonly cancelUnableToDelete: boolean;
  readonly owner: string;
  readonly writeFiles: boolean;
  readonly timing: Required<FakeTiming>;
}

/**
 * What Wine 8's BITS answered in the testbed (docs: testbed.md §2–§4): the methods it does not
 * implement, Job5 missing, null-ref error texts, no JobError / JobModification, unknown job size.
 */
export const WINE_LIKE_OPTIONS: FakeServiceOptions = Object.freeze({
  flavour: 'bits',
  jobInterfaces: 4,
  httpOptionsInterfaces: 1,
  unknownJobSize: true,
  errorDescriptions: 'null-ref',
  sendJobError: false,
  sendModification: false,
  notImplemented: Object.freeze([
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
  ]),
  failures: Object.freeze({ 'IBackgroundCopyError::GetProtocol': 0x800706f4 }),
});

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`timing.${name} must be a non-negative number`);
  return value;
}

/**
 * Applies defaults and checks names: a misspelt qualified name in `notImplemented` / `failures`
 * would silently test nothing, so `isKnownMethod` must accept every one.
 */
export function resolveOptions(options: FakeServiceOptions, isKnownMethod: (qualifiedName: string) => boolean): ResolvedOptions {
  const flavour = options.flavour ?? 'bits';
  if (flavour !== 'bits' && flavour !== 'delivery-optimization') throw new TypeError(`Unknown flavour ${String(flavour)}`);
  const notImplemented = new Set(options.notImplemented ?? []);
  const failures = new Map(Object.entries(options.failures ?? {}));
  for (const name of [...notImplemented, ...failures.keys()]) {
    if (!isKnownMethod(name)) {
      throw new TypeError(`${name} is not a method the fake implements (use 'Interface::Method' as declared, IUnknown methods excluded)`);
    }
  }
  for (const [name, hr] of failures) {
    if (!Number.isInteger(hr) || (hr | 0) >= 0) throw new RangeError(`failures['${name}'] must be a failure HRESULT`);
  }
  const defaultBehaviour = options.defaultBehaviour ?? DEFAULT_BEHAVIOUR;
  validateBehaviour(defaultBehaviour);
  const timing = options.timing ?? {};
  const steps = nonNegative('progressSteps', timing.progressSteps, 4);
  return {
    flavour,
    classRegistered: options.classRegistered ?? true,
    proxyBlanket: options.proxyBlanket ?? 'ok',
    script: options.script ?? {},
    defaultBehaviour,
    notImplemented,
    failures,
    jobInterfaces: options.jobInterfaces ?? 5,
    httpOptionsInterfaces: options.httpOptionsInterfaces ?? 3,
    addFile: options.addFile ?? (flavour === 'bits' ? 'supported' : 'notimpl'),
    unknownJobSize: options.unknownJobSize ?? false,
    errorDescriptions: options.errorDescriptions ?? 'ok',
    sendJobError: options.sendJobError ?? true,
    sendModification: options.sendModification ?? true,
    cancelUnableToDelete: options.cancelUnableToDelete ?? false,
    owner: options.owner ?? 'S-1-5-21-1-2-3-1001',
    writeFiles: options.writeFiles ?? true,
    timing: {
      connectMs: nonNegative('connectMs', timing.connectMs, 3),
      retryDelayMs: nonNegative('retryDelayMs', timing.retryDelayMs, 20),
      progressSteps: Math.max(1, Math.floor(steps)),
      callbackRetryMs: nonNegative('callbackRetryMs', timing.callbackRetryMs, 20),
      callbackRetries: Math.floor(nonNegative('callbackRetries', timing.callbackRetries, 3)),
    },
  };
}

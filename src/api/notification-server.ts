/**
 * The woken side of notification by CLSID: a script COM launched (see notification-registration.ts)
 * serves IBackgroundCopyCallback / 2 / 3 to the service, hands each job it is told about to the
 * user's handler as a `BackgroundCopyJob`, and ends once the service has let go of it.
 *
 * The callback object answers at once (S_OK) and runs the handler on a later turn, as the in-process
 * notifications do (notifications.ts): the service's thread is never held by user code. A running
 * handler holds the server, so the process does not end under it; its job wrapper is disposed after.
 */
import { IBackgroundCopyCallback3, IBackgroundCopyError, IBackgroundCopyJob, CLSID_BackgroundCopyManager } from '../bits';
import {
  ComPtr, Implementation, LocalServer, S_OK, windowsClassRegistrar, windowsRuntime, type ClassRegistrar, type ServerLock,
} from '../com';
import { PlatformNotSupportedError } from '../errors';
import { connection } from './failures';
import { BackgroundCopyJob } from './job';
import { readJobError, type JobError } from './job-error';
import { NAMED_SERVICES, type ServiceProvider } from './service';
import { warnCallbackFailed } from './user-callback';
import { invalidArgType, validateBoolean, validateDuration, validateGuid, validateOptionsObject } from './validate';

/** What the woken script does with each job the service tells it about. */
export interface NotificationHandlers {
  /** The CLSID the script was registered for (`registerNotificationServer`). */
  readonly clsid: string;
  /** The job transferred all its files: typically `await job.complete()`. */
  readonly onJobTransferred?: (job: BackgroundCopyJob) => unknown;
  /** The job is in ERROR; `error` is its error (null when the service gave none). */
  readonly onJobError?: (job: BackgroundCopyJob, error: JobError | null) => unknown;
  /** The job changed (state, progress); BITS sends it only when asked for (NotifyFlags). */
  readonly onJobModification?: (job: BackgroundCopyJob) => unknown;
}

/** How `serveNotifications` runs. */
export interface ServeNotificationsOptions {
  /** End the process (`process.exit`) once the server has stopped (default true: no lingering node.exe). */
  readonly exit?: boolean;
  /** How long to wait for more notifications once the last one is handled, in ms (default 500). */
  readonly lingerMs?: number;
  /**
   * With no handler running, how long to wait for the service's next call, in ms (default 60 000).
   * BITS keeps an activated callback for the job's later notifications; past this the process ends
   * anyway (BITS activates the class again when it needs it).
   */
  readonly idleTimeoutMs?: number;
  /** @hidden The service whose jobs are handed over (the testing fake); default BITS. */
  readonly service?: ServiceProvider;
  /** @hidden How the class object is registered (the testing fake's activator); default CoRegisterClassObject. */
  readonly registrar?: ClassRegistrar;
}

/** How the server ended (what `serveNotifications` resolves with when `exit` is false). */
export interface ServeNotificationsResult {
  /** 'released': the service let go; 'idle': no call and no handler running for `idleTimeoutMs` (objects possibly still held). */
  readonly reason: 'released' | 'idle' | 'stopped';
  /** Callback objects the service asked for. */
  readonly activations: number;
  /** Handler calls made. */
  readonly handled: number;
}

type EventKind = 'transferred' | 'error' | 'modification';

interface ServedState {
  readonly lock: ServerLock;
  readonly deliver: (kind: EventKind, job: bigint | null, error: bigint | null) => void;
}

const servedImplementation = new Implementation<ServedState, typeof IBackgroundCopyCallback3>({
  iface: IBackgroundCopyCallback3,
  onThrowResult: S_OK,
  freeAfterFinalReleaseMs: 30_000,
  onFinalRelease: (state) => state.lock.release(),
  methods: {
    JobTransferred: (state, job) => state.deliver('transferred', job, null),
    JobError: (state, job, error) => state.deliver('error', job, error),
    JobModification: (state, job) => state.deliver('modification', job, null),
    FileTransferred: () => undefined,
    FileRangesTransferred: () => undefined,
  },
});

function checkHandler(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== 'function') throw invalidArgType(name, 'a function', value);
}

/**
 * Serves notifications in a script COM launched for `handlers.clsid`: registers the class object,
 * runs a handler per call of the service, and resolves once the service has released every object
 * and the handlers have settled (then, unless `exit: false`, ends the process).
 */
export async function serveNotifications(handlers: NotificationHandlers, options: ServeNotificationsOptions = {}): Promise<ServeNotificationsResult> {
  const h = validateOptionsObject(handlers, 'handlers', ['clsid', 'onJobTransferred', 'onJobError', 'onJobModification']);
  const clsid = validateGuid(h.clsid, 'handlers.clsid');
  checkHandler(h.onJobTransferred, 'handlers.onJobTransferred');
  checkHandler(h.onJobError, 'handlers.onJobError');
  checkHandler(h.onJobModification, 'handlers.onJobModification');
  if (!h.onJobTransferred && !h.onJobError && !h.onJobModification) throw invalidArgType('handlers', 'an object with onJobTransferred, onJobError or onJobModification', handlers);
  const o = validateOptionsObject(options, 'options', ['exit', 'lingerMs', 'idleTimeoutMs', 'service', 'registrar']);
  const exit = o.exit === undefined ? true : validateBoolean(o.exit, 'options.exit');
  const lingerMs = o.lingerMs === undefined ? undefined : validateDuration(o.lingerMs, 'options.lingerMs');
  const idleTimeoutMs = o.idleTimeoutMs === undefined ? undefined : validateDuration(o.idleTimeoutMs, 'options.idleTimeoutMs');
  if (!o.service && process.platform !== 'win32') throw new PlatformNotSupportedError({ feature: 'Serving BITS notifications' });
  const service = connection((o.service as ServiceProvider | undefined) ?? { kind: 'bits', clsid: CLSID_BackgroundCopyManager, displayName: NAMED_SERVICES.bits.displayName, runtime: windowsRuntime() });
  const runtime = service.runtime;
  runtime.initialize();

  let handled = 0;
  const server: LocalServer = new LocalServer({
    clsid,
    runtime,
    registrar: (o.registrar as ClassRegistrar | undefined) ?? windowsClassRegistrar,
    lingerMs,
    idleTimeoutMs,
    implementation: servedImplementation,
    stateFor: (lock): ServedState => ({
      lock,
      deliver: (kind, jobPtr, errorPtr) => {
        if (jobPtr === null) return;
        // Borrowed for this call only: take our own references now (local AddRefs on a proxy).
        const job = ComPtr.borrow(jobPtr, IBackgroundCopyJob, runtime).addRef();
        const error = errorPtr === null ? null : ComPtr.borrow(errorPtr, IBackgroundCopyError, runtime).addRef();
        const hold = server.busy();
        setImmediate(() => {
          handled++;
          void handle(kind, job, error, service, h as unknown as NotificationHandlers).finally(() => hold.release());
        });
      },
    }),
  });
  server.start();
  const reason = await server.stopped;
  const result: ServeNotificationsResult = { reason, activations: server.activations, handled };
  if (exit) process.exit(process.exitCode ?? 0);
  return result;
}

/** Wraps the job, reads the error, runs the user's handler, then lets go of everything. */
async function handle(kind: EventKind, ptr: ComPtr<typeof IBackgroundCopyJob>, errorPtr: ComPtr<typeof IBackgroundCopyError> | null, service: ServiceProvider, handlers: NotificationHandlers): Promise<void> {
  let job: BackgroundCopyJob | null = null;
  try {
    const id = await ptr.invoke('GetId');
    job = new BackgroundCopyJob(ptr, id, service);
    const error = errorPtr === null ? null : await readJobError(errorPtr).catch(() => null);
    const wrapped = job;
    const fn: ((...args: never[]) => unknown) | undefined = kind === 'transferred' ? handlers.onJobTransferred : kind === 'error' ? handlers.onJobError : handlers.onJobModification;
    if (!fn) return;
    try {
      await (fn as (job: BackgroundCopyJob, error: JobError | null) => unknown)(wrapped, error);
    } catch (failure) {
      warnCallbackFailed(`The notification handler for '${kind}' failed`, failure instanceof Error ? failure : new Error(String(failure)));
    }
  } catch (failure) {
    warnCallbackFailed(`Handling a '${kind}' notification failed`, failure instanceof Error ? failure : new Error(String(failure)));
  } finally {
    if (job) await job.close().catch(() => undefined);
    else await ptr.release();
    await errorPtr?.release();
  }
}

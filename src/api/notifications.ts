/**
 * IBackgroundCopyCallback implemented in JavaScript. One shared vtable; one small native object
 * per job whose events someone listens to. The service calls it on an RPC thread; koffi queues the
 * call to the JS main thread, which is free because every service call leaves it.
 *
 * Rules kept here: always answer S_OK (a failure makes the service call again later; a handler
 * that throws is answered S_OK too, `onThrowResult`), and at once: listeners run on a later turn of the event loop, so a slow listener never holds the
 * service's thread (BITS allows only a few notifications in flight per user); never Release the
 * borrowed job/error pointers; an exception thrown by a listener is caught and reported, never
 * returned into COM.
 */
import { ComPtr, Implementation, S_OK, type ComRuntime, type JsComObject } from '../com';
import { IBackgroundCopyCallback3, IBackgroundCopyError, IBackgroundCopyFile, readFileRanges, type FileRange } from '../bits';

export interface CallbackSink {
  /** The job transferred all its files. */
  transferred(): void;
  /** The job entered ERROR; `error` is a new owned reference (the sink releases it). */
  error(error: ComPtr<typeof IBackgroundCopyError> | null): void;
  modification(): void;
  fileTransferred(): void;
  /** Ranges of an on-demand file arrived; `file` is a new owned reference (the sink releases it). */
  rangesTransferred(file: ComPtr<typeof IBackgroundCopyFile>, ranges: FileRange[]): void;
  /** A listener threw. */
  listenerFailed(error: unknown, event: string): void;
}

interface CallbackState {
  readonly runtime: ComRuntime;
  sink: CallbackSink | null;
}

/** Runs `fn` on the listener sink on a later turn (the service's thread is answered S_OK at once). */
function dispatch(state: CallbackState, event: string, fn: (sink: CallbackSink) => void): void {
  const sink = state.sink;
  if (!sink) return;
  setImmediate(() => {
    try {
      fn(sink);
    } catch (error) {
      try {
        sink.listenerFailed(error, event);
      } catch {
        // nothing may escape
      }
    }
  });
}

/** Exposed for tests: counts of callback objects (live ones are still referenced by someone). */
export const callbackImplementation = new Implementation<CallbackState, typeof IBackgroundCopyCallback3>({
  // Answers IBackgroundCopyCallback2 and 3 too: their methods exist and return S_OK.
  iface: IBackgroundCopyCallback3,
  onThrowResult: S_OK,
  freeAfterFinalReleaseMs: 30_000,
  methods: {
    JobTransferred: (state) => dispatch(state, 'transferred', (s) => s.transferred()),
    JobError: (state, _job, error) => {
      if (!state.sink) return;
      // Borrowed: AddRef now, before keeping it beyond this call (local on a proxy, no round trip).
      const kept = error === null ? null : ComPtr.borrow(error, IBackgroundCopyError, state.runtime).addRef();
      dispatch(state, 'error', (s) => s.error(kept));
    },
    JobModification: (state) => dispatch(state, 'modification', (s) => s.modification()),
    FileTransferred: (state) => dispatch(state, 'file-transferred', (s) => s.fileTransferred()),
    FileRangesTransferred: (state, _job, file, { count, ptr }) => {
      if (!state.sink || file === null) return;
      // The array and the file are borrowed for this call only: read the one, AddRef the other, now.
      const ranges = ptr === null ? [] : readFileRanges(ptr, count);
      const kept = ComPtr.borrow(file, IBackgroundCopyFile, state.runtime).addRef();
      dispatch(state, 'ranges-transferred', (s) => s.rangesTransferred(kept, ranges));
    },
  },
});

/** A callback object owning one reference (ours); the service AddRefs its own. */
export function createCallbackObject(runtime: ComRuntime, sink: CallbackSink): JsComObject<CallbackState> {
  return callbackImplementation.create({ runtime, sink });
}

/**
 * One callback object handed to a job with SetNotifyInterface, and its lifetime. A registration
 * that replaces another stops the old one forwarding events at once, but the old object keeps our
 * reference until the new registration has returned: dropping it earlier would let its count reach
 * zero while a SetNotifyInterface carrying it may still be on its way to the service.
 */
export class NotificationRegistration {
  /** Resolves once the service has the callback object (rejects if it refused it). */
  readonly ready: Promise<void>;
  /** The BG_NOTIFY_* flags asked for. */
  readonly flags: number;
  readonly #callback: JsComObject<CallbackState>;

  /**
   * `inOrder` runs a step in the job's program order; `register` hands the callback object and
   * the flags to the service (SetNotifyInterface, SetNotifyFlags).
   */
  constructor(
    runtime: ComRuntime,
    sink: CallbackSink,
    flags: number,
    previous: NotificationRegistration | null,
    inOrder: (step: () => Promise<void>) => Promise<void>,
    register: (callback: bigint, flags: number) => Promise<void>,
  ) {
    this.flags = flags;
    const callback = (this.#callback = createCallbackObject(runtime, sink));
    previous?.detach();
    this.ready = inOrder(async () => {
      try {
        await previous?.ready.catch(() => undefined);
        await register(callback.ptr, flags);
      } finally {
        previous?.release();
      }
    });
  }

  /** Stops forwarding events (the object stays alive for the service). */
  detach(): void {
    this.#callback.state.sink = null;
  }

  /** Stops forwarding events; our reference goes once our registration call has returned. */
  release(): void {
    this.detach();
    void this.ready.catch(() => undefined).finally(() => this.#callback.release());
  }
}

/**
 * A JS-implemented IBackgroundCopyCallback(2) that records what the service calls: a callback object for
 * tests that drive the fake (or a real service) through raw interface pointers.
 */
import { IBackgroundCopyCallback, IBackgroundCopyCallback2 } from '../bits';
import { Implementation, reply, type Handlers, type JsComObject, type Reply } from '../com';
import { S_OK } from './service/hresults';

/** The callback methods. */
export type CallbackMethod = 'JobTransferred' | 'JobError' | 'JobModification' | 'FileTransferred';

/** One call received. Pointers are borrowed: valid during the call only. */
export interface CallbackCall {
  /** Which method was called. */
  readonly method: CallbackMethod;
  /** The job pointer it was called with. */
  readonly job: bigint;
  /** The error (JobError) or the file (FileTransferred); null otherwise. */
  readonly other: bigint | null;
}

interface SinkState {
  readonly owner: RecordingCallback;
}

/** Records the call and answers what the test set (`answer`). JobModification's second argument is a DWORD, not a pointer. */
function record(method: CallbackMethod) {
  return (state: SinkState, job: bigint | null, other?: bigint | number | null): Reply<void> => {
    const call: CallbackCall = {
      method,
      job: job as bigint,
      other: method === 'JobError' || method === 'FileTransferred' ? ((other as bigint | null) ?? null) : null,
    };
    state.owner.calls.push(call);
    state.owner.onCall?.(call);
    return reply(state.owner.answer(method));
  };
}

const methods: Handlers<typeof IBackgroundCopyCallback2, SinkState> = {
  JobTransferred: record('JobTransferred'),
  JobError: record('JobError'),
  JobModification: record('JobModification'),
  FileTransferred: record('FileTransferred'),
};

let v2: Implementation<SinkState> | undefined;
let v1: Implementation<SinkState> | undefined;

/**
 * A callback object for SetNotifyInterface. `ptr` is its interface pointer; this wrapper owns one
 * reference (give it up with `release()` once the service let go of its own).
 */
export class RecordingCallback {
  /** Every call received, in order. */
  readonly calls: CallbackCall[] = [];
  /** The HRESULT each call returns (default S_OK). */
  answer: (method: CallbackMethod) => number = () => S_OK;
  /** Runs inside each call, after it is recorded (e.g. to Complete the job from JobTransferred). */
  onCall: ((call: CallbackCall) => void) | undefined;
  readonly #object: JsComObject<SinkState>;

  /** @param withCallback2 also answer IBackgroundCopyCallback2 (FileTransferred); default true */
  constructor(withCallback2 = true) {
    const implementation = withCallback2
      ? (v2 ??= new Implementation<SinkState>({ iface: IBackgroundCopyCallback2, methods }))
      : (v1 ??= new Implementation<SinkState>({ iface: IBackgroundCopyCallback, methods }));
    this.#object = implementation.create({ owner: this });
  }

  /** The object's IUnknown / IBackgroundCopyCallback pointer; this wrapper owns one reference. */
  get ptr(): bigint {
    return this.#object.ptr;
  }

  /** The object's current COM reference count. */
  get refCount(): number {
    return this.#object.refCount;
  }

  /** Calls that arrived after the object's final Release. */
  get callsAfterRelease(): number {
    return this.#object.callsAfterRelease;
  }

  /** How many calls of `method` arrived. */
  count(method: CallbackMethod): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  /** Resolves once `method` has been called `times` times; rejects after `timeoutMs`. */
  async waitFor(method: CallbackMethod, times = 1, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.count(method) < times) {
      if (Date.now() > deadline) throw new Error(`${method} was called ${this.count(method)} time(s), expected ${times}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /** Gives up this wrapper's reference (the object lives on while the service holds it). */
  release(): void {
    if (this.#object.refCount === 0) return;
    this.#object.refCount--;
    // Nobody holds it any more: its native memory can go.
    if (this.#object.refCount === 0) this.#object.free();
  }
}

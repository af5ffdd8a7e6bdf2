/** What the fake counts: calls per method, CoTaskMem blocks, and the shapes `stats()` returns. */

/** One fake COM object, as `FakeService.stats()` reports it. */
export interface FakeObjectStats {
  /** Serial number within its fake, in creation order. */
  readonly id: number;
  /** The interface the object stands for, e.g. 'IBackgroundCopyJob'. */
  readonly iface: string;
  /** e.g. `job 'nightly' {guid}`. */
  readonly label: string;
  /** Current reference count. */
  readonly refCount: number;
  /** References the fake holds itself (a manager's job list, a job's files, an enumerator's items). */
  readonly internalRefs: number;
  /** `refCount - internalRefs`: references the client still has to release. */
  readonly clientRefs: number;
  /** Calls that arrived after the final Release. */
  readonly callsAfterRelease: number;
}

/** CoTaskMem blocks allocated through the fake's runtime. */
export interface CoTaskMemStats {
  /** Blocks allocated. */
  readonly allocs: number;
  /** Blocks freed. */
  readonly frees: number;
  /** Blocks allocated and not freed yet. */
  readonly outstanding: number;
  /** CoTaskMemFree of a pointer the runtime did not allocate, or freed twice (not passed to free()). */
  readonly invalidFrees: number;
}

/** Notifications the fake delivered to registered callbacks. */
export interface NotificationStats {
  /** Per callback method ('JobTransferred', ...): calls made, failed answers included. */
  readonly delivered: ReadonlyMap<string, number>;
  /** Calls that returned a failing HRESULT. */
  readonly failed: number;
}

/** A snapshot of everything the fake counts. */
export interface FakeStats {
  /** Objects whose reference count is above zero. */
  readonly liveObjects: number;
  /** Every object the fake created, alive or not. */
  readonly objects: readonly FakeObjectStats[];
  /** CoTaskMem allocations and frees. */
  readonly coTaskMem: CoTaskMemStats;
  /** BSTRs from SysAllocString (the client's and the fake's), booked the same way. */
  readonly bstr: CoTaskMemStats;
  /** Every method call that reached a fake object, IUnknown's included. */
  readonly nativeCalls: number;
  /** Calls per qualified method name (`IBackgroundCopyJob::Resume`, `IUnknown::AddRef`). */
  readonly calls: ReadonlyMap<string, number>;
  /** CoSetProxyBlanket calls. */
  readonly proxyBlankets: number;
  /** CoCreateInstance calls. */
  readonly activations: number;
  /** CoInitializeEx calls. */
  readonly initializeCalls: number;
  /** Notifications delivered and failed. */
  readonly notifications: NotificationStats;
  /** Exceptions thrown inside the fake's handlers (a bug in the fake, or input it did not expect). */
  readonly handlerErrors: readonly string[];
}

/** Counts calls by qualified method name. */
export class CallCounter {
  readonly #calls = new Map<string, number>();
  total = 0;

  count(qualifiedName: string): void {
    this.total++;
    this.#calls.set(qualifiedName, (this.#calls.get(qualifiedName) ?? 0) + 1);
  }

  snapshot(): ReadonlyMap<string, number> {
    return new Map(this.#calls);
  }

  names(): Set<string> {
    return new Set(this.#calls.keys());
  }
}

/** Tracks every CoTaskMem block by address, so double frees and foreign frees are caught. */
export class CoTaskMemLedger {
  readonly #live = new Set<bigint>();
  allocs = 0;
  frees = 0;
  invalidFrees = 0;

  allocated(ptr: bigint): void {
    this.allocs++;
    this.#live.add(ptr);
  }

  /** True when `ptr` may be passed to free(). */
  release(ptr: bigint): boolean {
    if (!this.#live.delete(ptr)) {
      this.invalidFrees++;
      return false;
    }
    this.frees++;
    return true;
  }

  /** Forgets and returns the blocks still outstanding (for dispose). */
  drain(): bigint[] {
    const all = [...this.#live];
    this.#live.clear();
    return all;
  }

  stats(): CoTaskMemStats {
    return { allocs: this.allocs, frees: this.frees, outstanding: this.#live.size, invalidFrees: this.invalidFrees };
  }
}

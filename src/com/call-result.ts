/** What a call through a vtable returned (see CallResult). */
import { failed } from './hresult';
import { failure, type FailureDetails } from './failure';
import type { ComRuntime } from './runtime';

/**
 * What a call returned: the HRESULT (unsigned) and the value — the out-parameter of a method with
 * one, a tuple for several, nothing for none (null values when the call failed). `orThrow()` is
 * the one way a failing HRESULT becomes an exception: typed by the runtime's failure factory,
 * named after the table's qualified method name.
 */
export class CallResult<R> {
  constructor(
    readonly hr: number,
    readonly value: R,
    /** e.g. `IBackgroundCopyJob::Resume`. */
    readonly operation: string,
    readonly runtime: ComRuntime,
  ) {}

  /** True for a failing HRESULT (bit 31 set); S_FALSE and other success codes are not failures. */
  get failed(): boolean {
    return failed(this.hr);
  }

  /** The value, or the typed error for a failing HRESULT (`details` adds to its message). */
  orThrow(details?: FailureDetails): R {
    if (failed(this.hr)) throw failure(this.runtime, this.hr, this.operation, details);
    return this.value;
  }
}

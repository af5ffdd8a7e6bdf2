/** What every fake object needs from the fake service that made it. */
import type { FlavourCodes } from './hresults';
import type { ResolvedOptions } from './options';
import type { FakeRuntime } from './fake-runtime';
import type { Script } from './scripts';
import type { TimerSet } from './timers';
import type { FakeComObject } from './fake-object';
import type { Notifier } from './notifier';
import type { FakeManager } from './fake-manager';

export interface FakeContext {
  readonly options: ResolvedOptions;
  readonly codes: FlavourCodes;
  readonly runtime: FakeRuntime;
  readonly script: Script;
  readonly timers: TimerSet;
  readonly notifier: Notifier;
  readonly manager: FakeManager;
  /** True once `dispose()` ran: objects answer RPC_E_DISCONNECTED. */
  readonly disposed: boolean;
  /** Adds a new object to the fake's books; returns its serial number. */
  register(object: FakeComObject): number;
  countCall(qualifiedName: string): void;
  /** The HRESULT forced by `notImplemented` / `failures` / a 'fail' fault, if any (counts the call). */
  forcedResult(qualifiedName: string): number | undefined;
  /** True when objects get gated vtables (delay / hang faults, held calls). */
  readonly gated: boolean;
  /** Gate of a gated object's method: the native wait record the caller must wait on, or null. */
  waitBefore(object: FakeComObject, qualifiedName: string): bigint | null;
  recordHandlerError(where: string, error: unknown): void;
  /** A reference-counting fault found while it happened (reported by `assertBalanced`). */
  recordProblem(message: string): void;
  /** A CoTaskMem copy of `text` (NUL-terminated UTF-16) for the client to free. */
  allocString(text: string): bigint;
  /** A CoTaskMem copy of `bytes` for the client to free. */
  allocBytes(bytes: Buffer): bigint;
}

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
  /** The HRESULT forced by `notImplemented` / `failures`, if any. */
  forcedResult(qualifiedName: string): number | undefined;
  recordHandlerError(where: string, error: unknown): void;
  /** A reference-counting fault found while it happened (reported by `assertBalanced`). */
  recordProblem(message: string): void;
  /** A CoTaskMem copy of `text` (NUL-terminated UTF-16) for the client to free. */
  allocString(text: string): bigint;
  /** A CoTaskMem copy of `bytes` for the client to free. */
  allocBytes(bytes: Buffer): bigint;
}

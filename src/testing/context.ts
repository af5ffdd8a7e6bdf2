/** What the fake objects need from the fake service that made them. */
import type { FlavourCodes } from './hresults';
import type { ResolvedOptions } from './options';
import type { FakeRuntime } from './fake-runtime';
import type { Script } from './scripts';
import type { TimerSet } from './timers';
import type { FakeComObject } from './fake-object';
import type { Notifier } from './notifier';
import type { FakeManager } from './fake-manager';

/**
 * What the fake service gives its objects, split by need: each fake object (and helper) takes
 * only the parts it uses, so it depends on nothing else of the service.
 */

/** What every fake COM object needs: the fake's books (calls, references, problems) and its gates. */
export interface ObjectContext {
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
}

/** CoTaskMem answers, for the client to free. */
export interface AllocContext {
  /** A CoTaskMem copy of `text` (NUL-terminated UTF-16) for the client to free. */
  allocString(text: string): bigint;
  /** A CoTaskMem copy of `bytes` for the client to free. */
  allocBytes(bytes: Buffer): bigint;
}

/** The fake's options and the codes of its flavour (BG_E_* or DO_E_*). */
export interface FlavourContext {
  readonly options: ResolvedOptions;
  readonly codes: FlavourCodes;
}

/** An object that answers with CoTaskMem and flavour codes (errors, files, DO tear-offs, ranges). */
export type AnsweringContext = ObjectContext & AllocContext & FlavourContext;

/** A file: answers, and the transfer script (its size). */
export type FileContext = AnsweringContext & { readonly script: Script };

/** A job's HTTP options: answers, and the runtime to release the client's certificate validator. */
export type HttpOptionsContext = AnsweringContext & { readonly runtime: FakeRuntime };

/** The notifier: the runtime to call clients with, timers to schedule, the options' timing. */
export type NotifierContext = Pick<FakeContext, 'disposed' | 'options' | 'recordHandlerError' | 'runtime' | 'timers'>;

/** Everything the service offers: for the objects that drive transfers (jobs, IDO downloads). */
export interface FakeContext extends ObjectContext, AllocContext, FlavourContext {
  readonly runtime: FakeRuntime;
  readonly script: Script;
  readonly timers: TimerSet;
  readonly notifier: Notifier;
  readonly manager: FakeManager;
}

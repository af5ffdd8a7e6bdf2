/**
 * What the fake service gives its objects, split by need: each fake object (and helper) takes
 * only the parts it uses. Nothing here names a fake object class, so the objects can depend on
 * these types without depending on each other or on the service (test/unit/testing/fake-layering.test.ts).
 * The contexts that name an object (a job's, the managers', an IDO download's list) are declared
 * beside that object.
 */
import type { ComRuntime } from '../com';
import type { FakeRuntime } from './fake-runtime';
import type { ObjectContext } from './fake-object';
import type { FlavourCodes } from './hresults';
import type { ResolvedOptions } from './options';
import type { Script } from './scripts';
import type { TimerSet } from './timers';

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
export interface NotifierContext {
  readonly disposed: boolean;
  readonly options: ResolvedOptions;
  readonly runtime: FakeRuntime;
  readonly timers: TimerSet;
  recordHandlerError(where: string, error: unknown): void;
}

/** How calls into client objects leave a native thread and are waited for by `settle()` (the notifier's). */
export interface CallbackDelivery {
  /** The runtime whose queue carries the fake's calls into client objects from native threads. */
  deliveryRuntime(): ComRuntime;
  /** Counts `delivery` as in flight until it settles. */
  track<T>(delivery: Promise<T>): Promise<T>;
}

/** An IDO download: the script it follows on the timers, the runtime and the delivery of its callbacks. */
export type DownloadContext = ObjectContext & {
  readonly options: ResolvedOptions;
  readonly runtime: FakeRuntime;
  readonly script: Script;
  readonly timers: TimerSet;
  readonly notifier: CallbackDelivery;
};

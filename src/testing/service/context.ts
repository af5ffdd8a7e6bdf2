/**
 * What the fake service gives its objects: one type, `ServiceContext`, which the service core
 * implements. Objects import it as a type only, so naming the objects here ties no runtime cycle
 * (test/unit/testing/fake-layering.test.ts counts runtime imports). The narrow base every COM
 * object needs, `ObjectContext`, stays beside the base class (objects/fake-object.ts); an
 * enumerator takes only that.
 */
import type { FakeIdoDownload, DownloadList } from '../ido/fake-download';
import type { FakeJob } from '../job/fake-job';
import type { ObjectContext } from '../objects/fake-object';
import type { FakeManager } from '../objects/fake-manager';
import type { ResolvedOptions } from '../options';
import type { Script } from '../scripts';
import type { FlavourCodes } from './hresults';
import type { Notifier } from './notifier';
import type { FakeRuntime } from './runtime';
import type { TimerSet } from './timers';

export type { ObjectContext };

export interface ServiceContext extends ObjectContext {
  /** The fake's options and the codes of its flavour (BG_E_* or DO_E_*). */
  readonly options: ResolvedOptions;
  readonly codes: FlavourCodes;
  /** The fake's COM runtime (CoTaskMem books, activation, its call queue). */
  readonly runtime: FakeRuntime;
  /** What each URL does (the transfer script). */
  readonly script: Script;
  readonly timers: TimerSet;
  /** Calls into the client's objects (job callbacks, IDO status callbacks and streams). */
  readonly notifier: Notifier;
  /** The BITS manager: its job list lets go of a job that reached a final state. */
  readonly manager: FakeManager;
  /** A CoTaskMem copy of `text` (NUL-terminated UTF-16) for the client to free. */
  allocString(text: string): bigint;
  /** A CoTaskMem copy of `bytes` for the client to free. */
  allocBytes(bytes: Buffer): bigint;
  /** A new job, whose creation reference the caller keeps. */
  createJob(displayName: string, type: number): FakeJob;
  /** A new IDO download kept by `list`, whose creation reference the caller keeps. */
  createDownload(list: DownloadList): FakeIdoDownload;
}

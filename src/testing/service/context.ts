/**
 * What the fake service gives its objects: one type, `ServiceContext`, picked from the service
 * core. Objects import it as a type only, so naming the objects here ties no runtime cycle
 * (test/unit/testing/fake-layering.test.ts counts runtime imports). The narrow base every COM
 * object needs, `ObjectContext`, stays beside the base class (objects/fake-object.ts); an
 * enumerator takes only that.
 */
import type { ObjectContext } from '../objects/fake-object';
import type { ServiceCore } from './core';

export type { ObjectContext };

/**
 * The service core as its objects see it: the books and gates of `ObjectContext`, the options and
 * codes of the flavour, the runtime (CoTaskMem books), the script, timers and notifier, the BITS
 * manager's job list, CoTaskMem answers, and the factories of jobs and downloads. Declared by
 * picking from the class, so the two cannot drift apart.
 */
export type ServiceContext = Pick<
  ServiceCore,
  | keyof ObjectContext
  | 'options' | 'codes' | 'runtime' | 'script' | 'timers' | 'notifier' | 'manager' | 'classes'
  | 'allocString' | 'allocBytes' | 'createJob' | 'createDownload'
>;

/**
 * What every `connect()` does, in one place: the options checked, the service resolved, a
 * connection with this caller's own call bound (the call queue is shared by the process and is
 * never changed), COM started, and the class activated. Both `BackgroundCopyManager` and
 * `DOManager` go through it, so a rule such as "every duration has a range" holds for both.
 */
import { ComPtr, E_POINTER, REGDB_E_CLASSNOTREG, failed, failure, windowsRuntime, type Interface } from '../com';
import { CLSID_BackgroundCopyManager, CLSID_DeliveryOptimization } from '../bits';
import { ClassNotRegisteredError, PlatformNotSupportedError } from '../errors';
import { connection } from './failures';
import { windowsCertificateStore } from '../certificates/crypt32';
import { installSystemMessages } from './platform';
import { NAMED_SERVICES, type ServiceName, type ServiceProvider } from './service';
import { invalidArgValue, validateDuration, validateOptionsObject } from './validate';

const CLSIDS: Record<ServiceName, string> = { 'delivery-optimization': CLSID_DeliveryOptimization, bits: CLSID_BackgroundCopyManager };

/** What one `connect()` activates. */
export interface ActivationTarget<I extends Interface> {
  /** The interface asked for. */
  readonly iface: I;
  /** The service names this entry point accepts; the first is the default. */
  readonly names: readonly ServiceName[];
  /** The class to activate when it is not the service's own (IDOManager lives on DO's class). */
  readonly clsid?: string;
  /** What PlatformNotSupportedError says off Windows. */
  readonly feature: (service: { displayName: string }) => string;
  /** The error for a class (or interface) the computer does not have; default ClassNotRegisteredError. */
  readonly notRegistered?: (hr: number, operation: string, service: ServiceProvider) => Error;
  /** HRESULTs that mean "not on this computer" (default REGDB_E_CLASSNOTREG). */
  readonly notRegisteredCodes?: readonly number[];
}

/** `options.service`: a name this entry point accepts, or a ServiceProvider (the testing fake). */
function resolveService(service: unknown, target: ActivationTarget<Interface>): ServiceProvider {
  if (service === undefined || target.names.includes(service as ServiceName)) {
    const name = (service ?? target.names[0]) as ServiceName;
    const known = { clsid: CLSIDS[name], displayName: NAMED_SERVICES[name].displayName, kind: name };
    if (process.platform !== 'win32') throw new PlatformNotSupportedError({ feature: target.feature(known) });
    installSystemMessages(); // Windows' own text for codes outside our tables, from the first connection on
    return { ...known, runtime: windowsRuntime(), certificateStore: windowsCertificateStore };
  }
  const p = service as Partial<ServiceProvider>;
  if (typeof service === 'object' && service !== null && typeof p.clsid === 'string' && typeof p.runtime === 'object' && (p.kind === 'bits' || p.kind === 'delivery-optimization')) {
    return service as ServiceProvider;
  }
  throw invalidArgValue('options.service', service, `must be ${target.names.map((n) => `'${n}'`).join(', ')} or a ServiceProvider`);
}

/** Checks `options` ({ service, callTimeoutMs }), then activates the target: an owned pointer and its connection. */
export async function activate<I extends Interface>(options: unknown, target: ActivationTarget<I>): Promise<{ service: ServiceProvider; ptr: ComPtr<I> }> {
  const o = validateOptionsObject(options, 'options', ['service', 'callTimeoutMs']);
  const callTimeoutMs = o.callTimeoutMs === undefined ? undefined : validateDuration(o.callTimeoutMs, 'options.callTimeoutMs');
  // A view with typed failures and this caller's bound over the runtime every connection shares.
  const service = connection(resolveService(o.service, target), callTimeoutMs);
  service.runtime.initialize();
  const clsid = target.clsid ?? service.clsid;
  const operation = target.clsid ? `CoCreateInstance(${service.displayName}, ${target.iface.name})` : `CoCreateInstance(${service.displayName})`;
  const { hr, ptr } = await service.runtime.createInstance(clsid, target.iface.iid);
  // A failing HRESULT comes with a null out-pointer (COM's rule): nothing to release.
  if ((target.notRegisteredCodes ?? [REGDB_E_CLASSNOTREG]).includes(hr)) {
    throw target.notRegistered?.(hr, operation, service) ?? new ClassNotRegisteredError(hr, { service: service.displayName, operation });
  }
  if (failed(hr) || ptr === null) throw failure(service.runtime, failed(hr) ? hr : E_POINTER, operation);
  // ComPtr.own gives the pointer the proxy security the services expect.
  return { service, ptr: ComPtr.own(ptr, target.iface, service.runtime) };
}

/**
 * The library's failure factory: a failing HRESULT becomes our typed error (`HResultError.from`).
 * It is carried by the runtime of every connection (`connection()`), not installed globally.
 */
import { withRuntimeOptions, type FailureFactory } from '../com';
import { HResultError } from '../errors';
import type { ServiceProvider } from './service';

export const libraryFailure: FailureFactory = ({ hr, operation, description }) => HResultError.from(hr, { operation, description });

/**
 * `service` as one connection sees it: its runtime makes typed errors and, with `callTimeoutMs`,
 * bounds each call (the runtime and its queue stay shared by every connection).
 */
export function connection(service: ServiceProvider, callTimeoutMs?: number): ServiceProvider {
  const runtime = withRuntimeOptions(service.runtime, { failure: libraryFailure, callTimeoutMs });
  return { kind: service.kind, displayName: service.displayName, clsid: service.clsid, runtime, posixPaths: service.posixPaths === true, certificateStore: service.certificateStore };
}

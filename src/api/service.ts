/** What `BackgroundCopyManager.connect` can talk to (the one definition is in src/bits/service.ts). */
export type { ServiceProvider } from '../bits/service';

/** The services `connect` knows by name. */
export type ServiceName = 'delivery-optimization' | 'bits';

/**
 * Each named service as messages call it, and its Windows service (what `sc query` takes): one
 * table for `connect` and the CLI's `doctor`. Light on purpose: no COM layer behind it.
 */
export const NAMED_SERVICES: Readonly<Record<ServiceName, { readonly displayName: string; readonly windowsService: string }>> = {
  'delivery-optimization': { displayName: 'Delivery Optimization', windowsService: 'DoSvc' },
  bits: { displayName: 'BITS', windowsService: 'BITS' },
};

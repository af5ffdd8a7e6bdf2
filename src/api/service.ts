/** What `BackgroundCopyManager.connect` can talk to (the one definition is in src/bits/service.ts). */
export type { ServiceProvider } from '../bits/service';

/** The services `connect` knows by name. */
export type ServiceName = 'delivery-optimization' | 'bits';

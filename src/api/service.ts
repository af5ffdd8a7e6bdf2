/** What `BackgroundCopyManager.connect` can talk to. */
import type { ComRuntime } from '../com';

/**
 * A COM server that hands out an IBackgroundCopyManager: the real Delivery Optimization or BITS
 * service on Windows, or the fake from `delivery-optimization/testing` anywhere.
 */
export interface ServiceProvider {
  readonly kind: 'bits' | 'delivery-optimization';
  readonly displayName: string;
  readonly runtime: ComRuntime;
  readonly clsid: string;
}

export type ServiceName = 'delivery-optimization' | 'bits';

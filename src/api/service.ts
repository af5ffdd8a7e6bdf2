/** What `BackgroundCopyManager.connect` can talk to. */
import type { ComRuntime } from '../com';

/**
 * A COM server that hands out an IBackgroundCopyManager: the real Delivery Optimization or BITS
 * service on Windows, or the fake from `delivery-optimization/testing` anywhere.
 */
export interface ServiceProvider {
  /** Which service: BITS or Delivery Optimization. */
  readonly kind: 'bits' | 'delivery-optimization';
  /** 'BITS', 'Delivery Optimization', or a fake's name. */
  readonly displayName: string;
  /** @internal How COM is reached: ole32 on Windows, the fake's own runtime in tests. */
  readonly runtime: ComRuntime;
  /** The service's COM class id. */
  readonly clsid: string;
}

/** The services `connect` knows by name. */
export type ServiceName = 'delivery-optimization' | 'bits';

/**
 * The contract between the library and whatever stands in for the service. The library relies on
 * nothing else: `BackgroundCopyManager.connect({ service })` activates `clsid` through `runtime`.
 */
import type { ComRuntime } from '../com';

/** A service the library can connect to: the real BITS / Delivery Optimization, or a fake. */
export interface ServiceProvider {
  /** Which service it stands for. */
  readonly kind: 'bits' | 'delivery-optimization';
  /** For messages, e.g. 'fake BITS'. */
  readonly displayName: string;
  /** @internal The runtime every call goes through (activation, CoTaskMem, proxy blankets, async queue). */
  readonly runtime: ComRuntime;
  /** CLSID to activate: `CLSID_BackgroundCopyManager` or `CLSID_DeliveryOptimization`. */
  readonly clsid: string;
}

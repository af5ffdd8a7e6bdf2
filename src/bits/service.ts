/**
 * The contract between the library and whatever stands in for the service. The library relies on
 * nothing else: `BackgroundCopyManager.connect({ service })` activates `clsid` through `runtime`.
 */
import type { ComRuntime } from '../com';
import type { CertificateStore } from '../certificates/store';

/**
 * A COM server that hands out an IBackgroundCopyManager: the real Delivery Optimization or BITS
 * service on Windows, or the fake from `delivery-optimization/testing` anywhere.
 */
export interface ServiceProvider {
  /** Which service: BITS or Delivery Optimization. */
  readonly kind: 'bits' | 'delivery-optimization';
  /** 'BITS', 'Delivery Optimization', or a fake's name, e.g. 'fake BITS'. */
  readonly displayName: string;
  /** @internal How COM is reached: ole32 on Windows, the fake's own runtime in tests (activation, CoTaskMem, proxy blankets, async queue). */
  readonly runtime: ComRuntime;
  /** The service's COM class id: `CLSID_BackgroundCopyManager` or `CLSID_DeliveryOptimization`. */
  readonly clsid: string;
  /**
   * True when the service takes POSIX local paths (`/tmp/a.bin`) besides Windows ones: a service
   * that writes files on a machine that is not Windows, such as the testing fake. Windows' own
   * services take Windows paths only (the default).
   */
  readonly posixPaths?: boolean;
  /** @internal Where client certificates are looked up (crypt32 on Windows, the fake's list in tests). */
  readonly certificateStore?: CertificateStore;
}

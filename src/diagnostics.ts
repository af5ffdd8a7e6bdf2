/**
 * `delivery-optimization/diagnostics`: what tests, benchmarks and support tools look at, kept off
 * the package root (docs/api.md lists both). Nothing here is needed to download a file.
 */
export { ERROR_CLASS_CODES, hresultErrorClassFor } from './errors/hresult-error';
export { setSystemMessageSource } from './errors/describe';
export type { SystemMessageSource } from './errors/describe';
export { sinkStats } from './api/ido/stream-sink';
export type { StreamSinkStats } from './api/ido/stream-sink';

/** The COM core: knows COM, nothing of BITS or Delivery Optimization. */
export * from './hresult';
export * from './guid';
export * from './abi';
export * from './interface';
export { IUnknown } from './iunknown';
export * from './standard-interfaces';
export * from './com-ptr';
export * from './implement';
export * from './runtime';
export * from './call-queue';
export { nativeCallsInFlight } from './exit-guard';
export * from './failure';
export * from './marshal';
export * from './variant';
export { koffi, lazyType, pointerSize, type KoffiType } from './koffi';
export { windowsRuntime } from './ole32';
export * from './local-server';
export * from './class-registry';

/** Delivery Optimization's IDO API (deliveryoptimization.h): tables, structures, enumerations. */
export * from './enums';
export * from './properties';
export * from './structs';
export * from './interfaces';
/** Same coclass as the BITS-style DO API; IID_IDOManager selects this API. */
export { CLSID_DeliveryOptimization } from '../bits/clsids';

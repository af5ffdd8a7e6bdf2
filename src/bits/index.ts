/** The BITS / Delivery Optimization ABI: interface tables, structures, enumerations. */
export * from './enums';
export * from './clsids';
export * from './structs';
export * from './interfaces';
export type { ServiceProvider } from './service';

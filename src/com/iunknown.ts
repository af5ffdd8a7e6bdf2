import { $ } from './abi';
import { defineInterface, ulong } from './interface';

/** The root of every COM interface. */
export const IUnknown = defineInterface('IUnknown', '00000000-0000-0000-c000-000000000046', null, {
  QueryInterface: [$.guid, $.out.iface],
  AddRef: ulong([]),
  Release: ulong([]),
});

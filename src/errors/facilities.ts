/**
 * HRESULT facility numbers (bits 16–28, `(hr >> 16) & 0x1FFF`) and their winerror.h names,
 * without the `FACILITY_` prefix.
 */

/** `FACILITY_RPC`: COM/RPC runtime codes (`RPC_E_*`, 0x8001xxxx). */
export const FACILITY_RPC = 1;
/** `FACILITY_ITF`: interface-specific codes (`REGDB_E_*`, `CO_E_*`, 0x8004xxxx). */
export const FACILITY_ITF = 4;
/** `FACILITY_WIN32`: Win32 error codes converted with `HRESULT_FROM_WIN32` (0x8007xxxx). */
export const FACILITY_WIN32 = 7;
/** `FACILITY_HTTP`: HTTP status codes (`0x80190000 + status`). */
export const FACILITY_HTTP = 25;
/** `FACILITY_BACKGROUNDCOPY`: BITS codes (`BG_E_*`, 0x8020xxxx). */
export const FACILITY_BACKGROUNDCOPY = 32;
/** `FACILITY_DELIVERY_OPTIMIZATION`: Delivery Optimization codes (`DO_E_*`, 0x80D0xxxx). */
export const FACILITY_DELIVERY_OPTIMIZATION = 208;

/** Facility number → winerror.h name without the `FACILITY_` prefix. */
export const FACILITY_NAMES: ReadonlyMap<number, string> = new Map<number, string>([
  [0, 'NULL'],
  [FACILITY_RPC, 'RPC'],
  [2, 'DISPATCH'],
  [3, 'STORAGE'],
  [FACILITY_ITF, 'ITF'],
  [FACILITY_WIN32, 'WIN32'],
  [8, 'WINDOWS'],
  [9, 'SECURITY'],
  [10, 'CONTROL'],
  [11, 'CERT'],
  [12, 'INTERNET'],
  [13, 'MEDIASERVER'],
  [14, 'MSMQ'],
  [15, 'SETUPAPI'],
  [16, 'SCARD'],
  [17, 'COMPLUS'],
  [18, 'AAF'],
  [19, 'URT'],
  [20, 'ACS'],
  [21, 'DPLAY'],
  [22, 'UMI'],
  [23, 'SXS'],
  [24, 'WINDOWS_CE'],
  [FACILITY_HTTP, 'HTTP'],
  [26, 'USERMODE_COMMONLOG'],
  [31, 'USERMODE_FILTER_MANAGER'],
  [FACILITY_BACKGROUNDCOPY, 'BACKGROUNDCOPY'],
  [33, 'CONFIGURATION'],
  [34, 'STATE_MANAGEMENT'],
  [35, 'METADIRECTORY'],
  [36, 'WINDOWSUPDATE'],
  [37, 'DIRECTORYSERVICE'],
  [38, 'GRAPHICS'],
  [39, 'SHELL'],
  [40, 'TPM_SERVICES'],
  [41, 'TPM_SOFTWARE'],
  [48, 'PLA'],
  [49, 'FVE'],
  [50, 'FWP'],
  [51, 'WINRM'],
  [52, 'NDIS'],
  [53, 'USERMODE_HYPERVISOR'],
  [54, 'CMI'],
  [55, 'USERMODE_VIRTUALIZATION'],
  [56, 'USERMODE_VOLMGR'],
  [57, 'BCD'],
  [58, 'USERMODE_VHD'],
  [60, 'SDIAG'],
  [61, 'WEBSERVICES'],
  [80, 'WINDOWS_DEFENDER'],
  [81, 'OPC'],
  [FACILITY_DELIVERY_OPTIMIZATION, 'DELIVERY_OPTIMIZATION'],
]);

/** Name of a facility number, e.g. 208 → `DELIVERY_OPTIMIZATION`; unknown ones give `UNKNOWN_<n>`. */
export function facilityName(facility: number): string {
  return FACILITY_NAMES.get(facility) ?? `UNKNOWN_${facility}`;
}

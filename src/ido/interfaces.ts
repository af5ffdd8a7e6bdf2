/**
 * The IDO interface tables, in vtable order (deliveryoptimization.h): the API Delivery
 * Optimization's own clients use, served by the same coclass as the BITS-style API
 * (CLSID_DeliveryOptimization) when asked for IID_IDOManager.
 */
import { $, defineInterface, IUnknown, koffi, pointerIn, variantOut } from '../com';
import type { DODownloadProperty } from './enums';
import { DO_DOWNLOAD_ENUM_CATEGORY, DO_DOWNLOAD_STATUS_SIZE, decodeDownloadStatus, encodeRangesInfo, type DownloadRange, type EnumCategoryWire } from './structs';

/** `const DO_DOWNLOAD_RANGES_INFO *` ([unique]: null = the whole file). */
const rangesInfo = pointerIn<readonly DownloadRange[] | null>('void *', (ranges) => (ranges === null ? null : encodeRangesInfo(ranges)));

/** `const DO_DOWNLOAD_ENUM_CATEGORY *` ([unique]: null = every download of the caller). */
const enumCategory = pointerIn<EnumCategoryWire | null>(() => koffi().pointer(DO_DOWNLOAD_ENUM_CATEGORY()), (v) => v);

const downloadStatus = $.out.struct(DO_DOWNLOAD_STATUS_SIZE, decodeDownloadStatus);


export const IDODownload = defineInterface('IDODownload', 'fbbd7fc0-c147-4727-a38d-827ef071ee77', IUnknown, {
  Start: [rangesInfo],
  Pause: [],
  Abort: [],
  Finalize: [],
  GetStatus: [downloadStatus],
  /** (DODownloadProperty propId, VARIANT *propVal). */
  GetProperty: [$.enum<DODownloadProperty>(), variantOut],
  /** (DODownloadProperty propId, const VARIANT *propVal): a VARIANT Buffer (`withVariant`). */
  SetProperty: [$.enum<DODownloadProperty>(), $.ptr],
});

/** Implemented in JS (src/api/ido/status-callback.ts); both arguments are borrowed. */
export const IDODownloadStatusCallback = defineInterface('IDODownloadStatusCallback', 'd166e8e3-a90e-4392-8e87-05e996d3747d', IUnknown, {
  /** (IDODownload *download, const DO_DOWNLOAD_STATUS *status). */
  OnStatusChange: [$.ptr, $.ptr],
});

export const IDOManager = defineInterface('IDOManager', '400e2d4a-1431-4c1a-a748-39ca472cfdb1', IUnknown, {
  CreateDownload: [$.out.ptr],
  /** Each element of the IEnumUnknown is QueryInterface'd for IDODownload. */
  EnumDownloads: [enumCategory, $.out.ptr],
});

/** Every IDO table, for tests and documentation. */
export const IDO_INTERFACES = [IDOManager, IDODownload, IDODownloadStatusCallback] as const;

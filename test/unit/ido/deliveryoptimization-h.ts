/**
 * Reference data transcribed from the Windows SDK's deliveryoptimization.h (MIDL 8.01.0628; read
 * from microsoft/win32metadata generation/WinSDK/RecompiledIdlHeaders/um/deliveryoptimization.h)
 * and objidlbase.h. Written by hand from the header, independently of src/ido, so that the tables
 * are checked against it rather than against themselves.
 */
export interface ReferenceInterface {
  readonly name: string;
  readonly iid: string;
  readonly base: string;
  /** Own methods in vtable order, with their parameter count (This excluded). */
  readonly methods: ReadonlyArray<readonly [name: string, params: number]>;
}

export const REFERENCE_INTERFACES: readonly ReferenceInterface[] = [
  {
    name: 'IDODownload', iid: 'FBBD7FC0-C147-4727-A38D-827EF071EE77', base: 'IUnknown',
    methods: [['Start', 1], ['Pause', 0], ['Abort', 0], ['Finalize', 0], ['GetStatus', 1], ['GetProperty', 2], ['SetProperty', 2]],
  },
  { name: 'IDODownloadStatusCallback', iid: 'D166E8E3-A90E-4392-8E87-05E996D3747D', base: 'IUnknown', methods: [['OnStatusChange', 2]] },
  { name: 'IDOManager', iid: '400E2D4A-1431-4C1A-A748-39CA472CFDB1', base: 'IUnknown', methods: [['CreateDownload', 1], ['EnumDownloads', 2]] },
  { name: 'IEnumUnknown', iid: '00000100-0000-0000-C000-000000000046', base: 'IUnknown', methods: [['Next', 3], ['Skip', 1], ['Reset', 0], ['Clone', 1]] },
  { name: 'ISequentialStream', iid: '0c733a30-2a1c-11ce-ade5-00aa0044773d', base: 'IUnknown', methods: [['Read', 3], ['Write', 3]] },
  {
    name: 'IStream', iid: '0000000c-0000-0000-C000-000000000046', base: 'ISequentialStream',
    methods: [['Seek', 3], ['SetSize', 1], ['CopyTo', 4], ['Commit', 1], ['Revert', 0], ['LockRegion', 3], ['UnlockRegion', 3], ['Stat', 2], ['Clone', 1]],
  },
];

export const CLSID_DELIVERY_OPTIMIZATION = '5B99FA76-721C-423C-ADAC-56D03C8A8007';

/** Enums as `( Previous + 1 )` chains in the header, resolved. */
export const REFERENCE_ENUMS: Readonly<Record<string, readonly string[]>> = {
  DODownloadState: ['Created', 'Transferring', 'Transferred', 'Finalized', 'Aborted', 'Paused'],
  DODownloadCostPolicy: ['Always', 'Unrestricted', 'Standard', 'NoRoaming', 'NoSurcharge', 'NoCellular'],
  DODownloadProperty: [
    'Id', 'Uri', 'ContentId', 'DisplayName', 'LocalPath', 'HttpCustomHeaders', 'CostPolicy', 'SecurityFlags', 'CallbackFreqPercent',
    'CallbackFreqSeconds', 'NoProgressTimeoutSeconds', 'ForegroundPriority', 'BlockingMode', 'CallbackInterface', 'StreamInterface',
    'SecurityContext', 'NetworkToken', 'CorrelationVector', 'DecryptionInfo', 'IntegrityCheckInfo', 'IntegrityCheckMandatory',
    'TotalSizeBytes', 'DisallowOnCellular', 'HttpCustomAuthHeaders', 'HttpAllowSecureToNonSecureRedirect', 'NonVolatile',
    'HttpRedirectionTarget', 'HttpResponseHeaders', 'HttpServerIPAddress', 'HttpStatusCode',
  ],
};

/**
 * Struct layouts from the declarations (UINT64 = 8, align 8 on x86 too; enums/HRESULT/UINT = 4):
 * DO_DOWNLOAD_STATUS {UINT64 BytesTotal; UINT64 BytesTransferred; DODownloadState State; HRESULT Error; HRESULT ExtendedError}
 * DO_DOWNLOAD_RANGES_INFO {UINT RangeCount; DO_DOWNLOAD_RANGE Ranges[1]}
 * DO_DOWNLOAD_ENUM_CATEGORY {DODownloadProperty Property; LPCWSTR Value}
 */
export const REFERENCE_STRUCTS = {
  DO_DOWNLOAD_STATUS: { size: 32, fields: { BytesTotal: 0, BytesTransferred: 8, State: 16, Error: 20, ExtendedError: 24 } },
  DO_DOWNLOAD_RANGE: { size: 16 },
  DO_DOWNLOAD_RANGES_INFO: { rangesOffset: 8, sizeWithOne: 24 },
  DO_DOWNLOAD_ENUM_CATEGORY: { x64: { size: 16, Value: 8 }, x86: { size: 8, Value: 4 } },
} as const;

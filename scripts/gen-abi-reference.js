#!/usr/bin/env node
'use strict';
/**
 * Writes test/abi/abi-reference.json: the ABI facts the library binds, taken from sources that are
 * not the library, each row citing where it comes from.
 *
 * - Interfaces (IID, base, methods in vtable order, parameter classes) are parsed from mingw-w64's
 *   BITS headers (Debian's mingw-w64-common, /usr/share/mingw-w64/include), cited by file:line.
 * - Struct sizes and field offsets, and enum values, are what the Windows compilers say:
 *   x86_64-w64-mingw32-gcc and i686-w64-mingw32-gcc compile those headers (no layout is computed here).
 * - HRESULTs: mingw-w64's bitsmsg.h (file:line), and the SDK 10.0.26100 header
 *   deliveryoptimizationerrors.h (microsoft/win32metadata, RecompiledIdlHeaders; file@commit:line).
 * - What mingw-w64 lacks (IBackgroundCopyFile3 … File6, HttpOptions2/3, the certificate validation
 *   callback, IBackgroundCopyCallback3, BITS_FILE_PROPERTY_*) is written below by hand
 *   from the SDK headers in microsoft/win32metadata, cited by file@commit and a verbatim anchor.
 * - COM's IEnumUnknown / ISequentialStream / IStream: mingw-w64's objidlbase.h (file:line).
 * - The IDO API (IDOManager, IDODownload, IDODownloadStatusCallback, its structs and enums, the
 *   coclass): mingw-w64 has no deliveryoptimization.h, so its declarations are copied verbatim below
 *   from the SDK header in microsoft/win32metadata (cited by file@commit and a verbatim anchor); the
 *   structs and enums are compiled by both Windows compilers like the others.
 * - The DO-only interfaces have no header anywhere: they are UNCONFIRMED rows citing the evidence
 *   that exists (the DO documentation's syntax blocks; /work/shared/spec/do-com-api.md §3.7).
 * - DOSwarmStats and its enums (DownloadMode, SwarmStatus) have no header either: their syntax
 *   blocks in the DO documentation are copied verbatim below and compiled like the others.
 *
 * Run: node scripts/gen-abi-reference.js   (needs mingw-w64-common and gcc-mingw-w64; the test does not)
 * Parameter classes are what decides the calling convention: i32 (4-byte integer or enum), i64,
 * ptr (any pointer, by-reference GUID, out-parameter, or a pointer-sized union), struct16 (a 16-byte
 * union passed by value).
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const INCLUDE = '/usr/share/mingw-w64/include';
const HEADERS = ['bits.h', 'bits1_5.h', 'bits2_0.h', 'bits2_5.h', 'bits3_0.h', 'bits5_0.h'];
const OUT = path.join(__dirname, '..', 'test', 'abi', 'abi-reference.json');
const W32 = 'microsoft/win32metadata generation/WinSDK/RecompiledIdlHeaders/um';

const INTERFACES = [
  'IBackgroundCopyManager', 'IBackgroundCopyJob', 'IBackgroundCopyJob2', 'IBackgroundCopyJob3', 'IBackgroundCopyJob4',
  'IBackgroundCopyJob5', 'IBackgroundCopyJobHttpOptions', 'IBackgroundCopyFile', 'IBackgroundCopyFile2',
  'IBackgroundCopyError', 'IEnumBackgroundCopyFiles', 'IEnumBackgroundCopyJobs', 'IBackgroundCopyCallback',
  'IBackgroundCopyCallback2',
];

const I32_TYPES = new Set(['ULONG', 'DWORD', 'UINT', 'BOOL', 'HRESULT', 'LONG', 'LANGID', 'BITS_JOB_PROPERTY_ID']);
const I64_TYPES = new Set(['UINT64', 'ULONG64']);

/** The calling-convention class of one C parameter declaration (name included). */
function paramClass(decl) {
  const text = decl.replace(/\/\*.*?\*\//g, '').replace(/\b(const|__RPC__\w+|_In_|_Out_)\b/g, '').trim();
  if (text.includes('*') || text.includes('[')) return 'ptr';
  const type = text.split(/\s+/)[0];
  if (type === 'REFIID' || type === 'REFGUID' || type === 'LPCWSTR' || type === 'LPWSTR') return 'ptr';
  if (I64_TYPES.has(type) || type === 'LARGE_INTEGER' || type === 'ULARGE_INTEGER') return 'i64'; // 8-byte unions, passed as one 64-bit value
  if (I32_TYPES.has(type) || /^BG_[A-Z_]+$/.test(type)) return 'i32';
  if (type === 'BITS_JOB_PROPERTY_VALUE') return 'struct16';
  throw new Error(`unclassified parameter type: ${decl}`);
}

function readLines(file) {
  return fs.readFileSync(path.join(INCLUDE, file), 'utf8').split('\n');
}

/** Every interface of the mingw-w64 headers: IID, base, C-style vtable methods (with lines). */
function parseInterfaces(headers = HEADERS, only = null, found = new Map()) {
  for (const file of headers) {
    const lines = readLines(file);
    lines.forEach((line, i) => {
      const guid = /^DEFINE_GUID\(IID_(\w+),\s*(.*)\);/.exec(line);
      if (guid && (!only || only.includes(guid[1]))) {
        const entry = found.get(guid[1]) ?? { name: guid[1] };
        entry.iid = guidOf(guid[2]);
        entry.iidSource = `mingw-w64 ${file}:${i + 1}`;
        found.set(guid[1], entry);
      }
      const base = /^(\w+) : public (\w+)$/.exec(line.trim());
      if (base && found.has(base[1])) {
        found.get(base[1]).base = base[2];
        found.get(base[1]).baseSource = `mingw-w64 ${file}:${i + 1}`;
      }
      const vtbl = /^typedef struct (\w+)Vtbl \{/.exec(line);
      if (vtbl && (!only || only.includes(vtbl[1]))) {
        const entry = found.get(vtbl[1]);
        entry.methods = [];
        for (let j = i + 1; !lines[j].includes(`} ${vtbl[1]}Vtbl;`); j++) {
          const m = /^\s*(HRESULT|ULONG) \(STDMETHODCALLTYPE \*(\w+)\)\(/.exec(lines[j]);
          if (!m) continue;
          let decl = '';
          let k = j + 1;
          for (; !decl.includes(');'); k++) decl += ' ' + lines[k].trim();
          const params = decl.replace(/\);.*$/, '').split(',').map((s) => s.trim()).slice(1); // drop This
          entry.methods.push({
            slot: entry.methods.length,
            name: m[2],
            returns: m[1] === 'ULONG' ? 'ulong' : 'hresult',
            params: params.map(paramClass),
            source: `mingw-w64 ${file}:${j + 1}`,
          });
        }
      }
    });
  }
  return found;
}

/**
 * One interface the SDK headers declare and mingw-w64 lacks: its base's methods, then its own,
 * each cited by file@commit and a verbatim anchor.
 */
function addSdkInterface(found, name, iid, base, file, commit, own) {
  const at = `SDK ${W32}/${file}@${commit.slice(0, 12)}`;
  const methods = found.get(base).methods.map((m) => ({ ...m }));
  for (const [method, params] of own) {
    methods.push({ slot: methods.length, name: method, returns: 'hresult', params, source: `${at} "DECLSPEC_XFGVIRT(${name}, ${method})"` });
  }
  found.set(name, {
    name, iid, base, methods,
    iidSource: `${at} "MIDL_INTERFACE(\\"${iid}\\")" (case as printed there may differ)`,
    baseSource: `${at} "${name} : public ${base}"`,
  });
}

/** Interfaces mingw-w64 does not have, from the SDK headers. */
function sdkOnlyInterfaces(found) {
  const add = (...args) => addSdkInterface(found, ...args);
  // Bits3_0.h: GetTemporaryName(LPWSTR *), SetValidationState(BOOL), GetValidationState(BOOL *), IsDownloadedFromPeer(BOOL *)
  add('IBackgroundCopyFile3', '659cdeaa-489e-11d9-a9cd-000d56965251', 'IBackgroundCopyFile2', 'Bits3_0.h', '2c71ad9c6dbf46fc2ddd52ae22d838b1e919f9f8',
    [['GetTemporaryName', ['ptr']], ['SetValidationState', ['i32']], ['GetValidationState', ['ptr']], ['IsDownloadedFromPeer', ['ptr']]]);
  // bits4_0.h: GetPeerDownloadStats(PUINT64 pFromOrigin, PUINT64 pFromPeers)
  add('IBackgroundCopyFile4', 'ef7e0655-7888-4960-b0e5-730846e03492', 'IBackgroundCopyFile3', 'bits4_0.h', '0a572ab7af8679b0e943ebd5c335e113f03d43a9',
    [['GetPeerDownloadStats', ['ptr', 'ptr']]]);
  // bits5_0.h: SetProperty(BITS_FILE_PROPERTY_ID, BITS_FILE_PROPERTY_VALUE), GetProperty(BITS_FILE_PROPERTY_ID, BITS_FILE_PROPERTY_VALUE *)
  // BITS_FILE_PROPERTY_VALUE is `union { LPWSTR String; }`: passed by value, it is one pointer.
  add('IBackgroundCopyFile5', '85c1657f-dafc-40e8-8834-df18ea25717e', 'IBackgroundCopyFile4', 'bits5_0.h', '2c71ad9c6dbf46fc2ddd52ae22d838b1e919f9f8',
    [['SetProperty', ['i32', 'ptr']], ['GetProperty', ['i32', 'ptr']]]);
  // bits10_1.h: UpdateDownloadPosition(UINT64), RequestFileRanges(DWORD, const BG_FILE_RANGE[]), GetFilledFileRanges(DWORD *, BG_FILE_RANGE **)
  add('IBackgroundCopyFile6', 'cf6784f7-d677-49fd-9368-cb47aee9d1ad', 'IBackgroundCopyFile5', 'bits10_1.h', 'beb18b9d045371cb1374a721be5f9d50fcdd4f45',
    [['UpdateDownloadPosition', ['i64']], ['RequestFileRanges', ['i32', 'ptr']], ['GetFilledFileRanges', ['ptr', 'ptr']]]);
  // bits10_2.h: SetHttpMethod(LPCWSTR method), GetHttpMethod(LPWSTR *method)
  add('IBackgroundCopyJobHttpOptions2', 'b591a192-a405-4fc3-8323-4c5c542578fc', 'IBackgroundCopyJobHttpOptions', 'bits10_2.h', 'beb18b9d045371cb1374a721be5f9d50fcdd4f45',
    [['SetHttpMethod', ['ptr']], ['GetHttpMethod', ['ptr']]]);
  // bits10_3.h: SetServerCertificateValidationInterface(IUnknown *certValidationCallback), MakeCustomHeadersWriteOnly(void)
  add('IBackgroundCopyJobHttpOptions3', '8a9263d3-fd4c-4eda-9b28-30132a4d4e3c', 'IBackgroundCopyJobHttpOptions2', 'bits10_3.h', 'b512451df8a896ccca19577db440e5490fb11e01',
    [['SetServerCertificateValidationInterface', ['ptr']], ['MakeCustomHeadersWriteOnly', []]]);
  // bits10_3.h: ValidateServerCertificate(IBackgroundCopyJob *job, IBackgroundCopyFile *file, DWORD certLength,
  // const BYTE certData[], DWORD certEncodingType, DWORD certStoreLength, const BYTE certStoreData[])
  found.set('IUnknown', { name: 'IUnknown', methods: found.get('IBackgroundCopyFile').methods.slice(0, 3) });
  // bits10_1.h: FileRangesTransferred(IBackgroundCopyJob *job, IBackgroundCopyFile *file, DWORD rangeCount, const BG_FILE_RANGE ranges[])
  add('IBackgroundCopyCallback3', '98c97bd2-e32b-4ad8-a528-95fd8b16bd42', 'IBackgroundCopyCallback2', 'bits10_1.h', '0a572ab7af8679b0e943ebd5c335e113f03d43a9',
    [['FileRangesTransferred', ['ptr', 'ptr', 'i32', 'ptr']]]);
  add('IBackgroundCopyServerCertificateValidationCallback', '4cec0d02-def7-4158-813a-c32a46945ff7', 'IUnknown', 'bits10_3.h', 'b512451df8a896ccca19577db440e5490fb11e01',
    [['ValidateServerCertificate', ['ptr', 'ptr', 'i32', 'ptr', 'i32', 'i32', 'ptr']]]);
}

/** bits4_0.h (mingw-w64 has no bits4_0.h): IBitsTokenOptions and its BG_TOKEN_* flags. */
const TOKEN_HEADER = { file: 'bits4_0.h', commit: '0a572ab7af8679b0e943ebd5c335e113f03d43a9' };
function tokenOptionsInterface(found) {
  // SetHelperTokenFlags(DWORD UsageFlags), GetHelperTokenFlags(DWORD *pFlags), SetHelperToken(void), ClearHelperToken(void), GetHelperTokenSid(LPWSTR *pSid)
  addSdkInterface(found, 'IBitsTokenOptions', '9a2584c3-f7d2-457a-9a5e-22b67bffc7d2', 'IUnknown', TOKEN_HEADER.file, TOKEN_HEADER.commit,
    [['SetHelperTokenFlags', ['i32']], ['GetHelperTokenFlags', ['ptr']], ['SetHelperToken', []], ['ClearHelperToken', []], ['GetHelperTokenSid', ['ptr']]]);
}
/** Its #defines, as printed in the header (`#define BG_TOKEN_LOCAL_FILE      0x0001`). */
const TOKEN_DEFINES = [['BG_TOKEN_LOCAL_FILE', 1], ['BG_TOKEN_NETWORK', 2]].map(([name, value]) => ({
  name, value: `0x${value.toString(16)}`, source: `SDK ${W32}/${TOKEN_HEADER.file}@${TOKEN_HEADER.commit.slice(0, 12)} "#define ${name}"`,
}));

/** COM's own interfaces the IDO API uses (parsed from objidlbase.h). */
const OBJIDL_INTERFACES = ['IEnumUnknown', 'ISequentialStream', 'IStream'];

/** The SDK's deliveryoptimization.h (MIDL 8.01.0628), as read for this file. */
const DO_HEADER = { file: 'deliveryoptimization.h', commit: '1e548b0abd16444e620215b801447c70253f5aae' };
const doSource = (anchor) => `SDK ${W32}/${DO_HEADER.file}@${DO_HEADER.commit.slice(0, 12)} "${anchor}"`;

/**
 * Its structs and enums, copied verbatim from the header (only the `/* [size_is] *\/` comment
 * dropped); the compilers lay them out and number them.
 */
const DO_DECLARATIONS = `
typedef struct _DO_DOWNLOAD_RANGE
    {
    UINT64 Offset;
    UINT64 Length;
    } DO_DOWNLOAD_RANGE;
typedef struct _DO_DOWNLOAD_RANGES_INFO
    {
    UINT RangeCount;
    DO_DOWNLOAD_RANGE Ranges[ 1 ];
    } DO_DOWNLOAD_RANGES_INFO;
typedef enum _DODownloadState
    {
        DODownloadState_Created = 0,
        DODownloadState_Transferring = ( DODownloadState_Created + 1 ) ,
        DODownloadState_Transferred = ( DODownloadState_Transferring + 1 ) ,
        DODownloadState_Finalized = ( DODownloadState_Transferred + 1 ) ,
        DODownloadState_Aborted = ( DODownloadState_Finalized + 1 ) ,
        DODownloadState_Paused = ( DODownloadState_Aborted + 1 )
    } DODownloadState;
typedef struct _DO_DOWNLOAD_STATUS
    {
    UINT64 BytesTotal;
    UINT64 BytesTransferred;
    DODownloadState State;
    HRESULT Error;
    HRESULT ExtendedError;
    } DO_DOWNLOAD_STATUS;
typedef enum _DODownloadCostPolicy
    {
        DODownloadCostPolicy_Always = 0,
        DODownloadCostPolicy_Unrestricted = ( DODownloadCostPolicy_Always + 1 ) ,
        DODownloadCostPolicy_Standard = ( DODownloadCostPolicy_Unrestricted + 1 ) ,
        DODownloadCostPolicy_NoRoaming = ( DODownloadCostPolicy_Standard + 1 ) ,
        DODownloadCostPolicy_NoSurcharge = ( DODownloadCostPolicy_NoRoaming + 1 ) ,
        DODownloadCostPolicy_NoCellular = ( DODownloadCostPolicy_NoSurcharge + 1 )
    } DODownloadCostPolicy;
typedef enum _DODownloadProperty
    {
        DODownloadProperty_Id = 0,
        DODownloadProperty_Uri = ( DODownloadProperty_Id + 1 ) ,
        DODownloadProperty_ContentId = ( DODownloadProperty_Uri + 1 ) ,
        DODownloadProperty_DisplayName = ( DODownloadProperty_ContentId + 1 ) ,
        DODownloadProperty_LocalPath = ( DODownloadProperty_DisplayName + 1 ) ,
        DODownloadProperty_HttpCustomHeaders = ( DODownloadProperty_LocalPath + 1 ) ,
        DODownloadProperty_CostPolicy = ( DODownloadProperty_HttpCustomHeaders + 1 ) ,
        DODownloadProperty_SecurityFlags = ( DODownloadProperty_CostPolicy + 1 ) ,
        DODownloadProperty_CallbackFreqPercent = ( DODownloadProperty_SecurityFlags + 1 ) ,
        DODownloadProperty_CallbackFreqSeconds = ( DODownloadProperty_CallbackFreqPercent + 1 ) ,
        DODownloadProperty_NoProgressTimeoutSeconds = ( DODownloadProperty_CallbackFreqSeconds + 1 ) ,
        DODownloadProperty_ForegroundPriority = ( DODownloadProperty_NoProgressTimeoutSeconds + 1 ) ,
        DODownloadProperty_BlockingMode = ( DODownloadProperty_ForegroundPriority + 1 ) ,
        DODownloadProperty_CallbackInterface = ( DODownloadProperty_BlockingMode + 1 ) ,
        DODownloadProperty_StreamInterface = ( DODownloadProperty_CallbackInterface + 1 ) ,
        DODownloadProperty_SecurityContext = ( DODownloadProperty_StreamInterface + 1 ) ,
        DODownloadProperty_NetworkToken = ( DODownloadProperty_SecurityContext + 1 ) ,
        DODownloadProperty_CorrelationVector = ( DODownloadProperty_NetworkToken + 1 ) ,
        DODownloadProperty_DecryptionInfo = ( DODownloadProperty_CorrelationVector + 1 ) ,
        DODownloadProperty_IntegrityCheckInfo = ( DODownloadProperty_DecryptionInfo + 1 ) ,
        DODownloadProperty_IntegrityCheckMandatory = ( DODownloadProperty_IntegrityCheckInfo + 1 ) ,
        DODownloadProperty_TotalSizeBytes = ( DODownloadProperty_IntegrityCheckMandatory + 1 ) ,
        DODownloadProperty_DisallowOnCellular = ( DODownloadProperty_TotalSizeBytes + 1 ) ,
        DODownloadProperty_HttpCustomAuthHeaders = ( DODownloadProperty_DisallowOnCellular + 1 ) ,
        DODownloadProperty_HttpAllowSecureToNonSecureRedirect = ( DODownloadProperty_HttpCustomAuthHeaders + 1 ) ,
        DODownloadProperty_NonVolatile = ( DODownloadProperty_HttpAllowSecureToNonSecureRedirect + 1 ) ,
        DODownloadProperty_HttpRedirectionTarget = ( DODownloadProperty_NonVolatile + 1 ) ,
        DODownloadProperty_HttpResponseHeaders = ( DODownloadProperty_HttpRedirectionTarget + 1 ) ,
        DODownloadProperty_HttpServerIPAddress = ( DODownloadProperty_HttpResponseHeaders + 1 ) ,
        DODownloadProperty_HttpStatusCode = ( DODownloadProperty_HttpServerIPAddress + 1 )
    } DODownloadProperty;
typedef struct _DO_DOWNLOAD_ENUM_CATEGORY
    {
    DODownloadProperty Property;
    LPCWSTR Value;
    } DO_DOWNLOAD_ENUM_CATEGORY;
#define DO_LENGTH_TO_EOF     (UINT64)(-1)
`;

/** The DO documentation's pages (learn.microsoft.com), for what no header declares. */
const DO_DOCS = 'learn.microsoft.com/windows/win32/delivery_optimization';
const docsSource = (name, anchor) => `DO docs syntax block ${DO_DOCS}/${name.toLowerCase()} "${anchor}"`;

/** The syntax blocks of DownloadMode, SwarmStatus and DOSwarmStats, copied verbatim from their pages. */
const DO_DOCS_DECLARATIONS = `
typedef enum _DownloadMode {
  DownloadMode_CdnOnly   = 0,
  DownloadMode_Lan       = 1,
  DownloadMode_Group     = 2,
  DownloadMode_Internet  = 3,
  DownloadMode_Simple    = 99,
  DownloadMode_Bypass    = 100
} DownloadMode;
typedef enum _SwarmStatus {
  SwarmStatus_Downloading  = 0,
  SwarmStatus_Complete     = 1,
  SwarmStatus_Caching      = 2,
  SwarmStatus_Paused       = 3
} SwarmStatus;
typedef struct _DOSwarmStats {
  LPWSTR       fileId;
  LPWSTR       sourceURL;
  UINT64       fileSize;
  UINT64       totalBytesDownloaded;
  UINT64       bytesFromLanPeers;
  UINT64       bytesFromGroupPeers;
  UINT64       bytesFromInternetPeers;
  UINT64       bytesFromHttp;
  UINT64       bytesFromDoinc;
  UINT64       bytesToLanPeers;
  UINT64       bytesToGroupPeers;
  UINT64       bytesToInternetPeers;
  UINT         httpConnectionCount;
  UINT         doincConnectionCount;
  UINT         lanConnectionCount;
  UINT         groupConnectionCount;
  UINT         internetConnectionCount;
  UINT         downloadDuration;
  DownloadMode downloadMode;
  SwarmStatus  status;
  BOOL         isBackground;
} DOSwarmStats;
`;

/** Enum names and members declared in `text`, in declaration order, each cited by `cite(enum, anchor)`. */
function declaredEnums(text, cite, memberAnchor) {
  const enums = [];
  const re = /typedef enum _(\w+)\s*\{([^}]*)\}/g;
  let m;
  while ((m = re.exec(text)) !== null) {
    const name = m[1];
    const members = [...m[2].matchAll(/^\s*(\w+)\s*=/gm)].map((x) => ({ name: x[1], source: cite(name, memberAnchor(x[1])) }));
    enums.push({ name, source: cite(name, `enum _${name}`), members });
  }
  return enums;
}

function doEnums() {
  return [
    ...declaredEnums(DO_DECLARATIONS, (_, anchor) => doSource(anchor), (member) => `${member}\t=`),
    ...declaredEnums(DO_DOCS_DECLARATIONS, docsSource, (member) => member),
  ];
}

/** The IDO interfaces, from the header's C-style vtables (each method's parameter list in the comment, `This` dropped). */
const IDO_INTERFACES = ['IDODownload', 'IDODownloadStatusCallback', 'IDOManager'];
function idoInterfaces(found) {
  const add = (name, iid, own) => addSdkInterface(found, name, iid, 'IUnknown', DO_HEADER.file, DO_HEADER.commit, own);
  add('IDODownload', 'fbbd7fc0-c147-4727-a38d-827ef071ee77', [
    ['Start', ['ptr']], // (const DO_DOWNLOAD_RANGES_INFO *ranges)
    ['Pause', []], ['Abort', []], ['Finalize', []],
    ['GetStatus', ['ptr']], // (DO_DOWNLOAD_STATUS *status)
    ['GetProperty', ['i32', 'ptr']], // (DODownloadProperty propId, VARIANT *propVal)
    ['SetProperty', ['i32', 'ptr']], // (DODownloadProperty propId, const VARIANT *propVal)
  ]);
  add('IDODownloadStatusCallback', 'd166e8e3-a90e-4392-8e87-05e996d3747d', [
    ['OnStatusChange', ['ptr', 'ptr']], // (IDODownload *download, const DO_DOWNLOAD_STATUS *status)
  ]);
  add('IDOManager', '400e2d4a-1431-4c1a-a748-39ca472cfdb1', [
    ['CreateDownload', ['ptr']], // (IDODownload **download)
    ['EnumDownloads', ['ptr', 'ptr']], // (const DO_DOWNLOAD_ENUM_CATEGORY *category, IEnumUnknown **ppEnum)
  ]);
}

/** Coclasses: CLSID_BackgroundCopyManager from mingw-w64, DeliveryOptimization from the SDK header. */
function coclasses() {
  const rows = [];
  readLines('bits.h').forEach((line, i) => {
    const m = /^DEFINE_GUID\(CLSID_BackgroundCopyManager,\s*(.*)\);/.exec(line);
    if (m) rows.push({ name: 'BackgroundCopyManager', clsid: guidOf(m[1]), source: `mingw-w64 bits.h:${i + 1}` });
  });
  rows.push({ name: 'DeliveryOptimization', clsid: '5b99fa76-721c-423c-adac-56d03c8a8007', source: doSource('class DECLSPEC_UUID(\\"5b99fa76-721c-423c-adac-56d03c8a8007\\")') });
  return rows;
}

function guidOf(args) {
  const n = args.split(',').map((s) => parseInt(s.trim(), 16));
  const hex = (v, w) => v.toString(16).padStart(w, '0');
  return `${hex(n[0], 8)}-${hex(n[1], 4)}-${hex(n[2], 4)}-${hex(n[3], 2)}${hex(n[4], 2)}-${n.slice(5).map((b) => hex(b, 2)).join('')}`;
}

/** DO-only interfaces: no header, IDL or metadata exists; the DO documentation's syntax blocks are the evidence. */
const DO_EVIDENCE = 'UNCONFIRMED: no header, IDL or metadata is public. Evidence: learn.microsoft.com DO reference syntax blocks (tables are alphabetical, so slot order is inferred); /work/shared/spec/do-com-api.md §3.6-3.7';
const DO_ONLY = [
  { name: 'IDeliveryOptimizationJob', iid: 'ee2584cf-a69c-4848-b633-2649962b3ef7', methods: [['AddFileWithRanges', ['ptr', 'ptr', 'ptr', 'i32', 'ptr', 'i64'], '(LPCWSTR fileId, LPCWSTR remoteUrl, LPCWSTR localName, DWORD rangeCount, BG_FILE_RANGE ranges[], ULONG64 fileSize)']] },
  { name: 'IDeliveryOptimizationJob2', iid: '18995a26-bf59-4abe-9f8b-d5092d5a2405', methods: [
    ['AddFile', ['ptr', 'ptr', 'i32', 'ptr', 'ptr', 'ptr'], '(LPCWSTR fileId, LPCWSTR remoteUrl, DWORD rangeCount, BG_FILE_RANGE ranges[], REFIID riid, void **object)'],
    ['GetProperty', ['i32', 'ptr'], '(DOJobPropertyId propId, VARIANT *propValue)'],
    ['SetProperty', ['i32', 'ptr'], '(DOJobPropertyId propId, const VARIANT *propValue)'],
  ] },
  { name: 'IDeliveryOptimizationFile', iid: 'b76b9699-e99e-4101-803f-a20e325d93e2', methods: [['GetStats', ['ptr'], '(DOSwarmStats *swarmStats); a third-party reimplementation (wine4office) calls it through slot 4, not 3']] },
  { name: 'IDeliveryOptimizationFile2', iid: '3a87296f-6ec2-4126-ab29-e3f8dc4cc390', methods: [
    ['GetProperty', ['i32', 'ptr'], '(DOFilePropertyId propId, VARIANT *propValue)'],
    ['SetProperty', ['i32', 'ptr'], '(DOFilePropertyId propId, const VARIANT *propValue)'],
  ] },
];

/** Structs: fields as declared; sizes and offsets come from the compilers. */
const STRUCTS = [
  ['BG_FILE_PROGRESS', 'bits.h', ['BytesTotal', 'BytesTransferred', 'Completed']],
  ['BG_FILE_INFO', 'bits.h', ['RemoteName', 'LocalName']],
  ['BG_JOB_PROGRESS', 'bits.h', ['BytesTotal', 'BytesTransferred', 'FilesTotal', 'FilesTransferred']],
  ['BG_JOB_TIMES', 'bits.h', ['CreationTime', 'ModificationTime', 'TransferCompletionTime']],
  ['BG_JOB_REPLY_PROGRESS', 'bits1_5.h', ['BytesTotal', 'BytesTransferred']],
  ['BG_AUTH_CREDENTIALS', 'bits1_5.h', ['Target', 'Scheme', 'Credentials.Basic.UserName', 'Credentials.Basic.Password']],
  ['BG_FILE_RANGE', 'bits2_0.h', ['InitialOffset', 'Length']],
  ['BITS_JOB_PROPERTY_VALUE', 'bits5_0.h', ['Dword', 'ClsID', 'Enable', 'Uint64', 'Target']],
  ['VARIANT', 'oaidl.h', ['vt', 'llVal']],
  ['DO_DOWNLOAD_RANGE', DO_HEADER.file, ['Offset', 'Length']],
  ['DO_DOWNLOAD_RANGES_INFO', DO_HEADER.file, ['RangeCount', 'Ranges']],
  ['DO_DOWNLOAD_STATUS', DO_HEADER.file, ['BytesTotal', 'BytesTransferred', 'State', 'Error', 'ExtendedError']],
  ['DO_DOWNLOAD_ENUM_CATEGORY', DO_HEADER.file, ['Property', 'Value']],
  ['DOSwarmStats', DO_DOCS, [
    'fileId', 'sourceURL', 'fileSize', 'totalBytesDownloaded', 'bytesFromLanPeers', 'bytesFromGroupPeers', 'bytesFromInternetPeers',
    'bytesFromHttp', 'bytesFromDoinc', 'bytesToLanPeers', 'bytesToGroupPeers', 'bytesToInternetPeers', 'httpConnectionCount',
    'doincConnectionCount', 'lanConnectionCount', 'groupConnectionCount', 'internetConnectionCount', 'downloadDuration',
    'downloadMode', 'status', 'isBackground',
  ]],
  // VT_ARRAY | VT_UI1 values (DODownloadProperty_SecurityContext) are built by src/com/variant.ts.
  ['SAFEARRAY', 'oaidl.h', ['cDims', 'fFeatures', 'cbElements', 'cLocks', 'pvData', 'rgsabound[0].cElements', 'rgsabound[0].lLbound']],
];

const ENUMS = {
  'bits.h': ['BG_JOB_STATE', 'BG_JOB_TYPE', 'BG_JOB_PRIORITY', 'BG_ERROR_CONTEXT', 'BG_JOB_PROXY_USAGE'],
  'bits1_5.h': ['BG_AUTH_TARGET', 'BG_AUTH_SCHEME'],
  'bits2_5.h': ['BG_CERT_STORE_LOCATION'],
  'bits5_0.h': ['BITS_JOB_PROPERTY_ID'],
};

/** Enum members with their declaration lines (values come from the compilers). */
function parseEnums() {
  const enums = [];
  for (const [file, names] of Object.entries(ENUMS)) {
    const lines = readLines(file);
    for (const name of names) {
      const end = lines.findIndex((l) => l.trim() === `} ${name};`);
      if (end < 0) throw new Error(`${name} not found in ${file}`);
      let start = end;
      while (!lines[start].startsWith('typedef enum')) start--;
      const members = [];
      for (let i = start + 1; i < end; i++) {
        const m = /^\s*(\w+)/.exec(lines[i]);
        if (m) members.push({ name: m[1], source: `mingw-w64 ${file}:${i + 1}` });
      }
      enums.push({ name, source: `mingw-w64 ${file}:${start + 1}`, members });
    }
  }
  return enums;
}

/** `#define NAME value` constants the library binds. */
function parseDefines() {
  const wanted = /^#define (BG_NOTIFY_\w+|BG_JOB_ENUM_ALL_USERS|BG_SIZE_UNKNOWN|BG_LENGTH_TO_EOF|BG_SSL_\w+|BG_HTTP_REDIRECT_POLICY_\w+) /;
  const out = [];
  for (const file of HEADERS) {
    readLines(file).forEach((line, i) => {
      const m = wanted.exec(line);
      if (m) out.push({ name: m[1], source: `mingw-w64 ${file}:${i + 1}` });
    });
  }
  return out;
}

/** Compiles `expressions` for one target and returns their values (read back from the assembly). */
function compile(compiler, expressions) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'abi-ref-'));
  const src = path.join(dir, 'abi.c');
  const includes = ['windows.h', 'oaidl.h', ...HEADERS].map((h) => `#include <${h}>`).join('\n');
  fs.writeFileSync(src, `${includes}\n#include <stddef.h>\n${DO_DECLARATIONS}\n${DO_DOCS_DECLARATIONS}\nconst long long abi_values[] = {\n${expressions.map((e) => `  (long long)(${e}),`).join('\n')}\n};\n`);
  const asm = execFileSync(compiler, ['-S', '-O0', '-o', '-', src], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  const values = [];
  const re = /^\s*\.(quad|long)\s+(-?\d+)/gm;
  let m;
  const start = asm.indexOf('abi_values:');
  const body = asm.slice(start);
  while ((m = re.exec(body)) !== null) values.push(BigInt(m[2]));
  // ia32 emits each long long as two .long halves (low, high).
  if (values.length === expressions.length * 2) {
    const joined = [];
    for (let i = 0; i < values.length; i += 2) joined.push(BigInt.asIntN(64, (values[i + 1] << 32n) | BigInt.asUintN(32, values[i])));
    return joined;
  }
  if (values.length !== expressions.length) throw new Error(`${compiler}: ${values.length} values for ${expressions.length} expressions`);
  return values;
}

function structLine(name, file) {
  if (file === DO_HEADER.file) return doSource(`typedef struct _${name}`);
  if (file === DO_DOCS) return docsSource(name, `typedef struct _${name}`);
  const lines = readLines(file);
  // VARIANT is declared as `struct tagVARIANT { ... }` in oaidl.h.
  const i = name === 'VARIANT' ? lines.findIndex((l) => l.startsWith('struct tagVARIANT {')) : lines.findIndex((l) => l.includes(`} ${name};`));
  if (i < 0) throw new Error(`${name} not found in ${file}`);
  return `mingw-w64 ${file}:${i + 1}`;
}

function main() {
  const found = parseInterfaces();
  parseInterfaces(['objidlbase.h'], OBJIDL_INTERFACES, found);
  sdkOnlyInterfaces(found);
  idoInterfaces(found);
  const sdkOnly = [
    'IBackgroundCopyFile3', 'IBackgroundCopyFile4', 'IBackgroundCopyFile5', 'IBackgroundCopyFile6', 'IBackgroundCopyJobHttpOptions2',
    'IBackgroundCopyJobHttpOptions3', 'IBackgroundCopyServerCertificateValidationCallback', 'IBackgroundCopyCallback3',
  ];
  const interfaces = INTERFACES.concat(sdkOnly, OBJIDL_INTERFACES, IDO_INTERFACES).map((name) => {
    const e = found.get(name);
    if (!e?.methods || !e.iid) throw new Error(`${name}: incomplete (${JSON.stringify(e)})`);
    return { name, status: 'confirmed', iid: e.iid, iidSource: e.iidSource, base: e.base, baseSource: e.baseSource, methods: e.methods };
  });
  const iunknown = interfaces[0].methods.slice(0, 3);
  for (const d of DO_ONLY) {
    interfaces.push({
      name: d.name, status: 'UNCONFIRMED', evidence: DO_EVIDENCE, iid: d.iid, iidSource: 'DO documentation interface overview page', base: 'IUnknown', baseSource: 'DO documentation',
      methods: [...iunknown, ...d.methods.map(([name, params, signature], i) => ({ slot: 3 + i, name, returns: 'hresult', params, source: `UNCONFIRMED DO docs syntax block ${signature}` }))],
    });
  }
  tokenOptionsInterface(found);
  const token = found.get('IBitsTokenOptions');
  interfaces.push({ name: token.name, status: 'confirmed', iid: token.iid, iidSource: token.iidSource, base: token.base, baseSource: token.baseSource, methods: token.methods });

  const enums = [...parseEnums(), ...doEnums()];
  const defines = [...parseDefines(), { name: 'DO_LENGTH_TO_EOF', source: doSource('#define DO_LENGTH_TO_EOF') }];
  const expressions = [];
  for (const [name, , fields] of STRUCTS) {
    expressions.push(`sizeof(${name})`);
    for (const f of fields) expressions.push(`offsetof(${name}, ${f})`);
  }
  for (const e of enums) for (const m of e.members) expressions.push(m.name);
  for (const d of defines) expressions.push(d.name);
  const x64 = compile('x86_64-w64-mingw32-gcc', expressions);
  const ia32 = compile('i686-w64-mingw32-gcc', expressions);
  let k = 0;
  const structs = STRUCTS.map(([name, file, fields]) => {
    const row = { name, source: structLine(name, file), x64: { size: Number(x64[k]), offsets: {} }, ia32: { size: Number(ia32[k]), offsets: {} } };
    k++;
    for (const f of fields) {
      row.x64.offsets[f] = Number(x64[k]);
      row.ia32.offsets[f] = Number(ia32[k]);
      k++;
    }
    return row;
  });
  const enumRows = enums.map((e) => ({
    name: e.name,
    source: e.source,
    members: e.members.map((m) => {
      if (x64[k] !== ia32[k]) throw new Error(`${m.name} differs between targets`);
      return { name: m.name, value: Number(x64[k++]), source: m.source };
    }),
  }));
  const defineRows = defines.map((d) => ({ name: d.name, value: `0x${BigInt.asUintN(64, x64[k++]).toString(16)}`, source: d.source }));
  defineRows.push(...TOKEN_DEFINES);

  const hresults = [];
  readLines('bitsmsg.h').forEach((line, i) => {
    const m = /^#define ((BG_[ES])_\w+) __MSABI_LONG\((0x[0-9A-Fa-f]+)\)/.exec(line);
    if (m) hresults.push({ name: m[1], value: `0x${m[3].slice(2).toUpperCase().padStart(8, '0')}`, source: `mingw-w64 bitsmsg.h:${i + 1}` });
  });
  hresults.push(...doErrors());

  const reference = {
    about: 'ABI reference for delivery-optimization, independent of the library. Generated by scripts/gen-abi-reference.js; checked by test/unit/abi/abi-reference.test.ts. Parameter classes: i32, i64, ptr, struct16 (see the script).',
    sources: {
      'mingw-w64': `Debian mingw-w64-common ${pkgVersion('mingw-w64-common')}, /usr/share/mingw-w64/include`,
      compilers: `${firstLine('x86_64-w64-mingw32-gcc')}; ${firstLine('i686-w64-mingw32-gcc')}`,
      SDK: `Windows SDK 10.0.26100 MIDL headers as recompiled in ${W32}`,
    },
    coclasses: coclasses(),
    interfaces,
    structs,
    enums: enumRows,
    constants: defineRows,
    hresults,
  };
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, `${JSON.stringify(reference, null, 1)}\n`);
  console.log(`wrote ${OUT}: ${reference.coclasses.length} coclasses, ${interfaces.length} interfaces, ${structs.length} structs, ${enumRows.length} enums, ${defineRows.length} constants, ${hresults.length} HRESULTs`);
}

function pkgVersion(name) {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Version}', name], { encoding: 'utf8' });
  } catch {
    return '(version unknown)';
  }
}

function firstLine(compiler) {
  return execFileSync(compiler, ['--version'], { encoding: 'utf8' }).split('\n')[0];
}

/**
 * SDK 10.0.26100 deliveryoptimizationerrors.h (microsoft/win32metadata@095e12e664fc): name, value and the
 * line of its #define.
 */
function doErrors() {
  const file = `SDK ${W32}/deliveryoptimizationerrors.h@095e12e664fc`;
  const rows = [
    [37, 'DO_E_NO_SERVICE', 0x80d01001],
    [41, 'DO_E_DOWNLOAD_NO_PROGRESS', 0x80d02002], [42, 'DO_E_JOB_NOT_FOUND', 0x80d02003], [43, 'DO_E_JOB_EMPTY', 0x80d02004],
    [44, 'DO_E_NO_DOWNLOADS', 0x80d02005], [45, 'DO_E_MEMORYSTREAM_DOWNLOAD_NOT_SUPPORTED', 0x80d0200b], [46, 'DO_E_JOB_TOO_OLD', 0x80d0200c],
    [47, 'DO_E_LOCALPATH_NOT_SET', 0x80d0200d], [48, 'DO_E_FILE_NOT_AVAILABLE', 0x80d02010], [49, 'DO_E_UNKNOWN_PROPERTY_ID', 0x80d02011],
    [50, 'DO_E_READ_ONLY_PROPERTY', 0x80d02012], [51, 'DO_E_INVALID_STATE', 0x80d02013], [52, 'DO_E_ERROR_INFORMATION_UNAVAILABLE', 0x80d02014],
    [53, 'DO_E_WRITE_ONLY_PROPERTY', 0x80d02015], [54, 'DO_E_INTEGRITYCHECKINFO_UNSPECIFIED', 0x80d02016], [55, 'DO_E_INTEGRITYCHECKINFO_UNAVAILABLE', 0x80d02017],
    [56, 'DO_E_FILE_DOWNLOADSINK_UNSPECIFIED', 0x80d02018], [57, 'DO_E_FILE_DOWNLOADSINK_ALREADY_SET', 0x80d02019], [58, 'DO_E_FILE_SIZE_UNKNOWN_HTTP_200', 0x80d0201a],
    [59, 'DO_E_FILE_ENCRYPTION_EXPECTED', 0x80d0201b], [60, 'DO_E_FILE_SIZE_UNKNOWN_HTTP_206', 0x80d0201c], [61, 'DO_E_FILE_SIZE_UNKNOWN_HTTP_2XX', 0x80d0201d],
    [62, 'DO_E_NETWORK_ACCESS_CONSENT_NEEDED', 0x80d0201e],
    [66, 'DO_E_DOWNLOAD_NO_URI', 0x80d02200], [67, 'DO_E_DOWNLOAD_NO_CONTENT_ID', 0x80d02201], [68, 'DO_E_INVALID_CONTENT_ID', 0x80d02202],
    [69, 'DO_E_DOWNLOAD_RANGES_UNEXPECTED', 0x80d02203], [70, 'DO_E_DOWNLOAD_RANGES_EXPECTED', 0x80d02204],
    [72, 'DO_E_NO_DOWNLOAD_PARTICIPATION', 0x80d03001], [73, 'DO_E_NO_DOWNLOAD_EXTSETTINGS', 0x80d03002],
    [77, 'DO_E_BLOCKED_BY_COST_TRANSFER_POLICY', 0x80d03801], [78, 'DO_E_DOWNLOADMODE_SET_BY_CP', 0x80d03802], [79, 'DO_E_BLOCKED_BY_CELLULAR_POLICY', 0x80d03803],
    [80, 'DO_E_BLOCKED_BY_POWER_STATE', 0x80d03804], [81, 'DO_E_BLOCKED_BY_NO_NETWORK', 0x80d03805], [82, 'DO_E_DOWNLOADMODE_SET_BY_POLICY', 0x80d03806],
    [83, 'DO_E_BLOCKED_BY_VPN_POLICY', 0x80d03807], [84, 'DO_E_BLOCKED_BY_CRITICAL_MEMORY_USAGE', 0x80d03808], [85, 'DO_E_DOWNLOADMODE_SET_BY_CACHE_ABSENCE', 0x80d03809],
    [86, 'DO_E_CLOUD_SERVICES_UNREACHABLE', 0x80d0380a], [87, 'DO_E_DOWNLOADMODE_SET_FOR_UNREG_CALLER', 0x80d0380b], [88, 'DO_E_DOWNLOADMODE_SET_FOR_SIMPLE_RANGES', 0x80d0380c],
    [89, 'DO_E_UNEXPECTED_HTTP_STATUS_2XX', 0x80d0380d],
    [93, 'DO_E_HTTP_BLOCKSIZE_MISMATCH', 0x80d05001], [94, 'DO_E_HTTP_CERT_VALIDATION', 0x80d05002], [95, 'DO_E_INVALID_RANGE', 0x80d05010],
    [96, 'DO_E_INSUFFICIENT_RANGE_SUPPORT', 0x80d05011], [97, 'DO_E_OVERLAPPING_RANGES', 0x80d05012],
    [101, 'DO_E_UPLOADING_BAD_PIECES', 0x80d06800], [102, 'DO_E_FATAL_CORE_ERROR', 0x80d06802], [103, 'DO_E_SERVICES_RESPONSE_EMPTY', 0x80d06803],
    [104, 'DO_E_BAD_INCOMING_DATA', 0x80d06804], [105, 'DO_E_BAD_PIECE_HASH', 0x80d06805], [106, 'DO_E_BAD_PIECE_HASH_NO_BAN', 0x80d06806],
    [107, 'DO_E_ALREADY_HAVE_PIECE', 0x80d06807], [108, 'DO_E_MISSING_PIECE', 0x80d06808], [109, 'DO_E_METAINFO_CONTENT', 0x80d06809],
    [110, 'DO_E_METAINFO_VERSION', 0x80d0680a], [111, 'DO_E_SWARM_NOT_RUNNING', 0x80d0680b], [112, 'DO_E_UNRECOGNIZED_CONN', 0x80d0680c],
    [113, 'DO_E_PEER_BANNED', 0x80d0680d], [114, 'DO_E_CONNECT_TO_SELF', 0x80d0680e], [115, 'DO_E_ALREADY_CONNECTED', 0x80d0680f],
    [116, 'DO_E_NO_MORE_CONNECTIONS', 0x80d06810], [117, 'DO_E_LOST_CONNECTION', 0x80d06811], [118, 'DO_E_UNRECOGNIZED_SWARM', 0x80d06812],
    [119, 'DO_E_INVALID_HANDSHAKE_LEN', 0x80d06813], [120, 'DO_E_SOCKET_CLOSED', 0x80d06814], [121, 'DO_E_PEER_MSG_TOO_LONG', 0x80d06815],
    [122, 'DO_E_INVALID_PEER_MSG', 0x80d06816], [123, 'DO_E_PEER_IS_UPLOAD', 0x80d06817], [124, 'DO_E_PIN_FAIL_NO_PEERING', 0x80d06818],
    [125, 'DO_E_DELETE_PINNED_SWARM', 0x80d06819],
    [127, 'DO_E_METAINFO_DIGEST_MATCH', 0x80d0681a], [128, 'DO_E_METAINFO_HOH_MATCH', 0x80d0681b], [129, 'DO_E_METAINFO_HOH_FINAL_MATCH', 0x80d0681c],
    [130, 'DO_E_METAINFO_CONTENT_LENGTH', 0x80d0681d], [131, 'DO_E_METAINFO_PIECE_SIZE', 0x80d0681e], [132, 'DO_E_METAINFO_PARSE_HOH', 0x80d0681f],
    [133, 'DO_E_METAINFO_PARSE_PIECEHASHES', 0x80d06820], [134, 'DO_E_METAINFO_PARSE_ONE_PIECEHASH', 0x80d06821], [135, 'DO_E_METAINFO_FILE_SIZE', 0x80d06822],
  ];
  return rows.map(([line, name, value]) => ({ name, value: `0x${value.toString(16).toUpperCase()}`, source: `${file}:${line}` }));
}

main();

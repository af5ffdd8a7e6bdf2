/**
 * The library's interface tables, struct decoders and types, enums and HRESULT tables against an
 * ABI reference that does not come from the library (test/abi/abi-reference.json: mingw-w64's
 * headers compiled by the Windows compilers, and the SDK 10.0.26100 headers; every row cites its
 * source). A wrong slot, parameter width, struct offset or value fails here, not on a user's machine.
 */
import * as bits from '../../../src/bits';
import { ALL_INTERFACES, type SwarmStats } from '../../../src/bits';
import {
  BG_AUTH_CREDENTIALS, BG_FILE_PROGRESS, BG_JOB_PROGRESS, BG_JOB_REPLY_PROGRESS, BG_JOB_TIMES, BG_FILE_INFO, BG_FILE_PROGRESS_SIZE, BG_FILE_RANGE, BG_JOB_PROGRESS_SIZE, BG_JOB_REPLY_PROGRESS_SIZE, BG_JOB_TIMES_SIZE,
  BITS_JOB_PROPERTY_VALUE, DOSwarmStats, decodeFileProgress, decodeJobProgress, decodeJobTimes, decodeReplyProgress, decodeSwarmStats, swarmStatsSize,
} from '../../../src/bits/structs';
import { IEnumUnknown, ISequentialStream, IStream, koffi, methodsInSlotOrder, normalizeGuid, pointerSize, UINT64_MAX, type Interface, type Method, type Param } from '../../../src/com';
import * as ido from '../../../src/ido';
import { CODES } from '../../../src/errors/codes';
import reference from '../../abi/abi-reference.json';
import { skipOnIa32Host } from '../../support/platform';

type ParamClass = 'i32' | 'i64' | 'ptr' | 'struct16';

/** How the library passes a parameter, from the koffi type it really declares. */
function classOf(param: Param): ParamClass {
  if (param.dir === 'out') return 'ptr'; // the caller passes the address of its buffer
  if (typeof param.c === 'string') {
    if (param.c.includes('*')) return 'ptr';
    if (/^u?int64_t$/.test(param.c)) return 'i64';
    if (/^u?int32_t$/.test(param.c)) return 'i32';
    throw new Error(`unexpected C type ${param.c}`);
  }
  const type = param.c() as unknown as { primitive: string; size: number };
  if (type.primitive === 'Pointer') return 'ptr';
  if ((type.primitive === 'Union' || type.primitive === 'Record') && type.size === 16) return 'struct16';
  throw new Error(`unexpected koffi type ${type.primitive} of ${type.size} bytes`);
}

const library = new Map<string, Interface>(
  [...ALL_INTERFACES, ...ido.IDO_INTERFACES, IEnumUnknown, ISequentialStream, IStream].map((i) => [i.name, i as Interface]),
);

test('coclasses: the CLSIDs the library activates', () => {
  const clsid = (name: string) => (reference.coclasses.find((c) => c.name === name) as { clsid: string }).clsid;
  expect(bits.CLSID_BackgroundCopyManager).toBe(normalizeGuid(clsid('BackgroundCopyManager')));
  expect(bits.CLSID_DeliveryOptimization).toBe(normalizeGuid(clsid('DeliveryOptimization')));
  expect(ido.CLSID_DeliveryOptimization).toBe(normalizeGuid(clsid('DeliveryOptimization')));
});

describe('interfaces', () => {
  test('the reference covers every interface the library binds, and no other', () => {
    expect(reference.interfaces.map((i) => i.name).sort()).toEqual([...library.keys()].sort());
  });

  describe.each(reference.interfaces.map((r) => [r.name, r] as const))('%s', (name, ref) => {
    const iface = library.get(name) as Interface;

    test(`IID and base (${ref.iidSource})`, () => {
      expect(iface.iids[0]).toBe(ref.iid);
      expect(iface.base?.name ?? null).toBe(ref.base);
    });

    test('methods in vtable order with the parameter classes of the header', () => {
      const ours = methodsInSlotOrder(iface).map((m: Method) => ({
        slot: m.slot,
        name: m.name,
        returns: m.returns,
        // A count+array pair ($.array) is two native parameters: the DWORD count, then the pointer;
        // an out pair ($.out.array) two addresses: of the count, of the array pointer.
        params: m.slot < 3 ? null : m.params.flatMap((p): ParamClass[] => (p.pair ? [p.dir === 'in' ? 'i32' : 'ptr', classOf(p)] : [classOf(p)])),
      }));
      const theirs = ref.methods.map((m) => ({ slot: m.slot, name: m.name, returns: m.returns, params: m.slot < 3 ? null : m.params }));
      // One row at a time, so that a failure names the slot and the header line.
      for (let slot = 0; slot < Math.max(ours.length, theirs.length); slot++) {
        expect({ ...ours[slot], source: ref.methods[slot]?.source }).toEqual({ ...theirs[slot], source: ref.methods[slot]?.source });
      }
    });
  });

  test('DO-only interfaces stay marked UNCONFIRMED with their evidence', () => {
    const unconfirmed = reference.interfaces.filter((i) => i.status === 'UNCONFIRMED').map((i) => i.name);
    expect(unconfirmed).toEqual(['IDeliveryOptimizationJob', 'IDeliveryOptimizationJob2', 'IDeliveryOptimizationFile', 'IDeliveryOptimizationFile2']);
    for (const i of reference.interfaces) {
      if (i.status === 'UNCONFIRMED') expect((i as { evidence?: string }).evidence).toMatch(/no header/);
      for (const m of i.methods) expect(m.source).toMatch(/^(mingw-w64 \S+\.h:\d+|SDK .+|UNCONFIRMED .+)$/);
    }
  });
});

interface Layout {
  readonly size: number;
  readonly offsets: Readonly<Record<string, number>>;
}
const STRUCTS = reference.structs as unknown as ReadonlyArray<{ name: string; source: string; x64: Layout; ia32: Layout }>;

const struct = (name: string) => {
  const row = STRUCTS.find((s) => s.name === name);
  if (!row) throw new Error(`${name} is not in the reference`);
  return row;
};

type Arch = 'x64' | 'ia32';

/**
 * The library as it loads in a 32-bit Windows process, without running one: every module reads
 * the pointer size through src/com/koffi.ts (`pointerSize()`, `stdcall()`), so a fresh module
 * registry with those two answering 4 and `__stdcall` gives the x86 decoders and out-sizes.
 */
function loadAsX86<T>(modulePath: string): T {
  let loaded: T | undefined;
  jest.isolateModules(() => {
    jest.doMock('../../../src/com/koffi', () => ({ ...jest.requireActual('../../../src/com/koffi'), pointerSize: () => 4, stdcall: () => '__stdcall ' }));
    loaded = require(modulePath) as T;
  });
  jest.dontMock('../../../src/com/koffi');
  return loaded as T;
}

const x86 = {
  structs: loadAsX86<typeof import('../../../src/bits/structs')>('../../../src/bits/structs'),
  bits: loadAsX86<typeof bits>('../../../src/bits'),
  ido: loadAsX86<typeof ido>('../../../src/ido'),
  pointerSize: loadAsX86<typeof import('../../../src/com/koffi')>('../../../src/com/koffi').pointerSize,
};

/**
 * A decoder reads each field at the reference's offset, on each target: a marker written at one
 * field's offset must come out in that field's property, and nowhere else.
 */
function checkDecoder<T>(arch: Arch, name: string, size: number, decode: (b: Buffer) => T, fields: Record<string, { prop: keyof T; width: 4 | 8 | 'filetime'; marker: unknown }>) {
  const ref = struct(name)[arch];
  expect({ arch, size }).toEqual({ arch, size: ref.size });
  for (const [field, { prop, width, marker }] of Object.entries(fields)) {
    const offset = ref.offsets[field];
    const b = Buffer.alloc(size);
    if (width === 8) b.writeBigUInt64LE(marker as bigint, offset);
    else if (width === 4) b.writeUInt32LE(typeof marker === 'boolean' ? 1 : (marker as number), offset);
    else b.writeBigUInt64LE(BigInt((marker as Date).getTime() + 11644473600000) * 10000n, offset);
    const decoded = decode(b);
    expect({ arch, field, [prop]: decoded[prop] }).toEqual({ arch, field, [prop]: marker });
  }
}

interface KoffiLayoutType {
  readonly primitive: string;
  readonly size: number;
  readonly alignment: number;
  readonly length?: number;
  readonly ref?: KoffiLayoutType;
  readonly members?: Readonly<Record<string, { readonly type: KoffiLayoutType; readonly offset: number }>>;
}

const POINTERS = new Set(['Pointer', 'String', 'String16', 'String32', 'Callback']);

/**
 * The layout koffi gives a struct or union the library declares, on Windows x64 (`ptr` 8) or x86
 * (`ptr` 4): pointers take the target's size, every other member its natural size and alignment
 * (8-byte integers are 8-aligned in structs on x86 Windows too, unlike the Linux i386 ABI).
 * Checked against koffi's own x64 layout first, so the x86 answer comes from the same rule.
 */
function layoutOf(t: KoffiLayoutType, ptr: 4 | 8): { size: number; alignment: number; offsets: Record<string, number> } {
  if (POINTERS.has(t.primitive)) return { size: ptr, alignment: ptr, offsets: {} };
  if (t.primitive === 'Array') {
    const element = layoutOf(t.ref as KoffiLayoutType, ptr);
    return { size: element.size * (t.length as number), alignment: element.alignment, offsets: {} };
  }
  if (t.primitive !== 'Record' && t.primitive !== 'Union') return { size: t.size, alignment: t.alignment, offsets: {} };
  const offsets: Record<string, number> = {};
  let end = 0;
  let alignment = 1;
  for (const [name, member] of Object.entries(t.members ?? {})) {
    const m = layoutOf(member.type, ptr);
    const offset = t.primitive === 'Union' ? 0 : Math.ceil(end / m.alignment) * m.alignment;
    offsets[name] = offset;
    end = Math.max(end, offset + m.size);
    alignment = Math.max(alignment, m.alignment);
  }
  return { size: Math.ceil(end / alignment) * alignment, alignment, offsets };
}

describe.each([
  ['x64', {
    BG_JOB_PROGRESS_SIZE, BG_FILE_PROGRESS_SIZE, BG_JOB_REPLY_PROGRESS_SIZE, BG_JOB_TIMES_SIZE, decodeJobProgress, decodeFileProgress, decodeReplyProgress, decodeJobTimes,
    DOSwarmStats, swarmStatsSize, decodeSwarmStats,
  }],
  ['ia32', x86.structs],
] as const)('struct decoders on %s (offsets from the Windows compilers)', (arch, lib) => {
  const t = new Date(Date.UTC(2024, 4, 5, 6, 7, 8));
  test('BG_JOB_PROGRESS', () => {
    checkDecoder(arch, 'BG_JOB_PROGRESS', lib.BG_JOB_PROGRESS_SIZE, lib.decodeJobProgress, {
      BytesTotal: { prop: 'bytesTotal', width: 8, marker: 0x0102030405060708n },
      BytesTransferred: { prop: 'bytesTransferred', width: 8, marker: 0x1112131415161718n },
      FilesTotal: { prop: 'filesTotal', width: 4, marker: 0x21222324 },
      FilesTransferred: { prop: 'filesTransferred', width: 4, marker: 0x31323334 },
    });
  });
  test('BG_FILE_PROGRESS', () => {
    checkDecoder(arch, 'BG_FILE_PROGRESS', lib.BG_FILE_PROGRESS_SIZE, lib.decodeFileProgress, {
      BytesTotal: { prop: 'bytesTotal', width: 8, marker: 0x0102030405060708n },
      BytesTransferred: { prop: 'bytesTransferred', width: 8, marker: 0x1112131415161718n },
      Completed: { prop: 'completed', width: 4, marker: true },
    });
  });
  test('BG_JOB_REPLY_PROGRESS', () => {
    checkDecoder(arch, 'BG_JOB_REPLY_PROGRESS', lib.BG_JOB_REPLY_PROGRESS_SIZE, lib.decodeReplyProgress, {
      BytesTotal: { prop: 'bytesTotal', width: 8, marker: 0x0102030405060708n },
      BytesTransferred: { prop: 'bytesTransferred', width: 8, marker: 0x1112131415161718n },
    });
  });
  test('BG_JOB_TIMES', () => {
    checkDecoder(arch, 'BG_JOB_TIMES', lib.BG_JOB_TIMES_SIZE, lib.decodeJobTimes, {
      CreationTime: { prop: 'created', width: 'filetime', marker: t },
      ModificationTime: { prop: 'modified', width: 'filetime', marker: t },
      TransferCompletionTime: { prop: 'transferCompleted', width: 'filetime', marker: t },
    });
  });
  skipOnIa32Host('lays the x64 reference out with the x64 host ABI and emulates ia32 from there').test('DOSwarmStats: the declaration this target loads has the compilers\' layout of the DO docs\' one', () => {
    // koffi's own layout of the declaration the target loads (its addresses are integers of the target's width).
    const ref = struct('DOSwarmStats')[arch];
    const declared = lib.DOSwarmStats() as unknown as KoffiLayoutType;
    const offsets = Object.fromEntries(Object.entries(declared.members ?? {}).map(([k, m]) => [k, m.offset]));
    expect({ arch, size: declared.size, offsets }).toEqual({ arch, size: ref.size, offsets: ref.offsets });
  });
  skipOnIa32Host('lays the x64 reference out with the x64 host ABI and emulates ia32 from there').test('DOSwarmStats: the decoder reads each number at its offset (NULL strings: none freed)', () => {
    const freed: bigint[] = [];
    const decode = (b: Buffer) => lib.decodeSwarmStats(b, { coTaskMemFree: (p) => void freed.push(p) });
    const u64 = (prop: keyof SwarmStats, i: number) => ({ prop, width: 8 as const, marker: 0x0102030405060708n + BigInt(i) * 0x1010101010101n });
    const u32 = (prop: keyof SwarmStats, i: number) => ({ prop, width: 4 as const, marker: 0x21222324 + i * 0x01010101 });
    checkDecoder(arch, 'DOSwarmStats', lib.swarmStatsSize(), decode, {
      fileSize: u64('fileSize', 0), totalBytesDownloaded: u64('totalBytesDownloaded', 1), bytesFromLanPeers: u64('bytesFromLanPeers', 2),
      bytesFromGroupPeers: u64('bytesFromGroupPeers', 3), bytesFromInternetPeers: u64('bytesFromInternetPeers', 4), bytesFromHttp: u64('bytesFromHttp', 5),
      bytesFromDoinc: u64('bytesFromDoinc', 6), bytesToLanPeers: u64('bytesToLanPeers', 7), bytesToGroupPeers: u64('bytesToGroupPeers', 8),
      bytesToInternetPeers: u64('bytesToInternetPeers', 9),
      httpConnectionCount: u32('httpConnectionCount', 0), doincConnectionCount: u32('doincConnectionCount', 1), lanConnectionCount: u32('lanConnectionCount', 2),
      groupConnectionCount: u32('groupConnectionCount', 3), internetConnectionCount: u32('internetConnectionCount', 4),
      downloadDuration: u32('downloadDurationMs', 5), downloadMode: u32('downloadMode', 6), status: u32('status', 7),
      isBackground: { prop: 'isBackground', width: 4, marker: true },
    });
    expect(decode(Buffer.alloc(lib.swarmStatsSize()))).toMatchObject({ fileId: null, sourceUrl: null });
    expect(freed).toEqual([]);
  });
});

describe('structs passed in and VARIANTs (x64 and ia32 layouts from the Windows compilers)', () => {

  const PASSED_IN = [
    ['BG_FILE_INFO', BG_FILE_INFO, { RemoteName: 'RemoteName', LocalName: 'LocalName' }],
    ['BG_FILE_RANGE', BG_FILE_RANGE, { InitialOffset: 'InitialOffset', Length: 'Length' }],
    ['BG_AUTH_CREDENTIALS', BG_AUTH_CREDENTIALS, { Target: 'Target', Scheme: 'Scheme', 'Credentials.Basic.UserName': 'UserName', 'Credentials.Basic.Password': 'Password' }],
    ['BITS_JOB_PROPERTY_VALUE', BITS_JOB_PROPERTY_VALUE, { Dword: 'Dword', ClsID: 'ClsID', Enable: 'Enable', Uint64: 'Uint64', Target: 'Target' }],
    ['DO_DOWNLOAD_ENUM_CATEGORY', ido.DO_DOWNLOAD_ENUM_CATEGORY, { Property: 'Property', Value: 'Value' }],
    // The out-structs the decoders read through koffi.decode.
    ['BG_JOB_PROGRESS', BG_JOB_PROGRESS, { BytesTotal: 'BytesTotal', BytesTransferred: 'BytesTransferred', FilesTotal: 'FilesTotal', FilesTransferred: 'FilesTransferred' }],
    ['BG_FILE_PROGRESS', BG_FILE_PROGRESS, { BytesTotal: 'BytesTotal', BytesTransferred: 'BytesTransferred', Completed: 'Completed' }],
    ['BG_JOB_REPLY_PROGRESS', BG_JOB_REPLY_PROGRESS, { BytesTotal: 'BytesTotal', BytesTransferred: 'BytesTransferred' }],
    ['BG_JOB_TIMES', BG_JOB_TIMES, { CreationTime: 'CreationTime', ModificationTime: 'ModificationTime', TransferCompletionTime: 'TransferCompletionTime' }],
    ['DO_DOWNLOAD_STATUS', ido.DO_DOWNLOAD_STATUS, { BytesTotal: 'BytesTotal', BytesTransferred: 'BytesTransferred', State: 'State', Error: 'Error', ExtendedError: 'ExtendedError' }],
  ] as const;

  skipOnIa32Host('lays the x64 reference out with the x64 host ABI and emulates ia32 from there').test.each(PASSED_IN)('%s: the koffi type passed in has the reference x64 layout', (name, type, members) => {
    // The host is x64; koffi lays these out with the host ABI, which matches Win64 for these types.
    const ref = struct(name);
    expect(koffi().sizeof(type())).toBe(ref.x64.size);
    const declared = (type() as unknown as { members: Record<string, { offset: number }> }).members;
    for (const [field, member] of Object.entries(members)) {
      expect({ field, offset: declared[member]?.offset }).toEqual({ field, offset: ref.x64.offsets[field] });
    }
  });

  test('DO_DOWNLOAD_STATUS: the decoder reads, and the encoder of the fake writes, each field at its offset', () => {
    for (const [arch, lib] of [['x64', ido], ['ia32', x86.ido]] as const) {
      checkDecoder(arch, 'DO_DOWNLOAD_STATUS', lib.DO_DOWNLOAD_STATUS_SIZE, lib.decodeDownloadStatus, {
        BytesTotal: { prop: 'bytesTotal', width: 8, marker: 0x0102030405060708n },
        BytesTransferred: { prop: 'bytesTransferred', width: 8, marker: 0x1112131415161718n },
        State: { prop: 'state', width: 4, marker: 0x21222324 },
        Error: { prop: 'error', width: 4, marker: 0x80d02013 },
        ExtendedError: { prop: 'extendedError', width: 4, marker: 0x80190194 },
      });
    }
    const ref = struct('DO_DOWNLOAD_STATUS');
    const bytes = ido.encodeDownloadStatus({ bytesTotal: 1n, bytesTransferred: 2n, state: 3, error: 4, extendedError: 5 });
    expect([bytes.readBigUInt64LE(ref.x64.offsets.BytesTotal), bytes.readBigUInt64LE(ref.x64.offsets.BytesTransferred)]).toEqual([1n, 2n]);
    expect(['State', 'Error', 'ExtendedError'].map((f) => bytes.readUInt32LE(ref.x64.offsets[f]))).toEqual([3, 4, 5]);
  });

  test('DO_DOWNLOAD_RANGES_INFO and DO_DOWNLOAD_RANGE: count, then ranges at the compilers\' offsets (both targets)', () => {
    const info = struct('DO_DOWNLOAD_RANGES_INFO');
    const range = struct('DO_DOWNLOAD_RANGE');
    for (const target of ['x64', 'ia32'] as const) {
      expect(ido.DO_DOWNLOAD_RANGES_OFFSET).toBe(info[target].offsets.Ranges);
      expect(ido.DO_DOWNLOAD_RANGE_SIZE).toBe(range[target].size);
      expect(ido.encodeRangesInfo([]).length).toBe(info[target].size); // one element is declared
    }
    const two = ido.encodeRangesInfo([{ offset: 7n, length: 9n }, { offset: 100n, length: null }]);
    const at = (i: number, field: 'Offset' | 'Length') => two.readBigUInt64LE(info.x64.offsets.Ranges + i * range.x64.size + range.x64.offsets[field]);
    expect(two.readUInt32LE(info.x64.offsets.RangeCount)).toBe(2);
    expect([at(0, 'Offset'), at(0, 'Length'), at(1, 'Offset'), at(1, 'Length')]).toEqual([7n, 9n, 100n, UINT64_MAX]);
  });

  skipOnIa32Host('lays the x64 reference out with the x64 host ABI and emulates ia32 from there').test.each(PASSED_IN)('%s: the same koffi declaration laid out for x86 has the reference ia32 layout', (name, type, members) => {
    const ref = struct(name);
    const declared = type() as unknown as KoffiLayoutType;
    // The rule reproduces koffi's own x64 layout of this declaration ...
    const x64 = layoutOf(declared, 8);
    expect({ size: x64.size, offsets: x64.offsets }).toEqual({ size: declared.size, offsets: Object.fromEntries(Object.entries(declared.members ?? {}).map(([k, m]) => [k, m.offset])) });
    // ... and with 4-byte pointers gives what the 32-bit compilers give.
    const ia32 = layoutOf(declared, 4);
    expect({ name, size: ia32.size }).toEqual({ name, size: ref.ia32.size });
    for (const [field, member] of Object.entries(members)) {
      expect({ field, offset: ia32.offsets[member] }).toEqual({ field, offset: ref.ia32.offsets[field] });
    }
  });

  skipOnIa32Host('lays the x64 reference out with the x64 host ABI and emulates ia32 from there').test.each([
    ['x64', bits, 8],
    ['ia32', x86.bits, 4],
  ] as const)('VARIANT out-parameters on %s are as large as the compilers say', (arch, lib, ptr) => {
    expect(arch === 'x64' ? pointerSize() : x86.pointerSize()).toBe(ptr); // the x86 load really sees 4-byte pointers
    for (const method of [lib.IDeliveryOptimizationJob2.methods.GetProperty, lib.IDeliveryOptimizationFile2.methods.GetProperty]) {
      const out = method.params[1] as { size(): number };
      expect({ arch, method: method.qualifiedName, size: out.size() }).toEqual({ arch, method: method.qualifiedName, size: struct('VARIANT')[arch].size });
    }
  });
});

describe('enums and constants', () => {
  const ENUMS: Record<string, [Record<string, string | number>, string]> = {
    BG_JOB_STATE: [bits.JobState, 'BG_JOB_STATE_'],
    BG_JOB_TYPE: [bits.JobType, 'BG_JOB_TYPE_'],
    BG_JOB_PRIORITY: [bits.JobPriority, 'BG_JOB_PRIORITY_'],
    BG_ERROR_CONTEXT: [bits.ErrorContext, 'BG_ERROR_CONTEXT_'],
    BG_JOB_PROXY_USAGE: [bits.ProxyUsage, 'BG_JOB_PROXY_USAGE_'],
    BG_AUTH_TARGET: [bits.AuthTarget, 'BG_AUTH_TARGET_'],
    BG_AUTH_SCHEME: [bits.AuthScheme, 'BG_AUTH_SCHEME_'],
    BG_CERT_STORE_LOCATION: [bits.CertStoreLocation, 'BG_CERT_STORE_LOCATION_'],
    BITS_JOB_PROPERTY_ID: [bits.JobPropertyId, 'BITS_JOB_PROPERTY_'],
    DODownloadState: [ido.DODownloadState, 'DODownloadState_'],
    DODownloadCostPolicy: [ido.DODownloadCostPolicy, 'DODownloadCostPolicy_'],
    DODownloadProperty: [ido.DODownloadProperty, 'DODownloadProperty_'],
    DownloadMode: [bits.DownloadMode, 'DownloadMode_'],
    SwarmStatus: [bits.SwarmStatus, 'SwarmStatus_'],
  };
  const key = (s: string) => s.toLowerCase().replace(/_/g, '');

  test.each(reference.enums.map((e) => [e.name, e] as const))('%s: every member, same value', (name, ref) => {
    const [libraryEnum, prefix] = ENUMS[name];
    const byKey = new Map(Object.entries(libraryEnum).filter(([, v]) => typeof v === 'number').map(([k, v]) => [key(k), v]));
    for (const member of ref.members) {
      const short = key(member.name.slice(prefix.length).replace(/^ID_/, ''));
      expect({ member: member.name, value: byKey.get(short) }).toEqual({ member: member.name, value: member.value });
    }
  });

  test('notification flags, BG_SIZE_UNKNOWN, BG_JOB_ENUM_ALL_USERS', () => {
    const value = (name: string) => BigInt((reference.constants.find((c) => c.name === name) as { value: string }).value);
    expect(BigInt(bits.NotifyFlags.JobTransferred)).toBe(value('BG_NOTIFY_JOB_TRANSFERRED'));
    expect(BigInt(bits.NotifyFlags.JobError)).toBe(value('BG_NOTIFY_JOB_ERROR'));
    expect(BigInt(bits.NotifyFlags.Disable)).toBe(value('BG_NOTIFY_DISABLE'));
    expect(BigInt(bits.NotifyFlags.JobModification)).toBe(value('BG_NOTIFY_JOB_MODIFICATION'));
    expect(BigInt(bits.NotifyFlags.FileTransferred)).toBe(value('BG_NOTIFY_FILE_TRANSFERRED'));
    expect(UINT64_MAX).toBe(value('BG_SIZE_UNKNOWN'));
    expect(UINT64_MAX).toBe(value('BG_LENGTH_TO_EOF'));
    expect(BigInt(bits.ENUM_ALL_USERS)).toBe(value('BG_JOB_ENUM_ALL_USERS'));
    expect(ido.DO_LENGTH_TO_EOF).toBe(value('DO_LENGTH_TO_EOF'));
  });
});

describe('HRESULTs', () => {
  const byName = new Map<string, number>(CODES.map((c) => [c.name, c.hresult >>> 0]));

  test('every BG_ / DO_ code the library names has the header value', () => {
    const wrong = reference.hresults
      .filter((r) => byName.has(r.name) && byName.get(r.name) !== parseInt(r.value, 16))
      .map((r) => `${r.name}: library 0x${(byName.get(r.name) as number).toString(16)}, ${r.source} says ${r.value}`);
    expect(wrong).toEqual([]);
  });

  test('every DO_E_ code of SDK 26100 is in the library (DO_E_METAINFO_* included)', () => {
    const missing = reference.hresults.filter((r) => r.name.startsWith('DO_E_') && !byName.has(r.name)).map((r) => `${r.name} (${r.source})`);
    expect(missing).toEqual([]);
  });
});

/** The IDO tables, enums and structs checked against the SDK header's data (deliveryoptimization-h.ts). */
import { IEnumUnknown, ISequentialStream, IStream, normalizeGuid, type Interface } from '../../../src/com';
import {
  CLSID_DeliveryOptimization, DODownloadCostPolicy, DODownloadProperty, DODownloadState, DO_DOWNLOAD_RANGE_SIZE,
  DO_DOWNLOAD_RANGES_OFFSET, DO_DOWNLOAD_STATUS_SIZE, IDODownload, IDODownloadStatusCallback, IDOManager, PROPERTY_INFO,
  decodeDownloadStatus, encodeDownloadStatus, encodeRangesInfo,
} from '../../../src/ido';
import { CLSID_DELIVERY_OPTIMIZATION, REFERENCE_ENUMS, REFERENCE_INTERFACES, REFERENCE_STRUCTS } from './deliveryoptimization-h';

const TABLES: Record<string, Interface> = { IDODownload, IDODownloadStatusCallback, IDOManager, IEnumUnknown, ISequentialStream, IStream };

describe.each(REFERENCE_INTERFACES.map((r) => [r.name, r] as const))('%s', (name, ref) => {
  const table = TABLES[name];

  test('IID and base as in the header', () => {
    expect(table.iid).toBe(normalizeGuid(ref.iid));
    expect(table.base?.name).toBe(ref.base);
  });

  test('own methods in vtable order, each with the header parameter count', () => {
    const own = Object.values(table.methods).filter((m) => m.qualifiedName.startsWith(`${name}::`)).sort((a, b) => a.slot - b.slot);
    expect(own.map((m) => [m.name, m.params.length])).toEqual(ref.methods);
    expect(own[0].slot).toBe((table.base as Interface).slotCount);
  });
});

test('coclass DeliveryOptimization', () => {
  expect(CLSID_DeliveryOptimization).toBe(normalizeGuid(CLSID_DELIVERY_OPTIMIZATION));
});

test.each([
  ['DODownloadState', DODownloadState],
  ['DODownloadCostPolicy', DODownloadCostPolicy],
  ['DODownloadProperty', DODownloadProperty],
] as const)('%s values as in the header', (name, e) => {
  const numeric = Object.entries(e).filter(([, v]) => typeof v === 'number');
  expect(numeric).toEqual(REFERENCE_ENUMS[name].map((member, i) => [member, i]));
});

test('every property has a VARIANT type and an access', () => {
  expect(Object.keys(PROPERTY_INFO).map(Number)).toEqual(REFERENCE_ENUMS.DODownloadProperty.map((_, i) => i));
});

test('DO_DOWNLOAD_STATUS layout: each field at its header offset', () => {
  const s = REFERENCE_STRUCTS.DO_DOWNLOAD_STATUS;
  expect(DO_DOWNLOAD_STATUS_SIZE).toBe(s.size);
  const bytes = encodeDownloadStatus({ bytesTotal: 0x0102030405060708n, bytesTransferred: 0x1112131415161718n, state: 5, error: 0x80d02013, extendedError: 0x80190194 });
  expect(bytes.readBigUInt64LE(s.fields.BytesTotal)).toBe(0x0102030405060708n);
  expect(bytes.readBigUInt64LE(s.fields.BytesTransferred)).toBe(0x1112131415161718n);
  expect(bytes.readUInt32LE(s.fields.State)).toBe(5);
  expect(bytes.readUInt32LE(s.fields.Error)).toBe(0x80d02013);
  expect(bytes.readUInt32LE(s.fields.ExtendedError)).toBe(0x80190194);
  expect(decodeDownloadStatus(bytes)).toMatchObject({ state: DODownloadState.Paused, error: 0x80d02013, extendedError: 0x80190194 });
  const unknownSize = Buffer.from(bytes);
  unknownSize.writeBigUInt64LE(0xffffffffffffffffn, 0);
  expect(decodeDownloadStatus(unknownSize).bytesTotal).toBeNull();
});

test('DO_DOWNLOAD_RANGES_INFO: count, 4 bytes of padding, then 16-byte ranges; EOF is (UINT64)-1', () => {
  const r = REFERENCE_STRUCTS.DO_DOWNLOAD_RANGES_INFO;
  expect(DO_DOWNLOAD_RANGES_OFFSET).toBe(r.rangesOffset);
  expect(DO_DOWNLOAD_RANGE_SIZE).toBe(REFERENCE_STRUCTS.DO_DOWNLOAD_RANGE.size);
  expect(encodeRangesInfo([]).length).toBe(r.sizeWithOne);
  const two = encodeRangesInfo([{ offset: 7n, length: 9n }, { offset: 100n, length: null }]);
  expect(two.length).toBe(8 + 2 * 16);
  expect(two.readUInt32LE(0)).toBe(2);
  expect([two.readBigUInt64LE(8), two.readBigUInt64LE(16), two.readBigUInt64LE(24), two.readBigUInt64LE(32)]).toEqual([7n, 9n, 100n, 0xffffffffffffffffn]);
});

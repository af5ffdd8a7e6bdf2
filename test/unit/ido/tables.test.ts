/**
 * What the ABI reference (test/abi/abi-reference.json, checked by test/unit/abi/abi-reference.test.ts)
 * cannot say about the IDO tables: that every property has its VARIANT type and access, and how the
 * status decoder reads the "unknown size" marker.
 */
import { DODownloadState, PROPERTY_INFO, decodeDownloadStatus, encodeDownloadStatus } from '../../../src/ido';
import reference from '../../abi/abi-reference.json';

test('every DODownloadProperty of the header has a VARIANT type and an access, and no other', () => {
  const properties = reference.enums.find((e) => e.name === 'DODownloadProperty') as { members: Array<{ value: number }> };
  expect(Object.keys(PROPERTY_INFO).map(Number)).toEqual(properties.members.map((m) => m.value));
});

test('DO_DOWNLOAD_STATUS: (UINT64)-1 bytes total reads as null, other fields as typed values', () => {
  const bytes = encodeDownloadStatus({ bytesTotal: null, bytesTransferred: 5n, state: DODownloadState.Paused, error: 0x80d02013, extendedError: 0x80190194 });
  expect(bytes.readBigUInt64LE(0)).toBe(0xffffffffffffffffn);
  expect(decodeDownloadStatus(bytes)).toEqual({ bytesTotal: null, bytesTransferred: 5n, state: DODownloadState.Paused, error: 0x80d02013, extendedError: 0x80190194 });
});

/**
 * The HTTP options tables against the Windows SDK headers (bits2_5.h, bits10_2.h, bits10_3.h in
 * microsoft/win32metadata generation/WinSDK/RecompiledIdlHeaders/um): IIDs, bases and vtable slots
 * as the C vtable structs list them (QueryInterface, AddRef, Release = 0, 1, 2).
 */
import {
  IBackgroundCopyJobHttpOptions, IBackgroundCopyJobHttpOptions2, IBackgroundCopyJobHttpOptions3, IBackgroundCopyServerCertificateValidationCallback,
} from '../../../src/bits';
import type { Interface } from '../../../src/com';

function slots(i: Interface): Record<string, number> {
  return Object.fromEntries(Object.values(i.methods).map((m) => [m.name, m.slot]));
}

test('IBackgroundCopyJobHttpOptions2 (bits10_2.h): B591A192-…, extends HttpOptions, slots 11-12', () => {
  expect(IBackgroundCopyJobHttpOptions2.iid).toBe('b591a192-a405-4fc3-8323-4c5c542578fc');
  expect(IBackgroundCopyJobHttpOptions2.iids).toContain(IBackgroundCopyJobHttpOptions.iid);
  expect(slots(IBackgroundCopyJobHttpOptions2)).toMatchObject({ GetSecurityFlags: 10, SetHttpMethod: 11, GetHttpMethod: 12 });
});

test('IBackgroundCopyJobHttpOptions3 (bits10_3.h): 8A9263D3-…, extends HttpOptions2, slots 13-14', () => {
  expect(IBackgroundCopyJobHttpOptions3.iid).toBe('8a9263d3-fd4c-4eda-9b28-30132a4d4e3c');
  expect(IBackgroundCopyJobHttpOptions3.iids).toEqual(expect.arrayContaining([IBackgroundCopyJobHttpOptions.iid, IBackgroundCopyJobHttpOptions2.iid]));
  expect(slots(IBackgroundCopyJobHttpOptions3)).toMatchObject({
    SetClientCertificateByID: 3, SetCustomHeaders: 7, SetHttpMethod: 11, GetHttpMethod: 12, SetServerCertificateValidationInterface: 13, MakeCustomHeadersWriteOnly: 14,
  });
  expect(IBackgroundCopyJobHttpOptions3.slotCount).toBe(15);
});

test('IBackgroundCopyServerCertificateValidationCallback (bits10_3.h): 4CEC0D02-…, ValidateServerCertificate at 3 with 7 parameters', () => {
  expect(IBackgroundCopyServerCertificateValidationCallback.iid).toBe('4cec0d02-def7-4158-813a-c32a46945ff7');
  const m = IBackgroundCopyServerCertificateValidationCallback.methods.ValidateServerCertificate;
  expect(m.slot).toBe(3);
  expect(m.params).toHaveLength(7);
  expect(IBackgroundCopyServerCertificateValidationCallback.slotCount).toBe(4);
});

/**
 * The SAFEARRAY the library builds for VT_ARRAY | VT_UI1 values (DODownloadProperty_SecurityContext)
 * has the layout the Windows compilers give oaidl.h's SAFEARRAY, on x64 and ia32.
 */
import { safeArrayLayout } from '../../../src/com';
import reference from '../../abi/abi-reference.json';

const ref = reference.structs.find((s) => s.name === 'SAFEARRAY') as unknown as { x64: Layout; ia32: Layout } | undefined;
interface Layout { size: number; offsets: Record<string, number> }

test.each([['x64', 8], ['ia32', 4]] as const)('SAFEARRAY on %s', (arch, ptr) => {
  const ours = safeArrayLayout(ptr);
  const theirs = (ref as { x64: Layout; ia32: Layout })[arch];
  expect({ arch, size: ours.size, pvData: ours.pvData, cElements: ours.cElements, lLbound: ours.lLbound }).toEqual({
    arch, size: theirs.size, pvData: theirs.offsets.pvData, cElements: theirs.offsets['rgsabound[0].cElements'], lLbound: theirs.offsets['rgsabound[0].lLbound'],
  });
  // cDims, fFeatures and cbElements at 0, 2 and 4 on both (written there by allocByteSafeArray).
  expect([theirs.offsets.cDims, theirs.offsets.fFeatures, theirs.offsets.cbElements]).toEqual([0, 2, 4]);
});

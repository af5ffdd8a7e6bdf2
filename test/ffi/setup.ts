/**
 * Central after-test check of the ffi tier: every fake service a test created is settled, must
 * be balanced (AddRef/Release and CoTaskMem), and is disposed. A leak test opts out with
 * `fake.expectUnbalanced()`.
 */
import { koffi } from '../../src/com';
import { takeCreatedFakes, verifyFakes } from '../../src/testing';

jest.setTimeout(20_000);

// Jest gives every test file its own module registry, but koffi's native type table is shared by
// the whole worker: a named struct declared by an earlier test file (src/bits/structs.ts names
// its types) makes the next declaration throw "Duplicate type name". Same layout, same source:
// answer the existing type. (Remove once src/bits declares its types idempotently.)
{
  const k = koffi() as unknown as Record<'struct' | 'union', (...args: unknown[]) => unknown> & { type(name: string): unknown };
  for (const kind of ['struct', 'union'] as const) {
    const declare = k[kind];
    k[kind] = (...args: unknown[]) => {
      try {
        return declare(...args);
      } catch (error) {
        if (typeof args[0] === 'string' && /Duplicate type name/.test(String(error))) return k.type(args[0]);
        throw error;
      }
    };
  }
}

afterEach(async () => {
  await verifyFakes(takeCreatedFakes());
});

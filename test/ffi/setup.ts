/**
 * Central after-test check of the ffi tier: every fake service a test created is settled, must
 * be balanced (AddRef/Release and CoTaskMem), and is disposed. A leak test opts out with
 * `fake.expectUnbalanced()`.
 */
import { takeCreatedFakes, verifyFakes } from '../../src/testing';

jest.setTimeout(20_000);

afterEach(async () => {
  await verifyFakes(takeCreatedFakes());
});

/**
 * The flag enums against the SDK headers (bits.h, bits1_5.h, bits3_0.h, bits4_0.h, bits5_0.h): each
 * `All` is the mask the API's validation and the fake use, so a wrong bit here would let a bad
 * value through both. The numbers below are the headers', written once, here.
 */
import {
  CostFlags, FileAclFlags, NotifyFlags, PeerCachingFlags, RedirectPolicy, SecurityFlags, TransferPolicy,
} from '../../../src/bits/enums';

test('each All mask is the OR of its named bits, and the value the SDK defines', () => {
  const orOf = (e: Record<string, string | number>) => Object.entries(e)
    .filter(([name, v]) => typeof v === 'number' && name !== 'All' && name !== 'Mask')
    .reduce((mask, [, v]) => (mask | (v as number)) >>> 0, 0);
  expect(NotifyFlags.All).toBe(0x3f); // BG_NOTIFY_JOB_TRANSFERRED … BG_NOTIFY_FILE_RANGES_TRANSFERRED
  expect(orOf(NotifyFlags)).toBe(NotifyFlags.All);
  expect(FileAclFlags.All).toBe(0xf); // BG_COPY_FILE_ALL
  expect(orOf(FileAclFlags)).toBe(FileAclFlags.All);
  expect(PeerCachingFlags.All).toBe(0x7);
  expect(orOf(PeerCachingFlags)).toBe(PeerCachingFlags.All);
  expect(RedirectPolicy.Mask).toBe(0x700); // BG_HTTP_REDIRECT_POLICY_MASK
  expect((RedirectPolicy.AllowReport | RedirectPolicy.Disallow) & ~RedirectPolicy.Mask).toBe(0);
  expect(SecurityFlags.All).toBe(0xf1f); // BG_SSL_* | POLICY_MASK | ALLOW_HTTPS_TO_HTTP
  expect((orOf(SecurityFlags) | RedirectPolicy.Mask) >>> 0).toBe(SecurityFlags.All);
  expect(CostFlags.All).toBe(0x800000ff);
  expect(orOf(CostFlags)).toBe(CostFlags.All);
  expect(TransferPolicy.Always).toBe(CostFlags.All); // BITS_COST_STATE_TRANSFER_ALWAYS
});

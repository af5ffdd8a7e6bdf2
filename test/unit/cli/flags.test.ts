/** Named flags: derived from the API's enums, parsed and printed by one table (src/cli/flags.ts). */
import { CostFlags, FileAclFlags, NotifyFlags, PeerCachingFlags, RedirectPolicy, SecurityFlags, TransferPolicy } from '../../../src/bits/enums';
import { CHOICE_FAMILIES, FLAG_FAMILIES, choiceName, flagNames, flagNamesOf, kebabName, parseChoice, parseFlagList } from '../../../src/cli/flags';
import { UsageError } from '../../../src/cli/usage';

const memberCount = (e: object) => Object.keys(e).filter((k) => Number.isNaN(Number(k)) && k !== 'All' && k !== 'Mask').length;

test('every member of each flag enum has a name, none hand-written', () => {
  expect(FLAG_FAMILIES.notify.bits).toHaveLength(memberCount(NotifyFlags));
  expect(FLAG_FAMILIES.acl.bits).toHaveLength(memberCount(FileAclFlags));
  expect(FLAG_FAMILIES.peerCaching.bits).toHaveLength(memberCount(PeerCachingFlags));
  expect(FLAG_FAMILIES.cost.bits).toHaveLength(memberCount(CostFlags));
  expect(FLAG_FAMILIES.security.bits).toHaveLength(memberCount(SecurityFlags));
  expect(FLAG_FAMILIES.security.field.values).toHaveLength(memberCount(RedirectPolicy));
  expect(kebabName('EnableCrlCheck')).toBe('enable-crl-check');
  expect(kebabName('IgnoreCertCnInvalid')).toBe('ignore-cert-cn-invalid');
  expect(flagNamesOf(FLAG_FAMILIES.security)).toContain('redirect-disallow');
});

test.each(Object.entries(FLAG_FAMILIES))('%s: every name parses to its bit and prints back', (_, family) => {
  const field = 'field' in family ? family.field : undefined;
  for (const name of flagNamesOf(family)) {
    const value = parseFlagList(family, name);
    const isBit = family.bits.some(([n]) => n === name);
    // The redirect policy is always printed: its zero value (allow-silent) has a name.
    expect(flagNames(family, value)).toEqual(isBit && field ? [name, 'redirect-allow-silent'] : [name]);
  }
});

test('lists, none, unknown bits and errors', () => {
  expect(parseFlagList(FLAG_FAMILIES.acl, 'owner, DACL')).toBe(FileAclFlags.Owner | FileAclFlags.Dacl);
  expect(parseFlagList(FLAG_FAMILIES.acl, 'none')).toBe(0);
  expect(flagNames(FLAG_FAMILIES.acl, 0x31)).toEqual(['owner', '0x30']);
  expect(flagNames(FLAG_FAMILIES.cost, CostFlags.All)).toHaveLength(memberCount(CostFlags));
  expect(parseFlagList(FLAG_FAMILIES.security, 'enable-crl-check,redirect-disallow')).toBe(SecurityFlags.EnableCrlCheck | RedirectPolicy.Disallow);
  expect(flagNames(FLAG_FAMILIES.security, 0x300)).toEqual(['0x300']);
  expect(() => parseFlagList(FLAG_FAMILIES.security, 'redirect-disallow,redirect-allow-report')).toThrow(/exclude each other/);
  expect(() => parseFlagList(FLAG_FAMILIES.notify, 'job-done')).toThrow(UsageError);
  expect(() => parseFlagList(FLAG_FAMILIES.notify, 'job-done')).toThrow(`--notify-flags: unknown flag "job-done"; valid: ${flagNamesOf(FLAG_FAMILIES.notify).join(', ')}`);
});

test('choices: transfer policy presets, proxy usage, store locations', () => {
  expect(parseChoice(CHOICE_FAMILIES.transferPolicy, 'not-roaming')).toBe(TransferPolicy.NotRoaming);
  expect(choiceName(CHOICE_FAMILIES.transferPolicy, 0x8000007f)).toBe('not-roaming');
  expect(choiceName(CHOICE_FAMILIES.transferPolicy, 0x1)).toBeNull();
  expect(() => parseChoice(CHOICE_FAMILIES.proxyUsage, 'direct')).toThrow(/valid: preconfig, no-proxy, override, auto-detect/);
});

/**
 * Named flags on the command line: every name comes from the API's enums (src/bits/enums.ts),
 * written in kebab case (`SecurityFlags.EnableCrlCheck` → `enable-crl-check`), so the CLI, the API
 * and the fake share one table. A list parses to a bit set; a bit set prints back as names.
 */
import {
  CertStoreLocation, CostFlags, FileAclFlags, NotifyFlags, PeerCachingFlags, ProxyUsage, RedirectPolicy, SecurityFlags, TransferPolicy,
  HelperTokenFlags,
} from '../bits/enums';
import { UsageError } from './usage';

type NumericEnum<E extends number = number> = Record<string, string | E>;

/** `EnableCrlCheck` → `enable-crl-check`. */
export function kebabName(member: string): string {
  return member.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z])([A-Z][a-z])/g, '$1-$2').toLowerCase();
}

/** The named members of a numeric enum, without the masks (`All`, `Mask`). */
function members<E extends number>(enumObject: NumericEnum<E>, prefix = ''): Array<readonly [string, E]> {
  return Object.entries(enumObject)
    .filter((e): e is [string, E] => typeof e[1] === 'number' && e[0] !== 'All' && e[0] !== 'Mask')
    .map(([name, value]) => [prefix + kebabName(name), value] as const);
}

/** A family of bit flags, possibly with one multi-bit field (the redirect policy in the security flags). */
export interface FlagFamily {
  /** The option that takes it, for messages (`--security-flags`). */
  readonly option: string;
  /** Single-bit (or multi-bit but independent) flags. */
  readonly bits: ReadonlyArray<readonly [string, number]>;
  /** A field whose bits hold one value out of several, e.g. the redirect policy. */
  readonly field?: { readonly mask: number; readonly values: ReadonlyArray<readonly [string, number]> };
}

export const FLAG_FAMILIES = {
  notify: { option: '--notify-flags', bits: members(NotifyFlags) },
  acl: { option: '--acl-flags', bits: members(FileAclFlags) },
  peerCaching: { option: '--peer-caching', bits: members(PeerCachingFlags) },
  security: { option: '--security-flags', bits: members(SecurityFlags), field: { mask: RedirectPolicy.Mask, values: members(RedirectPolicy, 'redirect-') } },
  cost: { option: '--cost-flags', bits: members(CostFlags) },
  helperToken: { option: '--helper-token-flags', bits: members(HelperTokenFlags) },
} as const satisfies Record<string, FlagFamily>;

/** Every name a family accepts, in the enums' order. */
export function flagNamesOf(family: FlagFamily): string[] {
  return [...family.bits.map(([n]) => n), ...(family.field?.values.map(([n]) => n) ?? [])];
}

/** `enable-crl-check,redirect-disallow` → the bit set; `none` (or nothing) → 0. Unknown names: UsageError listing the valid ones. */
export function parseFlagList(family: FlagFamily, text: string): number {
  const names = text.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '' && s !== 'none');
  let value = 0;
  let fieldName: string | null = null;
  for (const name of names) {
    const bit = family.bits.find(([n]) => n === name);
    const fieldValue = family.field?.values.find(([n]) => n === name);
    if (bit) value = (value | bit[1]) >>> 0;
    else if (fieldValue) {
      if (fieldName !== null && fieldName !== name) throw new UsageError(`${family.option}: ${fieldName} and ${name} exclude each other (give one)`);
      fieldName = name;
      value = (value | fieldValue[1]) >>> 0;
    } else {
      throw new UsageError(`${family.option}: unknown flag "${name}"; valid: ${flagNamesOf(family).join(', ')} (comma-separated, or none)`);
    }
  }
  return value;
}

/** A bit set as names; bits no name covers are added as hex (`0x40`). The field's zero value is named too. */
export function flagNames(family: FlagFamily, value: number): string[] {
  let rest = value >>> 0;
  const names: string[] = [];
  for (const [name, bit] of family.bits) {
    if (bit !== 0 && (rest & bit) >>> 0 === bit) {
      names.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (family.field) {
    const fieldBits = (rest & family.field.mask) >>> 0;
    const known = family.field.values.find(([, v]) => v === fieldBits);
    if (known) {
      names.push(known[0]);
      rest = (rest & ~family.field.mask) >>> 0;
    }
  }
  if (rest !== 0) names.push(`0x${rest.toString(16)}`);
  return names;
}

/** An enum with one value out of several (TransferPolicy, ProxyUsage, CertStoreLocation). */
export interface ChoiceFamily<E extends number = number> {
  readonly option: string;
  readonly values: ReadonlyArray<readonly [string, E]>;
}

export const CHOICE_FAMILIES = {
  transferPolicy: { option: '--transfer-policy', values: members(TransferPolicy) },
  proxyUsage: { option: '--proxy-usage', values: members(ProxyUsage) },
  certStore: { option: '--client-cert-location', values: members(CertStoreLocation) },
} as const satisfies Record<string, ChoiceFamily>;

/** The names a choice accepts (for commander's `.choices` and docs). */
export function choiceNames(family: ChoiceFamily): string[] {
  return family.values.map(([n]) => n);
}

/** A name → its value; unknown: UsageError listing the valid ones. */
export function parseChoice<E extends number>(family: ChoiceFamily<E>, text: string): E {
  const found = family.values.find(([n]) => n === text.trim().toLowerCase());
  if (!found) throw new UsageError(`${family.option}: unknown value "${text}"; valid: ${choiceNames(family).join(', ')}`);
  return found[1];
}

/** A value's name, or null when no member has it. */
export function choiceName(family: ChoiceFamily, value: number): string | null {
  return family.values.find(([, v]) => v === value >>> 0 || v === value)?.[0] ?? null;
}

/**
 * IBitsTokenOptions (bits4_0.h, issue 22) against the ABI reference, on both targets: the table the
 * library binds in an x64 process and the one it binds in a 32-bit process (the library loaded with
 * 4-byte pointers and __stdcall, as abi-reference.test.ts does for the struct decoders). A swapped
 * slot, a wrong IID or a wrong parameter class fails here; so does a flag whose value is not the
 * header's. (abi-reference.test.ts checks the x64 table of every interface as well.)
 */
import * as bits from '../../../src/bits';
import { methodsInSlotOrder, type Interface, type Method, type Param } from '../../../src/com';
import reference from '../../abi/abi-reference.json';

type ParamClass = 'i32' | 'i64' | 'ptr' | 'struct16';

function classOf(param: Param): ParamClass {
  if (param.dir === 'out') return 'ptr';
  if (typeof param.c === 'string') {
    if (param.c.includes('*')) return 'ptr';
    if (/^u?int64_t$/.test(param.c)) return 'i64';
    if (/^u?int32_t$/.test(param.c)) return 'i32';
  }
  throw new Error(`unexpected parameter type ${String(param.c)}`);
}

function loadAsX86(): typeof bits {
  let loaded: typeof bits | undefined;
  jest.isolateModules(() => {
    jest.doMock('../../../src/com/koffi', () => ({ ...jest.requireActual('../../../src/com/koffi'), pointerSize: () => 4, stdcall: () => '__stdcall ' }));
    loaded = require('../../../src/bits') as typeof bits;
  });
  jest.dontMock('../../../src/com/koffi');
  return loaded as typeof bits;
}

const ref = reference.interfaces.find((i) => i.name === 'IBitsTokenOptions');

/** The table as the reference states it: slot, name, return and parameter classes (IUnknown's parameters left out). */
const expected = (ref?.methods ?? []).map((m) => ({ slot: m.slot, name: m.name, returns: m.returns, params: m.slot < 3 ? null : m.params, source: m.source }));

function tableOf(iface: Interface) {
  return methodsInSlotOrder(iface).map((m: Method, i) => ({
    slot: m.slot, name: m.name, returns: m.returns, params: m.slot < 3 ? null : m.params.map(classOf), source: expected[i]?.source,
  }));
}

test('the reference has IBitsTokenOptions from the SDK header bits4_0.h', () => {
  expect(ref?.status).toBe('confirmed');
  expect(ref?.iidSource).toMatch(/bits4_0\.h@/);
  expect(ref?.methods.map((m) => m.name)).toEqual(['QueryInterface', 'AddRef', 'Release', 'SetHelperTokenFlags', 'GetHelperTokenFlags', 'SetHelperToken', 'ClearHelperToken', 'GetHelperTokenSid']);
});

describe.each([
  ['x64', bits],
  ['ia32', loadAsX86()],
] as const)('IBitsTokenOptions as bound on %s', (arch, lib) => {
  test('IID and base', () => {
    expect({ arch, iid: lib.IBitsTokenOptions.iids[0], base: lib.IBitsTokenOptions.base?.name }).toEqual({ arch, iid: ref?.iid, base: ref?.base });
  });

  test('methods in the header\'s vtable order, with its parameter classes', () => {
    const ours = tableOf(lib.IBitsTokenOptions as Interface);
    for (let slot = 0; slot < Math.max(ours.length, expected.length); slot++) expect({ arch, ...ours[slot] }).toEqual({ arch, ...expected[slot] });
  });
});

test('HelperTokenFlags has the values of BG_TOKEN_LOCAL_FILE and BG_TOKEN_NETWORK', () => {
  const value = (name: string) => Number((reference.constants.find((c) => c.name === name) as { value: string }).value);
  expect(bits.HelperTokenFlags.LocalFile).toBe(value('BG_TOKEN_LOCAL_FILE'));
  expect(bits.HelperTokenFlags.Network).toBe(value('BG_TOKEN_NETWORK'));
  expect(bits.HelperTokenFlags.All).toBe(value('BG_TOKEN_LOCAL_FILE') | value('BG_TOKEN_NETWORK'));
});

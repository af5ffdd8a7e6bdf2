/**
 * The typed implement side through real native vtables: handlers receive decoded, borrowed
 * arguments and return their out-values; the trampoline writes them, answers NULL out-pointers,
 * turns `answer(hr)` and `reply(hr, …)` into HRESULTs, zeroes the outs of a failed call, and never
 * lets an exception cross into native code. `raw()` keeps the native arguments.
 */
import {
  $, answer, ComPtr, defineInterface, E_INVALIDARG, E_POINTER, E_UNEXPECTED, Implementation, IUnknown, koffi, pointerSize, raw, reply, S_FALSE, S_OK, type ArrayOut,
} from '../../src/com';
import { libcRuntime } from '../support/libc-runtime';

enum Colour {
  Red = 1,
  Green = 2,
}

const ITyped = defineInterface('ITyped', '21111111-2222-3333-4444-555555555555', IUnknown, {
  Mix: [$.enum<Colour>(), $.i64, $.bool, $.wstr, $.guid, $.out.enum<Colour>(), $.out.u64, $.out.wstr],
  Pair: [$.out.u32, $.out.guid],
  Maybe: [$.u32, $.out.optional($.out.u32)],
  Ranges: [$.out.array((p, n) => Array.from({ length: n }, (_, i) => koffi().decode(p, i * 4, 'uint32_t') as number))],
  Struct: [$.out.struct(8, (b) => b.readBigUInt64LE(0))],
  Raw: [$.u32, $.out.u32],
  Boom: [$.out.u32],
});

const rt = libcRuntime();
const seen: unknown[][] = [];
const errors: unknown[] = [];

function wide(text: string): bigint {
  const p = rt.coTaskMemAlloc((text.length + 1) * 2);
  koffi().encode(p, 'char16_t', text + '\0', text.length + 1);
  return p;
}

const impl = new Implementation<null, typeof ITyped>({
  iface: ITyped,
  memory: () => ({ allocString: wide }),
  onError: (error) => errors.push(error),
  methods: {
    Mix: (_s, colour, big, flag, text, guid) => {
      seen.push([colour, big, flag, text, guid]);
      if (text === 'refuse') answer(E_INVALIDARG);
      if (text === 'partly') return reply(S_FALSE, [Colour.Red, 1n, 'partial'] as [Colour, bigint, string | null]);
      return [colour === Colour.Red ? Colour.Green : Colour.Red, big < 0n ? -big : big, text === null ? null : `<${text}>`];
    },
    Pair: () => [7, '01234567-89ab-cdef-0123-456789abcdef'],
    Maybe: (_s, n) => n * 2,
    Ranges: () => {
      const p = rt.coTaskMemAlloc(8);
      koffi().encode(p, 0, 'uint32_t', 10);
      koffi().encode(p, 4, 'uint32_t', 20);
      return { count: 2, ptr: p } satisfies ArrayOut;
    },
    Struct: () => {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(0x1122334455667788n);
      return b;
    },
    // The escape: the handler lays out what it answers itself.
    Raw: raw((_s, n, out) => {
      koffi().encode(out as bigint, 'uint32_t', (Number(n) + 1) >>> 0);
      return S_FALSE;
    }),
    Boom: () => {
      throw new Error('boom');
    },
  },
});

/** Calls `method` of `ptr` with native arguments, straight through the vtable (NULLs allowed). */
function callSlot(ptr: bigint, method: keyof typeof ITyped.methods, types: string[], args: unknown[]): number {
  const m = ITyped.methods[method];
  const vtable = koffi().decode(ptr, 'void *') as bigint;
  const fn = koffi().decode(vtable, m.slot * pointerSize(), 'void *') as bigint;
  const proto = koffi().proto(`int32_t __${method}_${Math.random().toString(36).slice(2)}(void *, ${types.join(', ')})`);
  return koffi().decode(fn, proto)(ptr, ...args) as number;
}

describe('typed handlers', () => {
  const obj = impl.create(null);
  const p = ComPtr.borrow(obj.ptr, ITyped, rt);
  afterAll(() => obj.release());

  test('receive decoded, borrowed in-parameters and return the out-values', async () => {
    seen.length = 0;
    const [colour, big, text] = await p.invoke('Mix', Colour.Red, -5n, true, 'hé', 'abcdef01-2345-6789-abcd-ef0123456789');
    expect(seen[0]).toEqual([Colour.Red, -5n, true, 'hé', 'abcdef01-2345-6789-abcd-ef0123456789']);
    expect([colour, big, text]).toEqual([Colour.Green, 5n, '<hé>']);
    expect(await p.invoke('Pair')).toEqual([7, '01234567-89ab-cdef-0123-456789abcdef']);
    expect(await p.invoke('Ranges')).toEqual([10, 20]);
    expect(await p.invoke('Struct')).toBe(0x1122334455667788n);
  });

  test('answer(hr) ends the call with hr and zeroes the outs; reply() keeps a success code with its values', async () => {
    const outs = Buffer.alloc(4 + 8 + pointerSize(), 0xaa);
    const hr = callSlot(obj.ptr, 'Mix', ['uint32_t', 'int64_t', 'int32_t', 'const char16_t *', 'void *', 'void *', 'void *', 'void *'], [
      1, 0n, 0, 'refuse', null, outs, outs.subarray(4), outs.subarray(12),
    ]);
    expect(hr >>> 0).toBe(E_INVALIDARG);
    expect(outs.every((b) => b === 0)).toBe(true);
    const partly = await p.invokeRaw('Mix', Colour.Red, 0n, false, 'partly', '00000000-0000-0000-0000-000000000000');
    expect(partly.hr).toBe(S_FALSE);
    expect(partly.value).toEqual([Colour.Red, 1n, 'partial']);
  });

  test('a NULL out-pointer is answered E_POINTER before the handler runs; an optional one is skipped', () => {
    seen.length = 0;
    const hr = callSlot(obj.ptr, 'Mix', ['uint32_t', 'int64_t', 'int32_t', 'const char16_t *', 'void *', 'void *', 'void *', 'void *'], [
      1, 0n, 0, 'x', null, Buffer.alloc(4), null, Buffer.alloc(8),
    ]);
    expect(hr >>> 0).toBe(E_POINTER);
    expect(seen).toHaveLength(0);
    expect(callSlot(obj.ptr, 'Maybe', ['uint32_t', 'void *'], [21, null])).toBe(S_OK);
    const out = Buffer.alloc(4);
    expect(callSlot(obj.ptr, 'Maybe', ['uint32_t', 'void *'], [21, out])).toBe(S_OK);
    expect(out.readUInt32LE(0)).toBe(42);
  });

  test('raw() gets the native arguments and returns its HRESULT', async () => {
    expect(await p.invokeRaw('Raw', 41)).toMatchObject({ hr: S_FALSE, value: 42 });
  });

  test('an exception other than answer() becomes E_UNEXPECTED with zeroed outs, told to onError, never native', () => {
    errors.length = 0;
    const out = Buffer.alloc(4, 0xaa);
    expect(callSlot(obj.ptr, 'Boom', ['void *'], [out]) >>> 0).toBe(E_UNEXPECTED);
    expect(out.readUInt32LE(0)).toBe(0);
    expect(errors).toEqual([expect.objectContaining({ message: 'boom' })]);
  });

  test('out-strings come from the implementation memory, freed by the caller', async () => {
    const frees = rt.frees;
    await p.invoke('Mix', Colour.Green, 1n, false, 'a', '00000000-0000-0000-0000-000000000000');
    expect(rt.frees).toBe(frees + 1);
  });
});

test('handlers are typed from the table: wrong arguments or out-values do not compile (npm run typecheck)', () => {
  const typed = new Implementation<null, typeof ITyped>({
    iface: ITyped,
    methods: {
      // @ts-expect-error Maybe returns its one out-value, a number
      Maybe: () => 'forty-two',
      // @ts-expect-error Pair returns both out-values, [number, string]
      Pair: () => 7,
      // @ts-expect-error the first in-parameter is a Colour, not a string
      Mix: (_s, colour: string) => [Colour.Red, 0n, colour],
    },
  });
  expect(typed.options.iface).toBe(ITyped);
  const callsMix = (p: ComPtr<typeof ITyped>) => {
    // @ts-expect-error an enum in-parameter refuses a string on the calling side too
    void p.invoke('Mix', 'red', 0n, false, null, '00000000-0000-0000-0000-000000000000');
  };
  expect(typeof callsMix).toBe('function');
});

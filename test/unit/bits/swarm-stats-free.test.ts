/**
 * DOSwarmStats hands over two CoTaskMem strings: both are freed, also when reading the first one
 * throws (the second must not leak because the first failed).
 */
function loadWithFailingFirstRead(): typeof import('../../../src/bits/structs') {
  let loaded: typeof import('../../../src/bits/structs') | undefined;
  jest.isolateModules(() => {
    let reads = 0;
    jest.doMock('../../../src/com/abi', () => ({
      ...jest.requireActual('../../../src/com/abi'),
      readWideString: (ptr: bigint) => {
        reads++;
        if (reads === 1) throw new Error(`unreadable string at 0x${ptr.toString(16)}`);
        return 'second';
      },
    }));
    loaded = require('../../../src/bits/structs') as typeof import('../../../src/bits/structs');
  });
  jest.dontMock('../../../src/com/abi');
  return loaded as typeof import('../../../src/bits/structs');
}

test('both strings of DOSwarmStats are freed when reading the first one throws', () => {
  const structs = loadWithFailingFirstRead();
  const bytes = Buffer.alloc(structs.swarmStatsSize());
  const type = structs.DOSwarmStats() as unknown as { members: Record<string, { offset: number }> };
  bytes.writeBigUInt64LE(0x1000n, type.members.fileId.offset);
  bytes.writeBigUInt64LE(0x2000n, type.members.sourceURL.offset);
  const freed: bigint[] = [];
  expect(() => structs.decodeSwarmStats(bytes, { coTaskMemFree: (p: bigint) => void freed.push(p) } as never)).toThrow(/unreadable string at 0x1000/);
  expect(freed.sort()).toEqual([0x1000n, 0x2000n]);
});

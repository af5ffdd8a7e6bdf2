/** Little-endian bytes of an address or number (`width` 4 or 8), for the stubs of native-wait.ts. */
export function le(value: bigint | number, width: 4 | 8): number[] {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt.asUintN(64, BigInt(value)));
  return [...b.subarray(0, width)];
}

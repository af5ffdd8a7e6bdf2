/**
 * GUIDs in pure TypeScript. Memory layout: Data1 u32 LE, Data2 u16 LE, Data3 u16 LE, then the
 * eight bytes of groups 4 and 5 exactly as written. Text form here: lowercase, no braces.
 */

const GUID_PATTERN = /^\{?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}?$/i;

export const GUID_SIZE = 16;

/** True for "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", with or without braces, any case. */
export function isGuid(text: unknown): text is string {
  return typeof text === 'string' && GUID_PATTERN.test(text) && braceBalanced(text);
}

function braceBalanced(text: string): boolean {
  return text.startsWith('{') === text.endsWith('}');
}

/** Canonical form: lowercase, no braces. Throws on malformed input. */
export function normalizeGuid(text: string): string {
  if (!isGuid(text)) throw new SyntaxError(`Not a GUID: ${JSON.stringify(text)}`);
  return text.replace(/[{}]/g, '').toLowerCase();
}

/** 16 bytes in COM memory order. */
export function guidToBytes(text: string): Buffer {
  const m = GUID_PATTERN.exec(text);
  if (!m || !braceBalanced(text)) throw new SyntaxError(`Not a GUID: ${JSON.stringify(text)}`);
  const b = Buffer.alloc(GUID_SIZE);
  b.writeUInt32LE(parseInt(m[1], 16), 0);
  b.writeUInt16LE(parseInt(m[2], 16), 4);
  b.writeUInt16LE(parseInt(m[3], 16), 6);
  Buffer.from(m[4] + m[5], 'hex').copy(b, 8);
  return b;
}

/** Reads 16 bytes in COM memory order (at `offset`) back to text. */
export function guidFromBytes(bytes: Uint8Array, offset = 0): string {
  if (bytes.length < offset + GUID_SIZE) throw new RangeError('A GUID needs 16 bytes');
  const b = Buffer.from(bytes.buffer, bytes.byteOffset + offset, GUID_SIZE);
  const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
  const tail = b.subarray(8, 16).toString('hex');
  return `${hex(b.readUInt32LE(0), 8)}-${hex(b.readUInt16LE(4), 4)}-${hex(b.readUInt16LE(6), 4)}-${tail.slice(0, 4)}-${tail.slice(4)}`;
}

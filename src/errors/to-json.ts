/**
 * `toJSON` for the library's errors: `JSON.stringify(error)` must work in loggers, and plain
 * JSON cannot hold a bigint (a file's byte counts), so bigints become decimal strings.
 */

/** A JSON value (what `errorToJSON` produces). */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function plain(value: unknown, seen: WeakSet<object>): Json | undefined {
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'function':
    case 'symbol':
    case 'undefined':
      return undefined;
  }
  if (value === null) return null;
  const object = value as object;
  if (seen.has(object)) return '[Circular]';
  seen.add(object);
  try {
    if (object instanceof Error) return errorFields(object, seen);
    if (Buffer.isBuffer(object) || object instanceof Uint8Array) return Buffer.from(object as Uint8Array).toString('hex');
    if (typeof (object as { toJSON?: unknown }).toJSON === 'function') return plain((object as { toJSON(): unknown }).toJSON(), seen);
    if (Array.isArray(object)) return object.map((v) => plain(v, seen) ?? null);
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(object)) {
      const p = plain(v, seen);
      if (p !== undefined) out[k] = p;
    }
    return out;
  } finally {
    seen.delete(object);
  }
}

function errorFields(error: Error, seen: WeakSet<object>): { [key: string]: Json } {
  const out: { [key: string]: Json } = { name: error.name, message: error.message };
  for (const [k, v] of Object.entries(error)) {
    const p = plain(v, seen);
    if (p !== undefined) out[k] = p;
  }
  if (error.cause !== undefined) {
    const cause = plain(error.cause, seen);
    if (cause !== undefined) out.cause = cause;
  }
  return out;
}

/** `name`, `message`, every own enumerable field and `cause`, as plain JSON (bigint → string; no stack). */
export function errorToJSON(error: Error): { [key: string]: Json } {
  const seen = new WeakSet<object>();
  seen.add(error);
  return errorFields(error, seen);
}

/**
 * What happens to a file's transfer, scripted per URL. The fake has no network: a URL's content is
 * generated from the URL itself (`fakeContent`), so tests can check what lands on disk.
 */
import type { ErrorContext } from '../bits';
import { invalidArgType, invalidArgValue, outOfRange, validateOptionsObject } from '../api/validate';

/** The transfer succeeds with `bytes` bytes of `fakeContent(url, bytes)`, over `durationMs`. */
export interface SucceedBehaviour {
  /** Succeeds. */
  readonly kind: 'succeed';
  /** Size of the generated content. */
  readonly bytes: number;
  /** Time from the start of this file's transfer to its completion (default 20 ms). */
  readonly durationMs?: number;
}

/** The job goes to ERROR. */
export interface FailBehaviour {
  /** Fails for good. */
  readonly kind: 'fail';
  /** The job error's HRESULT (e.g. 0x80190194, BG_E_HTTP_ERROR_404). */
  readonly hresult: number;
  /** Default: REMOTE_FILE (5), what both services report for HTTP errors. */
  readonly context?: ErrorContext;
  /** Delay after the transfer of this file started (default 10 ms). */
  readonly afterMs?: number;
  /**
   * false = ERROR state, but GetError answers *_ERROR_INFORMATION_UNAVAILABLE, as Wine does for a
   * refused connection. Default true.
   */
  readonly withErrorObject?: boolean;
  /** Answer of IBackgroundCopyError::GetProtocol; default 'http' for http(s) URLs; '' for none. */
  readonly protocol?: string;
  /** false: the error is not tied to the file (GetFile answers *_FILE_NOT_AVAILABLE). Default true. */
  readonly withFile?: boolean;
}

/** The job goes to TRANSIENT_ERROR, then retries this file with `then`. */
export interface TransientBehaviour {
  /** Fails, then retries. */
  readonly kind: 'transient';
  /** The transient error's HRESULT. */
  readonly hresult: number;
  /** What the retry does. */
  readonly then: Behaviour;
  /** Default: REMOTE_FILE. */
  readonly context?: ErrorContext;
  /** Delay after the transfer of this file started (default 10 ms). */
  readonly afterMs?: number;
}

/** The transfer never progresses: the job stays TRANSFERRING (for abort and timeout tests). */
export interface HangBehaviour {
  /** Never progresses. */
  readonly kind: 'hang';
}

/** A scripted outcome for one URL. */
export type Behaviour = SucceedBehaviour | FailBehaviour | TransientBehaviour | HangBehaviour;

/** The behaviour of URLs nobody scripted: 1 KiB in 20 ms. */
export const DEFAULT_BEHAVIOUR: Behaviour = Object.freeze({ kind: 'succeed', bytes: 1024, durationMs: 20 });

/** FNV-1a over the URL's UTF-8 bytes: the seed of its content. */
function seedOf(url: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(url, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h || 1;
}

/**
 * Reads `fakeContent(url, ...)` from any offset without materialising the whole file: moving
 * forward generates and discards, moving back restarts from the seed. Sequential reads (the
 * common case) cost nothing extra.
 */
export class ContentCursor {
  #x: number;
  #position = 0;

  constructor(readonly url: string) {
    this.#x = seedOf(url);
  }

  /** `n` bytes of the content at `offset`. */
  read(offset: number, n: number): Buffer {
    if (offset < this.#position) {
      this.#x = seedOf(this.url);
      this.#position = 0;
    }
    if (offset > this.#position) this.#fill(Buffer.alloc(Math.min(offset - this.#position, 1 << 20)), offset);
    const out = Buffer.alloc(n);
    this.#fill(out, offset + n);
    return out;
  }

  /** Generates into `scratch` repeatedly until the position reaches `end` (the last chunk is kept). */
  #fill(scratch: Buffer, end: number): void {
    let x = this.#x;
    while (this.#position < end) {
      const n = Math.min(scratch.length, end - this.#position);
      for (let i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        x >>>= 0;
        scratch[i] = x & 0xff;
      }
      this.#position += n;
    }
    this.#x = x;
  }
}

/**
 * The "server certificate" an https:// URL presents to a job's certificate validator
 * (IBackgroundCopyJobHttpOptions3): not a real certificate, a few bytes tests can recognise.
 */
export function fakeServerCertificate(url: string): Buffer {
  return Buffer.from(`fake certificate of ${new URL(url).host}`);
}

/**
 * The content the fake "downloads" for `url`: `bytes` pseudo-random bytes (xorshift32 seeded from
 * the URL), identical on every call, so tests can compare files with what they expect.
 */
export function fakeContent(url: string, bytes: number): Buffer {
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RangeError(`bytes must be a non-negative integer, got ${bytes}`);
  return new ContentCursor(url).read(0, bytes);
}

/** Per-URL behaviours, changeable while the fake runs. */
export class Script {
  readonly #byUrl = new Map<string, Behaviour>();

  constructor(initial: Readonly<Record<string, Behaviour>>, public defaultBehaviour: Behaviour) {
    for (const [url, behaviour] of Object.entries(initial)) this.set(url, behaviour);
  }

  set(url: string, behaviour: Behaviour): void {
    validateBehaviour(behaviour);
    this.#byUrl.set(url, behaviour);
  }

  /** The behaviour for `url` at this moment. */
  lookup(url: string): Behaviour {
    return this.#byUrl.get(url) ?? this.defaultBehaviour;
  }
}

/** Node's timers hold at most 2^31 − 1 ms. */
const MAX_DELAY_MS = 2 ** 31 - 1;

function delay(value: unknown, name: string): void {
  if (value === undefined) return;
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
  if (!Number.isFinite(value) || value < 0 || value > MAX_DELAY_MS) throw outOfRange(name, `>= 0 and <= ${MAX_DELAY_MS}`, value);
}

function failureHResult(value: unknown, name: string): void {
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0xffffffff || (value | 0) >= 0) {
    throw outOfRange(name, 'a failure HRESULT (0x80000000 … 0xFFFFFFFF)', value);
  }
}

/** Rejects scripts that would make the fake misbehave in confusing ways later (typed Node-style errors). */
export function validateBehaviour(behaviour: Behaviour, name = 'behaviour'): void {
  const b = validateOptionsObject(behaviour, name) as unknown as Behaviour;
  switch (b.kind) {
    case 'succeed':
      if (typeof b.bytes !== 'number') throw invalidArgType(`${name}.bytes`, 'of type number', b.bytes);
      if (!Number.isSafeInteger(b.bytes) || b.bytes < 0) throw outOfRange(`${name}.bytes`, 'a non-negative integer', b.bytes);
      delay(b.durationMs, `${name}.durationMs`);
      return;
    case 'fail':
      failureHResult(b.hresult, `${name}.hresult`);
      delay(b.afterMs, `${name}.afterMs`);
      return;
    case 'transient':
      failureHResult(b.hresult, `${name}.hresult`);
      delay(b.afterMs, `${name}.afterMs`);
      validateBehaviour(b.then, `${name}.then`);
      return;
    case 'hang':
      return;
    default:
      throw invalidArgValue(`${name}.kind`, (b as { kind?: unknown }).kind, "must be 'succeed', 'fail', 'transient' or 'hang'");
  }
}

/**
 * Progress output while a job runs: a cli-progress bar (bytes, rate, ETA), plain lines, or
 * nothing. Progress goes to stderr, so stdout stays clean for results and --json.
 */
import type { Options, Params, SingleBar } from 'cli-progress';
import type { CliStream } from './context';
import { formatBytes, formatDuration, formatPercent, formatRate } from './format';

export type ProgressMode = 'auto' | 'bar' | 'plain' | 'none';
export const PROGRESS_MODES: readonly ProgressMode[] = ['auto', 'bar', 'plain', 'none'];

export interface ProgressSample {
  /** e.g. "TRANSFERRING". */
  readonly state: string;
  readonly transferred: bigint;
  readonly total: bigint | null;
  /** Shown after the state, e.g. the code of a transient error. */
  readonly note?: string;
}

export interface ProgressReporter {
  update(sample: ProgressSample): void;
  /** Draws the last sample and releases timers; idempotent. */
  stop(): void;
}

/** Bytes per second over the last few seconds (a lifetime average would hide stalls). */
export class RateMeter {
  readonly #samples: Array<{ t: number; bytes: number }> = [];
  constructor(private readonly windowMs = 3000, private readonly now: () => number = Date.now) {}

  add(bytes: bigint): void {
    const t = this.now();
    // Nothing moved yet (queued, connecting): the rate starts when the bytes do.
    if (bytes === 0n) this.#samples.length = 0;
    this.#samples.push({ t, bytes: Number(bytes) });
    while (this.#samples.length > 2 && t - this.#samples[1].t > this.windowMs) this.#samples.shift();
  }

  rate(): number | null {
    const first = this.#samples[0];
    const last = this.#samples[this.#samples.length - 1];
    if (!first || last.t - first.t < 200) return null;
    return Math.max(0, (last.bytes - first.bytes) / ((last.t - first.t) / 1000));
  }
}

/** "12.0 MiB / 32.0 MiB | 10.1 MiB/s | ETA 2s | TRANSFERRING": the text after the bar. */
export function describeSample(s: ProgressSample, rate: number | null): string {
  const eta = s.total !== null && rate ? Number(s.total - s.transferred) / rate : null;
  const state = s.note ? `${s.state} (${s.note})` : s.state;
  return `${formatPercent(s.transferred, s.total).padStart(6)} | ${formatBytes(s.transferred)} / ${formatBytes(s.total)} | ${formatRate(rate)} | ETA ${formatDuration(s.total !== null && s.transferred >= s.total ? 0 : eta)} | ${state}`;
}

class NoProgress implements ProgressReporter {
  update(): void {}
  stop(): void {}
}

/** One line per state change, and at most one per `everyMs` in between. */
class PlainProgress implements ProgressReporter {
  readonly #rate = new RateMeter();
  #lastLine = 0;
  #lastState = '';
  #last: ProgressSample | null = null;
  #printedLast = false;

  constructor(private readonly stream: CliStream, private readonly everyMs = 1000) {}

  update(sample: ProgressSample): void {
    this.#rate.add(sample.transferred);
    this.#last = sample;
    const now = Date.now();
    if (sample.state !== this.#lastState || now - this.#lastLine >= this.everyMs) this.#print(now);
    else this.#printedLast = false;
  }

  #print(now: number): void {
    if (!this.#last) return;
    this.stream.write(`${describeSample(this.#last, this.#rate.rate()).trimStart()}\n`);
    this.#lastLine = now;
    this.#lastState = this.#last.state;
    this.#printedLast = true;
  }

  stop(): void {
    if (!this.#printedLast) this.#print(Date.now());
  }
}

/**
 * Off a terminal cli-progress prints a frame (then a separate "\n") on every tick, even when
 * nothing changed: drop repeats so a log shows only frames that say something new.
 */
function dedupeFrames(stream: CliStream): CliStream {
  let last = '';
  let skipNewline = false;
  return {
    isTTY: false,
    columns: stream.columns,
    write(chunk: string): unknown {
      if (chunk === '\n') {
        const skip = skipNewline;
        skipNewline = false;
        return skip ? true : stream.write(chunk);
      }
      if (chunk === last) {
        skipNewline = true;
        return true;
      }
      last = chunk;
      return stream.write(chunk);
    },
  };
}

/**
 * cli-progress's bar. On a terminal it redraws in place; when forced (`--progress=bar`) on a
 * file or pipe (e.g. under Wine, where stdout/stderr are files) it prints one frame per line.
 */
class BarProgress implements ProgressReporter {
  readonly #rate = new RateMeter();
  readonly #bar: SingleBar;
  #started = false;
  #stopped = false;

  constructor(stream: CliStream, frameMs: number) {
    const tty = stream.isTTY === true;
    // Loaded here, not at start-up: most commands never draw a bar (bench:startup).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SingleBar, Format } = require('cli-progress') as typeof import('cli-progress');
    this.#bar = new SingleBar({
      stream: (tty ? stream : dedupeFrames(stream)) as NodeJS.WritableStream,
      format: (options: Options, params: Params, payload: { text?: string }) =>
        `${Format.BarFormat(params.progress, options)} ${payload.text ?? ''}`,
      barsize: 30,
      hideCursor: tty,
      noTTYOutput: true,
      notTTYSchedule: frameMs,
      // Off a terminal stop() would add an empty line after the last frame.
      clearOnComplete: !tty,
      gracefulExit: false,
      barCompleteChar: '\u2588',
      barIncompleteChar: '\u2591',
    });
  }

  update(sample: ProgressSample): void {
    if (this.#stopped) return;
    this.#rate.add(sample.transferred);
    const total = sample.total !== null && sample.total > 0n ? Number(sample.total) : 0;
    const value = total === 0 ? 0 : Math.min(Number(sample.transferred), total);
    const payload = { text: describeSample(sample, this.#rate.rate()) };
    if (!this.#started) {
      this.#started = true;
      this.#bar.start(total || 1, value, payload);
    } else {
      this.#bar.setTotal(total || 1);
      this.#bar.update(value, payload);
    }
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#started) this.#bar.stop();
  }
}

/**
 * `auto`: a bar where the terminal can redraw it in place (`options.redraws`, default: `stream.isTTY`),
 * plain lines otherwise (pipes, files, TERM=dumb, Wine's console). `frameMs` is how often a forced
 * bar prints a frame off a terminal.
 */
export function createProgress(mode: ProgressMode, stream: CliStream, options: { frameMs?: number; redraws?: boolean } = {}): ProgressReporter {
  const redraws = options.redraws ?? stream.isTTY === true;
  switch (mode) {
    case 'none':
      return new NoProgress();
    case 'plain':
      return new PlainProgress(stream);
    case 'bar':
      return new BarProgress(stream, options.frameMs ?? 500);
    default:
      return redraws ? new BarProgress(stream, options.frameMs ?? 500) : new PlainProgress(stream);
  }
}

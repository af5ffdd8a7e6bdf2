/**
 * How long a wait sleeps between two status reads when the caller did not choose a period.
 *
 * Polling is the fallback that keeps waits correct (Wine never sends JobError; services drop
 * notifications), but each read is two cross-process calls, and under Wine each costs about a
 * millisecond of this process's CPU. So the period adapts (bench:wine, part "wait"):
 * - it starts at 500 ms and grows by half each poll up to a ceiling: 1 s for one wait, more when
 *   many jobs are waited on at once (50 ms per wait: 200 waits poll 20 jobs a second in all);
 * - with many waits it also starts higher (25 ms per wait: 1,000 waits read at most 40 statuses a
 *   second in all while their periods grow, instead of hundreds: bench:wine, curve watch_cpu);
 * - near the end it shortens: when the rate since the last read says the job finishes sooner,
 *   the next read is due then (never under 100 ms);
 * - notifications still end a sleep at once.
 * A period given by the caller (`pollIntervalMs`) is used as it is.
 */
import { JobState } from '../bits/enums';

/** What the pacer needs of a status, whichever API it comes from. */
export interface PaceSample {
  /** Bytes are moving (a job TRANSFERRING, a download Transferring). */
  readonly transferring: boolean;
  readonly bytesTransferred: bigint;
  /** null while unknown. */
  readonly bytesTotal: bigint | null;
}

/** A job's status as far as the pacer reads it (JobStatus has this shape; no import of it: no type cycle). */
export interface JobPaceStatus {
  readonly state: JobState;
  readonly progress: { readonly bytesTransferred: bigint; readonly bytesTotal: bigint | null };
}

/** A job's status as a PaceSample. */
export function jobPaceSample(status: JobPaceStatus): PaceSample {
  const { bytesTransferred, bytesTotal } = status.progress;
  return { transferring: status.state === JobState.Transferring, bytesTransferred, bytesTotal };
}

export const FIRST_POLL_MS = 500;
export const MIN_POLL_MS = 100;
export const MAX_POLL_MS = 1_000;
export const POLL_MS_PER_WAIT = 50;
/** The lowest period grows with the waits too, so that the ramp up to the ceiling stays cheap. */
export const FLOOR_MS_PER_WAIT = 25;

/** Waits (any wait or watch with the adaptive period) running in this process. */
let activeWaits = 0;

export class PollPacer {
  #periodMs = FIRST_POLL_MS;
  #last: { bytes: bigint; at: number } | null = null;
  #active = false;

  /** `fixedMs`: the caller's period, used as it is; undefined for the adaptive one. */
  constructor(readonly fixedMs?: number) {}

  /** Counts this wait among the active ones (their number raises the ceiling); pair with `stop`. */
  start(): this {
    if (!this.#active && this.fixedMs === undefined) {
      this.#active = true;
      activeWaits++;
    }
    return this;
  }

  stop(): void {
    if (this.#active) {
      this.#active = false;
      activeWaits--;
    }
  }

  /** The pause before the next read, given the status just read at `now` (ms): a job's, or any API's as a PaceSample. */
  next(status: JobPaceStatus | PaceSample, now: number): number {
    if (this.fixedMs !== undefined) return this.fixedMs;
    const ceiling = Math.max(MAX_POLL_MS, activeWaits * POLL_MS_PER_WAIT);
    let period = Math.min(ceiling, Math.max(activeWaits * FLOOR_MS_PER_WAIT, Math.round(this.#periodMs * 1.5)));
    const { transferring, bytesTransferred: done, bytesTotal: total } = 'progress' in status ? jobPaceSample(status) : status;
    const last = this.#last;
    if (transferring && total !== null && last && done > last.bytes && now > last.at) {
      const bytesPerMs = Number(done - last.bytes) / (now - last.at);
      const leftMs = Number(total - done) / bytesPerMs;
      if (leftMs < period) period = Math.max(MIN_POLL_MS, Math.round(leftMs));
    }
    this.#last = { bytes: done, at: now };
    this.#periodMs = period;
    return period;
  }

  /** For tests: how many adaptive waits are active. */
  static get activeWaits(): number {
    return activeWaits;
  }
}

import type { Clock } from '../clock.ts';
import { addressKey } from '../throttle.ts';

/** One record per client address and route in this window. */
export const REFUSAL_RECORD_WINDOW_MS = 60_000;
/** Records a window may hold in all, whatever the number of addresses a flood comes from. */
export const REFUSAL_RECORDS_PER_WINDOW = 120;

/**
 * Decides which refusals of requests from nobody known (a write refused for its origin, answered
 * before any session is looked at) reach the audit trail (R-AUD-1: refused attempts are recorded).
 * Such requests cost the sender nothing, so recording each would let a flood of them grow the trail
 * without bound and hold the chain that takes records without an account. So at most one is
 * recorded per client address (an IPv6 address by its /64, as the sign-in limits count it) and
 * route in each minute, and at most REFUSAL_RECORDS_PER_WINDOW in a minute in all; the ones left
 * out are counted and reported in the log when the minute is over.
 *
 * The counts are kept in memory, per process, not in a table: a table would cost one database
 * write for every refused request, which is exactly what a flood is made of, while this check costs
 * a set lookup. What it bounds is the same: with N app processes, at most N records per address,
 * route and minute, and N × REFUSAL_RECORDS_PER_WINDOW a minute in all. The memory it holds is
 * bounded too: only recorded keys are kept, and only for the current minute.
 */
export class RefusalSampler {
  readonly #clock: Clock;
  readonly #windowMs: number;
  readonly #maxPerWindow: number;
  #windowStart = Number.NEGATIVE_INFINITY;
  #recorded = new Set<string>();
  #skipped = 0;

  constructor(clock: Clock, opts: { windowMs?: number; maxPerWindow?: number } = {}) {
    this.#clock = clock;
    this.#windowMs = opts.windowMs ?? REFUSAL_RECORD_WINDOW_MS;
    this.#maxPerWindow = opts.maxPerWindow ?? REFUSAL_RECORDS_PER_WINDOW;
  }

  /**
   * Whether the refusal of a request from `ip` to `route` is to be recorded. `onWindowClosed` hears,
   * when a new window begins, how many refusals the one before left unrecorded (if any).
   */
  admit(ip: string | null | undefined, route: string, onWindowClosed?: (skipped: number) => void): boolean {
    const now = this.#clock.now().getTime();
    if (now >= this.#windowStart + this.#windowMs || now < this.#windowStart) {
      if (this.#skipped > 0) onWindowClosed?.(this.#skipped);
      this.#windowStart = now;
      this.#recorded = new Set();
      this.#skipped = 0;
    }
    const key = `${addressKey(ip)} ${route}`;
    if (this.#recorded.has(key) || this.#recorded.size >= this.#maxPerWindow) {
      this.#skipped += 1;
      return false;
    }
    this.#recorded.add(key);
    return true;
  }
}

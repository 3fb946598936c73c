/**
 * R-INT-4: when a failed event is tried again. The delays follow the Standard Webhooks
 * recommendation (5 s, 5 min, 30 min, 2 h, 5 h, then every 10 h), and the retries end three days
 * after the event: the last one falls on that moment.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const RETRY_DELAYS_MS: readonly number[] = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR];
export const RETRY_WINDOW_MS = 3 * DAY;
/** An endpoint every attempt to which failed for this long is switched off, and its owner told. */
export const DISABLE_AFTER_FAILING_MS = 5 * DAY;
/** After a rotation the previous secret signs too, for this long. */
export const PREVIOUS_SECRET_MS = DAY;

/** When to try again after scheduled attempt `round` (1 = the first) failed at `now`; null: no more tries. */
export function nextAttemptAt(eventAt: Date, round: number, now: Date): Date | null {
  const deadline = eventAt.getTime() + RETRY_WINDOW_MS;
  if (now.getTime() >= deadline) return null;
  const delay = RETRY_DELAYS_MS[Math.min(Math.max(round, 1), RETRY_DELAYS_MS.length) - 1]!;
  return new Date(Math.min(now.getTime() + delay, deadline));
}

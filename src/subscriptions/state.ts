/**
 * R-SUB-1, R-SUB-3: where an individual subscription stands, read from its dates alone. Pure, so
 * that access, invoices and screens agree, and so that a lapse or a cancellation takes effect at its
 * moment without any sweep having to run.
 */
import { formatLocalDate, localDateIn, type LocalDate } from '../licences/proration.ts';

export interface SubscriptionDates {
  trialEndsAt: Date | null;
  /** Local date (YYYY-MM-DD) from which the current paid period runs; null while in trial. */
  paidFrom: string | null;
  /** First local date no longer covered. */
  endsOn: string | null;
  endReason: 'cancelled' | 'joined_organisation' | null;
}

export type SubscriptionState =
  | { state: 'trial'; trialEndsAt: Date }
  | { state: 'paid' }
  /** Cancelled, still running until the end of the month; can be undone (R-SUB-3). */
  | { state: 'cancelling'; endsOn: string }
  | { state: 'ended'; reason: 'trial_ended' | 'cancelled' | 'joined_organisation' };

/** `today` is the local date at `now` in the subscription's billing time zone. */
export function subscriptionState(s: SubscriptionDates, now: Date, today: string): SubscriptionState {
  if (s.endsOn !== null && today >= s.endsOn) return { state: 'ended', reason: s.endReason ?? 'cancelled' };
  if (s.paidFrom === null) {
    return s.trialEndsAt !== null && s.trialEndsAt > now ? { state: 'trial', trialEndsAt: s.trialEndsAt } : { state: 'ended', reason: 'trial_ended' };
  }
  return s.endsOn !== null ? { state: 'cancelling', endsOn: s.endsOn } : { state: 'paid' };
}

/** The dates of a subscription's `organisations` row. */
export function datesOf(row: { trial_ends_at: Date | null; paid_from: string | null; ends_on: string | null; end_reason: SubscriptionDates['endReason'] }): SubscriptionDates {
  return { trialEndsAt: row.trial_ends_at, paidFrom: row.paid_from, endsOn: row.ends_on, endReason: row.end_reason };
}

/** Where a subscription stands at `now`, on the calendar of its billing time zone. */
export function subscriptionStateAt(s: SubscriptionDates, now: Date, timeZone: string): SubscriptionState {
  return subscriptionState(s, now, formatLocalDate(localDateIn(now, timeZone)));
}

/** A trial, a paid subscription and a cancelled one still running give a licence. */
export function isLive(s: SubscriptionState): boolean {
  return s.state !== 'ended';
}

/**
 * R-LIC-5 for subscriptions: the licences of a month are billed at its start only when a paid
 * period ran before that first day and still covers it (never in trial, never once ended). A paid
 * period that starts on the 1st itself is charged by its own `subscription_started` line for the
 * whole month, so the monthly line must not bill it again, whether the invoice run comes before or
 * after the start.
 */
export function billedAtStart(s: SubscriptionDates, periodStart: string): boolean {
  return s.paidFrom !== null && s.paidFrom < periodStart && (s.endsOn === null || s.endsOn > periodStart);
}

/** R-SUB-3: a cancellation takes effect at the end of the calendar month: the 1st of the next. */
export function firstOfNextMonth(d: LocalDate): string {
  return d.month === 12 ? `${d.year + 1}-01-01` : formatLocalDate({ year: d.year, month: d.month + 1, day: 1 });
}

/** The last day still covered before `endsOn` (for "until 31 March"). */
export function dayBefore(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

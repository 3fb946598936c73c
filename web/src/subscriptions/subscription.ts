/**
 * How an individual subscription reads on its page and at home (SPEC section 7): its state, the
 * action that continues or restarts it, and the exact amounts quoted before anything is charged.
 */
import { formatDate } from '../app/format.ts';
import { formatLocalDate, formatMoney, licencesWord, periodPhrase } from '../billing/money.ts';
import type { SubscriptionEndReason, SubscriptionStateName } from '../../../src/organisations/schemas.ts';
import type { SubscriptionQuoteView, SubscriptionView } from '../../../src/subscriptions/schemas.ts';

/** The label of what starts the paid period, or null when it is running already. */
export function startActionLabel(subscription: { state: SubscriptionStateName; endReason: SubscriptionEndReason | null } | null): string | null {
  if (!subscription) return 'Start free trial';
  if (subscription.state === 'trial') return 'Continue with a paid subscription';
  if (subscription.state === 'ended') return subscription.endReason === 'trial_ended' ? 'Continue with a paid subscription' : 'Restart subscription';
  return null;
}

export interface StateView {
  label: 'Free trial' | 'Paid' | 'Cancelled' | 'Ended';
  color: string;
  /** One sentence on where the subscription stands. */
  summary: string;
}

function endedSummary(reason: SubscriptionEndReason | null, lastDay: string | null, locale?: string): string {
  if (reason === 'trial_ended') return 'Your free trial has ended. Continue with a paid subscription to go on working.';
  if (reason === 'joined_organisation') {
    return 'Your subscription ended when you joined an organisation, which now gives you your licence. You can restart it at any time.';
  }
  return lastDay
    ? `Your subscription was cancelled and ended after ${formatLocalDate(lastDay, locale)}. Restart it to go on working.`
    : 'Your subscription was cancelled and has ended. Restart it to go on working.';
}

/** The state badge and its sentence (R-SUB-1, R-SUB-3). */
export function stateView(subscription: SubscriptionView, locale?: string): StateView {
  const { licences } = subscription;
  switch (subscription.state) {
    case 'trial':
      return {
        label: 'Free trial',
        color: 'blue',
        summary: `Free trial until ${formatDate(subscription.trialEndsAt)}. Nothing is charged until you continue with a paid subscription.`,
      };
    case 'paid':
      return {
        label: 'Paid',
        color: 'green',
        summary: `Paid monthly: ${formatMoney(licences.monthlyTotalMinor, licences.currency, locale)} a month for ${licencesWord(licences.purchased)}, invoiced on the 1st of each month.`,
      };
    case 'cancelling':
      return {
        label: 'Cancelled',
        color: 'orange',
        summary: `Cancelled: ends after ${subscription.lastDay ? formatLocalDate(subscription.lastDay, locale) : 'this month'}. Until then everything keeps working, and you can undo the cancellation.`,
      };
    case 'ended':
      return { label: 'Ended', color: 'gray', summary: endedSummary(subscription.endReason, subscription.lastDay, locale) };
  }
}

/** "2026-11-22" → "2026-11-30": the last day of that month (a cancellation runs to it, R-SUB-3). */
export function lastDayOfMonth(localDate: string): string {
  const match = /^(\d{4})-(\d{2})-\d{2}$/.exec(localDate);
  if (!match) return localDate;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${match[1]}-${match[2]}-${String(last).padStart(2, '0')}`;
}

/**
 * What continuing after the trial, or restarting, costs now (R-SUB-1, R-SUB-3): "€16.45 for
 * one licence for the rest of May (17 of 31 days), then €30.00 a month."
 */
export function describeStart(quote: SubscriptionQuoteView, locale?: string): string {
  const now = formatMoney(quote.startChargeMinor, quote.currency, locale);
  const monthly = formatMoney(quote.unitPriceMinor * quote.startLicences, quote.currency, locale);
  return `${now} for ${licencesWord(quote.startLicences)} ${periodPhrase(quote, locale)}, then ${monthly} a month.`;
}

/**
 * What adding a colleague costs now (R-SUB-2), one sentence per part: the colleague's licence (or
 * the free one it uses), the trial turning paid, and the total charged. `who` is "Jane" or "this
 * colleague"; `purchased` the licences counted now.
 */
export function describeColleagueQuote(quote: SubscriptionQuoteView, who: string, purchased: number, locale?: string): string[] {
  const money = (minor: number) => formatMoney(minor, quote.currency, locale);
  const period = periodPhrase(quote, locale);
  const lines: string[] = [];
  lines.push(
    quote.colleagueLicences === 0
      ? `A licence is free: adding ${who} uses it, so no licence is bought.`
      : `Adding ${who} buys ${licencesWord(quote.colleagueLicences)}: ${money(quote.colleagueChargeMinor)} ${period}.`,
  );
  if (quote.startLicences > 0) {
    lines.push(
      `It also turns your free trial into a paid subscription from today: ${money(quote.startChargeMinor)} for ${licencesWord(quote.startLicences)} you hold already, ${period}.`,
    );
  }
  const monthly = money(quote.unitPriceMinor * (purchased + quote.colleagueLicences));
  lines.push(
    quote.totalMinor > 0
      ? `Charged now: ${money(quote.totalMinor)} in all, on your next invoice. Then ${monthly} a month.`
      : `Nothing more is charged now. Your subscription stays at ${monthly} a month.`,
  );
  return lines;
}

/** Whether adding a colleague needs a card on file first (a charge, or a trial turning paid). */
export function colleagueNeedsCard(quote: SubscriptionQuoteView, state: SubscriptionStateName): boolean {
  return !quote.paymentMethodOnFile && (quote.totalMinor > 0 || state === 'trial');
}

/**
 * What removing `quantity` free licences gives back (R-LIC-4): each licence is credited for the
 * days left in the month, rounded half-up on its own, but only once it was paid for: nothing during
 * the trial or after the end.
 */
export function removalCreditMinor(quote: Pick<SubscriptionQuoteView, 'unitPriceMinor' | 'daysCharged' | 'daysInMonth'>, quantity: number, state: SubscriptionStateName): number {
  if (state !== 'paid' && state !== 'cancelling') return 0;
  const { unitPriceMinor: price, daysCharged: days, daysInMonth: month } = quote;
  const each = Math.floor((2 * price * days + month) / (2 * month));
  return each * quantity;
}

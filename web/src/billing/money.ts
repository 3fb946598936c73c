/**
 * Money as the console shows it: amounts arrive in integer minor units of the organisation's
 * currency (R-LIC-4) and are formatted in the person's locale.
 */
import type { QuoteView } from '../../../src/licences/schemas.ts';

function fractionDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** 1645, "EUR" → "€16.45" (in the person's locale unless one is given). */
export function formatMoney(minor: number, currency: string, locale?: string): string {
  const digits = fractionDigits(currency);
  const amount = minor / 10 ** digits;
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount.toFixed(digits)} ${currency}`;
  }
}

/** A ledger line as the person reads it: charges positive, credits negative. */
export function signedAmountMinor(entry: { kind: 'charge' | 'credit'; amountMinor: number }): number {
  return entry.kind === 'credit' ? -entry.amountMinor : entry.amountMinor;
}

/** "2026-11-22" → "November" (the month of an organisation's local date). */
export function monthName(localDate: string, locale?: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(localDate);
  if (!match) return 'this month';
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
  return new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' }).format(date);
}

export { formatLocalDate } from '../app/format.ts';

/** "for the rest of November (9 of 30 days)", or "for all of November" on its first day. */
export function periodPhrase(quote: Pick<QuoteView, 'localDate' | 'daysCharged' | 'daysInMonth'>, locale?: string): string {
  const month = monthName(quote.localDate, locale);
  if (quote.daysCharged >= quote.daysInMonth) return `for all of ${month} (${quote.daysInMonth} days)`;
  return `for the rest of ${month} (${quote.daysCharged} of ${quote.daysInMonth} day${quote.daysInMonth === 1 ? '' : 's'})`;
}

export function licencesWord(quantity: number): string {
  return quantity === 1 ? 'one licence' : `${quantity} licences`;
}

/**
 * What a purchase costs, in one sentence (R-LIC-2): "€16.45 for the rest of May (17 of 31 days),
 * then €30.00 a month."
 */
export function costPhrase(quote: QuoteView, locale?: string): string {
  const now = formatMoney(quote.amountMinor, quote.currency, locale);
  const monthly = formatMoney(quote.unitPriceMinor * quote.quantity, quote.currency, locale);
  return `${now} ${periodPhrase(quote, locale)}, then ${monthly} a month`;
}

/**
 * The sentence shown before adding a practitioner or granting access again:
 * "No licence is free. Adding Jane buys one licence: €16.45 for the rest of May (17 of 31 days),
 * then €30.00 a month." `doing` is the action with its person ("Adding Jane").
 */
export function describePurchase(quote: QuoteView, doing: string, locale?: string): string {
  if (quote.quantity === 0) {
    const free = quote.freeLicences;
    return `${free === 1 ? 'One licence is' : `${free} licences are`} free. ${doing} uses one of them: nothing more is charged.`;
  }
  return `No licence is free. ${doing} buys ${licencesWord(quote.quantity)}: ${costPhrase(quote, locale)}.`;
}

/** The bulk purchase line: "3 licences: €27.00 for the rest of November (9 of 30 days), then €90.00 a month." */
export function describeBulkPurchase(quote: QuoteView, locale?: string): string {
  const word = licencesWord(quote.quantity);
  return `${word.charAt(0).toUpperCase()}${word.slice(1)}: ${costPhrase(quote, locale)}.`;
}

/**
 * A removal credits the same prorated amount a purchase on the same day costs (R-LIC-4), so the
 * quote for buying `n` tells what removing `n` gives back.
 */
export function describeCredit(quote: QuoteView, locale?: string): string {
  const back = formatMoney(quote.amountMinor, quote.currency, locale);
  const monthly = formatMoney(quote.unitPriceMinor * quote.quantity, quote.currency, locale);
  return `a credit of ${back} ${periodPhrase(quote, locale)}, and ${monthly} a month less from then on`;
}

/**
 * The ledger's description reads "Licence for Jane (invitation): 1 × €30.00 × 9/30 days from
 * 2026-11-22": what caused the line, then how it was worked out.
 */
export function splitLedgerDescription(description: string): { what: string; calculation: string | null } {
  const at = description.indexOf(': ');
  if (at <= 0) return { what: description, calculation: null };
  return { what: description.slice(0, at), calculation: description.slice(at + 2) };
}

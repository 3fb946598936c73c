/**
 * How invoices read in the console (R-LIC-5..7): their status, their period, the lines shown, and
 * which invoice keeps an organisation in "payment required".
 */
import type { InvoiceDetailView, InvoiceLineView, InvoiceView, PaymentAttemptView } from '../../../src/billing/schemas.ts';
import { formatLocalDate, formatMoney, splitLedgerDescription } from './money.ts';

export interface InvoiceStatusView {
  label: 'Paid' | 'Due' | 'Payment failed' | 'Nothing due' | 'Manual collection';
  color: string;
  /** One sentence for the invoice page. */
  description: string;
}

/**
 * The status badge of an invoice. A due invoice collected manually reads "Manual collection"; a due
 * card invoice reads "Payment failed" once an attempt to charge it failed.
 */
export function invoiceStatus(invoice: Pick<InvoiceView, 'status' | 'collection'>, paymentFailed = false): InvoiceStatusView {
  if (invoice.status === 'paid') return { label: 'Paid', color: 'green', description: 'This invoice is paid.' };
  if (invoice.status === 'nothing_due') {
    return { label: 'Nothing due', color: 'gray', description: 'Credits cover this invoice: nothing is charged.' };
  }
  if (invoice.collection === 'manual') {
    return { label: 'Manual collection', color: 'blue', description: 'Your Motus provider collects this invoice as agreed with you.' };
  }
  if (invoice.status === 'failed' || paymentFailed) {
    return { label: 'Payment failed', color: 'red', description: 'The card on file could not be charged.' };
  }
  return { label: 'Due', color: 'yellow', description: 'This invoice is charged to the card on file.' };
}

/** "2026-11" → "November 2026" (no time-zone shift). */
export function periodName(period: string, locale?: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(period);
  if (!match) return period;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** What an invoice is for: its month, or "Pending charges" when they were invoiced on request. */
export function invoicePeriodLabel(invoice: Pick<InvoiceView, 'period'>, locale?: string): string {
  return invoice.period ? periodName(invoice.period, locale) : 'Pending charges';
}

/**
 * The lines of the invoice table. Credit carried in from earlier invoices is shown once, as
 * "Credit applied" under the subtotal, so its own line is left out: the lines shown add up to the
 * subtotal.
 */
export function tableLines(lines: readonly InvoiceLineView[]): InvoiceLineView[] {
  return lines.filter((line) => line.kind !== 'credit_applied');
}

/**
 * A prorated line reads "22 November 2026: Licence for Jane (invitation): 1 × €30.00 × 9/30 days
 * from 2026-11-22": its date, what caused it, then how it was worked out. Shown as what caused it,
 * with the date and the calculation underneath.
 */
export function splitInvoiceLine(line: Pick<InvoiceLineView, 'kind' | 'description' | 'localDate'>, locale?: string): { what: string; detail: string | null } {
  if ((line.kind !== 'charge' && line.kind !== 'credit') || !line.localDate) return { what: line.description, detail: null };
  const at = line.description.indexOf(': ');
  const rest = at > 0 ? line.description.slice(at + 2) : line.description;
  const { what, calculation } = splitLedgerDescription(rest);
  const date = formatLocalDate(line.localDate, locale);
  // The calculation ends with the date it counts from, which is shown first already.
  const counted = calculation?.replace(/ from \d{4}-\d{2}-\d{2}$/, '');
  return { what, detail: counted ? `${date} · ${counted}` : date };
}

/** Whether any attempt to charge the invoice failed (the newest finished attempt decides). */
export function lastPaymentFailed(payments: readonly PaymentAttemptView[]): boolean {
  const finished = payments.filter((p) => p.status !== 'started');
  const last = finished.reduce<PaymentAttemptView | null>((a, p) => (a === null || p.attempt > a.attempt ? p : a), null);
  return last?.status === 'failed';
}

export function canRetryPayment(invoice: Pick<InvoiceView, 'status' | 'collection'>): boolean {
  return invoice.collection === 'card' && (invoice.status === 'due' || invoice.status === 'failed');
}

/**
 * The invoice that keeps an organisation in "payment required": the oldest card invoice still
 * waiting for payment (it is the first to run out of retries).
 */
export function unpaidInvoice<T extends Pick<InvoiceView, 'number' | 'status' | 'collection'>>(invoices: readonly T[]): T | null {
  return invoices.filter(canRetryPayment).reduce<T | null>((a, i) => (a === null || i.number < a.number ? i : a), null);
}

const FAILURE_REASONS: Record<string, string> = {
  declined: 'the card was declined',
  insufficient_funds: 'insufficient funds',
  expired_card: 'the card has expired',
  invalid_token: 'the card is no longer valid',
  no_payment_method: 'no card is on file',
};

/** "declined" → "the card was declined". */
export function failureReasonText(reason: string | null): string {
  if (!reason) return 'the payment did not go through';
  return FAILURE_REASONS[reason] ?? reason.replace(/_/g, ' ');
}

export function paymentAttemptText(payment: PaymentAttemptView): string {
  if (payment.status === 'succeeded') return 'Paid';
  if (payment.status === 'started') return 'In progress';
  const reason = failureReasonText(payment.failureReason);
  return `Failed: ${reason}`;
}

export interface PayOutcomeView {
  tone: 'green' | 'red' | 'gray';
  title: string;
  message: string;
}

/** What "Retry payment now" did, in words. */
export function payOutcomeView(outcome: 'paid' | 'failed' | 'skipped', invoice: Pick<InvoiceDetailView, 'number' | 'totalMinor' | 'currency' | 'payments' | 'status'>, locale?: string): PayOutcomeView {
  const amount = formatMoney(invoice.totalMinor, invoice.currency, locale);
  if (outcome === 'paid') {
    return { tone: 'green', title: 'Payment received', message: `${amount} was charged. Invoice ${invoice.number} is paid.` };
  }
  if (outcome === 'failed') {
    const last = [...invoice.payments].sort((a, b) => b.attempt - a.attempt).find((p) => p.status === 'failed');
    return {
      tone: 'red',
      title: 'The payment failed',
      message: `${amount} could not be charged: ${failureReasonText(last?.failureReason ?? null)}. Add a card or a backup card, then retry.`,
    };
  }
  return {
    tone: 'gray',
    title: 'Nothing was charged',
    message: invoice.status === 'paid' ? `Invoice ${invoice.number} was already paid.` : `Invoice ${invoice.number} is not waiting for a card payment.`,
  };
}

const WATCH_MS = 90_000;

/**
 * Whether a card invoice was issued moments ago and its first charge may still be on its way, so
 * the console asks again shortly to show the result.
 */
export function collectionUnderway(invoice: Pick<InvoiceView, 'status' | 'collection' | 'issuedAt'> & { payments?: readonly PaymentAttemptView[] }, now: Date = new Date()): boolean {
  if (invoice.collection !== 'card' || invoice.status !== 'due') return false;
  if (invoice.payments && invoice.payments.some((p) => p.status !== 'started')) return false;
  const issued = new Date(invoice.issuedAt).getTime();
  return Number.isFinite(issued) && now.getTime() - issued < WATCH_MS;
}

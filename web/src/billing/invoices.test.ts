import { describe, expect, it } from 'vitest';
import {
  canRetryPayment,
  collectionUnderway,
  failureReasonText,
  invoicePeriodLabel,
  invoiceStatus,
  lastPaymentFailed,
  paymentAttemptText,
  payOutcomeView,
  periodName,
  splitInvoiceLine,
  tableLines,
  unpaidInvoice,
} from './invoices.ts';
import type { InvoiceDetailView, InvoiceLineView, InvoiceView, PaymentAttemptView } from '../../../src/billing/schemas.ts';

const invoice = (over: Partial<InvoiceView> = {}): InvoiceView => ({
  id: 'i-1',
  number: 7,
  kind: 'monthly',
  period: '2026-12',
  issuedAt: '2026-12-01T00:00:05Z',
  localDate: '2026-12-01',
  currency: 'EUR',
  subtotalMinor: 9000,
  creditAppliedMinor: 0,
  totalMinor: 9000,
  creditCarriedMinor: 0,
  collection: 'card',
  status: 'due',
  paidAt: null,
  ...over,
});

const attempt = (n: number, status: PaymentAttemptView['status'], failureReason: string | null = null): PaymentAttemptView => ({
  attempt: n,
  status,
  failureReason,
  at: `2026-12-0${n}T09:00:00Z`,
});

describe('invoiceStatus', () => {
  it('names the five states the console shows', () => {
    expect(invoiceStatus(invoice({ status: 'paid' })).label).toBe('Paid');
    expect(invoiceStatus(invoice()).label).toBe('Due');
    expect(invoiceStatus(invoice({ status: 'failed' })).label).toBe('Payment failed');
    expect(invoiceStatus(invoice({ status: 'nothing_due', totalMinor: 0 })).label).toBe('Nothing due');
    expect(invoiceStatus(invoice({ collection: 'manual' })).label).toBe('Manual collection');
  });

  it('reads a due card invoice whose charge failed as "Payment failed"', () => {
    expect(invoiceStatus(invoice(), true)).toMatchObject({ label: 'Payment failed', color: 'red' });
    // A paid or manually collected invoice keeps its own label.
    expect(invoiceStatus(invoice({ status: 'paid' }), true).label).toBe('Paid');
    expect(invoiceStatus(invoice({ collection: 'manual' }), true).label).toBe('Manual collection');
  });
});

describe('periods', () => {
  it('names a month without shifting it across time zones', () => {
    expect(periodName('2026-12', 'en-GB')).toBe('December 2026');
    expect(periodName('2027-01', 'en-GB')).toBe('January 2027');
    expect(periodName('nonsense')).toBe('nonsense');
  });

  it('calls an invoice without a period "Pending charges"', () => {
    expect(invoicePeriodLabel({ period: null })).toBe('Pending charges');
    expect(invoicePeriodLabel({ period: '2026-11' }, 'en-GB')).toBe('November 2026');
  });
});

describe('tableLines', () => {
  it('leaves the applied credit to the totals, so the lines add up to the subtotal', () => {
    const lines: InvoiceLineView[] = [
      { kind: 'licences', description: '3 licences for December 2026 (3 × €30.00)', quantity: 3, unitPriceMinor: 3000, amountMinor: 9000, localDate: '2026-12-01' },
      { kind: 'credit', description: '20 November 2026: Licence of Jane removed: 1 × €30.00 × 11/30 days from 2026-11-20', quantity: 1, unitPriceMinor: 3000, amountMinor: -1100, localDate: '2026-11-20' },
      { kind: 'credit_applied', description: 'Credit carried forward from earlier invoices', quantity: null, unitPriceMinor: null, amountMinor: -500, localDate: null },
    ];
    const shown = tableLines(lines);
    expect(shown.map((l) => l.kind)).toEqual(['licences', 'credit']);
    expect(shown.reduce((n, l) => n + l.amountMinor, 0)).toBe(7900);
  });
});

describe('splitInvoiceLine', () => {
  it('shows what caused a prorated line, with its date and calculation underneath', () => {
    const line = { kind: 'charge' as const, description: '22 November 2026: Licence for Jane Doe (invitation): 1 × €30.00 × 9/30 days from 2026-11-22', localDate: '2026-11-22' };
    expect(splitInvoiceLine(line, 'en-GB')).toEqual({ what: 'Licence for Jane Doe (invitation)', detail: '22 Nov 2026 · 1 × €30.00 × 9/30 days' });
  });

  it('keeps the licences line and lines without a date whole', () => {
    expect(splitInvoiceLine({ kind: 'licences', description: '3 licences for December 2026 (3 × €30.00)', localDate: '2026-12-01' })).toEqual({
      what: '3 licences for December 2026 (3 × €30.00)',
      detail: null,
    });
    expect(splitInvoiceLine({ kind: 'charge', description: 'Odd line', localDate: null })).toEqual({ what: 'Odd line', detail: null });
  });
});

describe('payments', () => {
  it('tells whether the newest finished attempt failed', () => {
    expect(lastPaymentFailed([])).toBe(false);
    expect(lastPaymentFailed([attempt(1, 'failed', 'declined')])).toBe(true);
    expect(lastPaymentFailed([attempt(2, 'succeeded'), attempt(1, 'failed', 'declined')])).toBe(false);
    expect(lastPaymentFailed([attempt(1, 'failed', 'declined'), attempt(2, 'started')])).toBe(true);
  });

  it('offers a retry only for card invoices waiting for payment', () => {
    expect(canRetryPayment(invoice())).toBe(true);
    expect(canRetryPayment(invoice({ status: 'failed' }))).toBe(true);
    expect(canRetryPayment(invoice({ collection: 'manual' }))).toBe(false);
    expect(canRetryPayment(invoice({ status: 'paid' }))).toBe(false);
    expect(canRetryPayment(invoice({ status: 'nothing_due' }))).toBe(false);
  });

  it('puts failure reasons in words', () => {
    expect(failureReasonText('insufficient_funds')).toBe('insufficient funds');
    expect(failureReasonText('no_payment_method')).toBe('no card is on file');
    expect(failureReasonText('something_else')).toBe('something else');
    expect(failureReasonText(null)).toBe('the payment did not go through');
    expect(paymentAttemptText(attempt(1, 'failed', 'declined'))).toBe('Failed: the card was declined');
    expect(paymentAttemptText(attempt(2, 'succeeded'))).toBe('Paid');
  });
});

describe('unpaidInvoice', () => {
  it('finds the oldest card invoice still waiting for payment', () => {
    const list = [
      invoice({ id: 'c', number: 12 }),
      invoice({ id: 'b', number: 11, collection: 'manual' }),
      invoice({ id: 'a', number: 10 }),
      invoice({ id: 'z', number: 9, status: 'paid' }),
    ];
    expect(unpaidInvoice(list)?.id).toBe('a');
    expect(unpaidInvoice([invoice({ status: 'paid' })])).toBeNull();
    expect(unpaidInvoice([])).toBeNull();
  });
});

describe('payOutcomeView', () => {
  const detail = (over: Partial<InvoiceDetailView> = {}): InvoiceDetailView => ({ ...invoice(), lines: [], payments: [], ...over });

  it('says what "Retry payment now" did', () => {
    expect(payOutcomeView('paid', detail({ status: 'paid' }), 'en-GB')).toEqual({ tone: 'green', title: 'Payment received', message: '€90.00 was charged. Invoice 7 is paid.' });
    const failed = payOutcomeView('failed', detail({ payments: [attempt(1, 'failed', 'declined'), attempt(2, 'failed', 'insufficient_funds')] }), 'en-GB');
    expect(failed.tone).toBe('red');
    expect(failed.message).toContain('€90.00 could not be charged: insufficient funds.');
    expect(payOutcomeView('skipped', detail({ status: 'paid' })).message).toBe('Invoice 7 was already paid.');
  });
});

describe('collectionUnderway', () => {
  const now = new Date('2026-12-01T00:00:30Z');

  it('watches a card invoice issued moments ago until its first charge is done', () => {
    expect(collectionUnderway(invoice(), now)).toBe(true);
    expect(collectionUnderway({ ...invoice(), payments: [attempt(1, 'started')] }, now)).toBe(true);
    expect(collectionUnderway({ ...invoice(), payments: [attempt(1, 'failed', 'declined')] }, now)).toBe(false);
  });

  it('leaves older, paid and manually collected invoices alone', () => {
    expect(collectionUnderway(invoice(), new Date('2026-12-01T00:05:00Z'))).toBe(false);
    expect(collectionUnderway(invoice({ status: 'paid' }), now)).toBe(false);
    expect(collectionUnderway(invoice({ collection: 'manual' }), now)).toBe(false);
  });
});

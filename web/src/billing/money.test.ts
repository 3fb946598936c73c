import { describe, expect, it } from 'vitest';
import { costPhrase, describeBulkPurchase, describeCredit, describePurchase, formatLocalDate, formatMoney, monthName, periodPhrase, signedAmountMinor, splitLedgerDescription } from './money.ts';
import type { QuoteView } from '../../../src/licences/schemas.ts';

const quote = (over: Partial<QuoteView> = {}): QuoteView => ({
  quantity: 1,
  currency: 'EUR',
  unitPriceMinor: 3000,
  amountMinor: 1645,
  localDate: '2026-05-15',
  daysInMonth: 31,
  daysCharged: 17,
  freeLicences: 0,
  paymentMethodRequired: false,
  paymentMethodOnFile: true,
  ...over,
});

describe('formatMoney', () => {
  it('formats minor units in the currency', () => {
    expect(formatMoney(1645, 'EUR', 'en-GB')).toBe('€16.45');
    expect(formatMoney(3000, 'GBP', 'en-GB')).toBe('£30.00');
    expect(formatMoney(-900, 'EUR', 'en-GB')).toBe('-€9.00');
  });

  it('knows currencies without minor units', () => {
    expect(formatMoney(1500, 'JPY', 'en-GB')).toBe('JP¥1,500');
  });

  it('signs credits negative', () => {
    expect(signedAmountMinor({ kind: 'credit', amountMinor: 900 })).toBe(-900);
    expect(signedAmountMinor({ kind: 'charge', amountMinor: 900 })).toBe(900);
  });
});

describe('dates of the billing month', () => {
  it('names the month and the day of a local date without shifting it', () => {
    expect(monthName('2026-05-31', 'en-GB')).toBe('May');
    expect(formatLocalDate('2026-01-01', 'en-GB')).toBe('1 Jan 2026');
    expect(monthName('nonsense', 'en-GB')).toBe('this month');
  });

  it('describes the prorated period', () => {
    expect(periodPhrase(quote(), 'en-GB')).toBe('for the rest of May (17 of 31 days)');
    expect(periodPhrase(quote({ daysCharged: 31 }), 'en-GB')).toBe('for all of May (31 days)');
  });
});

describe('quotes', () => {
  it('says exactly what adding a practitioner costs', () => {
    expect(describePurchase(quote(), 'Adding Jane', 'en-GB')).toBe(
      'No licence is free. Adding Jane buys one licence: €16.45 for the rest of May (17 of 31 days), then €30.00 a month.',
    );
  });

  it('says when a free licence is used', () => {
    expect(describePurchase(quote({ quantity: 0, amountMinor: 0, freeLicences: 2 }), 'Adding Jane', 'en-GB')).toBe(
      '2 licences are free. Adding Jane uses one of them: nothing more is charged.',
    );
    expect(describePurchase(quote({ quantity: 0, amountMinor: 0, freeLicences: 1 }), 'Adding Jane', 'en-GB')).toMatch(/^One licence is free\./);
  });

  it('describes bulk purchases and credits', () => {
    const three = quote({ quantity: 3, amountMinor: 4935 });
    expect(costPhrase(three, 'en-GB')).toBe('€49.35 for the rest of May (17 of 31 days), then €90.00 a month');
    expect(describeBulkPurchase(three, 'en-GB')).toBe('3 licences: €49.35 for the rest of May (17 of 31 days), then €90.00 a month.');
    expect(describeCredit(quote(), 'en-GB')).toBe('a credit of €16.45 for the rest of May (17 of 31 days), and €30.00 a month less from then on');
  });
});

describe('splitLedgerDescription', () => {
  it('separates the cause from the calculation', () => {
    expect(splitLedgerDescription('Licence for Jane (invitation): 1 × €30.00 × 9/30 days from 2026-11-22')).toEqual({
      what: 'Licence for Jane (invitation)',
      calculation: '1 × €30.00 × 9/30 days from 2026-11-22',
    });
    expect(splitLedgerDescription('Manual adjustment')).toEqual({ what: 'Manual adjustment', calculation: null });
  });
});

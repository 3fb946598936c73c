import { describe, expect, it } from 'vitest';
import { colleagueNeedsCard, describeColleagueQuote, describeStart, lastDayOfMonth, removalCreditMinor, startActionLabel, stateView } from './subscription.ts';
import type { SubscriptionQuoteView, SubscriptionView } from '../../../src/subscriptions/schemas.ts';

const quote = (over: Partial<SubscriptionQuoteView> = {}): SubscriptionQuoteView => ({
  currency: 'EUR',
  unitPriceMinor: 3000,
  localDate: '2027-03-05',
  daysInMonth: 31,
  daysCharged: 27,
  startLicences: 0,
  startChargeMinor: 0,
  colleagueLicences: 1,
  colleagueChargeMinor: 2613,
  totalMinor: 2613,
  paymentMethodOnFile: true,
  ...over,
});

const subscription = (over: Partial<SubscriptionView> = {}): SubscriptionView => ({
  id: 's-1',
  name: "Anna Berg's subscription",
  state: 'paid',
  endReason: null,
  status: 'active',
  trialEndsAt: null,
  paidFrom: '2027-03-05',
  endsOn: null,
  lastDay: null,
  creditMinor: 0,
  licences: { purchased: 2, assigned: 1, reserved: 1, free: 0, currency: 'EUR', unitPriceMinor: 3000, monthlyTotalMinor: 6000 },
  timeZone: 'Europe/Berlin',
  startedAt: '2027-03-01T09:00:00.000Z',
  ...over,
});

describe('startActionLabel', () => {
  it('offers the trial, continuing after it, or a restart', () => {
    expect(startActionLabel(null)).toBe('Start free trial');
    expect(startActionLabel({ state: 'trial', endReason: null })).toBe('Continue with a paid subscription');
    expect(startActionLabel({ state: 'ended', endReason: 'trial_ended' })).toBe('Continue with a paid subscription');
    expect(startActionLabel({ state: 'ended', endReason: 'cancelled' })).toBe('Restart subscription');
    expect(startActionLabel({ state: 'ended', endReason: 'joined_organisation' })).toBe('Restart subscription');
  });

  it('offers nothing while the subscription runs', () => {
    expect(startActionLabel({ state: 'paid', endReason: null })).toBeNull();
    expect(startActionLabel({ state: 'cancelling', endReason: null })).toBeNull();
  });
});

describe('stateView', () => {
  it('tells the monthly total of a paid subscription', () => {
    expect(stateView(subscription(), 'en-GB')).toMatchObject({ label: 'Paid', summary: expect.stringContaining('€60.00 a month for 2 licences') });
  });

  it('tells the last day of a cancelled subscription', () => {
    const view = stateView(subscription({ state: 'cancelling', endsOn: '2027-04-01', lastDay: '2027-03-31' }), 'en-GB');
    expect(view.label).toBe('Cancelled');
    expect(view.summary).toContain('ends after 31 Mar 2027');
  });

  it('says why it ended', () => {
    expect(stateView(subscription({ state: 'ended', endReason: 'trial_ended' }), 'en-GB').summary).toContain('free trial has ended');
    expect(stateView(subscription({ state: 'ended', endReason: 'cancelled', lastDay: '2027-03-31' }), 'en-GB').summary).toContain('ended after 31 Mar 2027');
    expect(stateView(subscription({ state: 'ended', endReason: 'joined_organisation' }), 'en-GB').summary).toContain('joined an organisation');
  });
});

describe('lastDayOfMonth', () => {
  it('knows the length of each month, leap years included', () => {
    expect(lastDayOfMonth('2027-03-15')).toBe('2027-03-31');
    expect(lastDayOfMonth('2026-11-01')).toBe('2026-11-30');
    expect(lastDayOfMonth('2028-02-10')).toBe('2028-02-29');
    expect(lastDayOfMonth('2027-02-28')).toBe('2027-02-28');
    expect(lastDayOfMonth('2027-12-31')).toBe('2027-12-31');
  });
});

describe('quotes', () => {
  it('describes continuing after the trial', () => {
    const q = quote({ startLicences: 1, startChargeMinor: 2613, colleagueLicences: 0, colleagueChargeMinor: 0, totalMinor: 2613 });
    expect(describeStart(q, 'en-GB')).toBe('€26.13 for one licence for the rest of March (27 of 31 days), then €30.00 a month.');
  });

  it('describes a colleague added during the trial: their licence, the trial turning paid and the total', () => {
    const q = quote({ startLicences: 1, startChargeMinor: 2613, totalMinor: 5226 });
    expect(describeColleagueQuote(q, 'Ben', 1, 'en-GB')).toEqual([
      'Adding Ben buys one licence: €26.13 for the rest of March (27 of 31 days).',
      'It also turns your free trial into a paid subscription from today: €26.13 for one licence you hold already, for the rest of March (27 of 31 days).',
      'Charged now: €52.26 in all, on your next invoice. Then €60.00 a month.',
    ]);
  });

  it('describes a colleague taking a free licence', () => {
    const q = quote({ colleagueLicences: 0, colleagueChargeMinor: 0, totalMinor: 0 });
    expect(describeColleagueQuote(q, 'Ben', 2, 'en-GB')).toEqual([
      'A licence is free: adding Ben uses it, so no licence is bought.',
      'Nothing more is charged now. Your subscription stays at €60.00 a month.',
    ]);
  });

  it('needs a card for a charge, and for a trial turning paid', () => {
    expect(colleagueNeedsCard(quote({ paymentMethodOnFile: false }), 'paid')).toBe(true);
    expect(colleagueNeedsCard(quote({ paymentMethodOnFile: false, totalMinor: 0 }), 'paid')).toBe(false);
    expect(colleagueNeedsCard(quote({ paymentMethodOnFile: false, totalMinor: 0 }), 'trial')).toBe(true);
    expect(colleagueNeedsCard(quote(), 'trial')).toBe(false);
  });
});

describe('removalCreditMinor', () => {
  it('credits each paid licence for the days left, rounded half-up on its own (R-LIC-4)', () => {
    // 3000 × 27/31 = 2612.90… → 2613 per licence.
    expect(removalCreditMinor(quote(), 1, 'paid')).toBe(2613);
    expect(removalCreditMinor(quote(), 3, 'cancelling')).toBe(7839);
    // 1001 × 1/2 = 500.5 → 501.
    expect(removalCreditMinor({ unitPriceMinor: 1001, daysCharged: 1, daysInMonth: 2 }, 1, 'paid')).toBe(501);
  });

  it('credits nothing for licences never paid for', () => {
    expect(removalCreditMinor(quote(), 1, 'trial')).toBe(0);
    expect(removalCreditMinor(quote(), 1, 'ended')).toBe(0);
  });
});

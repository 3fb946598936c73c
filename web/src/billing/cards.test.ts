import { describe, expect, it } from 'vitest';
import { brandLabel, cardSchema, expiryText, formatCardNumber, fullYear, isExpired, luhnValid, TEST_CARDS, cardDigits } from './cards.ts';

describe('card entry', () => {
  it('groups digits while typing and checks them', () => {
    expect(formatCardNumber('4242424242424242')).toBe('4242 4242 4242 4242');
    expect(formatCardNumber('4242-42a')).toBe('4242 42');
    for (const card of TEST_CARDS) expect(luhnValid(cardDigits(card.number))).toBe(true);
    expect(luhnValid('4242424242424241')).toBe(false);
  });

  it('reads brands and expiry dates', () => {
    expect(brandLabel('visa')).toBe('Visa');
    expect(brandLabel('unionpay')).toBe('Unionpay');
    expect(expiryText(3, 2031)).toBe('03/31');
    expect(fullYear('31')).toBe(2031);
    expect(isExpired(11, 2026, new Date(2026, 10, 30))).toBe(false);
    expect(isExpired(10, 2026, new Date(2026, 10, 1))).toBe(true);
  });

  it('validates the form', () => {
    const schema = cardSchema(new Date(2026, 10, 22));
    expect(schema.safeParse({ number: '4242 4242 4242 4242', expMonth: '12', expYear: '2030', cvc: '123' }).success).toBe(true);
    const bad = schema.safeParse({ number: '4242 4242 4242 4241', expMonth: '13', expYear: '2020', cvc: '12' });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['number', 'expMonth', 'cvc']));
    const expired = schema.safeParse({ number: '4242424242424242', expMonth: '10', expYear: '2026', cvc: '123' });
    expect(expired.error!.issues[0]!.message).toBe('This card has expired.');
  });
});

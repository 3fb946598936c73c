import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canRemoveLicences, freeLicences, licencesToBuy } from './pool.ts';
import { daysInMonth, localDateIn, proratedAmount } from './proration.ts';

describe('proration (R-LIC-4)', () => {
  it('charges price × (D − d + 1) / D, rounded half-up', () => {
    // 30.00 EUR on 15 May (31 days): 3000 × 17 / 31 = 1645.16 → 1645
    expect(proratedAmount(3000, 1, { year: 2026, month: 5, day: 15 })).toBe(1645);
    // 20 May: 3000 × 12 / 31 = 1161.29 → 1161
    expect(proratedAmount(3000, 1, { year: 2026, month: 5, day: 20 })).toBe(1161);
    // the first day is the whole price, the last day one day's worth
    expect(proratedAmount(3000, 1, { year: 2026, month: 5, day: 1 })).toBe(3000);
    expect(proratedAmount(3000, 1, { year: 2026, month: 2, day: 28 })).toBe(107); // 3000/28 = 107.14
    // exactly half rounds up: 100 × 1 / 8? no month has 8 days; 1 × 15 / 30 = 0.5 → 1
    expect(proratedAmount(1, 1, { year: 2026, month: 6, day: 16 })).toBe(1);
    expect(proratedAmount(3, 1, { year: 2026, month: 6, day: 26 })).toBe(1); // 3 × 5 / 30 = 0.5 → 1
  });

  it('knows the length of every month, leap years included', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2026, m))).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect(daysInMonth(2028, 2)).toBe(29);
  });

  it('adding and removing on the same day nets to zero, however the licences are grouped', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 2000, max: 2100 }),
        fc.integer({ min: 1, max: 12 }),
        fc.nat(),
        (price, adds, removalSplits, year, month, dayRaw) => {
          const date = { year, month, day: (dayRaw % daysInMonth(year, month)) + 1 };
          const added = adds.reduce((a, b) => a + b, 0);
          // Remove exactly what was added, in other groups (one by one, in bulk, …).
          const removals: number[] = [];
          let left = added;
          for (const r of removalSplits) {
            if (left === 0) break;
            const q = Math.min(r, left);
            removals.push(q);
            left -= q;
          }
          if (left > 0) removals.push(left);
          const charged = adds.reduce((n, q) => n + proratedAmount(price, q, date), 0);
          const credited = removals.reduce((n, q) => n + proratedAmount(price, q, date), 0);
          expect(charged - credited).toBe(0);
        },
      ),
    );
  });

  it('is within half a minor unit of the exact value, and never more than the full price', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 12 }), fc.nat(), (price, qty, month, dayRaw) => {
        const D = daysInMonth(2027, month);
        const day = (dayRaw % D) + 1;
        const amount = proratedAmount(price, qty, { year: 2027, month, day });
        const exact = (price * qty * (D - day + 1)) / D;
        // Each licence is within half a minor unit of its exact share.
        expect(Math.abs(amount - exact)).toBeLessThanOrEqual(0.5 * qty + 1e-6);
        expect(amount).toBeLessThanOrEqual(price * qty);
        expect(Number.isInteger(amount)).toBe(true);
      }),
    );
  });

  it('takes the calendar day in the billing time zone', () => {
    const instant = new Date('2026-05-31T23:30:00Z');
    expect(localDateIn(instant, 'Europe/Berlin')).toEqual({ year: 2026, month: 6, day: 1 });
    expect(localDateIn(instant, 'America/New_York')).toEqual({ year: 2026, month: 5, day: 31 });
  });

  it('refuses nonsense', () => {
    expect(() => proratedAmount(-1, 1, { year: 2026, month: 5, day: 1 })).toThrow(RangeError);
    expect(() => proratedAmount(100, 1, { year: 2026, month: 2, day: 29 })).toThrow(RangeError);
    expect(() => proratedAmount(1.5, 1, { year: 2026, month: 2, day: 1 })).toThrow(RangeError);
  });
});

describe('licence pool arithmetic (R-LIC-1, R-LIC-3)', () => {
  it('free = purchased − assigned − reserved; buys only what is missing; never removes below use', () => {
    const p = { purchased: 5, assigned: 3, reserved: 1 };
    expect(freeLicences(p)).toBe(1);
    expect(licencesToBuy(p, 1)).toBe(0);
    expect(licencesToBuy(p, 3)).toBe(2);
    expect(canRemoveLicences(p, 1)).toBe(true);
    expect(canRemoveLicences(p, 2)).toBe(false);
    expect(canRemoveLicences(p, 0)).toBe(false);
  });
});

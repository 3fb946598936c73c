/** Card entry for the payment-methods form (R-LIC-7). The card number is sent once, never kept. */
import { z } from 'zod';

/** The test gateway's documented card numbers (src/billing/gateway.ts). */
export const TEST_CARDS = [
  { number: '4242 4242 4242 4242', brand: 'Visa', outcome: 'Payments succeed' },
  { number: '5555 5555 5555 4444', brand: 'Mastercard', outcome: 'Payments succeed' },
  { number: '4000 0000 0000 0002', brand: 'Visa', outcome: 'Declined when charged' },
  { number: '4000 0000 0000 9995', brand: 'Visa', outcome: 'Insufficient funds when charged' },
] as const;

export function cardDigits(value: string): string {
  return value.replace(/[\s-]/g, '');
}

/** "4242424242424242" → "4242 4242 4242 4242" while typing. */
export function formatCardNumber(value: string): string {
  const digits = value.replace(/\D/g, '').slice(0, 19);
  return digits.replace(/(\d{4})(?=\d)/g, '$1 ');
}

export function luhnValid(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function brandLabel(brand: string): string {
  const known: Record<string, string> = { visa: 'Visa', mastercard: 'Mastercard', amex: 'American Express', discover: 'Discover' };
  return known[brand.toLowerCase()] ?? brand.charAt(0).toUpperCase() + brand.slice(1);
}

export function expiryText(month: number, year: number): string {
  return `${String(month).padStart(2, '0')}/${String(year).slice(-2)}`;
}

/** Whether a card has expired by `now` (it is valid through the end of its expiry month). */
export function isExpired(month: number, year: number, now: Date = new Date()): boolean {
  return new Date(year, month, 1).getTime() <= now.getTime();
}

/** Two-digit years become 20xx. */
export function fullYear(value: string): number {
  const n = Number(value.trim());
  return value.trim().length <= 2 ? 2000 + n : n;
}

export function cardSchema(now: Date = new Date()) {
  return z
    .object({
      number: z
        .string()
        .refine((v) => cardDigits(v).length > 0, 'Enter the card number.')
        .refine((v) => cardDigits(v).length === 0 || luhnValid(cardDigits(v)), 'Check the card number: it is not a valid card number.'),
      expMonth: z
        .string()
        .trim()
        .min(1, 'Enter the month.')
        .refine((v) => /^\d{1,2}$/.test(v) && Number(v) >= 1 && Number(v) <= 12, 'Use 1 to 12.'),
      expYear: z
        .string()
        .trim()
        .min(1, 'Enter the year.')
        .refine((v) => /^(\d{2}|\d{4})$/.test(v), 'Use four digits, like 2030.'),
      cvc: z.string().trim().regex(/^\d{3,4}$/, 'Three or four digits, from the back of the card.'),
    })
    .superRefine((values, ctx) => {
      const month = Number(values.expMonth);
      const year = fullYear(values.expYear);
      if (month >= 1 && month <= 12 && /^(\d{2}|\d{4})$/.test(values.expYear.trim()) && isExpired(month, year, now)) {
        ctx.addIssue({ code: 'custom', path: ['expYear'], message: 'This card has expired.' });
      }
    });
}

export type CardValues = z.input<ReturnType<typeof cardSchema>>;

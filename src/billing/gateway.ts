import { randomToken } from '../platform/crypto.ts';
import type { Db } from '../platform/db/database.ts';

/**
 * R-LIC-7: Motus talks to payment processors only through this interface. Motus stores the
 * processor's token, the brand, the last four digits and the expiry — never a card number.
 */
export interface CardDetails {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

export interface TokenisedCard {
  token: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

export type ChargeResult =
  | { ok: true; reference: string }
  | { ok: false; reason: 'declined' | 'insufficient_funds' | 'expired_card' | 'invalid_token'; message: string };

export interface PaymentGateway {
  readonly name: string;
  tokenise(card: CardDetails): Promise<TokenisedCard>;
  /** Charges once per `reference`: a repeated reference answers with the first result. */
  charge(input: { token: string; amountMinor: number; currency: string; reference: string }): Promise<ChargeResult>;
}

export class CardRejectedError extends Error {
  readonly reason: string;
  constructor(reason: string, message: string) {
    super(message);
    this.reason = reason;
  }
}

/**
 * The built-in test gateway. Documented test numbers (any future expiry, any 3-digit CVC):
 *   4242 4242 4242 4242  Visa, payments succeed
 *   5555 5555 5555 4444  Mastercard, payments succeed
 *   4000 0000 0000 0002  Visa, payments are declined
 *   4000 0000 0000 9995  Visa, payments fail for insufficient funds
 * Any other number that passes the Luhn check is refused at tokenisation.
 */
export const TEST_CARDS: Record<string, { brand: string; outcome: 'success' | 'declined' | 'insufficient_funds' }> = {
  '4242424242424242': { brand: 'visa', outcome: 'success' },
  '5555555555554444': { brand: 'mastercard', outcome: 'success' },
  '4000000000000002': { brand: 'visa', outcome: 'declined' },
  '4000000000009995': { brand: 'visa', outcome: 'insufficient_funds' },
};

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length >= 12 && sum % 10 === 0;
}

export class TestGateway implements PaymentGateway {
  readonly name = 'test';
  readonly #now: () => Date;
  readonly #db: Db;

  /** Keeps its charges in the database, as a real gateway keeps them on its side. */
  constructor(db: Db, now: () => Date = () => new Date()) {
    this.#db = db;
    this.#now = now;
  }

  async tokenise(card: CardDetails): Promise<TokenisedCard> {
    const number = card.number.replace(/[\s-]/g, '');
    if (!/^\d{12,19}$/.test(number) || !luhnValid(number)) throw new CardRejectedError('invalid_number', 'The card number is not valid.');
    const known = TEST_CARDS[number];
    if (!known) throw new CardRejectedError('unknown_test_card', 'The test gateway accepts only its documented test card numbers.');
    const now = this.#now();
    const expiry = new Date(Date.UTC(card.expYear, card.expMonth, 1));
    if (expiry.getTime() <= now.getTime()) throw new CardRejectedError('expired_card', 'The card has expired.');
    if (!/^\d{3,4}$/.test(card.cvc)) throw new CardRejectedError('invalid_cvc', 'The security code is not valid.');
    // The token encodes only the test outcome, so that it survives restarts without keeping numbers.
    const token = `test_${known.outcome}_${randomToken(12)}`;
    return { token, brand: known.brand, last4: number.slice(-4), expMonth: card.expMonth, expYear: card.expYear };
  }

  async charge(input: { token: string; amountMinor: number; currency: string; reference: string }): Promise<ChargeResult> {
    const seen = await this.#db.selectFrom('test_gateway_charges').select('outcome').where('reference', '=', input.reference).executeTakeFirst();
    if (seen) return JSON.parse(seen.outcome) as ChargeResult;
    const m = /^test_(success|declined|insufficient_funds)_/.exec(input.token);
    const result: ChargeResult = !m
      ? { ok: false, reason: 'invalid_token', message: 'Unknown payment method.' }
      : m[1] === 'declined'
        ? { ok: false, reason: 'declined', message: 'The card was declined.' }
        : m[1] === 'insufficient_funds'
          ? { ok: false, reason: 'insufficient_funds', message: 'The card has insufficient funds.' }
          : { ok: true, reference: `test_charge_${randomToken(9)}` };
    await this.#db
      .insertInto('test_gateway_charges')
      .values({ reference: input.reference, token: input.token, amount_minor: input.amountMinor, currency: input.currency, outcome: JSON.stringify(result), created_at: this.#now() })
      .onConflict((oc) => oc.column('reference').doNothing())
      .execute();
    const stored = await this.#db.selectFrom('test_gateway_charges').select('outcome').where('reference', '=', input.reference).executeTakeFirstOrThrow();
    return JSON.parse(stored.outcome) as ChargeResult;
  }

  /** How many distinct charges succeeded for references starting with `prefix` (tests). */
  async successfulCharges(prefix: string): Promise<number> {
    const rows = await this.#db.selectFrom('test_gateway_charges').select('outcome').where('reference', 'like', `${prefix}%`).execute();
    return rows.filter((r) => (JSON.parse(r.outcome) as ChargeResult).ok).length;
  }
}

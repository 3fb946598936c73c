import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/audit/verify.ts';
import { TestGateway } from '../src/billing/gateway.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import type { Client } from './support/client.ts';
import { buyLicences, joinedMember, organisationWithOwner, sessionIdOf } from './support/factories.ts';

// R-LIC-7: cards are added by the owner, kept only as the gateway's token, brand, last four digits
// and expiry; one backup may be added; one card stays while the organisation is billed by card.

const ALL_SECTIONS = ['users', 'sharing', 'defaults', 'security', 'import', 'audit'];

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-05-15T10:00:00Z');
});
afterAll(async () => {
  await t?.close();
});

function card(number: string, extra: Partial<{ expMonth: number; expYear: number; cvc: string }> = {}) {
  return { number, expMonth: 12, expYear: 2030, cvc: '123', ...extra };
}

function addCard(owner: Client, orgId: string, body: ReturnType<typeof card>) {
  return owner.post(`/api/organisations/${orgId}/payment-methods`, body);
}

async function cardsOf(owner: Client, orgId: string): Promise<Array<{ id: string; last4: string; role: string; brand: string }>> {
  const res = await owner.get(`/api/organisations/${orgId}/payment-methods`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().paymentMethods;
}

async function auditOf(action: string, targetId: string) {
  return t.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('target_id', '=', targetId).execute();
}

describe('adding cards (R-LIC-7)', () => {
  it('the owner adds a primary card, then a backup; a third is refused (409)', async () => {
    const { owner, orgId } = await organisationWithOwner(t);
    expect(await cardsOf(owner.client, orgId)).toEqual([]);

    const first = await addCard(owner.client, orgId, card('4242 4242 4242 4242', { expMonth: 11, expYear: 2031 }));
    expect(first.statusCode).toBe(201);
    expect(first.json().paymentMethod).toEqual({ id: expect.any(String), brand: 'visa', last4: '4242', expMonth: 11, expYear: 2031, role: 'primary', createdAt: '2026-05-15T10:00:00.000Z' });
    const second = await addCard(owner.client, orgId, card('5555-5555-5555-4444'));
    expect(second.statusCode).toBe(201);
    expect(second.json().paymentMethod).toMatchObject({ brand: 'mastercard', last4: '4444', role: 'backup' });

    const third = await addCard(owner.client, orgId, card('4242424242424242'));
    expect(third.statusCode).toBe(409);
    expect(third.json().error).toMatchObject({ code: 'payment_methods_full', details: { rule: 'R-LIC-7' } });
    const cards = await cardsOf(owner.client, orgId);
    expect(cards.map((c) => [c.last4, c.role])).toEqual([
      ['4242', 'primary'],
      ['4444', 'backup'],
    ]);

    // R-AUD-1: each addition is recorded in the organisation, by the owner in their session.
    const sessionId = await sessionIdOf(owner.client);
    for (const [res, details] of [
      [first, { brand: 'visa', last4: '4242', role: 'primary' }],
      [second, { brand: 'mastercard', last4: '4444', role: 'backup' }],
    ] as const) {
      const records = await auditOf('payment_method.added', res.json().paymentMethod.id);
      expect(records).toEqual([
        expect.objectContaining({ organisation_id: orgId, account_id: owner.accountId, session_id: sessionId, outcome: 'success', target_type: 'payment_method', details }),
      ]);
    }
  });

  it('is the owner\'s alone: an admin with every section and a practitioner get 403 owner_only; another organisation\'s owner gets 404', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    await buyLicences(owner.client, orgId, 1);
    const admin = await joinedMember(t, owner.client, orgId, { name: 'Ada Admin', practitioner: false, sections: ALL_SECTIONS });
    const physio = await joinedMember(t, owner.client, orgId, { name: 'Phil Physio' });
    const [onFile] = await cardsOf(owner.client, orgId);

    for (const person of [admin, physio]) {
      const list = await person.client.get(`/api/organisations/${orgId}/payment-methods`);
      const add = await addCard(person.client, orgId, card('5555 5555 5555 4444'));
      const remove = await person.client.delete(`/api/organisations/${orgId}/payment-methods/${onFile!.id}`);
      for (const res of [list, add, remove]) {
        expect(res.statusCode).toBe(403);
        expect(res.json().error).toMatchObject({ code: 'owner_only', details: { rule: 'R-ORG-3' } });
      }
    }

    const other = await organisationWithOwner(t, { card: true });
    const notFound = [
      await other.owner.client.get(`/api/organisations/${orgId}/payment-methods`),
      await addCard(other.owner.client, orgId, card('5555 5555 5555 4444')),
      await other.owner.client.delete(`/api/organisations/${orgId}/payment-methods/${onFile!.id}`),
      // Another organisation's card through one's own organisation: not found either.
      await other.owner.client.delete(`/api/organisations/${other.orgId}/payment-methods/${onFile!.id}`),
    ];
    for (const res of notFound) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    expect(await cardsOf(owner.client, orgId)).toEqual([expect.objectContaining({ id: onFile!.id, role: 'primary' })]);
    expect(await cardsOf(other.owner.client, other.orgId)).toHaveLength(1);
    expect(await t.database.db.selectFrom('payment_methods').select('id').where('organisation_id', '=', orgId).execute()).toHaveLength(1);
  });

  it('stores only the gateway token, brand, last four digits and expiry; the audit details hold only brand, last four and role', async () => {
    const { owner, orgId } = await organisationWithOwner(t);
    const number = '4242 4242 4242 4242';
    const cvc = '7319';
    const res = await addCard(owner.client, orgId, card(number, { cvc, expMonth: 9, expYear: 2032 }));
    expect(res.statusCode).toBe(201);
    const id = res.json().paymentMethod.id as string;

    const { rows } = await sql<Record<string, unknown>>`select * from payment_methods where organisation_id = ${orgId}`.execute(t.database.db);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(Object.keys(row).sort()).toEqual(['brand', 'created_at', 'exp_month', 'exp_year', 'gateway', 'gateway_token', 'id', 'last4', 'organisation_id', 'removed_at', 'role']);
    expect(row).toMatchObject({ id, organisation_id: orgId, gateway: 'test', brand: 'visa', last4: '4242', exp_month: 9, exp_year: 2032, role: 'primary', removed_at: null });
    const digits = number.replace(/ /g, '');
    for (const [column, value] of Object.entries(row)) {
      const text = value instanceof Date ? value.toISOString() : String(value);
      expect(text, column).not.toContain(digits);
      expect(text, column).not.toContain(number);
      // The ids are checked above to be the row's own and the organisation's: they hold nothing of the card.
      if (column !== 'id' && column !== 'organisation_id') expect(text, column).not.toContain(cvc);
    }
    expect(String(row.gateway_token)).toMatch(/^test_success_[A-Za-z0-9_-]+$/);

    const [record] = await auditOf('payment_method.added', id);
    expect(record!.details).toEqual({ brand: 'visa', last4: '4242', role: 'primary' });
    const everything = JSON.stringify(await t.database.db.selectFrom('audit_log').selectAll().where('organisation_id', '=', orgId).execute());
    expect(everything).not.toContain(digits);
    expect(everything).not.toContain(String(row.gateway_token));
  });
});

describe('card numbers the gateway refuses (R-LIC-7, SPEC section 12)', () => {
  it('400 at body.number for a Luhn failure, a number the test gateway does not know, and an expired card; nothing is stored', async () => {
    const { owner, orgId } = await organisationWithOwner(t);
    const cases: Array<[ReturnType<typeof card>, string]> = [
      [card('4242 4242 4242 4241'), 'invalid_number'],
      // A valid Luhn number, but not one of the test gateway's documented numbers.
      [card('4111 1111 1111 1111'), 'unknown_test_card'],
      // The clock says 15 May 2026: April 2026 and December 2025 are past.
      [card('4242 4242 4242 4242', { expMonth: 4, expYear: 2026 }), 'expired_card'],
      [card('4242 4242 4242 4242', { expMonth: 12, expYear: 2025 }), 'expired_card'],
    ];
    for (const [body, code] of cases) {
      const res = await addCard(owner.client, orgId, body);
      expect(res.statusCode, `${body.number} ${body.expMonth}/${body.expYear}`).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'validation_failed', details: [{ path: 'body.number', code }] });
    }
    expect(await cardsOf(owner.client, orgId)).toEqual([]);
    expect(await t.database.db.selectFrom('payment_methods').select('id').where('organisation_id', '=', orgId).execute()).toEqual([]);

    // A card expiring at the end of this month is still good.
    const thisMonth = await addCard(owner.client, orgId, card('4242 4242 4242 4242', { expMonth: 5, expYear: 2026 }));
    expect(thisMonth.statusCode, thisMonth.body).toBe(201);
  });

  it('the decline and insufficient-funds test cards can be added: they fail only when charged', async () => {
    const { owner, orgId } = await organisationWithOwner(t);
    const declined = await addCard(owner.client, orgId, card('4000 0000 0000 0002'));
    expect(declined.statusCode).toBe(201);
    expect(declined.json().paymentMethod).toMatchObject({ brand: 'visa', last4: '0002', role: 'primary' });
    const poor = await addCard(owner.client, orgId, card('4000 0000 0000 9995'));
    expect(poor.statusCode).toBe(201);
    expect(poor.json().paymentMethod).toMatchObject({ brand: 'visa', last4: '9995', role: 'backup' });

    // A charge through the gateway with what was stored fails as documented.
    const gateway = new TestGateway(t.database.db, () => t.clock.now());
    const tokens = await t.database.db.selectFrom('payment_methods').select(['last4', 'gateway_token']).where('organisation_id', '=', orgId).execute();
    const outcome = async (last4: string) =>
      gateway.charge({ token: tokens.find((r) => r.last4 === last4)!.gateway_token, amountMinor: 1645, currency: 'EUR', reference: `test-${last4}` });
    expect(await outcome('0002')).toMatchObject({ ok: false, reason: 'declined' });
    expect(await outcome('9995')).toMatchObject({ ok: false, reason: 'insufficient_funds' });

    // With them on file, a licence can be bought (collection happens on the invoice).
    const quote = (await owner.client.get(`/api/organisations/${orgId}/licences/quote?quantity=1&bulk=true`)).json().quote;
    expect(quote).toMatchObject({ paymentMethodOnFile: true, paymentMethodRequired: false });
  });
});

describe('removing cards (R-LIC-7)', () => {
  it('the only card of a card-billed organisation stays (409); removing the primary promotes the backup; the list shows cards not removed', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const [only] = await cardsOf(owner.client, orgId);
    const refused = await owner.client.delete(`/api/organisations/${orgId}/payment-methods/${only!.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'last_payment_method', details: { rule: 'R-LIC-7' } });
    expect(await cardsOf(owner.client, orgId)).toEqual([expect.objectContaining({ id: only!.id, role: 'primary' })]);

    const backup = (await addCard(owner.client, orgId, card('5555 5555 5555 4444'))).json().paymentMethod;
    expect(backup.role).toBe('backup');
    const removed = await owner.client.delete(`/api/organisations/${orgId}/payment-methods/${only!.id}`);
    expect(removed.statusCode).toBe(200);
    expect(removed.json().paymentMethods).toEqual([expect.objectContaining({ id: backup.id, last4: '4444', role: 'primary' })]);
    expect(await cardsOf(owner.client, orgId)).toEqual([expect.objectContaining({ id: backup.id, role: 'primary' })]);
    // The removed card is kept as history, marked removed; it cannot be removed again.
    const kept = await t.database.db.selectFrom('payment_methods').select(['id', 'removed_at']).where('id', '=', only!.id).executeTakeFirstOrThrow();
    expect(kept.removed_at?.toISOString()).toBe('2026-05-15T10:00:00.000Z');
    expect((await owner.client.delete(`/api/organisations/${orgId}/payment-methods/${only!.id}`)).statusCode).toBe(404);
    expect((await owner.client.delete(`/api/organisations/${orgId}/payment-methods/00000000-0000-4000-8000-000000000000`)).statusCode).toBe(404);

    const sessionId = await sessionIdOf(owner.client);
    const actor = { organisation_id: orgId, account_id: owner.accountId, session_id: sessionId, outcome: 'success' };
    expect(await auditOf('payment_method.removed', only!.id)).toEqual([expect.objectContaining({ ...actor, details: { brand: 'visa', last4: '4242', role: 'primary' } })]);
    expect(await auditOf('payment_method.promoted', backup.id)).toEqual([expect.objectContaining({ ...actor, details: { brand: 'mastercard', last4: '4444', role: 'primary' } })]);

    // The promoted card is now the only one, and stays.
    expect((await owner.client.delete(`/api/organisations/${orgId}/payment-methods/${backup.id}`)).json().error.code).toBe('last_payment_method');
    // A new card is the backup; removing the backup leaves the primary alone.
    const another = (await addCard(owner.client, orgId, card('4242 4242 4242 4242'))).json().paymentMethod;
    expect(another.role).toBe('backup');
    const dropBackup = await owner.client.delete(`/api/organisations/${orgId}/payment-methods/${another.id}`);
    expect(dropBackup.json().paymentMethods).toEqual([expect.objectContaining({ id: backup.id, role: 'primary' })]);
    expect(await auditOf('payment_method.promoted', another.id)).toEqual([]);
  });

  it('a manually billed organisation may remove its only card', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    // As `motus org create --manual-billing` sets it up.
    await t.database.db.updateTable('organisations').set({ billing_mode: 'manual' }).where('id', '=', orgId).execute();
    const [only] = await cardsOf(owner.client, orgId);
    const res = await owner.client.delete(`/api/organisations/${orgId}/payment-methods/${only!.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().paymentMethods).toEqual([]);
  });
});

describe('the audit trail of this file (R-AUD-3)', () => {
  it('verifies', async () => {
    const report = await verifyAuditChain(t.database.db);
    expect(report.firstBroken).toBeNull();
    expect(report.ok).toBe(true);
  });
});

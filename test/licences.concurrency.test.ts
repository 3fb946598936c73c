import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.ts';
import { Client, GOOD_PASSWORD, uniqueEmail } from './support/client.ts';
import { buyLicences, latestLinkToken, organisationWithOwner, verifiedClient } from './support/factories.ts';

// R-LIC-9: licence counts and charges are exact under concurrency. On PostgreSQL (TEST_DATABASE_URL)
// the requests really run in parallel on a connection pool; on PGlite they queue on one connection.

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-05-15T10:00:00Z');
});
afterAll(async () => {
  await t?.close();
});

async function poolOf(owner: Client, orgId: string) {
  return (await owner.get(`/api/organisations/${orgId}/licences`)).json().pool as { purchased: number; assigned: number; reserved: number; free: number };
}

async function ledgerOf(owner: Client, orgId: string) {
  return (await owner.get(`/api/organisations/${orgId}/ledger?limit=500`)).json() as { entries: Array<{ kind: string; cause: string; amountMinor: number; quantity: number }> };
}

describe('concurrent invitations (R-LIC-2, R-LIC-9)', () => {
  it('200 at once with 5 free licences and a card: 5 use free licences, 195 buy one each, 195 charges', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    await buyLicences(owner.client, orgId, 5);
    // With free licences left, adding one practitioner costs nothing; buying one costs 3000 × 17/31 on 15 May.
    expect((await owner.client.get(`/api/organisations/${orgId}/licences/quote?quantity=1`)).json().quote).toMatchObject({ quantity: 0, amountMinor: 0, freeLicences: 5 });
    expect((await owner.client.get(`/api/organisations/${orgId}/licences/quote?quantity=1&bulk=true`)).json().quote).toMatchObject({ quantity: 1, amountMinor: 1645 });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        owner.client.post(`/api/organisations/${orgId}/invitations`, { name: `Person ${i}`, email: uniqueEmail(`c${i}`), confirmedChargeMinor: 1645 }),
      ),
    );
    expect(results.map((r) => r.statusCode).filter((s) => s !== 201)).toEqual([]);
    const bought = results.filter((r) => r.json().licenceBought === true);
    expect(bought).toHaveLength(195);
    expect(results.filter((r) => r.json().licenceBought === false)).toHaveLength(5);
    expect(await poolOf(owner.client, orgId)).toMatchObject({ purchased: 200, assigned: 0, reserved: 200, free: 0 });
    const { entries } = await ledgerOf(owner.client, orgId);
    const invitationCharges = entries.filter((e) => e.cause === 'invitation');
    expect(invitationCharges).toHaveLength(195);
    expect(invitationCharges.every((e) => e.kind === 'charge' && e.amountMinor === 1645 && e.quantity === 1)).toBe(true);
  });

  it('200 at once with 5 free licences and no payment method: 5 succeed, 195 refused, nothing else changes', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    await buyLicences(owner.client, orgId, 5);
    // Remove the card: a second one is needed to remove the first, so this organisation is set up
    // by the operator as billed by card with no method on file.
    await t.database.db.updateTable('payment_methods').set({ removed_at: t.clock.now() }).where('organisation_id', '=', orgId).execute();
    const before = await ledgerOf(owner.client, orgId);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        owner.client.post(`/api/organisations/${orgId}/invitations`, { name: `Person ${i}`, email: uniqueEmail(`n${i}`), confirmedChargeMinor: 1645 }),
      ),
    );
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(5);
    const refused = results.filter((r) => r.statusCode === 402);
    expect(refused).toHaveLength(195);
    expect(refused.every((r) => r.json().error.code === 'payment_method_required')).toBe(true);
    expect(await poolOf(owner.client, orgId)).toMatchObject({ purchased: 5, assigned: 0, reserved: 5, free: 0 });
    expect((await ledgerOf(owner.client, orgId)).entries).toHaveLength(before.entries.length);
    const invited = await t.database.db.selectFrom('memberships').select('id').where('organisation_id', '=', orgId).where('state', '=', 'invited').execute();
    expect(invited).toHaveLength(5);
  });
});

describe('concurrent accepts and removals (R-LIC-9)', () => {
  it('50 parallel accepts of one emailed invitation create one account and one membership', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    await buyLicences(owner.client, orgId, 1);
    const email = uniqueEmail('race');
    await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Rae Race', email });
    const token = await latestLinkToken(t, email, '/invitations/accept');
    const results = await Promise.all(Array.from({ length: 50 }, () => new Client(t.app).post('/api/invitations/accept', { token, password: GOOD_PASSWORD })));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(results.every((r) => r.statusCode < 500)).toBe(true);
    const accounts = await t.database.db.selectFrom('accounts').select('id').where('email', '=', email).execute();
    expect(accounts).toHaveLength(1);
    const members = await t.database.db.selectFrom('memberships').select(['state']).where('organisation_id', '=', orgId).where('email', '=', email).execute();
    expect(members).toEqual([{ state: 'active' }]);
    expect(await poolOf(owner.client, orgId)).toMatchObject({ purchased: 1, assigned: 1, reserved: 0 });
  });

  it('50 parallel accepts by the signed-in invitee leave one membership and one assigned licence', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    await buyLicences(owner.client, orgId, 1);
    const invitee = await verifiedClient(t, 'Ida Invitee');
    const inv = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Ida Invitee', email: invitee.email });
    const id = inv.json().member.id;
    const results = await Promise.all(Array.from({ length: 50 }, () => invitee.client.post(`/api/invitations/${id}/accept`)));
    expect(results.every((r) => r.statusCode === 200)).toBe(true);
    const members = await t.database.db.selectFrom('memberships').select(['state']).where('organisation_id', '=', orgId).where('email', '=', invitee.email).execute();
    expect(members).toEqual([{ state: 'active' }]);
    expect(await poolOf(owner.client, orgId)).toMatchObject({ assigned: 1, reserved: 0 });
    const accepted = await t.database.db.selectFrom('audit_log').select('id').where('action', '=', 'membership.accepted').where('target_id', '=', id).execute();
    expect(accepted).toHaveLength(1);
  });

  it('two admins removing access to the same practitioner at once free exactly one licence', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    await buyLicences(owner.client, orgId, 2);
    // A second admin with the Users section.
    const admin = await verifiedClient(t, 'Ada Admin');
    const adminInv = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Ada Admin', email: admin.email, practitioner: false, admin: { sections: ['users'] } });
    await admin.client.post(`/api/invitations/${adminInv.json().member.id}/accept`);
    const physio = await verifiedClient(t, 'Phil Physio');
    const inv = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Phil Physio', email: physio.email });
    await physio.client.post(`/api/invitations/${inv.json().member.id}/accept`);
    const memberId = inv.json().member.id;
    expect(await poolOf(owner.client, orgId)).toMatchObject({ purchased: 2, assigned: 1, free: 1 });

    const [a, b] = await Promise.all([
      owner.client.post(`/api/organisations/${orgId}/members/${memberId}/remove-access`),
      admin.client.post(`/api/organisations/${orgId}/members/${memberId}/remove-access`),
    ]);
    expect([a!.statusCode, b!.statusCode].sort()).toEqual([200, 409]);
    expect([a!, b!].find((r) => r.statusCode === 409)!.json().error.code).toBe('state_transition_not_allowed');
    expect(await poolOf(owner.client, orgId)).toMatchObject({ purchased: 2, assigned: 0, free: 2 });
  });
});

describe('idempotency (R-LIC-8)', () => {
  it('a replay returns the first answer and changes nothing; another body with the same key is 422', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const quote = (await owner.client.get(`/api/organisations/${orgId}/licences/quote?quantity=3&bulk=true`)).json().quote;
    const send = (quantity: number) =>
      owner.client.request('POST', `/api/organisations/${orgId}/licences/purchase`, { quantity, confirmedChargeMinor: quantity === 3 ? quote.amountMinor : 0 }, { 'idempotency-key': 'buy-three-licences-0001' });
    const first = await send(3);
    expect(first.statusCode).toBe(200);
    expect(first.headers['idempotent-replayed']).toBe('false');
    const replays = await Promise.all([send(3), send(3), send(3)]);
    for (const r of replays) {
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual(first.json());
      expect(r.headers['idempotent-replayed']).toBe('true');
    }
    expect(await poolOf(owner.client, orgId)).toMatchObject({ purchased: 3 });
    expect((await ledgerOf(owner.client, orgId)).entries).toHaveLength(1);
    const other = await send(4);
    expect(other.statusCode).toBe(422);
    expect(other.json().error).toMatchObject({ code: 'idempotency_key_reused', details: { rule: 'R-LIC-8' } });
    expect(await poolOf(owner.client, orgId)).toMatchObject({ purchased: 3 });
  });

  it('replaying an invitation with the same key buys one licence, once', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const body = { name: 'Ivy Once', email: uniqueEmail('once'), confirmedChargeMinor: 1645 };
    const results = await Promise.all(Array.from({ length: 10 }, () => owner.client.request('POST', `/api/organisations/${orgId}/invitations`, body, { 'idempotency-key': 'invite-ivy-once-0001' })));
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
    expect(new Set(results.map((r) => r.json().member.id)).size).toBe(1);
    expect(await poolOf(owner.client, orgId)).toMatchObject({ purchased: 1, reserved: 1 });
    expect((await ledgerOf(owner.client, orgId)).entries).toHaveLength(1);
  });
});

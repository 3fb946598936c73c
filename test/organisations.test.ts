import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.ts';
import { Client, GOOD_PASSWORD, uniqueEmail } from './support/client.ts';
import { buyLicences, latestLinkToken, organisationWithOwner, verifiedClient } from './support/factories.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-05-15T10:00:00Z');
});
afterAll(async () => {
  await t?.close();
});

describe('organisation console (R-ORG-1, R-PRA-1, R-LIC-2)', () => {
  it('an unverified account cannot create an organisation', async () => {
    const c = new Client(t.app);
    await c.signUp();
    const res = await c.post('/api/organisations', { name: 'Nope' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('email_unverified');
  });

  it('invites a new practitioner, who sets a password and joins', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const email = uniqueEmail('newbie');
    const refused = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Nina New', email });
    expect(refused.statusCode).toBe(409);
    const quote = refused.json().error.details.quote;
    // 15 May of a 31-day month: 3000 × 17 / 31 = 1645.16… → 1645
    expect(quote).toMatchObject({ quantity: 1, amountMinor: 1645, daysCharged: 17, daysInMonth: 31 });
    const invited = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Nina New', email, confirmedChargeMinor: 1645 });
    expect(invited.statusCode).toBe(201);
    expect(invited.json()).toMatchObject({ licenceBought: true, chargeMinor: 1645, member: { status: 'unconfirmed', licence: 'reserved' } });
    const pool = await owner.client.get(`/api/organisations/${orgId}/licences`);
    expect(pool.json().pool).toMatchObject({ purchased: 1, assigned: 0, reserved: 1, free: 0 });

    const token = await latestLinkToken(t, email, '/invitations/accept');
    const info = await new Client(t.app).get(`/api/invitations/by-token?token=${token}`);
    expect(info.json().invitation).toMatchObject({ organisation: 'Riverside Physio', hasAccount: false });
    const newbie = new Client(t.app);
    const accepted = await newbie.post('/api/invitations/accept', { token, password: GOOD_PASSWORD });
    expect(accepted.statusCode).toBe(200);
    expect((await newbie.get('/api/session')).json().account.emailVerified).toBe(true);
    const ws = await newbie.get('/api/me/workspace');
    expect(ws.json()).toMatchObject({ hasLicence: true, organisations: [{ id: orgId, practitioner: true, state: 'active' }] });
    const after = await owner.client.get(`/api/organisations/${orgId}/licences`);
    expect(after.json().pool).toMatchObject({ purchased: 1, assigned: 1, reserved: 0, free: 0 });
  });

  it('refuses to buy without a payment method and changes nothing', async () => {
    const { owner, orgId } = await organisationWithOwner(t);
    const res = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Pia', email: uniqueEmail(), confirmedChargeMinor: 1645 });
    expect(res.statusCode).toBe(402);
    expect(res.json().error).toMatchObject({ code: 'payment_method_required', details: { rule: 'R-LIC-2' } });
    const pool = await owner.client.get(`/api/organisations/${orgId}/licences`);
    expect(pool.json().pool).toMatchObject({ purchased: 0, assigned: 0, reserved: 0 });
    const ledger = await owner.client.get(`/api/organisations/${orgId}/ledger`);
    expect(ledger.json().entries).toHaveLength(0);
  });

  it('an existing account accepts at sign-in; removing access frees the licence and shows the notice', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    await buyLicences(owner.client, orgId, 2);
    const existing = await verifiedClient(t, 'Eric Existing');
    const inv = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Eric Existing', email: existing.email });
    expect(inv.statusCode).toBe(201);
    expect(inv.json().licenceBought).toBe(false);
    const ws = await existing.client.get('/api/me/workspace');
    expect(ws.json().invitations).toHaveLength(1);
    const acc = await existing.client.post(`/api/invitations/${ws.json().invitations[0].id}/accept`);
    expect(acc.statusCode).toBe(200);
    const memberId = acc.json().member.id;
    expect((await existing.client.get(`/api/organisations/${orgId}`)).statusCode).toBe(200);

    const removed = await owner.client.post(`/api/organisations/${orgId}/members/${memberId}/remove-access`);
    expect(removed.json().member).toMatchObject({ status: 'access_removed', licence: 'none' });
    const next = await existing.client.get(`/api/organisations/${orgId}`);
    expect(next.statusCode).toBe(403);
    expect(next.json().error).toMatchObject({ code: 'access_removed', details: { rule: 'R-PRA-4' } });
    const pool = await owner.client.get(`/api/organisations/${orgId}/licences`);
    expect(pool.json().pool).toMatchObject({ purchased: 2, assigned: 0, free: 2 });

    const granted = await owner.client.post(`/api/organisations/${orgId}/members/${memberId}/grant-access`, {});
    expect(granted.statusCode).toBe(200);
    expect((await existing.client.get(`/api/organisations/${orgId}`)).statusCode).toBe(200);
  });

  it("another organisation's member id is 404 and a member without Users gets 403", async () => {
    const a = await organisationWithOwner(t, { card: true });
    const b = await organisationWithOwner(t, { card: true });
    const inv = await b.owner.client.post(`/api/organisations/${b.orgId}/invitations`, { name: 'Bea', email: uniqueEmail(), practitioner: false });
    const bMember = inv.json().member.id;
    const cross = await a.owner.client.post(`/api/organisations/${a.orgId}/members/${bMember}/remove-access`);
    expect(cross.statusCode).toBe(404);
    const other = await a.owner.client.get(`/api/organisations/${b.orgId}/members`);
    expect(other.statusCode).toBe(404);
    const missing = await a.owner.client.get(`/api/organisations/00000000-0000-4000-8000-000000000000/members`);
    expect(missing.json()).toMatchObject({ error: other.json().error });
  });
});

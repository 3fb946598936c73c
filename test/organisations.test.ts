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

  it('an assistant admin without Users gets 403 on user management and cannot grant what they lack (R-ORG-3)', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const helper = await verifiedClient(t, 'Dee Defaults');
    const inv = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Dee Defaults', email: helper.email, practitioner: false, admin: { sections: ['defaults'] } });
    await helper.client.post(`/api/invitations/${inv.json().member.id}/accept`);
    const list = await helper.client.get(`/api/organisations/${orgId}/members`);
    expect(list.statusCode).toBe(403);
    expect(list.json().error).toMatchObject({ code: 'section_required', details: { section: 'users' } });
    const invite = await helper.client.post(`/api/organisations/${orgId}/invitations`, { name: 'X', email: uniqueEmail() });
    expect(invite.statusCode).toBe(403);
    const billing = await helper.client.get(`/api/organisations/${orgId}/payment-methods`);
    expect(billing.json().error.code).toBe('owner_only');
    const defaults = await helper.client.request('PUT', `/api/organisations/${orgId}/defaults`, { address: '2 Bridge Road' });
    expect(defaults.statusCode).toBe(200);
    const denied = await t.database.db.selectFrom('audit_log').select('action').where('account_id', '=', helper.accountId).where('outcome', '=', 'denied').execute();
    expect(denied.length).toBeGreaterThanOrEqual(3);

    // A Users admin cannot grant a section they do not hold.
    const usersAdmin = await verifiedClient(t, 'Uma Users');
    const inv2 = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Uma Users', email: usersAdmin.email, practitioner: false, admin: { sections: ['users'] } });
    await usersAdmin.client.post(`/api/invitations/${inv2.json().member.id}/accept`);
    const grant = await usersAdmin.client.request('PUT', `/api/organisations/${orgId}/members/${inv.json().member.id}/roles`, { admin: true, sections: ['defaults', 'audit'] });
    expect(grant.statusCode).toBe(403);
    expect(grant.json().error).toMatchObject({ code: 'cannot_grant_unheld_right', details: { sections: ['audit'] } });
    // …and each tick takes effect at once: removing Defaults stops the next request.
    const untick = await owner.client.request('PUT', `/api/organisations/${orgId}/members/${inv.json().member.id}/roles`, { admin: true, sections: [] });
    expect(untick.statusCode).toBe(200);
    expect((await helper.client.request('PUT', `/api/organisations/${orgId}/defaults`, { address: '3 Bridge Road' })).statusCode).toBe(403);
  });

  it('practice defaults reach every practitioner, who may change their own copy (R-ORG-4)', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    await owner.client.post(`/api/organisations/${orgId}/licences/purchase`, { quantity: 1, confirmedChargeMinor: 1645 });
    const p = await verifiedClient(t, 'Pam Practice');
    const inv = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Pam Practice', email: p.email });
    await p.client.post(`/api/invitations/${inv.json().member.id}/accept`);
    const set = await owner.client.request('PUT', `/api/organisations/${orgId}/defaults`, { name: 'Riverside Physio', address: '1 River Street', phone: '+44 20 7946 0000' });
    expect(set.statusCode).toBe(200);
    expect((await p.client.get('/api/account')).json().account.practice).toMatchObject({ name: 'Riverside Physio', address: '1 River Street', phone: '+442079460000' });
    const own = await p.client.patch('/api/account', { practice: { address: 'Home visits only' } });
    expect(own.json().account.practice.address).toBe('Home visits only');
  });

  it("another organisation's member, invitation or licence route is 404, exactly like a missing one", async () => {
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

describe('practitioner access as a role (R-PRA-5, R-LIC-2)', () => {
  it('the owner gives themselves practitioner access, buying a licence at the confirmed price, and can give it up', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const me = (await owner.client.get(`/api/organisations/${orgId}`)).json().me;
    expect(me.practitioner).toBe(false);
    const url = `/api/organisations/${orgId}/members/${me.membershipId}/practitioner`;
    const unconfirmed = await owner.client.post(url, { enabled: true });
    expect(unconfirmed.statusCode).toBe(409);
    const price = unconfirmed.json().error.details.quote.amountMinor;
    const on = await owner.client.post(url, { enabled: true, confirmedChargeMinor: price });
    expect(on.json()).toMatchObject({ licenceBought: true, member: { roles: { owner: true, practitioner: true }, licence: 'assigned' } });
    expect((await owner.client.get(`/api/organisations/${orgId}/practitioner`)).statusCode).toBe(200);
    const off = await owner.client.post(url, { enabled: false });
    expect(off.json().member.licence).toBe('none');
    expect((await owner.client.get(`/api/organisations/${orgId}/licences`)).json().pool).toMatchObject({ purchased: 1, assigned: 0, free: 1 });
    expect((await owner.client.get(`/api/organisations/${orgId}/practitioner`)).statusCode).toBe(403);
  });
});

describe('rights that cannot be bypassed (R-ORG-2, R-ORG-3, R-ORG-4)', () => {
  it('an admin cannot take away sections they do not hold by switching admin off, nor the owner\'s licence', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const usersAdmin = await verifiedClient(t, 'Ursula Users');
    const a = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Ursula Users', email: usersAdmin.email, practitioner: false, admin: { sections: ['users'] } });
    await usersAdmin.client.post(`/api/invitations/${a.json().member.id}/accept`);
    const target = await verifiedClient(t, 'Tara Target');
    const b = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Tara Target', email: target.email, practitioner: false, admin: { sections: ['users', 'audit', 'defaults'] } });
    await target.client.post(`/api/invitations/${b.json().member.id}/accept`);
    const strip = await usersAdmin.client.request('PUT', `/api/organisations/${orgId}/members/${b.json().member.id}/roles`, { admin: false, sections: ['users', 'audit', 'defaults'] });
    expect(strip.statusCode).toBe(403);
    expect(strip.json().error).toMatchObject({ code: 'cannot_grant_unheld_right' });
    const detail = await owner.client.get(`/api/organisations/${orgId}/members/${b.json().member.id}`);
    expect(detail.json().member.roles.sections.sort()).toEqual(['audit', 'defaults', 'users']);

    const me = (await owner.client.get(`/api/organisations/${orgId}`)).json().me;
    const price = (await owner.client.post(`/api/organisations/${orgId}/members/${me.membershipId}/practitioner`, { enabled: true })).json().error.details.quote.amountMinor;
    expect((await owner.client.post(`/api/organisations/${orgId}/members/${me.membershipId}/practitioner`, { enabled: true, confirmedChargeMinor: price })).statusCode).toBe(200);
    const take = await usersAdmin.client.post(`/api/organisations/${orgId}/members/${me.membershipId}/practitioner`, { enabled: false });
    expect(take.statusCode).toBe(403);
    expect((await owner.client.get(`/api/organisations/${orgId}/practitioner`)).statusCode).toBe(200);
    // Prices and billing contacts are the owner's; a Users admin sees the pool's counts only.
    const seen = (await usersAdmin.client.get(`/api/organisations/${orgId}`)).json().organisation;
    expect(seen.licences).not.toHaveProperty('unitPriceMinor');
    expect(seen.licences).toHaveProperty('free');
  });

  it('practice defaults change only the fields they set in each practitioner\'s own copy', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const p = await verifiedClient(t, 'Web Site');
    await p.client.patch('/api/account', { practice: { website: 'https://my-own.example' } });
    const inv = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Web Site', email: p.email, practitioner: false });
    await p.client.post(`/api/invitations/${inv.json().member.id}/accept`);
    await owner.client.request('PUT', `/api/organisations/${orgId}/defaults`, { address: '9 Quay Street' });
    expect((await p.client.get('/api/account')).json().account.practice).toMatchObject({ address: '9 Quay Street', website: 'https://my-own.example' });
  });

  it('removing a member "with their licence" when none would be free changes nothing and says why (R-PRA-6)', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const admin = await verifiedClient(t, 'Nolan Nolicence');
    const inv = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Nolan Nolicence', email: admin.email, practitioner: false, admin: { sections: ['audit'] } });
    await admin.client.post(`/api/invitations/${inv.json().member.id}/accept`);
    const res = await owner.client.post(`/api/organisations/${orgId}/members/${inv.json().member.id}/remove`, { removeLicence: true });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('no_free_licence');
    expect((await owner.client.get(`/api/organisations/${orgId}/members/${inv.json().member.id}`)).json().member.status).toBe('active');
  });
});

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/audit/verify.ts';
import { createTestApp, usingPostgres, type TestApp } from './support/app.ts';
import { runCli } from './support/server-process.ts';
import { Client, GOOD_PASSWORD, uniqueEmail } from './support/client.ts';
import { buyLicences, joinedMember, latestLinkToken, organisationWithOwner, sessionIdOf, verifiedClient } from './support/factories.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const ALL_SECTIONS = ['users', 'sharing', 'defaults', 'security', 'import', 'audit'];

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-05-15T10:00:00Z');
});
afterAll(async () => {
  await t?.close();
});

interface PoolView {
  purchased: number;
  assigned: number;
  reserved: number;
  free: number;
}

async function poolOf(owner: Client, orgId: string): Promise<PoolView> {
  const res = await owner.get(`/api/organisations/${orgId}/licences`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().pool as PoolView;
}

async function memberIds(admin: Client, orgId: string, status?: string): Promise<string[]> {
  const res = await admin.get(`/api/organisations/${orgId}/members${status ? `?status=${status}` : ''}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().members as Array<{ id: string }>).map((m) => m.id);
}

function byToken(app: TestApp, token: string) {
  return new Client(app.app).get(`/api/invitations/by-token?token=${encodeURIComponent(token)}`);
}

/** Who acted, as an audit record names them. */
async function actor(person: { client: Client; accountId: string }) {
  return { accountId: person.accountId, sessionId: await sessionIdOf(person.client) };
}

/**
 * R-AUD-1: the one record of a console action on `targetId`, made inside the organisation by `by`
 * in that session (or by nobody, for the expiry sweep), with outcome success.
 */
async function expectAudited(
  app: TestApp,
  action: string,
  targetId: string,
  orgId: string,
  by: { accountId: string; sessionId: string } | null,
  details?: Record<string, unknown>,
) {
  const rows = await app.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('target_id', '=', targetId).execute();
  expect(rows, `${action} on ${targetId}`).toHaveLength(1);
  expect(rows[0]).toMatchObject({
    organisation_id: orgId,
    account_id: by?.accountId ?? null,
    session_id: by?.sessionId ?? null,
    outcome: 'success',
    ...(details ? { details: expect.objectContaining(details) } : {}),
  });
  return rows[0]!;
}

/** The licences.purchased / licences.removed record of one ledger line. */
async function expectLicenceAudit(app: TestApp, action: 'licences.purchased' | 'licences.removed', orgId: string, by: { accountId: string | null; sessionId: string | null }, details: Record<string, unknown>) {
  const rows = await app.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('organisation_id', '=', orgId).execute();
  const matching = rows.filter((r) => Object.entries(details).every(([k, v]) => (r.details as Record<string, unknown>)[k] === v));
  expect(matching, `${action} ${JSON.stringify(details)}`).toHaveLength(1);
  expect(matching[0]).toMatchObject({ target_type: 'organisation', target_id: orgId, account_id: by.accountId, session_id: by.sessionId, outcome: 'success' });
}

describe('invitations expire, are re-sent, revoked and declined (R-PRA-2)', () => {
  it('expires after 7 days: the reserved licence is freed, the status becomes expired and the link stops working', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    await buyLicences(owner.client, orgId, 1);
    const email = uniqueEmail('expiring');
    const invitedAt = t.clock.now().getTime();
    const inv = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Eve Expiring', email });
    expect(inv.statusCode).toBe(201);
    const memberId = inv.json().member.id as string;
    expect(inv.json().member.invitationExpiresAt).toBe(new Date(invitedAt + 7 * DAY).toISOString());
    await expectAudited(t, 'membership.invited', memberId, orgId, await actor(owner), { practitioner: true, licenceBought: false });
    const token = await latestLinkToken(t, email, '/invitations/accept');
    expect(await poolOf(owner.client, orgId)).toMatchObject({ purchased: 1, reserved: 1, free: 0 });

    // A minute before the deadline the invitation is still open and holds its licence.
    t.clock.set(new Date(invitedAt + 7 * DAY - MINUTE));
    expect((await owner.client.signIn(owner.email)).statusCode).toBe(200);
    expect((await byToken(t, token)).statusCode).toBe(200);
    expect(await poolOf(owner.client, orgId)).toMatchObject({ reserved: 1, free: 0 });

    t.clock.set(new Date(invitedAt + 7 * DAY + MINUTE));
    expect((await byToken(t, token)).statusCode).toBe(404);
    expect(await poolOf(owner.client, orgId)).toMatchObject({ purchased: 1, reserved: 0, free: 1 });
    expect(await memberIds(owner.client, orgId)).not.toContain(memberId);
    const expired = await owner.client.get(`/api/organisations/${orgId}/members?status=expired`);
    expect(expired.json().members).toEqual([expect.objectContaining({ id: memberId, email, status: 'expired', licence: 'none' })]);
    const detail = await owner.client.get(`/api/organisations/${orgId}/members/${memberId}`);
    expect(detail.json().member).toMatchObject({ status: 'expired', licence: 'none' });
    // Nobody can join through the old link any more.
    const late = await new Client(t.app).post('/api/invitations/accept', { token, password: GOOD_PASSWORD });
    expect(late.statusCode).toBe(404);
    expect(await t.database.db.selectFrom('accounts').select('id').where('email', '=', email).executeTakeFirst()).toBeUndefined();
    // The expiry is recorded in the organisation, by no person.
    await expectAudited(t, 'membership.invitation_expired', memberId, orgId, null);
  });

  it('INVITATION_TTL_DAYS=2 makes invitations expire after 2 days', async () => {
    const app = await createTestApp({ env: { INVITATION_TTL_DAYS: '2' } });
    try {
      app.clock.set('2026-05-15T10:00:00Z');
      const { owner, orgId } = await organisationWithOwner(app, { card: true });
      await buyLicences(owner.client, orgId, 1);
      const email = uniqueEmail('short');
      const inv = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Sam Short', email });
      expect(inv.json().member.invitationExpiresAt).toBe('2026-05-17T10:00:00.000Z');
      const token = await latestLinkToken(app, email, '/invitations/accept');
      expect((await app.database.db.selectFrom('outbox_emails').select('text_body').where('to_address', '=', email).executeTakeFirstOrThrow()).text_body).toContain(
        'valid until Sun, 17 May 2026 10:00:00 GMT',
      );

      app.clock.set('2026-05-17T09:59:00Z');
      expect((await byToken(app, token)).statusCode).toBe(200);
      app.clock.set('2026-05-17T10:01:00Z');
      expect((await byToken(app, token)).statusCode).toBe(404);
      expect((await owner.client.signIn(owner.email)).statusCode).toBe(200);
      expect(await poolOf(owner.client, orgId)).toMatchObject({ reserved: 0, free: 1 });
      const detail = await owner.client.get(`/api/organisations/${orgId}/members/${inv.json().member.id}`);
      expect(detail.json().member.status).toBe('expired');
    } finally {
      await app.close();
    }
  });

  it('a re-send replaces the emailed link and moves the deadline to 7 days from the re-send', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    await buyLicences(owner.client, orgId, 1);
    const email = uniqueEmail('resent');
    const start = t.clock.now().getTime();
    const inv = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Rory Resent', email });
    const memberId = inv.json().member.id as string;
    const first = await latestLinkToken(t, email, '/invitations/accept');

    t.clock.set(new Date(start + 5 * DAY));
    expect((await owner.client.signIn(owner.email)).statusCode).toBe(200);
    const resent = await owner.client.post(`/api/organisations/${orgId}/invitations/${memberId}/resend`);
    expect(resent.statusCode).toBe(200);
    expect(resent.json().member).toMatchObject({ id: memberId, status: 'unconfirmed', licence: 'reserved', invitationExpiresAt: new Date(start + 12 * DAY).toISOString() });
    await expectAudited(t, 'membership.invitation_resent', memberId, orgId, await actor(owner));
    const second = await latestLinkToken(t, email, '/invitations/accept');
    expect(second).not.toBe(first);
    expect((await byToken(t, first)).statusCode).toBe(404);
    expect((await new Client(t.app).post('/api/invitations/accept', { token: first, password: GOOD_PASSWORD })).statusCode).toBe(404);
    const info = await byToken(t, second);
    expect(info.statusCode).toBe(200);
    expect(info.json().invitation).toMatchObject({ id: memberId, expiresAt: new Date(start + 12 * DAY).toISOString() });
    expect(await poolOf(owner.client, orgId)).toMatchObject({ purchased: 1, reserved: 1 });

    // Past the first deadline, the new link still works: the person joins with it.
    t.clock.set(new Date(start + 7 * DAY + MINUTE));
    const joined = await new Client(t.app).post('/api/invitations/accept', { token: second, password: GOOD_PASSWORD });
    expect(joined.statusCode, joined.body).toBe(200);
    expect(joined.json().member).toMatchObject({ id: memberId, status: 'active', licence: 'assigned' });
    expect((await owner.client.signIn(owner.email)).statusCode).toBe(200);
    expect(await poolOf(owner.client, orgId)).toMatchObject({ purchased: 1, assigned: 1, reserved: 0 });
  });

  it('revoking frees the reserved licence; the link stops working and the invitation cannot be accepted (409 invitation_closed)', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    await buyLicences(owner.client, orgId, 1);
    const invitee = await verifiedClient(t, 'Rita Revoked');
    const inv = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Rita Revoked', email: invitee.email });
    const memberId = inv.json().member.id as string;
    const token = await latestLinkToken(t, invitee.email, '/invitations/accept');
    const before = await poolOf(owner.client, orgId);
    expect(before).toMatchObject({ purchased: 1, reserved: 1, free: 0 });

    const revoked = await owner.client.post(`/api/organisations/${orgId}/invitations/${memberId}/revoke`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().member).toMatchObject({ status: 'revoked', licence: 'none' });
    expect(await poolOf(owner.client, orgId)).toMatchObject({ purchased: 1, reserved: before.reserved - 1, free: before.free + 1 });
    await expectAudited(t, 'membership.invitation_revoked', memberId, orgId, await actor(owner));

    expect((await byToken(t, token)).statusCode).toBe(404);
    expect((await invitee.client.post('/api/invitations/accept', { token })).statusCode).toBe(404);
    expect((await invitee.client.get('/api/me/workspace')).json().invitations).toEqual([]);
    const closed = await invitee.client.post(`/api/invitations/${memberId}/accept`);
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error).toMatchObject({ code: 'invitation_closed', details: { rule: 'R-PRA-2', state: 'revoked' } });
    expect(await poolOf(owner.client, orgId)).toMatchObject({ assigned: 0, reserved: 0, free: 1 });
    const again = await owner.client.post(`/api/organisations/${orgId}/invitations/${memberId}/revoke`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('not_invited');
    expect(await memberIds(owner.client, orgId, 'revoked')).toEqual([memberId]);
  });

  it('declining from the emailed link frees the licence; the link then stops working', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    await buyLicences(owner.client, orgId, 1);
    const email = uniqueEmail('decliner');
    const inv = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Dora Decliner', email });
    const memberId = inv.json().member.id as string;
    const token = await latestLinkToken(t, email, '/invitations/accept');
    expect(await poolOf(owner.client, orgId)).toMatchObject({ reserved: 1, free: 0 });

    const declined = await new Client(t.app).post('/api/invitations/decline', { token });
    expect(declined.statusCode).toBe(204);
    expect(await poolOf(owner.client, orgId)).toMatchObject({ purchased: 1, reserved: 0, free: 1 });
    expect((await byToken(t, token)).statusCode).toBe(404);
    expect((await new Client(t.app).post('/api/invitations/decline', { token })).statusCode).toBe(404);
    expect((await new Client(t.app).post('/api/invitations/accept', { token, password: GOOD_PASSWORD })).statusCode).toBe(404);
    expect(await memberIds(owner.client, orgId)).not.toContain(memberId);
    expect(await memberIds(owner.client, orgId, 'declined')).toEqual([memberId]);
    // Declined by someone who is not signed in: the record names no account.
    await expectAudited(t, 'membership.invitation_declined', memberId, orgId, null);
  });

  it('declining at the signed-in prompt frees the licence; the invitation cannot be accepted afterwards', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    await buyLicences(owner.client, orgId, 1);
    const invitee = await verifiedClient(t, 'Dan Declines');
    await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Dan Declines', email: invitee.email });
    const prompt = (await invitee.client.get('/api/me/workspace')).json().invitations as Array<{ id: string; organisationId: string }>;
    expect(prompt).toEqual([expect.objectContaining({ organisationId: orgId })]);
    const memberId = prompt[0]!.id;

    const declined = await invitee.client.post(`/api/invitations/${memberId}/decline`);
    expect(declined.statusCode).toBe(204);
    await expectAudited(t, 'membership.invitation_declined', memberId, orgId, await actor(invitee));
    expect(await poolOf(owner.client, orgId)).toMatchObject({ purchased: 1, reserved: 0, free: 1 });
    expect((await invitee.client.get('/api/me/workspace')).json().invitations).toEqual([]);
    const closed = await invitee.client.post(`/api/invitations/${memberId}/accept`);
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error).toMatchObject({ code: 'invitation_closed', details: { state: 'declined' } });
    expect((await invitee.client.get(`/api/organisations/${orgId}`)).statusCode).toBe(404);
    expect(await poolOf(owner.client, orgId)).toMatchObject({ assigned: 0, reserved: 0, free: 1 });
  });
});

describe('accepting an invitation (R-PRA-1)', () => {
  it('an existing account cannot accept from the link without being signed in as that account (409 sign_in_required)', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    await buyLicences(owner.client, orgId, 1);
    const existing = await verifiedClient(t, 'Ed Existing');
    const inv = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Ed Existing', email: existing.email });
    const memberId = inv.json().member.id as string;
    const token = await latestLinkToken(t, existing.email, '/invitations/accept');
    expect((await byToken(t, token)).json().invitation).toMatchObject({ id: memberId, hasAccount: true });

    // Not signed in, even with a password chosen on the page: no second account, no acceptance.
    const anonymous = await new Client(t.app).post('/api/invitations/accept', { token, password: 'another strong passphrase' });
    expect(anonymous.statusCode).toBe(409);
    expect(anonymous.json().error).toMatchObject({ code: 'sign_in_required', details: { rule: 'R-PRA-1', email: existing.email } });
    expect(anonymous.headers['set-cookie']).toBeUndefined();
    // Signed in as somebody else.
    const someoneElse = await verifiedClient(t, 'Sue Else');
    const wrong = await someoneElse.client.post('/api/invitations/accept', { token });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().error.code).toBe('sign_in_required');
    expect((await someoneElse.client.get(`/api/organisations/${orgId}`)).statusCode).toBe(404);
    expect(await poolOf(owner.client, orgId)).toMatchObject({ assigned: 0, reserved: 1 });
    expect(await t.database.db.selectFrom('accounts').select('id').where('email', '=', existing.email).execute()).toHaveLength(1);

    // Signed in, but the write does not carry the session's CSRF token: treated as signed out.
    const forged = await existing.client.request('POST', '/api/invitations/accept', { token }, { 'x-csrf-token': 'not-the-token' });
    expect(forged.statusCode).toBe(409);
    expect(forged.json().error.code).toBe('sign_in_required');

    const accepted = await existing.client.post('/api/invitations/accept', { token });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ organisationId: orgId, member: { id: memberId, accountId: existing.accountId, status: 'active', licence: 'assigned' } });
    await expectAudited(t, 'membership.accepted', memberId, orgId, await actor(existing));
    expect(await poolOf(owner.client, orgId)).toMatchObject({ assigned: 1, reserved: 0 });
  });

  it("the workspace lists open invitations for the signed-in email only; another person's invitation id is 404", async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    await buyLicences(owner.client, orgId, 2);
    const ann = await verifiedClient(t, 'Ann Invited');
    const ben = await verifiedClient(t, 'Ben Invited');
    const invAnn = (await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Ann Invited', email: ann.email })).json().member.id as string;
    const invBen = (await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Ben Invited', email: ben.email })).json().member.id as string;

    const annSees = (await ann.client.get('/api/me/workspace')).json();
    expect(annSees.invitations).toEqual([expect.objectContaining({ id: invAnn, organisationId: orgId, organisation: 'Riverside Physio', inviter: 'Olivia Owner', practitioner: true })]);
    expect(annSees.organisations).toEqual([]);
    expect(annSees.hasLicence).toBe(false);
    expect((await ben.client.get('/api/me/workspace')).json().invitations.map((i: { id: string }) => i.id)).toEqual([invBen]);

    const stolen = await ben.client.post(`/api/invitations/${invAnn}/accept`);
    expect(stolen.statusCode).toBe(404);
    expect((await ben.client.post(`/api/invitations/${invAnn}/decline`)).statusCode).toBe(404);
    expect((await ben.client.post('/api/invitations/00000000-0000-4000-8000-000000000000/accept')).json()).toMatchObject({ error: stolen.json().error });
    const stillOpen = await owner.client.get(`/api/organisations/${orgId}/members/${invAnn}`);
    expect(stillOpen.json().member).toMatchObject({ status: 'unconfirmed', accountId: null });

    expect((await ann.client.post(`/api/invitations/${invAnn}/accept`)).statusCode).toBe(200);
    const after = (await ann.client.get('/api/me/workspace')).json();
    expect(after.invitations).toEqual([]);
    expect(after.organisations).toEqual([expect.objectContaining({ id: orgId, membershipId: invAnn, state: 'active', practitioner: true })]);
    expect(after.hasLicence).toBe(true);
  });
});

describe('removing and granting access (R-PRA-3, R-PRA-4, R-PRA-5)', () => {
  it('removed access is refused with the owner as contact; granting it again buys a licence at the confirmed price and restores the admin sections', async () => {
    // 10 June, a 30-day month: one licence costs 3000 × 21/30 = 2100 for the rest of it.
    t.clock.set('2026-06-10T09:00:00Z');
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    await buyLicences(owner.client, orgId, 1);
    const pia = await joinedMember(t, owner.client, orgId, { name: 'Pia Practitioner' });
    const roles = await owner.client.put(`/api/organisations/${orgId}/members/${pia.memberId}/roles`, { admin: true, sections: ['sharing', 'audit'] });
    expect(roles.statusCode).toBe(200);
    expect((await pia.client.get(`/api/organisations/${orgId}`)).json().me).toMatchObject({ admin: true, practitioner: true, sections: ['sharing', 'audit'] });

    const removed = await owner.client.post(`/api/organisations/${orgId}/members/${pia.memberId}/remove-access`);
    expect(removed.statusCode).toBe(200);
    expect(removed.json().member).toMatchObject({ status: 'access_removed', licence: 'none' });
    await expectAudited(t, 'membership.access_removed', pia.memberId, orgId, await actor(owner));
    expect(await poolOf(owner.client, orgId)).toMatchObject({ purchased: 1, assigned: 0, free: 1 });
    expect(await memberIds(owner.client, orgId)).toContain(pia.memberId);

    const refused = await pia.client.get(`/api/organisations/${orgId}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({
      code: 'access_removed',
      details: { rule: 'R-PRA-4', organisation: 'Riverside Physio', contact: { name: 'Olivia Owner', email: owner.email } },
    });
    expect(refused.json().error.message).toContain(owner.email);
    // The console sections went with the access.
    expect((await pia.client.get(`/api/organisations/${orgId}/members`)).json().error.code).toBe('access_removed');
    const workspace = (await pia.client.get('/api/me/workspace')).json();
    expect(workspace.organisations).toEqual([
      expect.objectContaining({ id: orgId, state: 'access_removed', practitioner: false, admin: false, contact: { name: 'Olivia Owner', email: owner.email } }),
    ]);
    expect(workspace.hasLicence).toBe(false);

    // The freed licence is removed, so granting access again must buy one.
    expect((await owner.client.post(`/api/organisations/${orgId}/licences/remove`, { quantity: 1 })).json()).toMatchObject({ creditMinor: 2100, pool: { purchased: 0 } });
    const unconfirmed = await owner.client.post(`/api/organisations/${orgId}/members/${pia.memberId}/grant-access`, {});
    expect(unconfirmed.statusCode).toBe(409);
    expect(unconfirmed.json().error).toMatchObject({
      code: 'charge_not_confirmed',
      details: { rule: 'R-LIC-2', quote: { quantity: 1, amountMinor: 2100, localDate: '2026-06-10', daysInMonth: 30, daysCharged: 21, paymentMethodRequired: false } },
    });
    const wrongAmount = await owner.client.post(`/api/organisations/${orgId}/members/${pia.memberId}/grant-access`, { confirmedChargeMinor: 2099 });
    expect(wrongAmount.statusCode).toBe(409);
    expect(wrongAmount.json().error.code).toBe('charge_not_confirmed');
    expect(await poolOf(owner.client, orgId)).toMatchObject({ purchased: 0, assigned: 0 });
    expect((await pia.client.get(`/api/organisations/${orgId}`)).statusCode).toBe(403);

    const granted = await owner.client.post(`/api/organisations/${orgId}/members/${pia.memberId}/grant-access`, { confirmedChargeMinor: 2100 });
    expect(granted.statusCode).toBe(200);
    expect(granted.json()).toMatchObject({
      licenceBought: true,
      chargeMinor: 2100,
      member: { status: 'active', licence: 'assigned', roles: { owner: false, practitioner: true, admin: true, sections: ['sharing', 'audit'] } },
    });
    expect((await pia.client.get(`/api/organisations/${orgId}`)).json().me).toMatchObject({ admin: true, practitioner: true, sections: ['sharing', 'audit'] });
    expect((await pia.client.get('/api/me/workspace')).json().hasLicence).toBe(true);
    expect(await poolOf(owner.client, orgId)).toMatchObject({ purchased: 1, assigned: 1, free: 0 });
    const ledger = (await owner.client.get(`/api/organisations/${orgId}/ledger`)).json().entries as Array<Record<string, unknown>>;
    expect(ledger.filter((e) => e.cause === 'access_granted')).toEqual([expect.objectContaining({ kind: 'charge', quantity: 1, amountMinor: 2100, membershipId: pia.memberId, localDate: '2026-06-10' })]);

    const ownerActor = await actor(owner);
    await expectAudited(t, 'membership.access_granted', pia.memberId, orgId, ownerActor, { licenceBought: true });
    await expectLicenceAudit(t, 'licences.purchased', orgId, ownerActor, { cause: 'access_granted', amountMinor: 2100 });
    await expectLicenceAudit(t, 'licences.removed', orgId, ownerActor, { quantity: 1, amountMinor: 2100 });
    await expectAudited(t, 'membership.roles_changed', pia.memberId, orgId, ownerActor, { admin: true, sections: ['sharing', 'audit'] });
  });

  it("the owner's own access cannot be removed, nor the owner removed (409)", async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const me = (await owner.client.get(`/api/organisations/${orgId}`)).json().me;
    expect(me.owner).toBe(true);
    const res = await owner.client.post(`/api/organisations/${orgId}/members/${me.membershipId}/remove-access`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'owner_access_kept', details: { rule: 'R-ORG-2' } });
    const leave = await owner.client.post(`/api/organisations/${orgId}/members/${me.membershipId}/remove`, {});
    expect(leave.statusCode).toBe(409);
    expect(leave.json().error.code).toBe('owner_cannot_leave');
    expect((await owner.client.get(`/api/organisations/${orgId}`)).json().me).toMatchObject({ owner: true, sections: ALL_SECTIONS });
    expect(await t.database.db.selectFrom('audit_log').select('id').where('target_id', '=', me.membershipId).where('action', 'in', ['membership.access_removed', 'membership.removed']).execute()).toEqual([]);
  });
});

describe('removing a practitioner from the organisation (R-PRA-6)', () => {
  it('keeps the account, frees the licence, and hides the person unless status=removed', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    await buyLicences(owner.client, orgId, 2);
    const rob = await joinedMember(t, owner.client, orgId, { name: 'Rob Removed' });
    expect(await poolOf(owner.client, orgId)).toMatchObject({ purchased: 2, assigned: 1, free: 1 });

    const res = await owner.client.post(`/api/organisations/${orgId}/members/${rob.memberId}/remove`, {});
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ member: { id: rob.memberId, status: 'removed', licence: 'none' }, creditMinor: 0 });
    await expectAudited(t, 'membership.removed', rob.memberId, orgId, await actor(owner), { licenceRemoved: false });
    expect(await poolOf(owner.client, orgId)).toMatchObject({ purchased: 2, assigned: 0, free: 2 });

    // The organisation is gone for Rob, exactly like one that does not exist…
    const gone = await rob.client.get(`/api/organisations/${orgId}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('not_found');
    // …but the account is kept: Rob signs in and finds no organisation.
    const again = new Client(t.app);
    expect((await again.signIn(rob.email)).statusCode).toBe(200);
    expect((await again.get('/api/account')).json().account).toMatchObject({ id: rob.accountId, email: rob.email });
    expect((await again.get('/api/me/workspace')).json()).toMatchObject({ organisations: [], hasLicence: false });

    expect(await memberIds(owner.client, orgId)).not.toContain(rob.memberId);
    const removed = await owner.client.get(`/api/organisations/${orgId}/members?status=removed`);
    expect(removed.json().members).toEqual([expect.objectContaining({ id: rob.memberId, accountId: rob.accountId, status: 'removed' })]);
    // Removing twice is not a transition; inviting again starts afresh.
    expect((await owner.client.post(`/api/organisations/${orgId}/members/${rob.memberId}/remove`, {})).statusCode).toBe(409);
    const reinvite = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Rob Removed', email: rob.email });
    expect(reinvite.statusCode).toBe(201);
    expect(reinvite.json().member.id).not.toBe(rob.memberId);
  });

  it('removeLicence=true (owner) also removes one licence with a prorated credit; an admin with Users but not owner gets 403', async () => {
    // 20 June, a 30-day month: the credit is 3000 × 11/30 = 1100.
    t.clock.set('2026-06-20T09:00:00Z');
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    await buyLicences(owner.client, orgId, 2);
    const admin = await joinedMember(t, owner.client, orgId, { name: 'Ada Admin', practitioner: false, sections: ALL_SECTIONS });
    const first = await joinedMember(t, owner.client, orgId, { name: 'Fay First' });
    const second = await joinedMember(t, owner.client, orgId, { name: 'Sid Second' });
    expect(await poolOf(owner.client, orgId)).toMatchObject({ purchased: 2, assigned: 2, free: 0 });
    const ledgerBefore = (await owner.client.get(`/api/organisations/${orgId}/ledger`)).json().entries.length as number;

    const denied = await admin.client.post(`/api/organisations/${orgId}/members/${first.memberId}/remove`, { removeLicence: true });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error).toMatchObject({ code: 'owner_only' });
    expect((await first.client.get(`/api/organisations/${orgId}`)).statusCode).toBe(200);
    expect(await poolOf(owner.client, orgId)).toMatchObject({ purchased: 2, assigned: 2 });
    const deniedRecord = await t.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'access.denied').where('account_id', '=', admin.accountId).execute();
    expect(deniedRecord).toEqual([expect.objectContaining({ outcome: 'denied', organisation_id: orgId, details: expect.objectContaining({ code: 'owner_only' }) })]);

    const res = await owner.client.post(`/api/organisations/${orgId}/members/${first.memberId}/remove`, { removeLicence: true });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ member: { status: 'removed' }, creditMinor: 1100 });
    expect(await poolOf(owner.client, orgId)).toMatchObject({ purchased: 1, assigned: 1, free: 0 });
    const ledger = (await owner.client.get(`/api/organisations/${orgId}/ledger`)).json().entries as Array<Record<string, unknown>>;
    expect(ledger).toHaveLength(ledgerBefore + 1);
    expect(ledger.filter((e) => e.kind === 'credit')).toEqual([
      expect.objectContaining({ cause: 'licences_removed', quantity: 1, amountMinor: 1100, localDate: '2026-06-20', daysInMonth: 30 }),
    ]);
    const ownerActor = await actor(owner);
    await expectAudited(t, 'membership.removed', first.memberId, orgId, ownerActor, { licenceRemoved: true });
    await expectLicenceAudit(t, 'licences.removed', orgId, ownerActor, { amountMinor: 1100, quantity: 1 });

    // The admin may remove a member, keeping the licence.
    const kept = await admin.client.post(`/api/organisations/${orgId}/members/${second.memberId}/remove`, {});
    expect(kept.statusCode).toBe(200);
    expect(kept.json().creditMinor).toBe(0);
    await expectAudited(t, 'membership.removed', second.memberId, orgId, await actor(admin), { licenceRemoved: false });
    expect(await poolOf(owner.client, orgId)).toMatchObject({ purchased: 1, assigned: 0, free: 1 });
  });
});

describe('ownership (R-ORG-2)', () => {
  it('is offered only to an active member: 404 for a non-member, 409 for an invited person or the owner', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const other = await organisationWithOwner(t, { card: true });
    const outsider = await joinedMember(t, other.owner.client, other.orgId, { practitioner: false });
    const invited = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Ivo Invited', email: uniqueEmail('ivo'), practitioner: false });
    const ownMembership = (await owner.client.get(`/api/organisations/${orgId}`)).json().me.membershipId as string;

    for (const membershipId of [outsider.memberId, '00000000-0000-4000-8000-000000000000']) {
      const res = await owner.client.post(`/api/organisations/${orgId}/ownership-transfers`, { membershipId });
      expect(res.statusCode).toBe(404);
    }
    const toInvited = await owner.client.post(`/api/organisations/${orgId}/ownership-transfers`, { membershipId: invited.json().member.id });
    expect(toInvited.statusCode).toBe(409);
    expect(toInvited.json().error).toMatchObject({ code: 'not_an_active_member', details: { rule: 'R-ORG-2' } });
    const toSelf = await owner.client.post(`/api/organisations/${orgId}/ownership-transfers`, { membershipId: ownMembership });
    expect(toSelf.statusCode).toBe(409);
    expect(toSelf.json().error.code).toBe('already_owner');
    expect(await t.database.db.selectFrom('ownership_transfers').select('id').where('organisation_id', '=', orgId).execute()).toEqual([]);
  });

  it('moves when the offered member accepts; the old owner stays a member with every section; one owner at all times', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    await buyLicences(owner.client, orgId, 1);
    const nora = await joinedMember(t, owner.client, orgId, { name: 'Nora Next' });
    const uma = await joinedMember(t, owner.client, orgId, { name: 'Uma Users', practitioner: false, sections: ['users'] });
    const people = [owner, nora, uma];
    const owners = async () => {
      const flags = [];
      for (const p of people) flags.push((await p.client.get(`/api/organisations/${orgId}`)).json().me.owner as boolean);
      return flags;
    };
    expect(await owners()).toEqual([true, false, false]);

    const offer = await owner.client.post(`/api/organisations/${orgId}/ownership-transfers`, { membershipId: nora.memberId });
    expect(offer.statusCode).toBe(201);
    const transferId = offer.json().transferId as string;
    await expectAudited(t, 'ownership.transfer_offered', transferId, orgId, await actor(owner), { from: owner.accountId, to: nora.accountId });
    expect((await nora.client.get('/api/me/workspace')).json().ownershipOffers).toEqual([{ id: transferId, organisationId: orgId, organisation: 'Riverside Physio', from: 'Olivia Owner' }]);
    expect((await uma.client.get('/api/me/workspace')).json().ownershipOffers).toEqual([]);
    expect(await owners()).toEqual([true, false, false]);

    // Only Nora can answer it.
    for (const p of [uma, owner]) {
      expect((await p.client.post(`/api/ownership-transfers/${transferId}/accept`)).statusCode).toBe(404);
      expect((await p.client.post(`/api/ownership-transfers/${transferId}/decline`)).statusCode).toBe(404);
    }
    expect(await owners()).toEqual([true, false, false]);

    const accepted = await nora.client.post(`/api/ownership-transfers/${transferId}/accept`);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().organisation.owner).toEqual({ accountId: nora.accountId, name: 'Nora Next', email: nora.email });
    await expectAudited(t, 'ownership.transfer_accepted', transferId, orgId, await actor(nora), { from: owner.accountId, to: nora.accountId });
    expect(await owners()).toEqual([false, true, false]);
    expect((await owner.client.get(`/api/organisations/${orgId}`)).json().me).toMatchObject({ owner: false, admin: true, sections: ALL_SECTIONS });
    expect((await nora.client.get(`/api/organisations/${orgId}`)).json().me).toMatchObject({ owner: true, admin: true, practitioner: true, sections: ALL_SECTIONS });
    const members = (await nora.client.get(`/api/organisations/${orgId}/members`)).json().members as Array<{ accountId: string; status: string; roles: { owner: boolean } }>;
    expect(members.filter((m) => m.roles.owner).map((m) => m.accountId)).toEqual([nora.accountId]);
    expect(members.find((m) => m.accountId === owner.accountId)).toMatchObject({ status: 'active', roles: { owner: false, admin: true, sections: ALL_SECTIONS } });
    // Payments & billing moved with it.
    expect((await owner.client.get(`/api/organisations/${orgId}/payment-methods`)).json().error.code).toBe('owner_only');
    expect((await nora.client.get(`/api/organisations/${orgId}/payment-methods`)).statusCode).toBe(200);
    expect((await nora.client.get('/api/me/workspace')).json().ownershipOffers).toEqual([]);
    const twice = await nora.client.post(`/api/ownership-transfers/${transferId}/accept`);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('transfer_closed');
  });

  it('a decline leaves the owner unchanged, and a new offer cancels the pending one', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const ana = await joinedMember(t, owner.client, orgId, { name: 'Ana Asked', practitioner: false });
    const bo = await joinedMember(t, owner.client, orgId, { name: 'Bo Asked', practitioner: false });

    const first = (await owner.client.post(`/api/organisations/${orgId}/ownership-transfers`, { membershipId: ana.memberId })).json().transferId as string;
    expect((await ana.client.post(`/api/ownership-transfers/${first}/decline`)).statusCode).toBe(204);
    await expectAudited(t, 'ownership.transfer_declined', first, orgId, await actor(ana));
    expect((await owner.client.get(`/api/organisations/${orgId}`)).json().organisation.owner.accountId).toBe(owner.accountId);
    expect((await ana.client.get(`/api/organisations/${orgId}`)).json().me.owner).toBe(false);
    expect((await ana.client.get('/api/me/workspace')).json().ownershipOffers).toEqual([]);
    expect((await ana.client.post(`/api/ownership-transfers/${first}/accept`)).json().error.code).toBe('transfer_closed');

    const second = (await owner.client.post(`/api/organisations/${orgId}/ownership-transfers`, { membershipId: ana.memberId })).json().transferId as string;
    expect((await ana.client.get('/api/me/workspace')).json().ownershipOffers.map((o: { id: string }) => o.id)).toEqual([second]);
    const third = (await owner.client.post(`/api/organisations/${orgId}/ownership-transfers`, { membershipId: bo.memberId })).json().transferId as string;
    expect((await ana.client.get('/api/me/workspace')).json().ownershipOffers).toEqual([]);
    expect((await bo.client.get('/api/me/workspace')).json().ownershipOffers.map((o: { id: string }) => o.id)).toEqual([third]);
    const late = await ana.client.post(`/api/ownership-transfers/${second}/accept`);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('transfer_closed');
    expect((await ana.client.get(`/api/organisations/${orgId}`)).json().me.owner).toBe(false);
    await expectAudited(t, 'ownership.transfer_cancelled', second, orgId, await actor(owner), { from: owner.accountId, to: ana.accountId });
    const states = await t.database.db.selectFrom('ownership_transfers').select(['id', 'state']).where('organisation_id', '=', orgId).execute();
    expect(Object.fromEntries(states.map((s) => [s.id, s.state]))).toEqual({ [first]: 'declined', [second]: 'cancelled', [third]: 'pending' });

    expect((await bo.client.post(`/api/ownership-transfers/${third}/decline`)).statusCode).toBe(204);
    expect((await owner.client.get(`/api/organisations/${orgId}`)).json().me.owner).toBe(true);
    expect((await bo.client.get(`/api/organisations/${orgId}`)).json().me.owner).toBe(false);
  });
});

describe('a member and their access log (R-ORG-5)', () => {
  it("holds the member's sign-ins and the console actions on them, and nobody else's records", async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    await buyLicences(owner.client, orgId, 2);
    const mia = await joinedMember(t, owner.client, orgId, { name: 'Mia Logged' });
    const otto = await joinedMember(t, owner.client, orgId, { name: 'Otto Other' });
    const miaClient = new Client(t.app, { ip: '203.0.113.21' });
    const miaSignIn = await miaClient.signIn(mia.email);
    expect(miaSignIn.statusCode).toBe(200);
    const ottoClient = new Client(t.app, { ip: '203.0.113.22' });
    const ottoSignIn = await ottoClient.signIn(otto.email);
    expect(ottoSignIn.statusCode).toBe(200);
    expect((await owner.client.put(`/api/organisations/${orgId}/members/${mia.memberId}/roles`, { admin: true, sections: ['users'] })).statusCode).toBe(200);
    expect((await owner.client.post(`/api/organisations/${orgId}/members/${mia.memberId}/remove-access`)).statusCode).toBe(200);
    expect((await owner.client.post(`/api/organisations/${orgId}/members/${mia.memberId}/grant-access`, {})).statusCode).toBe(200);
    // Something Otto is the target of, which must stay out of Mia's log.
    expect((await owner.client.put(`/api/organisations/${orgId}/members/${otto.memberId}/roles`, { admin: true, sections: ['audit'] })).statusCode).toBe(200);

    const res = await owner.client.get(`/api/organisations/${orgId}/members/${mia.memberId}`);
    expect(res.statusCode).toBe(200);
    const { member, accessLog } = res.json() as { member: Record<string, unknown>; accessLog: Array<{ id: number; action: string; ip: string | null; targetId: string | null; at: string }> };
    expect(member).toMatchObject({ id: mia.memberId, accountId: mia.accountId, status: 'active', licence: 'assigned', roles: { admin: true, sections: ['users'] } });
    const actions = accessLog.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['account.sign_in', 'membership.invited', 'membership.accepted', 'membership.roles_changed', 'membership.access_removed', 'membership.access_granted']),
    );
    const miaSession = miaSignIn.json().session.id as string;
    expect(accessLog).toContainEqual(expect.objectContaining({ action: 'account.sign_in', ip: '203.0.113.21', targetId: miaSession }));
    // Newest first.
    expect(accessLog.map((e) => e.id)).toEqual([...accessLog.map((e) => e.id)].sort((a, b) => b - a));

    // Every entry is Mia's own, or an action on her membership in this organisation.
    const rows = await t.database.db.selectFrom('audit_log').selectAll().where('id', 'in', accessLog.map((e) => e.id)).execute();
    expect(rows).toHaveLength(accessLog.length);
    for (const r of rows) {
      const own = r.account_id === mia.accountId;
      const onHer = r.organisation_id === orgId && r.target_type === 'membership' && r.target_id === mia.memberId;
      expect(own || onHer, `${r.action} by ${r.account_id} on ${r.target_id}`).toBe(true);
      expect(r.organisation_id === orgId || r.organisation_id === null).toBe(true);
    }
    const ottoSession = ottoSignIn.json().session.id as string;
    expect(accessLog.some((e) => e.ip === '203.0.113.22' || e.targetId === ottoSession || e.targetId === otto.memberId)).toBe(false);
    const ownerSignIns = await t.database.db.selectFrom('audit_log').select('id').where('account_id', '=', owner.accountId).where('action', '=', 'account.sign_in').execute();
    expect(accessLog.filter((e) => ownerSignIns.some((o) => o.id === e.id))).toEqual([]);

    // Otto's log holds nothing of Mia's.
    const ottoLog = (await owner.client.get(`/api/organisations/${orgId}/members/${otto.memberId}`)).json().accessLog as Array<{ ip: string | null; targetId: string | null }>;
    expect(ottoLog.some((e) => e.ip === '203.0.113.21' || e.targetId === mia.memberId || e.targetId === miaSession)).toBe(false);
    expect(ottoLog).toContainEqual(expect.objectContaining({ action: 'account.sign_in', ip: '203.0.113.22' }));

    // Without Users it is refused; from another organisation it does not exist.
    expect((await ottoClient.get(`/api/organisations/${orgId}/members/${mia.memberId}`)).json().error.code).toBe('section_required');
    const stranger = await organisationWithOwner(t);
    expect((await stranger.owner.client.get(`/api/organisations/${stranger.orgId}/members/${mia.memberId}`)).statusCode).toBe(404);
    expect((await stranger.owner.client.get(`/api/organisations/${orgId}/members/${mia.memberId}`)).statusCode).toBe(404);
  });
});


describe('organisations created by the operator (R-ORG-1, R-LIC-2)', () => {
  it('`org create --manual-billing --licences 2` makes a manually billed pool; an invitation beyond it buys a licence without any payment method', async () => {
    const dataDir = usingPostgres ? undefined : await fs.mkdtemp(path.join(os.tmpdir(), 'motus-org-'));
    let app = await createTestApp(dataDir ? { dataDir } : {});
    let open = true;
    try {
      app.clock.set('2026-06-10T09:00:00Z');
      const account = await verifiedClient(app, 'Hana Harbour');
      let env: Record<string, string>;
      if (app.databaseUrl) {
        env = { DATABASE_URL: app.databaseUrl };
      } else {
        // The embedded database belongs to one process at a time: hand it over to the CLI.
        await app.close();
        open = false;
        env = { DATA_DIR: dataDir! };
      }
      const cli = await runCli(['org', 'create', '--owner-email', account.email, '--name', 'Harbour Physio', '--manual-billing', '--licences', '2'], env);
      expect(cli.code, cli.stderr).toBe(0);
      expect(cli.stdout).toContain(`owner ${account.email}, billed manually`);
      const orgId = /Harbour Physio \(([0-9a-f-]{36})\)/.exec(cli.stdout)?.[1];
      expect(orgId, cli.stdout).toBeDefined();
      if (!open) {
        app = await createTestApp({ dataDir });
        open = true;
        app.clock.set('2026-06-10T09:00:00Z');
      }

      const owner = new Client(app.app);
      expect((await owner.signIn(account.email)).statusCode).toBe(200);
      const org = await owner.get(`/api/organisations/${orgId}`);
      expect(org.json()).toMatchObject({
        organisation: { name: 'Harbour Physio', billingMode: 'manual', owner: { accountId: account.accountId, email: account.email }, licences: { purchased: 2, assigned: 0, reserved: 0, free: 2 } },
        me: { owner: true, practitioner: false, sections: ALL_SECTIONS },
      });
      const created = await app.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'organisation.created').where('target_id', '=', orgId!).execute();
      expect(created).toEqual([expect.objectContaining({ organisation_id: orgId, account_id: null, user_agent: 'motus-cli', outcome: 'success', details: { billingMode: 'manual' } })]);
      await expectLicenceAudit(app, 'licences.purchased', orgId!, { accountId: null, sessionId: null }, { quantity: 2, cause: 'bulk_purchase' });

      for (const name of ['Kai Free', 'Lea Free']) {
        const free = await owner.post(`/api/organisations/${orgId}/invitations`, { name, email: uniqueEmail('free') });
        expect(free.statusCode).toBe(201);
        expect(free.json().licenceBought).toBe(false);
      }
      expect((await owner.get(`/api/organisations/${orgId}/payment-methods`)).json().paymentMethods).toEqual([]);
      // 10 June, a 30-day month: 3000 × 21/30 = 2100.
      const email = uniqueEmail('beyond');
      const quoted = await owner.post(`/api/organisations/${orgId}/invitations`, { name: 'Max Beyond', email });
      expect(quoted.statusCode).toBe(409);
      expect(quoted.json().error).toMatchObject({
        code: 'charge_not_confirmed',
        details: { quote: { quantity: 1, amountMinor: 2100, paymentMethodRequired: false, paymentMethodOnFile: false } },
      });
      expect((await owner.get(`/api/organisations/${orgId}/licences`)).json().pool).toMatchObject({ purchased: 2, reserved: 2, free: 0, billingMode: 'manual' });
      const bought = await owner.post(`/api/organisations/${orgId}/invitations`, { name: 'Max Beyond', email, confirmedChargeMinor: 2100 });
      expect(bought.statusCode, bought.body).toBe(201);
      expect(bought.json()).toMatchObject({ licenceBought: true, chargeMinor: 2100, member: { status: 'unconfirmed', licence: 'reserved' } });
      expect((await owner.get(`/api/organisations/${orgId}/licences`)).json().pool).toMatchObject({ purchased: 3, reserved: 3, free: 0 });
      const ledger = (await owner.get(`/api/organisations/${orgId}/ledger`)).json().entries as Array<Record<string, unknown>>;
      expect(ledger.filter((e) => e.cause === 'invitation')).toEqual([expect.objectContaining({ kind: 'charge', amountMinor: 2100, membershipId: bought.json().member.id })]);
      const ownerActor = { accountId: account.accountId, sessionId: await sessionIdOf(owner) };
      await expectLicenceAudit(app, 'licences.purchased', orgId!, ownerActor, { cause: 'invitation', amountMinor: 2100 });
      await expectAudited(app, 'membership.invited', bought.json().member.id, orgId!, ownerActor, { licenceBought: true });
      expect((await verifyAuditChain(app.database.db)).ok).toBe(true);
    } finally {
      if (open) await app.close();
      if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('bad invitations (SPEC section 12, R-PRA-1)', () => {
  it('409 already_invited and already_member; 400 at body.email and body.name; nothing is written', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    await buyLicences(owner.client, orgId, 2);
    const member = await joinedMember(t, owner.client, orgId, { name: 'Meg Member' });
    const email = uniqueEmail('twice');
    const first = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Tess Twice', email });
    expect(first.statusCode).toBe(201);
    const pool = await poolOf(owner.client, orgId);
    const count = async () => (await t.database.db.selectFrom('memberships').select('id').where('organisation_id', '=', orgId).execute()).length;
    const memberships = await count();

    // The same address, spelt differently, is the same person.
    const again = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Tess Twice', email: `  ${email.toUpperCase()} `, practitioner: false });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'already_invited', details: { rule: 'R-PRA-1', memberId: first.json().member.id } });
    const already = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Meg Member', email: member.email, practitioner: false });
    expect(already.statusCode).toBe(409);
    expect(already.json().error).toMatchObject({ code: 'already_member', details: { memberId: member.memberId } });

    const badEmail = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'No Email', email: 'not-an-email', practitioner: false });
    expect(badEmail.statusCode).toBe(400);
    expect(badEmail.json().error.details).toEqual([expect.objectContaining({ path: 'body.email' })]);
    const longName = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'n'.repeat(201), email: uniqueEmail('long'), practitioner: false });
    expect(longName.statusCode).toBe(400);
    expect(longName.json().error.details).toEqual([expect.objectContaining({ path: 'body.name', code: 'too_big' })]);
    expect(await count()).toBe(memberships);
    expect(await poolOf(owner.client, orgId)).toEqual(pool);

    // 200 characters are fine.
    const longest = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'n'.repeat(200), email: uniqueEmail('long'), practitioner: false });
    expect(longest.statusCode).toBe(201);
  });
});

describe('the audit trail of this file (R-AUD-1, R-AUD-3)', () => {
  it('every console action is recorded inside its organisation, and the hash chains verify', async () => {
    const consoleActions = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'organisation_id'])
      .where((eb) => eb.or([eb('action', 'like', 'membership.%'), eb('action', 'like', 'ownership.%'), eb('action', 'like', 'licences.%')]))
      .execute();
    expect(consoleActions.length).toBeGreaterThan(50);
    expect(consoleActions.filter((r) => r.organisation_id === null)).toEqual([]);
    const report = await verifyAuditChain(t.database.db);
    expect(report.firstBroken).toBeNull();
    expect(report.ok).toBe(true);
  });
});

describe('"this wasn\'t me" reaches the organisation owner (R-SES-3)', () => {
  it('emails the owner of each organisation the person belongs to, and records how many', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const pat = await verifiedClient(t, 'Pat Target');
    const inv = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Pat Target', email: pat.email, practitioner: false });
    expect((await pat.client.post(`/api/invitations/${inv.json().member.id}/accept`)).statusCode).toBe(200);
    // Someone else signs in as Pat; Pat's replaced browser reports it.
    await new Client(t.app, { ip: '203.0.113.9' }).signIn(pat.email);
    expect((await pat.client.post('/api/sessions/report-not-me')).statusCode).toBe(200);
    const mail = await t.database.db.selectFrom('outbox_emails').select(['subject', 'text_body']).where('to_address', '=', owner.email).where('subject', 'like', '%reported a sign-in%').execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text_body).toContain(pat.email);
    const record = await t.database.db.selectFrom('audit_log').select('details').where('account_id', '=', pat.accountId).where('action', '=', 'session.reported_not_me').executeTakeFirstOrThrow();
    expect(record.details).toMatchObject({ ownersNotified: 1 });
  });
});

describe('an unconfirmed address cannot hold a licence (R-ACC-3)', () => {
  it('refuses the prompt\'s accept until the address is confirmed; the invitation link confirms it', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    await buyLicences(owner.client, orgId, 1);
    const fresh = new Client(t.app);
    const { email, account } = await fresh.signUp();
    const inv = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Una Unverified', email });
    const refused = await fresh.post(`/api/invitations/${inv.json().member.id}/accept`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'email_unverified', details: { rule: 'R-ACC-3' } });
    const token = await latestLinkToken(t, email, '/invitations/accept');
    const accepted = await fresh.post('/api/invitations/accept', { token });
    expect(accepted.statusCode).toBe(200);
    const row = await t.database.db.selectFrom('accounts').select('email_verified_at').where('id', '=', account.id).executeTakeFirstOrThrow();
    expect(row.email_verified_at).not.toBeNull();
  });
});

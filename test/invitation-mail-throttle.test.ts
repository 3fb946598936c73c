import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.ts';
import { Client, uniqueEmail } from './support/client.ts';
import { buyLicences, organisationWithOwner } from './support/factories.ts';

// Invitation mail is limited per recipient and per organisation in any hour (R-PRA-2: re-send
// replaces the link; it must not let anyone flood an outside mailbox). A refused invitation or
// re-send answers 429 with Retry-After, changes nothing and queues nothing; the count is exact
// under concurrent requests.

const MINUTE = 60 * 1000;
const PER_ADDRESS = 3;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ runJobs: false });
});
afterAll(async () => {
  await t?.close();
});

async function invitationMailsTo(app: TestApp, email: string): Promise<number> {
  const rows = await app.database.db.selectFrom('outbox_emails').select('subject').where('to_address', '=', email.toLowerCase()).execute();
  return rows.filter((r) => r.subject.includes('invited you to')).length;
}

function expectThrottled(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, limit: 'recipient' | 'organisation') {
  expect(res.statusCode).toBe(429);
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(3600);
  const body = res.json() as { error: { code: string; message: string; details: { limit: string; retryAfterSeconds: number } }; requestId: string };
  expect(body.error.code).toBe('mail_throttled');
  expect(body.error.details).toMatchObject({ limit, retryAfterSeconds: retryAfter });
  expect(body.requestId).toEqual(expect.any(String));
  return body.error.message;
}

describe('invitation mail per recipient', () => {
  it(`10 concurrent re-sends to one address: ${PER_ADDRESS} invitation mails in all, the rest 429 with Retry-After; the last sent link still works`, async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    await buyLicences(owner.client, orgId, 1);
    const email = uniqueEmail('flooded');
    const invited = await owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Fran Flooded', email });
    expect(invited.statusCode, invited.body).toBe(201);
    const memberId = invited.json().member.id as string;

    const answers = await Promise.all(Array.from({ length: 10 }, () => owner.client.post(`/api/organisations/${orgId}/invitations/${memberId}/resend`)));
    const ok = answers.filter((r) => r.statusCode === 200);
    const refused = answers.filter((r) => r.statusCode !== 200);
    expect(ok).toHaveLength(PER_ADDRESS - 1);
    expect(refused).toHaveLength(10 - (PER_ADDRESS - 1));
    for (const r of refused) {
      const message = expectThrottled(r, 'recipient');
      expect(message).toContain(email);
      expect(message).toMatch(/in \d+ minutes?\./);
    }
    expect(await invitationMailsTo(t, email)).toBe(PER_ADDRESS);

    // Refused re-sends replaced nothing: the link of the last one sent still opens the invitation.
    const mails = await t.database.db.selectFrom('outbox_emails').select('text_body').where('to_address', '=', email).execute();
    const tokens = mails.map((m) => decodeURIComponent(/\/invitations\/accept\?token=([A-Za-z0-9_%-]+)/.exec(m.text_body)![1]!));
    const opening = [];
    for (const token of tokens) if ((await new Client(t.app).get(`/api/invitations/by-token?token=${encodeURIComponent(token)}`)).statusCode === 200) opening.push(token);
    expect(opening).toHaveLength(1);
    const throttled = await t.database.db.selectFrom('audit_log').select(['outcome', 'details', 'organisation_id']).where('action', '=', 'mail.throttled').where('organisation_id', '=', orgId).execute();
    expect(throttled).toHaveLength(refused.length);
    expect(throttled[0]).toEqual({ outcome: 'denied', organisation_id: orgId, details: { kind: 'invitation', limit: 'recipient', membershipId: memberId } });
  });

  it('revoking still works, inviting the address again is refused as a whole (no invitation, no licence held), and is allowed once the hour has passed', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    await buyLicences(owner.client, orgId, 1);
    const email = uniqueEmail('revoked');
    const invite = () => owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Remy Revoked', email });
    let memberId = '';
    for (let i = 0; i < PER_ADDRESS; i++) {
      const res = await invite();
      expect(res.statusCode, res.body).toBe(201);
      memberId = res.json().member.id as string;
      t.clock.advance(MINUTE);
      if (i < PER_ADDRESS - 1) expect((await owner.client.post(`/api/organisations/${orgId}/invitations/${memberId}/revoke`)).statusCode).toBe(200);
    }
    // The revoke sends no mail and is never held back.
    expect((await owner.client.post(`/api/organisations/${orgId}/invitations/${memberId}/revoke`)).statusCode).toBe(200);
    expectThrottled(await invite(), 'recipient');
    expect(await invitationMailsTo(t, email)).toBe(PER_ADDRESS);
    const members = (await owner.client.get(`/api/organisations/${orgId}/members`)).json().members as { email: string; status: string }[];
    expect(members.filter((m) => m.email === email).map((m) => m.status)).not.toContain('unconfirmed');
    const pool = (await owner.client.get(`/api/organisations/${orgId}/licences`)).json().pool as { purchased: number; reserved: number };
    expect(pool).toMatchObject({ purchased: 1, reserved: 0 });

    // An hour after the first invitation, one more may go out.
    t.clock.advance(60 * MINUTE - (PER_ADDRESS - 1) * MINUTE);
    expect((await owner.client.signIn(owner.email)).statusCode).toBe(200);
    const again = await invite();
    expect(again.statusCode, again.body).toBe(201);
    expect(await invitationMailsTo(t, email)).toBe(PER_ADDRESS + 1);
  });

  it('10 organisations inviting one address at once: the recipient gets at most the limit', async () => {
    const orgs = [];
    for (let i = 0; i < 10; i++) orgs.push(await organisationWithOwner(t, { name: `Practice ${i}` }));
    const email = uniqueEmail('popular');
    const answers = await Promise.all(orgs.map(({ owner, orgId }) => owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Poppy Popular', email, practitioner: false })));
    expect(answers.filter((r) => r.statusCode === 201)).toHaveLength(PER_ADDRESS);
    for (const r of answers.filter((x) => x.statusCode !== 201)) expectThrottled(r, 'recipient');
    expect(await invitationMailsTo(t, email)).toBe(PER_ADDRESS);
  });
});

describe('invitation mail per organisation', () => {
  let small: TestApp;
  beforeAll(async () => {
    small = await createTestApp({ runJobs: false, env: { INVITATION_MAILS_PER_ORGANISATION_PER_HOUR: '4' } });
  });
  afterAll(async () => {
    await small?.close();
  });

  it('6 concurrent invitations to distinct addresses with a limit of 4 an hour: 4 are sent, 2 refused naming the organisation', async () => {
    const { owner, orgId } = await organisationWithOwner(small, { name: 'Busy Physio' });
    const emails = Array.from({ length: 6 }, () => uniqueEmail('colleague'));
    const answers = await Promise.all(emails.map((email) => owner.client.post(`/api/organisations/${orgId}/invitations`, { name: 'Casey Colleague', email, practitioner: false })));
    expect(answers.filter((r) => r.statusCode === 201)).toHaveLength(4);
    const refused = answers.filter((r) => r.statusCode !== 201);
    expect(refused).toHaveLength(2);
    for (const r of refused) expect(expectThrottled(r, 'organisation')).toContain('Busy Physio');
    let sent = 0;
    for (const email of emails) sent += await invitationMailsTo(small, email);
    expect(sent).toBe(4);
    const members = (await owner.client.get(`/api/organisations/${orgId}/members`)).json().members as { status: string }[];
    expect(members.filter((m) => m.status === 'unconfirmed')).toHaveLength(4);

    // Another organisation has its own allowance.
    const other = await organisationWithOwner(small, { name: 'Quiet Physio' });
    expect((await other.owner.client.post(`/api/organisations/${other.orgId}/invitations`, { name: 'Casey Colleague', email: uniqueEmail('colleague'), practitioner: false })).statusCode).toBe(201);
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import dns from 'node:dns';
import os from 'node:os';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inTransaction } from '../src/platform/db/database.ts';
import { emitWebhookEvent } from '../src/webhooks/emit.ts';
import { postWebhook } from '../src/webhooks/send.ts';
import { signedHeaders } from '../src/webhooks/signing.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import type { Client } from './support/client.ts';
import { joinedMember, organisationWithOwner, verifiedClient } from './support/factories.ts';
import { PatientDevice, patientWithProgramme } from './support/patient-device.ts';

// R-INT-4: webhooks deliver the events a practice subscribes to, signed per the Standard Webhooks
// specification, after commit, retried with back-off for three days, with a delivery log and
// resend; private network targets only where the operator allows them. A real HTTP receiver on
// loopback checks every request with the published `standardwebhooks` package.

const DAY = 24 * 60 * 60 * 1000;

interface Received {
  path: string;
  id: string;
  headers: Record<string, string>;
  body: string;
  json: { type: string; timestamp: string; data: Record<string, unknown> };
  answered: number;
}

/** A webhook receiver on 127.0.0.1 that answers each request as `answer` says and remembers it. */
class Receiver {
  readonly received: Received[] = [];
  /** The status for a request: `nth` counts the requests with this webhook-id at this path (1 = first). */
  answer: (r: Omit<Received, 'answered'>, nth: number) => number | { status: number; location: string } = () => 200;
  #server: http.Server | undefined;
  port = 0;

  async start(): Promise<void> {
    this.#server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        const r = { path: req.url ?? '/', id: headers['webhook-id'] ?? '', headers, body, json: JSON.parse(body || '{}') };
        const nth = this.received.filter((x) => x.path === r.path && x.id === r.id).length + 1;
        const a = this.answer(r, nth);
        const status = typeof a === 'number' ? a : a.status;
        this.received.push({ ...r, answered: status });
        res.writeHead(status, typeof a === 'number' ? { 'content-type': 'text/plain' } : { location: a.location }).end('thanks');
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server!.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }
}

describe('webhooks (R-INT-4)', () => {
  let t: TestApp;
  const receiver = new Receiver();

  beforeAll(async () => {
    await receiver.start();
    // Tests and self-hosting on one network need internal targets: the operator's switch allows them.
    t = await createTestApp({ runJobs: false, env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' } });
  });
  afterAll(async () => {
    await t?.close();
    await receiver.stop();
  });

  /** Checks a request with the independent implementation, against the receiver's clock (the test's). */
  function verify(secret: string, r: Received) {
    const now = vi.spyOn(Date, 'now').mockReturnValue(t.clock.now().getTime());
    try {
      return new Webhook(secret).verify(r.body, r.headers) as Received['json'];
    } finally {
      now.mockRestore();
    }
  }

  const runJobs = () => t.deps.jobs.runDue();

  /** Signs people in again after the clock moved past their sessions' lifetime. */
  async function awake(...people: { client: Client; email: string }[]) {
    for (const p of people) expect((await p.client.signIn(p.email)).statusCode).toBe(200);
  }

  /** An organisation with its owner and a practitioner who holds a licence there. */
  async function practice() {
    const org = await organisationWithOwner(t, { card: true });
    const pia = await joinedMember(t, org.owner.client, org.orgId, { name: 'Pia Physio', buyLicence: true });
    return { orgId: org.orgId, owner: org.owner, pia };
  }

  async function addEndpoint(client: Client, base: string, path: string, events: string[]) {
    const res = await client.post(base, { url: receiver.url(path), description: `Receiver ${path}`, events });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { endpoint: { id: string }; secret: string };
  }

  const orgBase = (orgId: string) => `/api/organisations/${orgId}/webhooks`;

  it('signs each event as Standard Webhooks says, sends it after commit, retries after 500s, and accepts each event id once', async () => {
    const { orgId, owner, pia } = await practice();
    const org = await addEndpoint(owner.client, orgBase(orgId), '/t1/org', ['programme.assigned', 'session.recorded', 'pain.reported', 'message.received']);
    const own = await addEndpoint(pia.client, '/api/me/webhooks', '/t1/pia', ['programme.assigned']);
    expect(org.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    // The organisation's receiver is down for the first two attempts of the assignment.
    receiver.answer = (r, nth) => (r.path === '/t1/org' && r.json.type === 'programme.assigned' && nth <= 2 ? 500 : 200);

    const world = await patientWithProgramme(t, pia.client, { trackPain: true });
    // Nothing is sent inside the request: the job queue sends after the commit.
    expect(receiver.at('/t1/org')).toHaveLength(0);
    await runJobs();
    expect(receiver.at('/t1/org').map((r) => r.answered)).toEqual([500]);
    expect(receiver.at('/t1/pia').map((r) => r.answered)).toEqual([200]);

    const first = receiver.at('/t1/org')[0]!;
    const payload = verify(org.secret, first);
    expect(payload).toMatchObject({ type: 'programme.assigned', data: { programmeId: world.programme.id, patientId: world.patientId, organisationId: orgId, assignedBy: pia.accountId } });
    expect(verify(own.secret, receiver.at('/t1/pia')[0]!)).toMatchObject({ type: 'programme.assigned', data: { programmeId: world.programme.id } });
    expect(() => verify(own.secret, first)).toThrow(/signature/i);
    expect(first.headers['content-type']).toBe('application/json');
    // The two endpoints got one event: one message id.
    expect(receiver.at('/t1/pia')[0]!.id).toBe(first.id);
    // Ids and numbers only: no names of the patient or the programme.
    expect(first.body).not.toMatch(/Edith|Engaged|Knee strength/);

    // Retried after 5 seconds, then after 5 minutes; not before.
    t.clock.advance(5_000);
    await runJobs();
    expect(receiver.at('/t1/org').map((r) => r.answered)).toEqual([500, 500]);
    expect(verify(org.secret, receiver.at('/t1/org')[1]!).type).toBe('programme.assigned');
    t.clock.advance(4 * 60_000);
    await runJobs();
    expect(receiver.at('/t1/org')).toHaveLength(2);
    t.clock.advance(60_000);
    await runJobs();
    expect(receiver.at('/t1/org').map((r) => r.answered)).toEqual([500, 500, 200]);
    const attempts = receiver.at('/t1/org');
    expect(new Set(attempts.map((r) => r.id)).size).toBe(1);
    expect(verify(org.secret, attempts[2]!).type).toBe('programme.assigned');
    // Each attempt is signed at its own time.
    expect(new Set(attempts.map((r) => r.headers['webhook-timestamp'])).size).toBe(3);

    // The patient records a session with pain and writes a message: three more events, no text.
    const device = new PatientDevice(t);
    expect((await device.open(world.programme.code, world.yearOfBirth)).statusCode).toBe(200);
    const day = t.clock.now().toISOString().slice(0, 10);
    const entry = await device.put(`/api/patient/entries/${crypto.randomUUID()}`, { day, itemIndex: 0, setsDone: 3, pain: 4, difficulty: 'about_right', comment: 'Sore after the second set' });
    expect(entry.statusCode, entry.body).toBe(200);
    const sent = await device.put(`/api/patient/messages/${crypto.randomUUID()}`, { text: 'My knee feels much better today' });
    expect(sent.statusCode, sent.body).toBe(200);
    await runJobs();
    const later = receiver.at('/t1/org').slice(3).map((r) => verify(org.secret, r));
    expect(later.map((p) => p.type).sort()).toEqual(['message.received', 'pain.reported', 'session.recorded']);
    expect(later.find((p) => p.type === 'pain.reported')!.data).toMatchObject({ programmeId: world.programme.id, patientId: world.patientId, pain: 4, day });
    expect(later.find((p) => p.type === 'session.recorded')!.data).toMatchObject({ itemIndex: 0, setsDone: 3 });
    expect(later.find((p) => p.type === 'message.received')!.data).toMatchObject({ messageId: sent.json().message.id });
    const texts = receiver.at('/t1/org').map((r) => r.body).join('\n');
    expect(texts).not.toMatch(/knee feels|Sore after/);
    // The practitioner's endpoint subscribed to assignments only.
    expect(receiver.at('/t1/pia')).toHaveLength(1);

    // Days later nothing more is sent: every event was accepted once.
    for (let i = 0; i < 4; i++) {
      t.clock.advance(DAY);
      await runJobs();
    }
    const accepted = new Map<string, number>();
    for (const r of receiver.at('/t1/org')) if (r.answered < 300) accepted.set(r.id, (accepted.get(r.id) ?? 0) + 1);
    expect([...accepted.values()]).toEqual([1, 1, 1, 1]);
    expect(receiver.at('/t1/org')).toHaveLength(6);
    await awake(owner, pia);

    // The delivery log shows each attempt's status code, newest first.
    const log = await owner.client.get(`${orgBase(orgId)}/${org.endpoint.id}/deliveries`);
    expect(log.statusCode, log.body).toBe(200);
    expect(log.json().total).toBe(4);
    const assigned = log.json().deliveries.find((d: { eventType: string }) => d.eventType === 'programme.assigned');
    expect(assigned).toMatchObject({ eventId: first.id, state: 'delivered', attempts: 3, lastStatusCode: 200, nextAttemptAt: null });
    expect(assigned.log.map((a: { statusCode: number }) => a.statusCode)).toEqual([200, 500, 500]);
    expect(assigned.log.every((a: { trigger: string }) => a.trigger === 'scheduled')).toBe(true);

    // A resend by hand delivers it again, with the same webhook-id (the receiver may drop it).
    const resent = await owner.client.post(`${orgBase(orgId)}/${org.endpoint.id}/deliveries/${assigned.id}/resend`);
    expect(resent.statusCode, resent.body).toBe(202);
    await runJobs();
    const again = receiver.at('/t1/org').at(-1)!;
    expect(again.id).toBe(first.id);
    expect(verify(org.secret, again).data).toMatchObject({ programmeId: world.programme.id });
    expect(new Set(receiver.at('/t1/org').map((r) => r.id)).size).toBe(4);
    const after = (await owner.client.get(`${orgBase(orgId)}/${org.endpoint.id}/deliveries?limit=10`)).json().deliveries.find((d: { id: string }) => d.id === assigned.id);
    expect(after).toMatchObject({ state: 'delivered', attempts: 4 });
    expect(after.log[0]).toMatchObject({ trigger: 'resend', statusCode: 200 });

    // The practitioner resends theirs too.
    const ownLog = (await pia.client.get(`/api/me/webhooks/${own.endpoint.id}/deliveries`)).json();
    expect(ownLog.deliveries).toHaveLength(1);
    expect((await pia.client.post(`/api/me/webhooks/${own.endpoint.id}/deliveries/${ownLog.deliveries[0].id}/resend`)).statusCode).toBe(202);
    await runJobs();
    expect(receiver.at('/t1/pia').map((r) => r.id)).toEqual([first.id, first.id]);
  });

  it('sends nothing for a change that rolls back, or for a refused request', async () => {
    const { orgId, owner, pia } = await practice();
    await addEndpoint(owner.client, orgBase(orgId), '/t2/org', ['programme.assigned', 'patient.transferred']);
    receiver.answer = () => 200;
    const deliveries = async () => Number((await t.database.db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await deliveries();

    // The change's transaction fails after its event was emitted.
    await expect(
      inTransaction(t.database.db, async (tx) => {
        await emitWebhookEvent(tx, t.clock, { type: 'programme.assigned', organisationId: orgId, accountIds: [pia.accountId], data: { programmeId: 'rolled-back' } });
        expect(Number((await tx.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(before + 1);
        throw new Error('the change fails after its event');
      }),
    ).rejects.toThrow('the change fails after its event');
    // A refused request: a transfer to someone who is not a colleague.
    const world = await patientWithProgramme(t, pia.client);
    await runJobs();
    expect(receiver.at('/t2/org')).toHaveLength(1);
    const stranger = await verifiedClient(t, 'Stan Stranger');
    expect((await pia.client.post(`/api/patients/${world.patientId}/transfer`, { accountId: stranger.accountId })).statusCode).toBe(404);
    for (let i = 0; i < 3; i++) {
      t.clock.advance(DAY);
      await runJobs();
    }
    expect(receiver.at('/t2/org').map((r) => r.json.type)).toEqual(['programme.assigned']);
    expect(receiver.received.some((r) => r.body.includes('rolled-back'))).toBe(false);
    expect(await deliveries()).toBe(before + 1);

    // The same emit, committed, is sent.
    await inTransaction(t.database.db, (tx) => emitWebhookEvent(tx, t.clock, { type: 'programme.assigned', organisationId: orgId, accountIds: [], data: { programmeId: 'committed' } }));
    await runJobs();
    expect(receiver.at('/t2/org').at(-1)!.json.data).toMatchObject({ programmeId: 'committed', organisationId: orgId });
  });

  it('rotates the secret: for a day both signatures verify, with the old secret and with the new', async () => {
    const { pia } = await practice();
    const own = await addEndpoint(pia.client, '/api/me/webhooks', '/t3/pia', ['programme.assigned']);
    receiver.answer = () => 200;
    const rotated = await pia.client.post(`/api/me/webhooks/${own.endpoint.id}/rotate-secret`);
    expect(rotated.statusCode, rotated.body).toBe(200);
    const next = rotated.json() as { secret: string; endpoint: { previousSecretExpiresAt: string; secretRotatedAt: string } };
    expect(next.secret).not.toBe(own.secret);
    expect(Date.parse(next.endpoint.previousSecretExpiresAt) - t.clock.now().getTime()).toBe(DAY);

    await patientWithProgramme(t, pia.client);
    await runJobs();
    const during = receiver.at('/t3/pia')[0]!;
    expect(during.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(during.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=* v1,[A-Za-z0-9+/]+=*$/);
    expect(verify(next.secret, during).type).toBe('programme.assigned');
    expect(verify(own.secret, during).type).toBe('programme.assigned');

    // A day later the previous secret no longer signs.
    t.clock.advance(DAY + 1000);
    await awake(pia);
    expect((await pia.client.get(`/api/me/webhooks/${own.endpoint.id}`)).json().endpoint.previousSecretExpiresAt).toBeNull();
    await patientWithProgramme(t, pia.client);
    await runJobs();
    const afterwards = receiver.at('/t3/pia')[1]!;
    expect(afterwards.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    expect(verify(next.secret, afterwards).type).toBe('programme.assigned');
    expect(() => verify(own.secret, afterwards)).toThrow(/signature/i);
    // A receiver's clock far from the timestamp refuses the request (replay protection).
    t.clock.advance(10 * 60_000);
    expect(() => verify(next.secret, afterwards)).toThrow(/timestamp/i);
  });

  it('sends transfers and removed practitioner access to the organisation, and both practitioners hear of a transfer', async () => {
    const { orgId, owner, pia } = await practice();
    const carl = await joinedMember(t, owner.client, orgId, { name: 'Carl Colleague', buyLicence: true });
    const org = await addEndpoint(owner.client, orgBase(orgId), '/t4/org', ['patient.transferred', 'practitioner.access_removed']);
    const carls = await addEndpoint(carl.client, '/api/me/webhooks', '/t4/carl', ['patient.transferred']);
    receiver.answer = () => 200;
    const world = await patientWithProgramme(t, pia.client);
    const moved = await pia.client.post(`/api/patients/${world.patientId}/transfer`, { accountId: carl.accountId });
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await owner.client.post(`/api/organisations/${orgId}/members/${carl.memberId}/remove-access`)).statusCode).toBe(200);
    await runJobs();
    // Two events of one moment: a receiver may see them in either order.
    const events = receiver.at('/t4/org').map((r) => verify(org.secret, r)).sort((x, y) => x.type.localeCompare(y.type));
    expect(events.map((e) => e.type)).toEqual(['patient.transferred', 'practitioner.access_removed']);
    expect(events[0]!.data).toEqual({ patientId: world.patientId, fromAccountId: pia.accountId, toAccountId: carl.accountId, transferId: moved.json().transferId, organisationId: orgId });
    expect(events[1]!.data).toEqual({ membershipId: carl.memberId, accountId: carl.accountId, reason: 'access_removed', organisationId: orgId });
    expect(receiver.at('/t4/carl').map((r) => verify(carls.secret, r).type)).toEqual(['patient.transferred']);
    // No programme was assigned in this practice's subscription: nothing else arrived.
    expect(receiver.at('/t4/org')).toHaveLength(2);
  });

  it('switches off an endpoint that failed for three days of retries and emails its owner, without clinical data', async () => {
    const { orgId, owner, pia } = await practice();
    const down = await addEndpoint(owner.client, orgBase(orgId), '/t5/down', ['programme.assigned']);
    receiver.answer = (r) => (r.path === '/t5/down' ? 503 : 200);
    const world = await patientWithProgramme(t, pia.client);
    const start = t.clock.now().getTime();
    let rounds = 0;
    for (; rounds < 30; rounds++) {
      await runJobs();
      const d = await t.database.db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', down.endpoint.id).executeTakeFirstOrThrow();
      if (d.state !== 'pending') break;
      t.clock.set(d.next_attempt_at!);
    }
    const attempts = receiver.at('/t5/down');
    expect(attempts.length).toBeGreaterThanOrEqual(10);
    expect(new Set(attempts.map((r) => r.id)).size).toBe(1);
    expect(t.clock.now().getTime() - start).toBe(3 * DAY);
    await awake(owner, pia);

    const ep = (await owner.client.get(`${orgBase(orgId)}/${down.endpoint.id}`)).json().endpoint;
    expect(ep).toMatchObject({ enabled: false, disabledReason: 'failing' });
    expect(ep.failingSince).not.toBeNull();
    const log = (await owner.client.get(`${orgBase(orgId)}/${down.endpoint.id}/deliveries`)).json().deliveries[0];
    expect(log).toMatchObject({ state: 'failed', attempts: attempts.length, lastStatusCode: 503, nextAttemptAt: null });
    expect(log.log).toHaveLength(10);

    const mail = await t.database.db.selectFrom('outbox_emails').selectAll().where('subject', '=', 'A webhook endpoint was switched off').orderBy('created_at', 'desc').execute();
    const ownerMail = mail.filter((m) => m.to_address === owner.email.toLowerCase());
    expect(ownerMail).toHaveLength(1);
    expect(ownerMail[0]!.text_body).toContain(`127.0.0.1:${receiver.port}`);
    expect(ownerMail[0]!.text_body).toContain(`/console/${orgId}/integrations/webhooks/${down.endpoint.id}`);
    expect(ownerMail[0]!.text_body).not.toMatch(new RegExp(`Edith|Engaged|Knee|${world.patientId}|${world.programme.id}`));

    // Switched off, it is sent nothing; switched on again, it starts afresh.
    await patientWithProgramme(t, pia.client);
    await runJobs();
    expect(receiver.at('/t5/down')).toHaveLength(attempts.length);
    expect((await owner.client.post(`${orgBase(orgId)}/${down.endpoint.id}/test`)).statusCode).toBe(409);
    const on = await owner.client.patch(`${orgBase(orgId)}/${down.endpoint.id}`, { enabled: true });
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json().endpoint).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
  });

  it('manages endpoints: the secret is shown once and stored encrypted, test events, changes and deletion are audited', async () => {
    const { orgId, owner, pia } = await practice();
    receiver.answer = (r) => (r.path === '/t6/failing' ? 500 : 200);
    const made = await addEndpoint(owner.client, orgBase(orgId), '/t6/org', ['programme.assigned']);
    const stored = await t.database.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', made.endpoint.id).executeTakeFirstOrThrow();
    expect(Buffer.from(stored.secret_ciphertext).includes(Buffer.from(made.secret))).toBe(false);
    expect(Buffer.from(stored.secret_ciphertext).includes(Buffer.from(made.secret.slice(6), 'base64'))).toBe(false);
    const listed = await owner.client.get(orgBase(orgId));
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain(made.secret.slice(6, 20));
    expect(listed.json().endpoints).toEqual([expect.objectContaining({ id: made.endpoint.id, owner: 'organisation', enabled: true, events: ['programme.assigned'] })]);

    // A test event: one signed request, to this endpoint alone.
    const test = await owner.client.post(`${orgBase(orgId)}/${made.endpoint.id}/test`);
    expect(test.statusCode, test.body).toBe(202);
    expect(test.json().delivery).toMatchObject({ eventType: 'webhook.test', state: 'pending', attempts: 0 });
    await runJobs();
    expect(verify(made.secret, receiver.at('/t6/org')[0]!)).toMatchObject({ type: 'webhook.test', data: { endpointId: made.endpoint.id } });

    // A failed test is not retried.
    const mine = await addEndpoint(pia.client, '/api/me/webhooks', '/t6/failing', ['session.recorded']);
    expect((await pia.client.post(`/api/me/webhooks/${mine.endpoint.id}/test`)).statusCode).toBe(202);
    await runJobs();
    t.clock.advance(DAY);
    await runJobs();
    expect(receiver.at('/t6/failing')).toHaveLength(1);
    await awake(owner, pia);
    const failed = (await pia.client.get(`/api/me/webhooks/${mine.endpoint.id}/deliveries`)).json().deliveries[0];
    expect(failed).toMatchObject({ state: 'failed', attempts: 1, lastStatusCode: 500, lastError: 'The endpoint answered 500.' });

    // Changes: events and address, switched off by hand; the same settings again change nothing.
    const changed = await pia.client.patch(`/api/me/webhooks/${mine.endpoint.id}`, { events: ['pain.reported', 'session.recorded'], url: receiver.url('/t6/pia'), enabled: false });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().endpoint).toMatchObject({ events: ['pain.reported', 'session.recorded'], url: receiver.url('/t6/pia'), enabled: false, disabledReason: 'by_owner' });
    expect((await pia.client.patch(`/api/me/webhooks/${mine.endpoint.id}`, { enabled: false })).statusCode).toBe(200);
    const refused = await pia.client.patch(`/api/me/webhooks/${mine.endpoint.id}`, { events: [] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details[0].path).toBe('body.events');
    expect((await pia.client.post('/api/me/webhooks', { url: receiver.url('/x'), events: ['programme.assigned', 'programme.assigned'] })).statusCode).toBe(400);
    expect((await pia.client.post('/api/me/webhooks', { url: receiver.url('/x'), events: ['programme.deleted'] })).statusCode).toBe(400);

    const records = await t.database.db.selectFrom('audit_log').select(['action', 'details']).where('target_id', 'in', [made.endpoint.id, mine.endpoint.id]).orderBy('chain_seq').execute();
    expect(records.map((r) => r.action)).toEqual(expect.arrayContaining(['webhook.created', 'webhook.test_sent', 'webhook.updated', 'request.unchanged']));
    expect(JSON.stringify(records)).not.toContain(made.secret.slice(6, 20));
    expect(JSON.stringify(records)).not.toContain('/t6/');

    // Deleted with its log.
    expect((await pia.client.delete(`/api/me/webhooks/${mine.endpoint.id}`)).statusCode).toBe(204);
    expect((await pia.client.get(`/api/me/webhooks/${mine.endpoint.id}`)).statusCode).toBe(404);
    expect((await owner.client.delete(`${orgBase(orgId)}/${made.endpoint.id}`)).statusCode).toBe(204);
    expect((await owner.client.get(orgBase(orgId))).json().endpoints).toEqual([]);
    expect(await t.database.db.selectFrom('webhook_deliveries').select('id').where('endpoint_id', 'in', [made.endpoint.id, mine.endpoint.id]).execute()).toEqual([]);

    // Organisation secrets rotate too.
    const again = await addEndpoint(owner.client, orgBase(orgId), '/t6/org2', ['programme.assigned']);
    const rotated = await owner.client.post(`${orgBase(orgId)}/${again.endpoint.id}/rotate-secret`);
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().secret).toMatch(/^whsec_/);
    expect(rotated.json().secret).not.toBe(again.secret);
  });

  it("answers 404 for another tenant's endpoints and deliveries", async () => {
    const a = await practice();
    const b = await practice();
    receiver.answer = () => 200;
    const aOrg = await addEndpoint(a.owner.client, orgBase(a.orgId), '/t7/a', ['programme.assigned']);
    const aPia = await addEndpoint(a.pia.client, '/api/me/webhooks', '/t7/pia', ['programme.assigned']);
    await patientWithProgramme(t, a.pia.client);
    await runJobs();
    const aDelivery = (await a.owner.client.get(`${orgBase(a.orgId)}/${aOrg.endpoint.id}/deliveries`)).json().deliveries[0].id as string;
    const bOrg = await addEndpoint(b.owner.client, orgBase(b.orgId), '/t7/b', ['programme.assigned']);

    for (const [client, method, url] of [
      [b.owner.client, 'GET', `${orgBase(b.orgId)}/${aOrg.endpoint.id}`],
      [b.owner.client, 'PATCH', `${orgBase(b.orgId)}/${aOrg.endpoint.id}`],
      [b.owner.client, 'DELETE', `${orgBase(b.orgId)}/${aOrg.endpoint.id}`],
      [b.owner.client, 'POST', `${orgBase(b.orgId)}/${aOrg.endpoint.id}/rotate-secret`],
      [b.owner.client, 'GET', `${orgBase(b.orgId)}/${aOrg.endpoint.id}/deliveries`],
      [b.owner.client, 'POST', `${orgBase(b.orgId)}/${bOrg.endpoint.id}/deliveries/${aDelivery}/resend`],
      [b.owner.client, 'GET', `${orgBase(a.orgId)}/${aOrg.endpoint.id}`],
      [b.pia.client, 'GET', `/api/me/webhooks/${aPia.endpoint.id}`],
      [b.pia.client, 'POST', `/api/me/webhooks/${aPia.endpoint.id}/test`],
      [a.pia.client, 'GET', `/api/me/webhooks/${aOrg.endpoint.id}`],
      [a.pia.client, 'POST', `/api/me/webhooks/${aPia.endpoint.id}/deliveries/${aDelivery}/resend`],
    ] as const) {
      const res = await client.request(method, url, method === 'PATCH' ? { enabled: false } : undefined);
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    // Nothing of A's changed.
    expect((await a.owner.client.get(`${orgBase(a.orgId)}/${aOrg.endpoint.id}`)).json().endpoint.enabled).toBe(true);
    // A practitioner who is no admin of the organisation cannot reach its webhooks.
    expect((await a.pia.client.get(orgBase(a.orgId))).statusCode).toBe(403);
  });

  it('refuses loopback, private and link-local targets at delivery when the operator switch is off, connecting only to checked addresses', async () => {
    receiver.answer = () => 200;
    const { orgId, owner, pia } = await practice();
    const made = await addEndpoint(owner.client, orgBase(orgId), '/t8/org', ['programme.assigned']);
    // The operator turns the switch off: endpoints saved before it are refused too.
    t.config.webhooks.allowPrivateTargets = false;
    try {
      await patientWithProgramme(t, pia.client);
      await runJobs();
      expect(receiver.at('/t8/org')).toHaveLength(0);
      const log = (await owner.client.get(`${orgBase(orgId)}/${made.endpoint.id}/deliveries`)).json().deliveries[0];
      expect(log).toMatchObject({ state: 'pending', attempts: 1, lastStatusCode: null });
      expect(log.lastError).toMatch(/https/);
    } finally {
      t.config.webhooks.allowPrivateTargets = true;
    }

    // At connection time each address the name resolves to is checked: a name pointing at loopback gets nothing.
    const toLoopback = async () => [{ address: '127.0.0.1', family: 4 }];
    const body = JSON.stringify({ type: 'webhook.test', timestamp: new Date().toISOString(), data: {} });
    const headers = signedHeaders(['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], 'msg_0123456789abcdef0123456789abcdef', new Date(), body);
    const refusedByName = await postWebhook(`https://pms.example.test:${receiver.port}/t8/named`, headers, body, { allowPrivate: false, resolve: toLoopback });
    expect(refusedByName).toEqual({ statusCode: null, error: 'Not sent: pms.example.test resolves to an internal address.' });
    const refusedLiteral = await postWebhook(`https://[::ffff:127.0.0.1]:${receiver.port}/t8/named`, headers, body, { allowPrivate: false });
    expect(refusedLiteral.statusCode).toBeNull();
    expect(receiver.at('/t8/named')).toHaveLength(0);
    // The same name, allowed, connects to the address the resolver gave: the check and the connection see one answer.
    expect(await postWebhook(`http://pms.example.test:${receiver.port}/t8/named`, headers, body, { allowPrivate: true, resolve: toLoopback })).toEqual({ statusCode: 200, error: null });
    expect(receiver.at('/t8/named')).toHaveLength(1);
    // A redirect is an answer, not followed.
    receiver.answer = (r) => (r.path === '/t8/redirect' ? { status: 302, location: '/t8/elsewhere' } : 200);
    expect(await postWebhook(receiver.url('/t8/redirect'), headers, body, { allowPrivate: true })).toMatchObject({ statusCode: 302, error: expect.stringMatching(/redirect/) });
    expect(receiver.at('/t8/elsewhere')).toHaveLength(0);
  });
});

describe('webhook targets on an installation that keeps to public addresses (R-INT-4)', () => {
  let u: TestApp;
  beforeAll(async () => {
    u = await createTestApp({ runJobs: false });
  });
  afterAll(async () => {
    await u?.close();
  });

  /** A name this machine resolves to loopback: its own host name where /etc/hosts says so, else localhost. */
  async function loopbackName(): Promise<string> {
    const name = os.hostname();
    const addresses = await dns.promises.lookup(name, { all: true }).catch(() => []);
    return addresses.length > 0 && addresses.every((a) => a.address.startsWith('127.') || a.address === '::1') ? name : 'localhost';
  }

  it('refuses loopback, private, link-local and unique-local targets and plain http when the endpoint is saved', async () => {
    expect(u.config.webhooks.allowPrivateTargets).toBe(false);
    const org = await organisationWithOwner(u);
    const pia = await verifiedClient(u, 'Pia Physio');
    expect((await pia.client.post('/api/me/subscription/trial')).statusCode).toBe(201);
    const name = await loopbackName();
    for (const url of ['https://127.0.0.1/hook', 'https://10.0.0.8/hook', 'https://[::1]/hook', 'https://169.254.169.254/latest', 'https://[fd00::1]/hook', 'https://0x7f000001/hook', `https://${name}/hook`, 'https://localhost:8443/hook']) {
      for (const [client, base] of [
        [org.owner.client, `/api/organisations/${org.orgId}/webhooks`],
        [pia.client, '/api/me/webhooks'],
      ] as const) {
        const res = await client.post(base, { url, events: ['programme.assigned'] });
        expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
        expect(res.json().error.details).toEqual([{ path: 'body.url', code: 'private_target', message: expect.stringContaining('private, loopback') }]);
      }
    }
    const http = await pia.client.post('/api/me/webhooks', { url: 'http://pms.example.com/hook', events: ['programme.assigned'] });
    expect(http.statusCode).toBe(400);
    expect(http.json().error.details[0]).toMatchObject({ path: 'body.url', code: 'scheme' });
    expect(await u.database.db.selectFrom('webhook_endpoints').select('id').execute()).toEqual([]);
    // A public https address is taken (it need not resolve yet: every delivery resolves it again).
    const ok = await pia.client.post('/api/me/webhooks', { url: 'https://pms.example.com/motus/webhooks', events: ['programme.assigned'] });
    expect(ok.statusCode, ok.body).toBe(201);
  });
});

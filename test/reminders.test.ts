import type { AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeDevice } from '../src/engagement/devices.ts';
import { sha256 } from '../src/platform/crypto.ts';
import { inTransaction } from '../src/platform/db/database.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { Client, uniqueEmail } from './support/client.ts';
import { joinedMember, organisationWithOwner, verifiedClient } from './support/factories.ts';

// R-ENG-4: reminders by email on the patient's days and time in their own time zone, one-click
// unsubscribe (RFC 8058), and the iCalendar feed of the exercise days; nothing clinical in either.
// R-ENG-3: a disabled or ended programme takes no reminder and sends none.

const TITLE = 'Left knee after arthroscopy';

/** A real SMTP server on loopback: what Motus hands to the mail server, headers and all. */
async function smtpServer() {
  const received: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        received.push(raw);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { received, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let t: TestApp;
let smtp: Awaited<ReturnType<typeof smtpServer>>;

beforeAll(async () => {
  smtp = await smtpServer();
  t = await createTestApp({ runJobs: false, env: { SMTP_URL: smtp.url, MAIL_FROM: 'Motus <motus@example.org>', DEV_MAILBOX: 'true' } });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

interface Opened {
  practitioner: Client;
  programmeId: string;
  patientId: string;
  patientEmail: string | null;
  deviceToken: string;
  exerciseNames: string[];
  device: (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, body?: unknown) => Promise<LightMyRequestResponse>;
}

/** A practitioner with a trial, a patient, a programme on Mon/Wed/Fri and a device that opened it (R-PRG-2). */
async function openedProgramme(opts: { practitioner?: Client; email?: string | null; endDate?: string | null; items?: (ids: string[]) => unknown[] } = {}): Promise<Opened> {
  let practitioner = opts.practitioner;
  if (!practitioner) {
    practitioner = (await verifiedClient(t, 'Rhea Reminder')).client;
    expect((await practitioner.post('/api/me/subscription/trial')).statusCode).toBeLessThan(300);
  }
  const stock = (await practitioner.get('/api/exercises?source=stock&limit=2')).json().exercises as Array<{ id: string; name: string }>;
  const patientEmail = opts.email === undefined ? uniqueEmail('rosa') : opts.email;
  const patient = await practitioner.post('/api/patients', { firstName: 'Rosa', lastName: 'Reminder', yearOfBirth: 1958, email: patientEmail, diagnosisCode: 'M23.2' });
  expect(patient.statusCode, patient.body).toBe(201);
  const patientId = patient.json().patient.id as string;
  const items = opts.items?.(stock.map((s) => s.id)) ?? stock.map((s) => ({ exerciseId: s.id, sets: 3, reps: 10, weekdays: [1, 3, 5] }));
  const assigned = await practitioner.post(`/api/patients/${patientId}/programmes`, { title: TITLE, startDate: '2026-01-01', endDate: opts.endDate ?? null, items });
  expect(assigned.statusCode, assigned.body).toBe(201);
  const { id: programmeId, code } = assigned.json().programme as { id: string; code: string };
  const opened = await new Client(t.app, { ip: '203.0.113.61' }).post('/api/programme-view', { code, yearOfBirth: 1958 });
  expect(opened.statusCode, opened.body).toBe(200);
  const deviceToken = opened.json().deviceToken as string;
  const device: Opened['device'] = (method, url, body) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${deviceToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}) });
  return { practitioner, programmeId, patientId, patientEmail, deviceToken, exerciseNames: stock.map((s) => s.name), device };
}

/** The reminder emails to `to` (the patient was also emailed their programme code, R-PRG-2). */
function outbox(to: string) {
  return t.database.db.selectFrom('outbox_emails').selectAll().where('to_address', '=', to).where('subject', '=', 'Time for your exercises').orderBy('created_at').execute();
}

function reminderRow(programmeId: string) {
  return t.database.db.selectFrom('programme_reminders').selectAll().where('programme_id', '=', programmeId).executeTakeFirst();
}

function auditOf(programmeId: string, action: string) {
  return t.database.db.selectFrom('audit_log').selectAll().where('target_id', '=', programmeId).where('action', '=', action).orderBy('id').execute();
}

/** Moves the clock to `at` and runs what is due then. */
async function runAt(at: string) {
  t.clock.set(at);
  await t.deps.jobs.runDue();
}

const londonTime = (d: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);

function tokenOf(listUnsubscribe: string): string {
  const match = /^<http:\/\/localhost:3000\/api\/reminders\/unsubscribe\?token=([A-Za-z0-9_-]+)>$/.exec(listUnsubscribe);
  expect(match, listUnsubscribe).not.toBeNull();
  return match![1]!;
}

describe('email reminders (R-ENG-4)', () => {
  it('a reminder is emailed at its time, with a link to the page, the practice, one-click unsubscribe and nothing clinical', async () => {
    // Monday 7 June 2027, 09:00 in London (BST).
    t.clock.set('2027-06-07T08:00:00Z');
    const p = await openedProgramme();
    expect((await p.practitioner.patch('/api/account', { practice: { name: 'Riverside Physio' } })).statusCode).toBe(200);
    const set = await p.device('PUT', '/api/patient/reminder', { weekdays: [3, 1], time: '18:30', timeZone: 'Europe/London', email: null });
    expect(set.statusCode, set.body).toBe(200);
    const [local, domain] = p.patientEmail!.split('@') as [string, string];
    expect(set.json().reminder).toEqual({ weekdays: [1, 3], time: '18:30', timeZone: 'Europe/London', emailHint: `${local[0]}•••@${domain[0]}•••.org`, nextAt: '2027-06-07T17:30:00.000Z' });
    expect(set.json().reminder.emailHint).not.toContain(local.slice(1));
    // Stored with the unsubscribe token's hash only; the change is in the audit trail under the device.
    const row = await reminderRow(p.programmeId);
    expect(row).toMatchObject({ email: p.patientEmail, at_time: '18:30', time_zone: 'Europe/London' });
    expect(row!.unsubscribe_hash).toHaveLength(32);
    const [setRecord] = await auditOf(p.programmeId, 'reminder.set');
    expect(setRecord).toMatchObject({ account_id: null, details: { patientId: p.patientId, deviceId: expect.any(String) } });

    // Not before its time.
    await runAt('2027-06-07T17:29:00Z');
    expect(await outbox(p.patientEmail!)).toHaveLength(0);
    await runAt('2027-06-07T17:30:00Z');
    const sent = await outbox(p.patientEmail!);
    expect(sent).toHaveLength(1);
    const mail = sent[0]!;
    expect(mail.subject).toBe('Time for your exercises');
    expect(mail.text_body).toContain('http://localhost:3000/programme');
    expect(mail.text_body).toContain('Riverside Physio');
    // R-ENG-4: no exercise names, no programme title, no diagnosis.
    for (const clinical of [...p.exerciseNames, TITLE, 'M23.2', 'knee']) {
      expect(`${mail.subject}\n${mail.text_body}\n${mail.html_body}`.toLowerCase()).not.toContain(clinical.toLowerCase());
    }
    expect(mail.headers).toEqual({ 'List-Unsubscribe': expect.stringMatching(/^<http:\/\/localhost:3000\/api\/reminders\/unsubscribe\?token=/), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    const token = tokenOf(mail.headers!['List-Unsubscribe']!);
    // The visible link opens the web page that asks for the same unsubscribe.
    expect(mail.text_body).toContain(`http://localhost:3000/unsubscribe?token=${token}`);
    // The development mailbox shows the headers too.
    const box = await t.app.inject({ method: 'GET', url: `/api/dev/mailbox?to=${encodeURIComponent(p.patientEmail!)}` });
    expect(box.json().messages.find((m: { subject: string }) => m.subject === 'Time for your exercises').headers).toEqual(mail.headers);
    const [sentRecord] = await auditOf(p.programmeId, 'reminder.sent');
    expect(sentRecord).toMatchObject({ account_id: null, organisation_id: expect.any(String), details: { patientId: p.patientId } });

    // Handed to the mail server with both headers (RFC 8058).
    const raw = smtp.received.find((m) => m.includes(`To: ${p.patientEmail}`) && m.includes('Subject: Time for your exercises'));
    expect(raw).toBeDefined();
    expect(raw!.replace(/\r\n[ \t]+/g, ' ')).toContain(`List-Unsubscribe: <http://localhost:3000/api/reminders/unsubscribe?token=${token}>`);
    expect(raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');

    // The next one is Wednesday's, and running the queue again sends nothing twice.
    expect((await reminderRow(p.programmeId))!.next_at?.toISOString()).toBe('2027-06-09T17:30:00.000Z');
    await runAt('2027-06-07T20:00:00Z');
    expect(await outbox(p.patientEmail!)).toHaveLength(1);
    await runAt('2027-06-09T17:30:00Z');
    expect(await outbox(p.patientEmail!)).toHaveLength(2);
  });

  it('a reminder at 08:00 in London arrives at 08:00 local before and after the clocks change in March', async () => {
    // Thursday 25 March 2027; the clocks go forward on Sunday 28 March.
    t.clock.set('2027-03-25T12:00:00Z');
    const p = await openedProgramme();
    const set = await p.device('PUT', '/api/patient/reminder', { weekdays: [5, 6, 7, 1], time: '08:00', timeZone: 'Europe/London', email: null });
    expect(set.json().reminder.nextAt).toBe('2027-03-26T08:00:00.000Z');
    const times: string[] = [];
    for (const at of ['2027-03-26T08:00:00Z', '2027-03-27T08:00:00Z', '2027-03-28T07:00:00Z', '2027-03-29T07:00:00Z']) {
      await runAt(at);
      const sent = await outbox(p.patientEmail!);
      times.push(londonTime(sent[sent.length - 1]!.created_at));
    }
    expect(times).toEqual(['Fri 08:00', 'Sat 08:00', 'Sun 08:00', 'Mon 08:00']);
    expect(await outbox(p.patientEmail!)).toHaveLength(4);
    expect((await reminderRow(p.programmeId))!.next_at?.toISOString()).toBe('2027-04-02T07:00:00.000Z');
  });

  it('changing the reminder replaces the scheduled one; clearing it stops them', async () => {
    t.clock.set('2027-06-14T08:00:00Z');
    const p = await openedProgramme();
    const other = uniqueEmail('carer');
    await p.device('PUT', '/api/patient/reminder', { weekdays: [1], time: '18:00', timeZone: 'Europe/London', email: null });
    // The same time again, to another address: one email, to the new address, with a working link.
    const again = await p.device('PUT', '/api/patient/reminder', { weekdays: [1], time: '18:00', timeZone: 'Europe/London', email: other.toUpperCase() });
    expect(again.statusCode, again.body).toBe(200);
    await runAt('2027-06-14T17:00:00Z');
    expect(await outbox(p.patientEmail!)).toHaveLength(0);
    const [mail] = await outbox(other);
    expect(mail).toBeDefined();
    const stored = (await reminderRow(p.programmeId))!;
    expect(sha256(tokenOf(mail!.headers!['List-Unsubscribe']!)).equals(stored.unsubscribe_hash)).toBe(true);

    const cleared = await p.device('DELETE', '/api/patient/reminder');
    expect(cleared.statusCode).toBe(204);
    expect(await reminderRow(p.programmeId)).toBeUndefined();
    expect(await auditOf(p.programmeId, 'reminder.cleared')).toHaveLength(1);
    await runAt('2027-06-21T17:00:00Z');
    expect(await outbox(other)).toHaveLength(1);
    // Clearing again changes nothing and says so in the trail.
    expect((await p.device('DELETE', '/api/patient/reminder')).statusCode).toBe(204);
    expect(await auditOf(p.programmeId, 'request.unchanged')).toHaveLength(1);
  });

  it('one-click unsubscribe: the mail client’s form POST removes the reminder and no more mail comes; an unknown token gets the same answer and leaves no trace', async () => {
    t.clock.set('2027-06-14T08:00:00Z');
    const p = await openedProgramme();
    await p.device('PUT', '/api/patient/reminder', { weekdays: [1, 2, 3, 4, 5, 6, 7], time: '19:00', timeZone: 'Europe/Paris', email: null });
    await runAt('2027-06-14T17:00:00Z');
    const [mail] = await outbox(p.patientEmail!);
    const token = tokenOf(mail!.headers!['List-Unsubscribe']!);

    const auditCount = async () => Number((await t.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await auditCount();
    const stranger = await t.app.inject({ method: 'POST', url: `/api/reminders/unsubscribe?token=${'x'.repeat(43)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(stranger.statusCode).toBe(204);
    expect(await auditCount()).toBe(before);
    expect(await reminderRow(p.programmeId)).toBeDefined();

    const res = await t.app.inject({ method: 'POST', url: `/api/reminders/unsubscribe?token=${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(res.statusCode, res.body).toBe(204);
    expect(await reminderRow(p.programmeId)).toBeUndefined();
    const [record] = await auditOf(p.programmeId, 'reminder.unsubscribed');
    expect(record).toMatchObject({ account_id: null, organisation_id: expect.any(String), details: { patientId: p.patientId } });
    await runAt('2027-06-16T17:00:00Z');
    expect(await outbox(p.patientEmail!)).toHaveLength(1);
    // The web page's request (no body) for an address already used answers the same.
    expect((await t.app.inject({ method: 'POST', url: `/api/reminders/unsubscribe?token=${token}` })).statusCode).toBe(204);
    expect(await auditOf(p.programmeId, 'reminder.unsubscribed')).toHaveLength(1);

    // Only this route takes a form: the others still refuse one.
    const form = { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${p.deviceToken}` };
    expect((await t.app.inject({ method: 'PUT', url: '/api/patient/reminder', headers: form, payload: 'weekdays=1' })).statusCode).toBe(415);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'email=a%40example.org' })).statusCode).toBe(415);
  });

  it('an ended programme takes no reminder (409, R-ENG-3), and one set before it ended sends nothing', async () => {
    t.clock.set('2027-06-14T08:00:00Z');
    const p = await openedProgramme();
    await p.device('PUT', '/api/patient/reminder', { weekdays: [1, 2, 3, 4, 5, 6, 7], time: '18:00', timeZone: 'Europe/London', email: null });
    expect((await p.practitioner.post(`/api/programmes/${p.programmeId}/end`)).statusCode).toBe(200);
    await runAt('2027-06-14T17:00:00Z');
    expect(await outbox(p.patientEmail!)).toHaveLength(0);
    expect((await reminderRow(p.programmeId))!.next_at).toBeNull();
    await runAt('2027-06-15T17:00:00Z');
    expect(await outbox(p.patientEmail!)).toHaveLength(0);

    const refused = await p.device('PUT', '/api/patient/reminder', { weekdays: [1], time: '18:00', timeZone: 'Europe/London', email: null });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'programme_read_only', details: { rule: 'R-ENG-3' } });
    expect(refused.json().error.message).toMatch(/contact your practice/i);
  });

  it('a programme disabled by the removal of its practitioner’s access sends nothing and takes no reminder (R-ENG-3, R-PRA-3)', async () => {
    t.clock.set('2027-06-14T08:00:00Z');
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const pia = await joinedMember(t, owner.client, orgId, { name: 'Pia Paused', buyLicence: true });
    const p = await openedProgramme({ practitioner: pia.client });
    await p.device('PUT', '/api/patient/reminder', { weekdays: [1, 2, 3, 4, 5, 6, 7], time: '18:00', timeZone: 'Europe/London', email: null });
    expect((await owner.client.post(`/api/organisations/${orgId}/members/${pia.memberId}/remove-access`)).statusCode).toBe(200);
    await runAt('2027-06-14T17:00:00Z');
    expect(await outbox(p.patientEmail!)).toHaveLength(0);
    expect(await auditOf(p.programmeId, 'reminder.sent')).toHaveLength(0);
    expect((await p.device('PUT', '/api/patient/reminder', { weekdays: [2], time: '07:00', timeZone: 'Europe/London', email: null })).statusCode).toBe(409);
  });

  it('reminders stop after the programme’s last day; a job run long after its time sends nothing late', async () => {
    t.clock.set('2027-06-14T08:00:00Z');
    const p = await openedProgramme({ endDate: '2027-06-16' });
    await p.device('PUT', '/api/patient/reminder', { weekdays: [1, 3, 5], time: '18:00', timeZone: 'Europe/London', email: null });
    await runAt('2027-06-14T17:00:00Z');
    await runAt('2027-06-16T17:00:00Z');
    expect(await outbox(p.patientEmail!)).toHaveLength(2);
    expect((await reminderRow(p.programmeId))!.next_at).toBeNull();

    // The server was down through Monday evening: no reminder on Tuesday morning, the next one on time.
    t.clock.set('2027-06-14T08:00:00Z');
    const q = await openedProgramme();
    await q.device('PUT', '/api/patient/reminder', { weekdays: [1, 3], time: '18:00', timeZone: 'Europe/London', email: null });
    await runAt('2027-06-15T09:00:00Z');
    expect(await outbox(q.patientEmail!)).toHaveLength(0);
    expect((await reminderRow(q.programmeId))!.next_at?.toISOString()).toBe('2027-06-16T17:00:00.000Z');
    await runAt('2027-06-16T17:00:00Z');
    expect(await outbox(q.patientEmail!)).toHaveLength(1);
  });

  it('bad days, times, time zones and a missing address get 400 naming the field', async () => {
    t.clock.set('2027-06-14T08:00:00Z');
    const p = await openedProgramme({ email: null });
    const good = { weekdays: [1], time: '08:00', timeZone: 'Europe/London', email: null };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...good, timeZone: 'Mars/Olympus_Mons' }, 'body.timeZone'],
      [{ ...good, timeZone: '' }, 'body.timeZone'],
      [{ ...good, time: '24:00' }, 'body.time'],
      [{ ...good, time: '8:00' }, 'body.time'],
      [{ ...good, weekdays: [] }, 'body.weekdays'],
      [{ ...good, weekdays: [0] }, 'body.weekdays.0'],
      [{ ...good, weekdays: [1, 8] }, 'body.weekdays.1'],
      [{ ...good, weekdays: [2, 2] }, 'body.weekdays'],
      [{ ...good, email: 'not an address' }, 'body.email'],
    ];
    for (const [body, path] of cases) {
      const res = await p.device('PUT', '/api/patient/reminder', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect([...new Set(res.json().error.details.map((d: { path: string }) => d.path))], JSON.stringify(body)).toEqual([path]);
    }
    // The patient has no address on file: one must be given.
    const missing = await p.device('PUT', '/api/patient/reminder', good);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details).toEqual([{ path: 'body.email', code: 'email_required', message: expect.stringMatching(/email address/) }]);
    expect(await reminderRow(p.programmeId)).toBeUndefined();
    const given = await p.device('PUT', '/api/patient/reminder', { ...good, email: 'rosa.own@example.net' });
    expect(given.statusCode).toBe(200);
    expect(given.json().reminder.emailHint).toBe('r•••@e•••.net');
    // Without a device token, nothing.
    expect((await t.app.inject({ method: 'PUT', url: '/api/patient/reminder', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(good) })).statusCode).toBe(401);
  });
});

describe('the calendar feed (R-ENG-4)', () => {
  it('a subscription address gives the exercise days as recurring events, neutrally titled, read without signing in', async () => {
    t.clock.set('2027-06-14T08:00:00Z');
    const p = await openedProgramme({ endDate: '2027-09-30' });
    expect((await p.practitioner.patch('/api/account', { practice: { name: 'Harbour Physio' } })).statusCode).toBe(200);
    const created = await p.device('POST', '/api/patient/calendar');
    expect(created.statusCode, created.body).toBe(200);
    const { url, webcalUrl } = created.json() as { url: string; webcalUrl: string };
    expect(url).toMatch(/^http:\/\/localhost:3000\/api\/calendar\.ics\?token=[A-Za-z0-9_-]{43}$/);
    expect(webcalUrl).toBe(url.replace('http://', 'webcal://'));
    expect(await auditOf(p.programmeId, 'calendar.feed_created')).toHaveLength(1);

    const path = url.replace('http://localhost:3000', '');
    const res = await t.app.inject({ method: 'GET', url: path });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    expect(res.headers['cache-control']).toBe('no-store');
    const ics = res.body;
    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(ics.trimEnd().endsWith('END:VCALENDAR')).toBe(true);
    expect(ics).toContain('VERSION:2.0');
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    // 1 January 2026 was a Thursday: the first Monday, Wednesday or Friday is the 2nd.
    expect(ics).toContain('DTSTART;VALUE=DATE:20260102');
    expect(ics).toContain('RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR;UNTIL=20270930');
    expect(ics).toContain('SUMMARY:Exercises');
    expect(ics).toContain('Harbour Physio');
    expect(ics).toContain('URL;VALUE=URI:http://localhost:3000/programme');
    const unfolded = ics.replace(/\r\n[ \t]/g, '').toLowerCase();
    for (const clinical of [...p.exerciseNames, TITLE, 'M23.2', 'Rosa']) expect(unfolded).not.toContain(clinical.toLowerCase());

    // R-ENG-7: the read is recorded, at most once an hour per device however often it is polled.
    await t.app.inject({ method: 'GET', url: path });
    expect(await auditOf(p.programmeId, 'calendar.feed_read')).toHaveLength(1);
    t.clock.advance(61 * 60 * 1000);
    await t.app.inject({ method: 'GET', url: path });
    const reads = await auditOf(p.programmeId, 'calendar.feed_read');
    expect(reads).toHaveLength(2);
    const [createdRecord] = await auditOf(p.programmeId, 'calendar.feed_created');
    expect(reads[0]).toMatchObject({ account_id: null, organisation_id: createdRecord!.organisation_id, details: { patientId: p.patientId, deviceId: expect.any(String) } });

    // A new address replaces the old one.
    const renewed = (await p.device('POST', '/api/patient/calendar')).json().url as string;
    expect((await t.app.inject({ method: 'GET', url: path })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: renewed.replace('http://localhost:3000', '') })).statusCode).toBe(200);
  });

  it('daily and "days per week" exercises become a daily event; an ended programme gives an empty calendar; a signed-out device’s feed is gone', async () => {
    t.clock.set('2027-06-14T08:00:00Z');
    const p = await openedProgramme({ items: (ids) => [{ exerciseId: ids[0], sets: 2, timesPerDay: 2 }, { exerciseId: ids[1], daysPerWeek: 3 }] });
    const path = ((await p.device('POST', '/api/patient/calendar')).json().url as string).replace('http://localhost:3000', '');
    const ics = (await t.app.inject({ method: 'GET', url: path })).body;
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    expect(ics).toContain('RRULE:FREQ=DAILY\r\n');

    const q = await openedProgramme({ items: (ids) => [{ exerciseId: ids[0], daysPerWeek: 2 }] });
    const qPath = ((await q.device('POST', '/api/patient/calendar')).json().url as string).replace('http://localhost:3000', '');
    const flexible = (await t.app.inject({ method: 'GET', url: qPath })).body;
    expect(flexible).toContain('RRULE:FREQ=WEEKLY\r\n');
    expect(flexible.replace(/\r\n[ \t]/g, '')).toContain('Choose 2 days this week');

    expect((await q.practitioner.post(`/api/programmes/${q.programmeId}/end`)).statusCode).toBe(200);
    const ended = await t.app.inject({ method: 'GET', url: qPath });
    expect(ended.statusCode).toBe(200);
    expect(ended.body).toContain('BEGIN:VCALENDAR');
    expect(ended.body).not.toContain('BEGIN:VEVENT');

    // Signed out by the practitioner (R-PRG-2): the feed answers 404 like one that never existed.
    const device = await t.database.db.selectFrom('programme_devices').select('id').where('programme_id', '=', p.programmeId).executeTakeFirstOrThrow();
    expect(await inTransaction(t.database.db, (tx) => revokeDevice(tx, t.clock, p.programmeId, device.id, 'practitioner'))).toBe(true);
    const revoked = await t.app.inject({ method: 'GET', url: path });
    expect(revoked.statusCode).toBe(404);
    expect(revoked.json().error.code).toBe('not_found');
    expect((await t.app.inject({ method: 'GET', url: `/api/calendar.ics?token=${'y'.repeat(43)}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/calendar.ics?token=short' })).statusCode).toBe(400);
  });
});

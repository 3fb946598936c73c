import { randomUUID } from 'node:crypto';
import { sha256 } from '../src/platform/crypto.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { joinedMember, organisationWithOwner, verifiedClient } from './support/factories.ts';
import { PatientDevice, patientWithProgramme } from './support/patient-device.ts';

// Patient engagement (SPEC section 9a, R-PRG-2): the patient's device records, the practitioner
// sees and is alerted, and every rule of the programme and the practice holds for what is recorded.

const DAY = 24 * 60 * 60 * 1000;

describe('patient engagement', () => {
  let t: TestApp;
  const today = () => t.clock.now().toISOString().slice(0, 10);

  beforeAll(async () => {
    t = await createTestApp({ runJobs: false });
    // A Wednesday at noon in the installation's time zone.
    t.clock.set(new Date('2026-12-02T12:00:00Z'));
  });
  afterAll(async () => {
    await t?.close();
  });

  async function practitioner(name = 'Pia Physio') {
    const p = await verifiedClient(t, name);
    expect((await p.client.post('/api/me/subscription/trial')).statusCode).toBe(201);
    return p;
  }

  async function openedDevice(client: Client, opts: Parameters<typeof patientWithProgramme>[2] = {}) {
    const world = await patientWithProgramme(t, client, opts);
    const device = new PatientDevice(t);
    const opened = await device.open(world.programme.code, world.yearOfBirth);
    expect(opened.statusCode, opened.body).toBe(200);
    return { ...world, device };
  }

  const entry = (overrides: Record<string, unknown> = {}) => ({ day: today(), itemIndex: 0, setsDone: 3, pain: null, difficulty: null, comment: null, ...overrides });

  it('a device opens the programme once, comes back without the code and records exercises and the whole session (R-PRG-2, R-ENG-1)', async () => {
    const pia = await practitioner();
    const { device, programme, patientId } = await openedDevice(pia.client, { exercises: 2 });
    expect(device.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    // The token is kept only as its hash.
    const stored = await t.database.db.selectFrom('programme_devices').selectAll().where('programme_id', '=', programme.id).execute();
    expect(stored).toHaveLength(1);
    const hash = Buffer.from(stored[0]!.token_hash);
    expect(hash.equals(sha256(device.token!))).toBe(true);
    expect(hash.includes(Buffer.from(device.token!))).toBe(false);
    expect(stored[0]!.label).toBe('Safari on iOS');

    const home = await device.get(`/api/patient/programme?day=${today()}`);
    expect(home.statusCode, home.body).toBe(200);
    const view = home.json();
    expect(view).toMatchObject({ canRecord: true, today: '2026-12-02', entries: [], reminder: null, unreadMessages: 0 });
    expect(view.week.map((d: { day: string }) => d.day)).toEqual(['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06']);
    // Started today: nothing was due before it; both exercises are due every day from now on.
    expect(view.week[1].items).toEqual([]);
    expect(view.week[2].items).toEqual([
      { itemIndex: 0, times: 1, flexible: false },
      { itemIndex: 1, times: 1, flexible: false },
    ]);

    const a = randomUUID();
    const first = await device.put(`/api/patient/entries/${a}`, entry({ pain: 2, difficulty: 'about_right' }));
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ stored: 'created', entry: { clientId: a, day: '2026-12-02', itemIndex: 0, setsDone: 3, pain: 2, difficulty: 'about_right' } });
    expect((await device.put(`/api/patient/entries/${a}`, entry({ pain: 2, difficulty: 'about_right' }))).json().stored).toBe('unchanged');
    const changed = await device.put(`/api/patient/entries/${a}`, entry({ pain: 3, difficulty: 'too_hard', comment: 'Harder today' }));
    expect(changed.json()).toMatchObject({ stored: 'updated', entry: { pain: 3, difficulty: 'too_hard', comment: 'Harder today' } });
    const whole = await device.put(`/api/patient/entries/${randomUUID()}`, entry({ itemIndex: null, setsDone: null }));
    expect(whole.json().stored).toBe('created');
    expect((await device.get('/api/patient/programme')).json().entries).toHaveLength(2);

    // The same day's entry can be taken back; an unknown one is not found.
    expect((await device.delete(`/api/patient/entries/${whole.json().entry.clientId}`)).statusCode).toBe(204);
    expect((await device.delete(`/api/patient/entries/${randomUUID()}`)).statusCode).toBe(404);

    // Every entry is in the practice's trail under the device, with programme and patient (R-ENG-7).
    const records = await t.database.db.selectFrom('audit_log').selectAll().where('target_id', '=', programme.id).where('action', 'like', 'engagement.entry%').orderBy('id').execute();
    expect(records.map((r) => r.action)).toEqual(['engagement.entry_recorded', 'engagement.entry_changed', 'engagement.entry_recorded', 'engagement.entry_removed']);
    for (const r of records) {
      expect(r.account_id).toBeNull();
      expect(r.organisation_id).not.toBeNull();
      expect(r.details).toMatchObject({ patientId, deviceId: stored[0]!.id });
    }
  });

  it('a taken-back entry stays taken back, yesterday’s entries are locked, and no sets done is no session (R-ENG-1, R-ENG-2)', async () => {
    const pia = await practitioner('Tess Tombstone');
    const { device, programme } = await openedDevice(pia.client, { exercises: 2, startDate: '2026-11-30' });
    // Answers hold clinical data: never kept by a browser or a proxy.
    expect((await device.get('/api/patient/programme')).headers['cache-control']).toBe('no-store');
    expect((await pia.client.get(`/api/programmes/${programme.id}/engagement`)).headers['cache-control']).toBe('no-store');

    const c = randomUUID();
    expect((await device.put(`/api/patient/entries/${c}`, entry())).json().stored).toBe('created');
    expect((await device.delete(`/api/patient/entries/${c}`)).statusCode).toBe(204);
    // A late resend from a queue does not bring it back; taking it back again changes nothing.
    expect((await device.put(`/api/patient/entries/${c}`, entry())).json().stored).toBe('unchanged');
    expect((await device.delete(`/api/patient/entries/${c}`)).statusCode).toBe(204);
    expect((await device.get('/api/patient/programme')).json().entries).toEqual([]);

    // Recorded for yesterday (offline): stored, but no longer changeable or removable.
    const y = randomUUID();
    expect((await device.put(`/api/patient/entries/${y}`, entry({ day: '2026-12-01' }))).json().stored).toBe('created');
    const change = await device.put(`/api/patient/entries/${y}`, entry({ day: '2026-12-01', setsDone: 1 }));
    expect(change.statusCode).toBe(409);
    expect(change.json().error.code).toBe('entry_locked');
    expect((await device.delete(`/api/patient/entries/${y}`)).statusCode).toBe(409);

    // Another programme's device cannot reach this entry by its client id.
    const other = await openedDevice(pia.client, { exercises: 1 });
    expect((await other.device.delete(`/api/patient/entries/${y}`)).statusCode).toBe(404);
    expect((await other.device.put(`/api/patient/entries/${y}`, entry())).json().stored).toBe('created');

    // "Done" with no sets is no session.
    expect((await device.put(`/api/patient/entries/${randomUUID()}`, entry({ itemIndex: 1, setsDone: 0 }))).statusCode).toBe(200);
    const view = (await pia.client.get(`/api/programmes/${programme.id}/engagement?days=7`)).json();
    expect(view.exercises.map((e: { done: number }) => e.done)).toEqual([1, 0]);
    expect(view.days).toEqual([
      { day: '2026-12-01', done: 1, pain: null, tooEasy: 0, aboutRight: 0, tooHard: 0 },
      { day: '2026-12-02', done: 0, pain: null, tooEasy: 0, aboutRight: 0, tooHard: 0 },
    ]);

    // The programme is changed: the exercises swap places, and the entry follows its exercise.
    const current = (await pia.client.get(`/api/programmes/${programme.id}`)).json().programme;
    const swapped = [...current.items].reverse().map(({ exercise: _e, ...item }: Record<string, unknown>) => item);
    const updated = await pia.client.put(`/api/programmes/${programme.id}`, { title: current.title, startDate: current.startDate, endDate: null, trackAdherence: true, trackPain: true, items: swapped });
    expect(updated.statusCode, updated.body).toBe(200);
    const after = (await pia.client.get(`/api/programmes/${programme.id}/engagement?days=7`)).json();
    expect(after.exercises.map((e: { done: number }) => e.done)).toEqual([0, 1]);
  });

  it('bad entries get 400 naming the field, and nothing is stored (SPEC §12, R-ENG-1)', async () => {
    const pia = await practitioner('Vera Valid');
    const { device, programme } = await openedDevice(pia.client, { exercises: 1, trackPain: false });
    const put = (body: unknown) => device.put(`/api/patient/entries/${randomUUID()}`, body);
    const fieldOf = async (body: unknown) => {
      const res = await put(body);
      expect(res.statusCode, res.body).toBe(400);
      return res.json().error.details[0].path as string;
    };
    expect(await fieldOf(entry({ pain: 4 }))).toBe('body.pain');
    expect(await fieldOf(entry({ difficulty: 'too_easy' }))).toBe('body.difficulty');
    expect(await fieldOf(entry({ itemIndex: 1 }))).toBe('body.itemIndex');
    expect(await fieldOf(entry({ day: '2026-11-01' }))).toBe('body.day');
    expect(await fieldOf(entry({ day: '2026-12-01' }))).toBe('body.day'); // before the programme started
    expect(await fieldOf(entry({ pain: 11 }))).toBe('body.pain');
    expect(await fieldOf(entry({ comment: 'x'.repeat(1001) }))).toBe('body.comment');
    expect((await device.put('/api/patient/entries/not-a-uuid', entry())).statusCode).toBe(400);
    const rows = await t.database.db.selectFrom('programme_entries').select('id').where('programme_id', '=', programme.id).execute();
    expect(rows).toHaveLength(0);
  });

  it('one client id sent 50 times at once is stored once (R-ENG-2)', async () => {
    const pia = await practitioner('Rhea Resend');
    const { device, programme } = await openedDevice(pia.client, { exercises: 1 });
    const clientId = randomUUID();
    const answers = await Promise.all(Array.from({ length: 50 }, () => device.put(`/api/patient/entries/${clientId}`, entry({ pain: 1 }))));
    expect(answers.map((a) => a.statusCode).filter((s) => s !== 200)).toEqual([]);
    expect(answers.filter((a) => a.json().stored === 'created')).toHaveLength(1);
    const rows = await t.database.db.selectFrom('programme_entries').select('id').where('programme_id', '=', programme.id).execute();
    expect(rows).toHaveLength(1);
    const recorded = await t.database.db.selectFrom('audit_log').select('id').where('target_id', '=', programme.id).where('action', '=', 'engagement.entry_recorded').execute();
    expect(recorded).toHaveLength(1);
    // The practitioner's adherence counts it once.
    const seen = (await pia.client.get(`/api/programmes/${programme.id}/engagement?days=7`)).json();
    expect(seen.adherence).toEqual({ prescribed: 1, done: 1, share: 1 });
  });

  it('an ended, a disabled and a lapsed programme accept no entries or messages, and say why (R-ENG-3, R-PRG-3)', async () => {
    const expectRefused = async (device: PatientDevice, words: RegExp) => {
      const res = await device.put(`/api/patient/entries/${randomUUID()}`, entry());
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'programme_read_only', details: { rule: 'R-ENG-3' } });
      expect(res.json().error.message).toMatch(words);
      expect((await device.put(`/api/patient/messages/${randomUUID()}`, { text: 'Hello?' })).statusCode).toBe(409);
      const home = (await device.get('/api/patient/programme')).json();
      expect(home.canRecord).toBe(false);
      expect(home.programme.notice).toMatch(words);
    };

    // Ended by the practitioner.
    const pia = await practitioner('Erin Ender');
    const ended = await openedDevice(pia.client);
    expect((await pia.client.post(`/api/programmes/${ended.programme.id}/end`)).statusCode).toBe(200);
    await expectRefused(ended.device, /has ended/);

    // Disabled: the practitioner's access was removed (R-PRA-3).
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const member = await joinedMember(t, owner.client, orgId, { name: 'Dora Disabled', buyLicence: true });
    const disabled = await openedDevice(member.client);
    expect((await owner.client.post(`/api/organisations/${orgId}/members/${member.memberId}/remove-access`)).statusCode).toBe(200);
    await expectRefused(disabled.device, /paused/);

    // Lapsed: the practitioner's free trial ran out (R-SUB-1).
    const lapsing = await practitioner('Lars Lapsed');
    const lapsed = await openedDevice(lapsing.client);
    const started = t.clock.now();
    try {
      t.clock.set(new Date(started.getTime() + 20 * DAY));
      await expectRefused(lapsed.device, /paused/);
    } finally {
      t.clock.set(started);
    }
    // Each refusal is in the trail, under the device.
    const refusals = await t.database.db.selectFrom('audit_log').select(['outcome', 'target_id']).where('action', '=', 'engagement.entry_refused').where('target_id', 'in', [ended.programme.id, disabled.programme.id, lapsed.programme.id]).execute();
    expect(new Set(refusals.map((r) => r.target_id)).size).toBe(3);
    expect(refusals.every((r) => r.outcome === 'denied')).toBe(true);
  });

  it('a device signed out by the practitioner or by the patient is refused on its next request (R-PRG-2)', async () => {
    const pia = await practitioner('Sina Signout');
    const { device, programme, yearOfBirth } = await openedDevice(pia.client);
    const second = new PatientDevice(t, { ip: '192.0.2.99' });
    expect((await second.open(programme.code, yearOfBirth)).statusCode).toBe(200);

    const devices = (await pia.client.get(`/api/programmes/${programme.id}/devices`)).json().devices as Array<{ id: string; signedOut: boolean; label: string }>;
    expect(devices).toHaveLength(2);
    const first = (await t.database.db.selectFrom('programme_devices').select('id').where('programme_id', '=', programme.id).orderBy('created_at').execute())[0]!.id;
    expect((await pia.client.delete(`/api/programmes/${programme.id}/devices/${first}`)).statusCode).toBe(204);
    const refused = await device.put(`/api/patient/entries/${randomUUID()}`, entry());
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('device_signed_out');
    expect((await device.get('/api/patient/programme')).statusCode).toBe(401);
    // Signing it out again changes nothing; another programme's device id is not found.
    expect((await pia.client.delete(`/api/programmes/${programme.id}/devices/${first}`)).statusCode).toBe(204);
    expect((await pia.client.delete(`/api/programmes/${programme.id}/devices/${randomUUID()}`)).statusCode).toBe(404);

    // The other device still works until the patient signs it out.
    expect((await second.get('/api/patient/programme')).statusCode).toBe(200);
    expect((await second.post('/api/patient/sign-out')).statusCode).toBe(204);
    expect((await second.get('/api/patient/programme')).statusCode).toBe(401);
    const after = (await pia.client.get(`/api/programmes/${programme.id}/devices`)).json().devices as Array<{ signedOut: boolean }>;
    expect(after.every((d) => d.signedOut)).toBe(true);
  });

  it('a stranger’s wrong guesses never lock out a device that already opened the programme (R-PRG-2)', async () => {
    const pia = await practitioner('Gus Guarded');
    const { device, programme, yearOfBirth } = await openedDevice(pia.client);
    // Strangers guess the year of birth for this code from many addresses, and from the device's own.
    const strangers = Array.from({ length: 24 }, (_, i) => new PatientDevice(t, { ip: i % 2 === 0 ? device.ip : `198.51.100.${i + 1}` }));
    const guesses = await Promise.all(strangers.map((s, i) => s.open(programme.code, 1900 + i)));
    expect(guesses.some((g) => g.statusCode === 429)).toBe(true);
    // The code is locked for new openings for a while…
    expect((await new PatientDevice(t, { ip: '203.0.113.7' }).open(programme.code, yearOfBirth)).statusCode).toBe(429);
    // … but the patient's own device goes on: it needs no code.
    expect((await device.get('/api/patient/programme')).statusCode).toBe(200);
    const recorded = await device.put(`/api/patient/entries/${randomUUID()}`, entry());
    expect(recorded.statusCode, recorded.body).toBe(200);
  });

  it('a transfer moves the history; the old practitioner no longer sees it (R-ENG-7, R-TRF-1)', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const from = await joinedMember(t, owner.client, orgId, { name: 'Fay From', buyLicence: true });
    const to = await joinedMember(t, owner.client, orgId, { name: 'Tia To', buyLicence: true });
    const { device, programme, patientId } = await openedDevice(from.client, { exercises: 1 });
    await device.put(`/api/patient/entries/${randomUUID()}`, entry({ pain: 4, comment: 'A bit sore' }));
    await device.put(`/api/patient/messages/${randomUUID()}`, { text: 'Is this right?' });
    expect((await from.client.get(`/api/programmes/${programme.id}/engagement`)).json().comments).toHaveLength(1);

    expect((await from.client.post(`/api/patients/${patientId}/transfer`, { accountId: to.accountId })).statusCode).toBe(200);
    expect((await from.client.get(`/api/programmes/${programme.id}/engagement`)).statusCode).toBe(404);
    expect((await from.client.get(`/api/programmes/${programme.id}/messages`)).statusCode).toBe(404);
    const moved = (await to.client.get(`/api/programmes/${programme.id}/engagement`)).json();
    expect(moved.days).toEqual([{ day: '2026-12-02', done: 1, pain: 4, tooEasy: 0, aboutRight: 0, tooHard: 0 }]);
    expect(moved.comments.map((c: { text: string }) => c.text)).toEqual(['A bit sore']);
    expect((await to.client.get(`/api/programmes/${programme.id}/messages`)).json().messages).toHaveLength(1);
    // The device goes on recording, and its messages now reach the new practitioner.
    expect((await device.put(`/api/patient/entries/${randomUUID()}`, entry({ itemIndex: null }))).statusCode).toBe(200);
    await device.put(`/api/patient/messages/${randomUUID()}`, { text: 'Thank you.' });
    const attention = (await to.client.get('/api/attention')).json().items;
    expect(attention.map((i: { kind: string; programme: { id: string } }) => [i.kind, i.programme.id])).toContainEqual(['message', programme.id]);
    expect((await from.client.get('/api/attention')).json().items).toEqual([]);
  });

  it('pain at the threshold and pain rising raise alerts on the home page and by email without clinical text (R-ENG-6)', async () => {
    const pia = await practitioner('Alma Alert');
    const { device, programme } = await openedDevice(pia.client, { exercises: 1, startDate: '2026-11-28' });
    const outboxBefore = await t.database.db.selectFrom('outbox_emails').select('id').where('to_address', '=', pia.email).execute();
    // Entries recorded offline over three days arrive together: 3, 5, 6.
    for (const [day, pain] of [['2026-11-29', 3], ['2026-11-30', 5], ['2026-12-01', 6]] as const) {
      expect((await device.put(`/api/patient/entries/${randomUUID()}`, entry({ day, pain }))).statusCode).toBe(200);
    }
    const listed = await pia.client.get('/api/attention');
    expect(listed.statusCode, listed.body).toBe(200);
    let items = listed.json().items as Array<{ kind: string; alertId: string; patient: { firstName: string }; detail: string }>;
    expect(items.map((i) => i.kind)).toEqual(['pain_rising']);
    expect(items[0]!.patient.firstName).toBe('Edith');
    expect((await device.put(`/api/patient/entries/${randomUUID()}`, entry({ pain: 8 }))).statusCode).toBe(200);
    items = (await pia.client.get('/api/attention')).json().items;
    expect(items.map((i) => i.kind).sort()).toEqual(['pain_high', 'pain_rising']);
    expect(items.find((i) => i.kind === 'pain_high')!.detail).toBe('Pain at or above 7 of 10');

    // Two alerts, two emails; neither names the patient, the programme or the pain.
    const mail = await t.database.db.selectFrom('outbox_emails').selectAll().where('to_address', '=', pia.email).execute();
    const alerts = mail.filter((m) => !outboxBefore.some((b) => b.id === m.id));
    expect(alerts).toHaveLength(2);
    for (const m of alerts) {
      expect(m.subject).toBe('A patient needs your attention');
      for (const secret of ['Edith', 'Engaged', 'Knee', 'pain 8', ' 8 ', '8 of 10']) expect(`${m.text_body} ${m.html_body}`).not.toContain(secret);
    }

    // Seen to: the alert leaves the list, and the engagement view no longer shows it.
    const high = items.find((i) => i.kind === 'pain_high')!;
    expect((await pia.client.post(`/api/programmes/${programme.id}/alerts/${high.alertId}/resolve`)).statusCode).toBe(204);
    expect((await pia.client.post(`/api/programmes/${programme.id}/alerts/${high.alertId}/resolve`)).statusCode).toBe(204);
    expect((await pia.client.post(`/api/programmes/${programme.id}/alerts/${randomUUID()}/resolve`)).statusCode).toBe(404);
    const view = (await pia.client.get(`/api/programmes/${programme.id}/engagement`)).json();
    expect(view.alerts.map((a: { kind: string }) => a.kind)).toEqual(['pain_rising']);
    expect(view.days.map((d: { pain: number }) => d.pain)).toEqual([3, 5, 6, 8]);
  });

  it('nothing recorded for the chosen days raises an alert, which the next entry ends (R-ENG-6)', async () => {
    const pia = await practitioner('Ida Idle');
    const { device, programme } = await openedDevice(pia.client, { exercises: 1, inactivityAlertDays: 2 });
    const started = t.clock.now();
    try {
      await t.services.inactivitySweep();
      expect((await pia.client.get('/api/attention')).json().items).toEqual([]);
      t.clock.set(new Date(started.getTime() + 3 * DAY));
      expect(await t.services.inactivitySweep()).toBeGreaterThanOrEqual(1);
      // Three days later the session has long ended: the practitioner signs in again.
      expect((await pia.client.signIn(pia.email)).statusCode).toBe(200);
      const items = (await pia.client.get('/api/attention')).json().items as Array<{ kind: string; programme: { id: string } }>;
      expect(items.filter((i) => i.programme.id === programme.id).map((i) => i.kind)).toEqual(['inactive']);
      // Swept again: still one alert.
      await t.services.inactivitySweep();
      const alerts = (await pia.client.get(`/api/programmes/${programme.id}/engagement`)).json().alerts;
      expect(alerts).toHaveLength(1);
      // Seen to, it is not raised again an hour later, only after the chosen days again.
      expect((await pia.client.post(`/api/programmes/${programme.id}/alerts/${alerts[0].id}/resolve`)).statusCode).toBe(204);
      t.clock.set(new Date(started.getTime() + 3 * DAY + 60 * 60 * 1000));
      await t.services.inactivitySweep();
      expect((await pia.client.signIn(pia.email)).statusCode).toBe(200);
      expect((await pia.client.get(`/api/programmes/${programme.id}/engagement`)).json().alerts).toEqual([]);
      t.clock.set(new Date(started.getTime() + 5 * DAY + 2 * 60 * 60 * 1000));
      await t.services.inactivitySweep();
      expect((await pia.client.signIn(pia.email)).statusCode).toBe(200);
      expect((await pia.client.get(`/api/programmes/${programme.id}/engagement`)).json().alerts).toHaveLength(1);
      expect((await device.put(`/api/patient/entries/${randomUUID()}`, entry({ day: today() }))).statusCode).toBe(200);
      expect((await pia.client.get(`/api/programmes/${programme.id}/engagement`)).json().alerts).toEqual([]);
    } finally {
      t.clock.set(started);
      await pia.client.signIn(pia.email);
    }
  });

  it('messages go both ways; the practitioner is emailed that there is one, never its text (R-ENG-5)', async () => {
    const pia = await practitioner('Mona Message');
    const { device, programme } = await openedDevice(pia.client, { exercises: 1 });
    const clientId = randomUUID();
    const sent = await device.put(`/api/patient/messages/${clientId}`, { text: 'My knee clicks on the second exercise.' });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json().message).toMatchObject({ author: 'patient', authorName: null, read: false });
    // Sent again (a resend from the offline queue): the same message.
    expect((await device.put(`/api/patient/messages/${clientId}`, { text: 'My knee clicks on the second exercise.' })).json().message.id).toBe(sent.json().message.id);
    await device.put(`/api/patient/messages/${randomUUID()}`, { text: 'And it is swollen.' });

    const mail = await t.database.db.selectFrom('outbox_emails').selectAll().where('to_address', '=', pia.email).where('subject', '=', 'You have a new message from a patient').execute();
    expect(mail).toHaveLength(1);
    expect(`${mail[0]!.text_body}${mail[0]!.html_body}`).not.toMatch(/knee|clicks|swollen/i);
    expect((await pia.client.get('/api/attention')).json().items).toMatchObject([{ kind: 'message', detail: '2 unread messages', programme: { id: programme.id } }]);

    const thread = (await pia.client.get(`/api/programmes/${programme.id}/messages`)).json();
    expect(thread.canReply).toBe(true);
    expect(thread.messages.map((m: { text: string }) => m.text)).toEqual(['My knee clicks on the second exercise.', 'And it is swollen.']);
    expect((await pia.client.get('/api/attention')).json().items).toEqual([]);
    const reply = await pia.client.put(`/api/programmes/${programme.id}/messages/${randomUUID()}`, { text: 'Leave that one out until Thursday.' });
    expect(reply.statusCode, reply.body).toBe(200);

    expect((await device.get('/api/patient/programme')).json().unreadMessages).toBe(1);
    const mine = (await device.get('/api/patient/messages')).json().messages;
    expect(mine.at(-1)).toMatchObject({ author: 'practice', authorName: 'Mona Message', text: 'Leave that one out until Thursday.' });
    expect(mine.slice(0, 2).every((m: { read: boolean }) => m.read)).toBe(true);
    expect((await device.get('/api/patient/programme')).json().unreadMessages).toBe(0);
    expect((await pia.client.put(`/api/programmes/${programme.id}/messages/${randomUUID()}`, { text: '' })).statusCode).toBe(400);
  });

  it('adherence per week and per exercise, pain and difficulty over time; each read is recorded (R-ENG-6, R-AUD-1)', async () => {
    const pia = await practitioner('Ada Adherence');
    // Exercise 0 on Mondays, Wednesdays and Fridays; exercise 1 twice a day.
    const stock = (await pia.client.get('/api/exercises?source=stock&limit=2')).json().exercises as Array<{ id: string }>;
    const { device, programme } = await openedDevice(pia.client, {
      startDate: '2026-11-30',
      items: [
        { exerciseId: stock[0]!.id, sets: 3, reps: 10, weekdays: [1, 3, 5] },
        { exerciseId: stock[1]!.id, reps: 8, timesPerDay: 2 },
      ],
    });
    const put = (body: Record<string, unknown>) => device.put(`/api/patient/entries/${randomUUID()}`, entry(body));
    expect((await put({ day: '2026-11-30', itemIndex: 0, pain: 2, difficulty: 'too_easy' })).statusCode).toBe(200);
    expect((await put({ day: '2026-11-30', itemIndex: 1 })).statusCode).toBe(200);
    expect((await put({ day: '2026-12-01', itemIndex: null, pain: 4, difficulty: 'about_right', comment: 'Stiff in the morning' })).statusCode).toBe(200);
    expect((await put({ day: '2026-12-02', itemIndex: 1 })).statusCode).toBe(200);
    expect((await put({ day: '2026-12-02', itemIndex: 1 })).statusCode).toBe(200);

    const view = (await pia.client.get(`/api/programmes/${programme.id}/engagement?days=30`)).json();
    expect(view).toMatchObject({ from: '2026-11-30', to: '2026-12-02', trackPain: true, painAlertAt: 7, inactivityAlertDays: 3 });
    // Due so far: exercise 0 on Mon and Wed (2), exercise 1 twice on each of 3 days (6).
    expect(view.exercises.map((e: { prescribed: number; done: number }) => [e.prescribed, e.done])).toEqual([
      [2, 1],
      [6, 4],
    ]);
    expect(view.adherence).toEqual({ prescribed: 8, done: 5, share: 0.625 });
    expect(view.weeks).toEqual([{ weekStart: '2026-11-30', prescribed: 8, done: 5, share: 0.625 }]);
    expect(view.days).toEqual([
      { day: '2026-11-30', done: 2, pain: 2, tooEasy: 1, aboutRight: 0, tooHard: 0 },
      { day: '2026-12-01', done: 1, pain: 4, tooEasy: 0, aboutRight: 1, tooHard: 0 },
      { day: '2026-12-02', done: 2, pain: null, tooEasy: 0, aboutRight: 0, tooHard: 0 },
    ]);
    expect(view.comments).toMatchObject([{ day: '2026-12-01', exerciseName: null, text: 'Stiff in the morning' }]);
    expect(view.lastActivityAt).not.toBeNull();
    const read = await t.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'engagement.read').where('target_id', '=', programme.id).execute();
    expect(read).toHaveLength(1);
    expect(read[0]!.account_id).toBe(pia.accountId);

    // Somebody the patient is not visible to gets 404 for every part of it (R-PAT-2).
    const other = await practitioner('Otto Outsider');
    for (const path of ['engagement', 'messages', 'devices']) expect((await other.client.get(`/api/programmes/${programme.id}/${path}`)).statusCode).toBe(404);
    expect((await other.client.put(`/api/programmes/${programme.id}/messages/${randomUUID()}`, { text: 'Hi' })).statusCode).toBe(404);
  });

  it('engagement data goes with the patient: deleting them erases entries, messages, alerts and devices (R-ENG-7)', async () => {
    const pia = await practitioner('Elsa Erase');
    const { device, programme, patientId } = await openedDevice(pia.client, { exercises: 1 });
    await device.put(`/api/patient/entries/${randomUUID()}`, entry({ pain: 9, comment: 'Very sore' }));
    await device.put(`/api/patient/messages/${randomUUID()}`, { text: 'Help' });
    expect((await pia.client.delete(`/api/patients/${patientId}`)).statusCode).toBe(204);
    const db = t.database.db;
    for (const table of ['programme_entries', 'programme_messages', 'engagement_alerts', 'programme_devices'] as const) {
      expect(await db.selectFrom(table).select('programme_id').where('programme_id', '=', programme.id).execute(), table).toEqual([]);
    }
    expect((await device.get('/api/patient/programme')).statusCode).toBe(401);
  });

  it('the console shows the organisation’s engagement as counts only (R-ENG-7)', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const member = await joinedMember(t, owner.client, orgId, { name: 'Cora Counted', buyLicence: true });
    const active = await openedDevice(member.client);
    await openedDevice(member.client);
    await active.device.put(`/api/patient/entries/${randomUUID()}`, entry());
    const counts = await owner.client.get(`/api/organisations/${orgId}/engagement`);
    expect(counts.statusCode, counts.body).toBe(200);
    expect(counts.json()).toEqual({ activeProgrammes: 2, patientsWithActiveProgramme: 2, patientsActiveThisWeek: 1, shareActiveThisWeek: 0.5 });
    expect((await member.client.get(`/api/organisations/${orgId}/engagement`)).statusCode).toBe(403);
  });
});

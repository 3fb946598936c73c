import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import sharp from 'sharp';
import { sql } from 'kysely';
import { syncStockExercises } from '../src/exercises/service.ts';
import { joinedMember, organisationWithOwner, verifiedClient } from './support/factories.ts';
import { BOUNDARY, multipart } from './support/multipart.ts';

// Patients (R-PAT-1, R-PAT-2), programmes (R-PRG-1..3), the patient's page and the console's rules
// acting on programmes (R-PRA-3, R-PRA-5).

async function anyStockExercises(c: Client, n: number): Promise<string[]> {
  const res = await c.get(`/api/exercises?source=stock&limit=${n}`);
  expect(res.statusCode).toBe(200);
  return res.json().exercises.map((e: { id: string }) => e.id);
}

async function newPatient(c: Client, overrides: Record<string, unknown> = {}) {
  const res = await c.post('/api/patients', { firstName: 'Petra', lastName: 'Patient', yearOfBirth: 1961, email: 'petra.patient@example.org', ...overrides });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().patient as { id: string };
}

async function assignProgramme(c: Client, patientId: string, exerciseIds: string[]) {
  const res = await c.post(`/api/patients/${patientId}/programmes`, {
    title: 'Knee after surgery',
    startDate: '2026-01-01',
    trackAdherence: true,
    items: exerciseIds.map((exerciseId, i) => ({ exerciseId, sets: 3, reps: 10 + i, restSeconds: 30, weekdays: [1, 3, 5], instructions: 'Slowly.' })),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { programme: { id: string; code: string; state: string }; emailed: boolean };
}

describe('patients and programmes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ runJobs: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the stock library has at least 150 exercises, searchable and filterable, each with an illustration (R-EXE-1)', async () => {
    const p = await verifiedClient(t, 'Libby Library');
    await p.client.post('/api/me/subscription/trial');
    const all = (await p.client.get('/api/exercises?source=stock&limit=1')).json();
    expect(all.total).toBeGreaterThanOrEqual(150);
    const knees = (await p.client.get('/api/exercises?region=knee&limit=200')).json();
    expect(knees.total).toBeGreaterThan(0);
    expect(knees.exercises.every((e: { bodyRegion: string }) => e.bodyRegion === 'knee')).toBe(true);
    const first = all.exercises[0];
    const found = (await p.client.get(`/api/exercises?search=${encodeURIComponent(first.name.slice(0, 6))}`)).json();
    expect(found.exercises.map((e: { id: string }) => e.id)).toContain(first.id);
    const svg = await p.client.get(first.illustrationUrl);
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toMatch(/image\/svg\+xml/);
    expect(svg.body).toMatch(/^<svg/);
  });

  it('start-up brings changed stock texts up to date and leaves unchanged ones unwritten (R-EXE-1)', async () => {
    const { db } = t.database;
    const row = async (slug: string) => (await sql<{ name: string; xmin: string }>`select name, xmin::text as xmin from exercises where slug = ${slug}`.execute(db)).rows[0]!;
    await db.updateTable('exercises').set({ name: 'Renamed by hand' }).where('slug', '=', 'quad-set').execute();
    const untouched = await row('heel-slide');
    await syncStockExercises(db, t.clock);
    expect((await row('quad-set')).name).not.toBe('Renamed by hand');
    expect(await row('heel-slide')).toEqual(untouched);
  });

  it('a patient is seen by their practitioner only; others get 404 as for an id that does not exist (R-PAT-2)', async () => {
    t.clock.set(new Date());
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const pia = await joinedMember(t, owner.client, orgId, { name: 'Pia Physio', buyLicence: true });
    const other = await verifiedClient(t, 'Otto Other');
    await other.client.post('/api/me/subscription/trial');

    const patient = await newPatient(pia.client, { externalId: 'PMS-1' });
    expect((await pia.client.get(`/api/patients/${patient.id}`)).statusCode).toBe(200);
    // Another practitioner, and the organisation's owner (an admin), learn nothing.
    for (const c of [other.client]) {
      expect((await c.get(`/api/patients/${patient.id}`)).statusCode).toBe(404);
      expect((await c.patch(`/api/patients/${patient.id}`, { firstName: 'X' })).statusCode).toBe(404);
      expect((await c.get(`/api/patients/${patient.id}/programmes`)).statusCode).toBe(404);
      expect((await c.get('/api/patients')).json().patients).toEqual([]);
    }
    const missing = await other.client.get('/api/patients/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect((await other.client.get(`/api/patients/${patient.id}`)).json().error).toEqual(missing.json().error);
    // The owner has no practitioner access: practitioner routes are refused with the notice.
    expect((await owner.client.get('/api/patients')).statusCode).toBe(402);

    // R-PAT-1: the external id is unique per practitioner, not across practitioners.
    const dup = await pia.client.post('/api/patients', { firstName: 'A', lastName: 'B', yearOfBirth: 1990, externalId: 'PMS-1' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('external_id_taken');
    expect((await other.client.post('/api/patients', { firstName: 'A', lastName: 'B', yearOfBirth: 1990, externalId: 'PMS-1' })).statusCode).toBe(201);

    // R-AUD-1: a list is recorded with the ids it returned; a read with its patient.
    const listed = (await pia.client.get('/api/patients?search=petra')).json();
    expect(listed.patients.map((p: { id: string }) => p.id)).toEqual([patient.id]);
    const records = await t.database.db.selectFrom('audit_log').select(['action', 'details', 'target_id']).where('account_id', '=', pia.accountId).where('action', 'in', ['patient.listed', 'patient.read']).orderBy('id').execute();
    expect(records.find((r) => r.action === 'patient.read')?.target_id).toBe(patient.id);
    expect(records.filter((r) => r.action === 'patient.listed').at(-1)?.details).toMatchObject({ patientIds: [patient.id], searched: true });
    // A change that changes nothing still shows the patient: recorded as a read.
    const reads = async () => (await t.database.db.selectFrom('audit_log').select('id').where('account_id', '=', pia.accountId).where('action', '=', 'patient.read').where('target_id', '=', patient.id).execute()).length;
    const before = await reads();
    expect((await pia.client.patch(`/api/patients/${patient.id}`, {})).json().patient.firstName).toBe('Petra');
    expect(await reads()).toBe(before + 1);

    // Bad input: 400 naming the field, nothing written.
    const bad = await pia.client.post('/api/patients', { firstName: '', lastName: 'B', yearOfBirth: 1800, mobile: '0123' });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.firstName', 'body.yearOfBirth', 'body.mobile']));
  });

  it('assigning a programme gives an 8-letter code, emails it, and the patient opens it with the year of birth (R-PRG-1, R-PRG-2)', async () => {
    const p = await verifiedClient(t, 'Ruth Prescriber');
    await p.client.post('/api/me/subscription/trial');
    const patient = await newPatient(p.client, { email: 'ruth.patient@example.org' });
    const ids = await anyStockExercises(p.client, 3);
    const { programme, emailed } = await assignProgramme(p.client, patient.id, ids);
    expect(programme.code).toMatch(/^[a-z]{8}$/);
    // A date outside its range is refused with its field, not by the database (SPEC §12).
    const yearZero = await p.client.post(`/api/patients/${patient.id}/programmes`, { title: 'Slip', startDate: '0000-01-01', items: [{ exerciseId: ids[0], sets: 1, reps: 1 }] });
    expect(yearZero.statusCode).toBe(400);
    expect(yearZero.json().error.details).toContainEqual(expect.objectContaining({ path: 'body.startDate' }));
    expect(programme.state).toBe('active');
    expect(emailed).toBe(true);
    const mail = await t.database.db.selectFrom('outbox_emails').select('text_body').where('to_address', '=', 'ruth.patient@example.org').execute();
    expect(mail.some((m) => m.text_body.includes(programme.code))).toBe(true);

    const patientBrowser = new Client(t.app, { ip: '203.0.113.7' });
    const wrongYear = await patientBrowser.post('/api/programme-view', { code: programme.code, yearOfBirth: 1962 });
    expect(wrongYear.statusCode).toBe(404);
    const opened = await patientBrowser.post('/api/programme-view', { code: programme.code.toUpperCase(), yearOfBirth: 1961 });
    expect(opened.statusCode).toBe(200);
    const view = opened.json().programme;
    expect(view).toMatchObject({ title: 'Knee after surgery', readOnly: false, notice: null, practitioner: { name: 'Ruth Prescriber' } });
    expect(view.items).toHaveLength(3);
    expect(view.items[0]).toMatchObject({ sets: 3, reps: 10, weekdays: [1, 3, 5], exercise: { name: expect.any(String), steps: expect.any(Array) } });
    expect(JSON.stringify(view)).not.toContain(patient.id);

    // A programme copied to the library keeps the exercises, not the patient.
    const copied = await p.client.post(`/api/programmes/${programme.id}/copy-to-library`);
    expect(copied.statusCode).toBe(201);
    expect(copied.json().template.items).toHaveLength(3);
    // Ended: read-only with the notice (R-PRG-3).
    await p.client.post(`/api/programmes/${programme.id}/end`);
    const ended = (await patientBrowser.post('/api/programme-view', { code: programme.code, yearOfBirth: 1961 })).json().programme;
    expect(ended).toMatchObject({ state: 'ended', readOnly: true });
    expect(ended.notice).toMatch(/contact your practice/i);
  });

  it('guessing codes is throttled: 20 wrong attempts from one address are refused before a correct code is accepted again (R-PRG-2)', async () => {
    const p = await verifiedClient(t, 'Gus Guarded');
    await p.client.post('/api/me/subscription/trial');
    const patient = await newPatient(p.client);
    const { programme } = await assignProgramme(p.client, patient.id, await anyStockExercises(p.client, 1));
    const guesser = new Client(t.app, { ip: '198.51.100.20' });
    for (let i = 0; i < 20; i += 1) {
      const r = await guesser.post('/api/programme-view', { code: 'zzzzzzzz', yearOfBirth: 1961 });
      expect(r.statusCode).toBe(404);
    }
    const refused = await guesser.post('/api/programme-view', { code: programme.code, yearOfBirth: 1961 });
    expect(refused.statusCode).toBe(429);
    // Another address is not affected; the guesser is let in once the window has passed.
    expect((await new Client(t.app, { ip: '198.51.100.21' }).post('/api/programme-view', { code: programme.code, yearOfBirth: 1961 })).statusCode).toBe(200);
    t.clock.advance(16 * 60 * 1000);
    expect((await guesser.post('/api/programme-view', { code: programme.code, yearOfBirth: 1961 })).statusCode).toBe(200);
  });

  it('a known code’s year of birth cannot be searched from many addresses, nor from a fresh IPv6 address each time (R-PRG-2)', async () => {
    t.clock.set(new Date());
    const p = await verifiedClient(t, 'Yara Yearguard');
    await p.client.post('/api/me/subscription/trial');
    const patient = await newPatient(p.client, { yearOfBirth: 1947, email: null });
    const { programme } = await assignProgramme(p.client, patient.id, await anyStockExercises(p.client, 1));
    // Ten wrong years, each from another address: every one a plain "not found".
    for (let i = 0; i < 10; i += 1) {
      const r = await new Client(t.app, { ip: `198.51.100.${120 + i}` }).post('/api/programme-view', { code: programme.code, yearOfBirth: 1930 + i });
      expect(r.statusCode).toBe(404);
    }
    // Then even the right year waits, from yet another address, until the window has passed.
    expect((await new Client(t.app, { ip: '198.51.100.140' }).post('/api/programme-view', { code: programme.code, yearOfBirth: 1947 })).statusCode).toBe(429);
    t.clock.advance(16 * 60 * 1000);
    expect((await new Client(t.app, { ip: '198.51.100.140' }).post('/api/programme-view', { code: programme.code, yearOfBirth: 1947 })).statusCode).toBe(200);
    // Addresses of one IPv6 /64 share one counter.
    for (let i = 0; i < 20; i += 1) {
      expect((await new Client(t.app, { ip: `2001:db8:7:9::${(i + 1).toString(16)}` }).post('/api/programme-view', { code: 'wwwwwwww', yearOfBirth: 1950 })).statusCode).toBe(404);
    }
    expect((await new Client(t.app, { ip: '2001:db8:7:9:ffff::1' }).post('/api/programme-view', { code: programme.code, yearOfBirth: 1947 })).statusCode).toBe(429);
    expect((await new Client(t.app, { ip: '2001:db8:7:a::1' }).post('/api/programme-view', { code: programme.code, yearOfBirth: 1947 })).statusCode).toBe(200);
  });

  it('remove access → the patient page shows the notice; grant again with re-activation → the same programmes are active (R-PRA-3, R-PRA-5)', async () => {
    t.clock.set(new Date());
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const pia = await joinedMember(t, owner.client, orgId, { name: 'Rita Removed', buyLicence: true });
    const ids = await anyStockExercises(pia.client, 2);
    const first = await assignProgramme(pia.client, (await newPatient(pia.client, { yearOfBirth: 1970 })).id, ids);
    const second = await assignProgramme(pia.client, (await newPatient(pia.client, { yearOfBirth: 1980, email: null })).id, ids);
    const ended = await assignProgramme(pia.client, (await newPatient(pia.client, { yearOfBirth: 1990, email: null })).id, ids);
    await pia.client.post(`/api/programmes/${ended.programme.id}/end`);
    // One patient is transferred to a colleague before the removal: their programme stays active throughout.
    const colleague = await joinedMember(t, owner.client, orgId, { name: 'Tom Taker', buyLicence: true });
    const movedPatient = await newPatient(pia.client, { yearOfBirth: 1975, email: null });
    const moved = await assignProgramme(pia.client, movedPatient.id, ids);
    expect((await pia.client.post(`/api/patients/${movedPatient.id}/transfer`, { accountId: colleague.accountId })).statusCode).toBe(200);
    const patientBrowser = new Client(t.app, { ip: '203.0.113.44' });

    // The console says how many active programmes the removal disables.
    expect((await owner.client.get(`/api/organisations/${orgId}/members/${pia.memberId}/programme-counts`)).json()).toMatchObject({ activeProgrammes: 2, disabledByRemoval: 0, patients: 3 });
    const stillActive = async () => (await patientBrowser.post('/api/programme-view', { code: moved.programme.code, yearOfBirth: 1975 })).json().programme;
    expect(await stillActive()).toMatchObject({ state: 'active', readOnly: false });
    expect((await owner.client.post(`/api/organisations/${orgId}/members/${pia.memberId}/remove-access`)).statusCode).toBe(200);
    const paused = (await patientBrowser.post('/api/programme-view', { code: first.programme.code, yearOfBirth: 1970 })).json().programme;
    expect(paused).toMatchObject({ state: 'disabled', readOnly: true, trackAdherence: false });
    expect(paused.notice).toMatch(/contact your practice/i);
    expect((await owner.client.get(`/api/organisations/${orgId}/members/${pia.memberId}/programme-counts`)).json()).toMatchObject({ activeProgrammes: 0, disabledByRemoval: 2 });
    // The practitioner cannot work, with the access-removed notice.
    expect((await pia.client.get('/api/patients')).statusCode).toBe(403);
    expect(await stillActive()).toMatchObject({ state: 'active', readOnly: false });

    const granted = await owner.client.post(`/api/organisations/${orgId}/members/${pia.memberId}/grant-access`, { reactivateProgrammes: true });
    expect(granted.statusCode, granted.body).toBe(200);
    for (const [code, year] of [[first.programme.code, 1970], [second.programme.code, 1980]] as const) {
      expect((await patientBrowser.post('/api/programme-view', { code, yearOfBirth: year })).json().programme).toMatchObject({ state: 'active', readOnly: false, notice: null });
    }
    expect(await stillActive()).toMatchObject({ state: 'active', readOnly: false });
    // The programme ended before stays ended.
    expect((await patientBrowser.post('/api/programme-view', { code: ended.programme.code, yearOfBirth: 1990 })).json().programme.state).toBe('ended');
  });

  it('a custom exercise takes an image of at most 2 MB, checked from its bytes; stock exercises stay read-only (R-EXE-1, SPEC §12)', async () => {
    const p = await verifiedClient(t, 'Ines Image');
    await p.client.post('/api/me/subscription/trial');
    const created = await p.client.post('/api/exercises', { name: 'Towel slide', bodyRegion: 'knee', description: 'Slide the foot on a towel.', steps: ['Sit.', 'Slide.', 'Return.'] });
    expect(created.statusCode).toBe(201);
    const id = created.json().exercise.id;
    const put = (exerciseId: string, data: Buffer, type: string) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/exercises/${exerciseId}/image`,
        payload: multipart([{ name: 'image', filename: 'picture', type, data }]),
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, cookie: p.client.cookie!, 'x-csrf-token': p.client.csrfToken!, 'user-agent': p.client.userAgent },
      });
    const png = await sharp({ create: { width: 1600, height: 900, channels: 3, background: { r: 20, g: 120, b: 200 } } }).png().toBuffer();
    const jpeg = await sharp({ create: { width: 40, height: 40, channels: 3, background: { r: 0, g: 0, b: 0 } } }).jpeg().toBuffer();
    expect((await put(id, jpeg, 'image/png')).statusCode).toBe(415);
    expect((await put(id, Buffer.alloc(2 * 1024 * 1024 + 10, 1), 'image/png')).statusCode).toBe(413);
    const ok = await put(id, png, 'image/png');
    expect(ok.statusCode, ok.body).toBe(200);
    const pic = await p.client.get(ok.json().exercise.illustrationUrl);
    expect(pic.headers['content-type']).toBe('image/png');
    expect((await sharp(pic.rawPayload).metadata()).width).toBe(1200);
    const stock = (await p.client.get('/api/exercises?source=stock&limit=1')).json().exercises[0].id;
    expect((await put(stock, png, 'image/png')).statusCode).toBe(403);
    const other = await verifiedClient(t, 'Nosy Neighbour');
    await other.client.post('/api/me/subscription/trial');
    expect((await other.client.get(`/api/exercises/${id}`)).statusCode).toBe(404);
  });
});

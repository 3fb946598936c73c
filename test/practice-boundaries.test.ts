import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { joinedMember, organisationWithOwner, verifiedClient } from './support/factories.ts';

// Where the console's powers over a practitioner's patients stop (R-PAT-2, R-PRA-4, R-PRA-6,
// R-TRF-1, SPEC §12), and the code-guessing limit under parallel requests (R-PRG-2).

async function memberId(owner: Client, orgId: string, accountId: string): Promise<string> {
  const members = (await owner.get(`/api/organisations/${orgId}/members?status=current&limit=200`)).json().members as Array<{ id: string; accountId: string }>;
  return members.find((m) => m.accountId === accountId)!.id;
}

describe('practice boundaries', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ runJobs: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("an organisation's admins reach only the patients treated in their organisation, and only of current members", async () => {
    const a = await organisationWithOwner(t, { card: true, name: 'Clinic A' });
    const b = await organisationWithOwner(t, { card: true, name: 'Clinic B' });
    const pip = await joinedMember(t, a.owner.client, a.orgId, { name: 'Pip Twoplaces', buyLicence: true });
    // Pip joins B as well, with the same account.
    const invited = await b.owner.client.post(`/api/organisations/${b.orgId}/invitations`, { name: 'Pip Twoplaces', email: pip.email, practitioner: true, confirmedChargeMinor: (await b.owner.client.get(`/api/organisations/${b.orgId}/licences/quote?quantity=1`)).json().quote.amountMinor });
    expect((await pip.client.post(`/api/invitations/${invited.json().member.id}/accept`)).statusCode).toBe(200);
    const inA = await pip.client.post('/api/patients', { firstName: 'Alma', lastName: 'Aside', yearOfBirth: 1955, externalId: 'A-77', organisationId: a.orgId });
    expect(inA.json().patient.organisationId).toBe(a.orgId);
    const pipInB = await memberId(b.owner.client, b.orgId, pip.accountId);

    // B's admin neither sees nor overwrites A's patient, nor learns that A's PMS id is in use: the
    // same id in B is another patient of B's own PMS (R-PAT-1: unique within a practice).
    const listing = (await b.owner.client.get(`/api/organisations/${b.orgId}/members/${pipInB}/transferable`)).json();
    expect(listing.patients).toEqual([]);
    const imported = await b.owner.client.post(`/api/organisations/${b.orgId}/patient-imports`, { practitionerMemberId: pipInB, csv: 'A-77,Bert,OfB,1950' });
    await t.deps.jobs.runDue();
    const result = (await b.owner.client.get(`/api/organisations/${b.orgId}/patient-imports/${imported.json().import.id}`)).json().import;
    expect(result).toMatchObject({ created: 1, updated: 0, rejected: [] });
    expect((await pip.client.get(`/api/patients/${inA.json().patient.id}`)).json().patient).toMatchObject({ firstName: 'Alma', lastName: 'Aside', organisationId: a.orgId });
    const sameId = (await pip.client.get('/api/patients?search=A-77')).json().patients as Array<{ firstName: string; organisationId: string }>;
    expect(sameId.map((p) => [p.firstName, p.organisationId]).sort()).toEqual([['Alma', a.orgId], ['Bert', b.orgId]].sort());
    // Within one practice the id stays unique.
    expect((await pip.client.post('/api/patients', { firstName: 'Al', lastName: 'Again', yearOfBirth: 1956, externalId: 'A-77', organisationId: a.orgId })).statusCode).toBe(409);
    const colleagueInB = await joinedMember(t, b.owner.client, b.orgId, { name: 'Bea Colleague', buyLicence: true });
    const toB = await memberId(b.owner.client, b.orgId, colleagueInB.accountId);
    expect((await b.owner.client.post(`/api/organisations/${b.orgId}/members/${pipInB}/transfer`, { toMemberId: toB, patientIds: [inA.json().patient.id] })).statusCode).toBe(404);

    // A's admin lists Pip's patient while Pip is a member, and nothing once Pip has left A.
    const pipInA = await memberId(a.owner.client, a.orgId, pip.accountId);
    expect((await a.owner.client.get(`/api/organisations/${a.orgId}/members/${pipInA}/transferable`)).json().patients).toHaveLength(1);
    expect((await a.owner.client.post(`/api/organisations/${a.orgId}/members/${pipInA}/remove`, { removeLicence: false })).statusCode).toBe(200);
    expect((await a.owner.client.get(`/api/organisations/${a.orgId}/members/${pipInA}/transferable`)).statusCode).toBe(404);
    // Pip keeps the patient (R-PRA-6), even while A, which Pip has left, owes a payment (R-LIC-7).
    expect((await pip.client.get(`/api/patients/${inA.json().patient.id}`)).statusCode).toBe(200);
    await t.database.db.updateTable('organisations').set({ status: 'payment_required' }).where('id', '=', a.orgId).execute();
    expect((await pip.client.get(`/api/patients/${inA.json().patient.id}`)).statusCode).toBe(200);
    await t.database.db.updateTable('organisations').set({ status: 'active' }).where('id', '=', a.orgId).execute();
  });

  it('a share stops when its colleague loses access in that organisation, even with a licence elsewhere (R-PRA-4)', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const ann = await joinedMember(t, owner.client, orgId, { name: 'Ann Owner', buyLicence: true });
    const ben = await joinedMember(t, owner.client, orgId, { name: 'Ben Sharee', buyLicence: true });
    const p = (await ann.client.post('/api/patients', { firstName: 'Sol', lastName: 'Shared', yearOfBirth: 1966 })).json().patient;
    await ann.client.post(`/api/patients/${p.id}/shares`, { accountId: ben.accountId });
    expect((await ben.client.get(`/api/patients/${p.id}`)).statusCode).toBe(200);
    // The colleague may work on the patient but not hide it from its owner.
    expect((await ben.client.post(`/api/patients/${p.id}/archive`)).statusCode).toBe(403);
    await owner.client.post(`/api/organisations/${orgId}/members/${ben.memberId}/remove-access`);
    expect((await ben.client.post('/api/me/subscription/trial')).statusCode).toBe(201);
    expect((await ben.client.get(`/api/patients/${p.id}`)).statusCode).toBe(404);
  });

  it('a share group reaches only the patients treated in its own organisation; nothing moves a patient out of their practice (R-SHR-1, R-SHR-3, R-TRF-1)', async () => {
    const a = await organisationWithOwner(t, { card: true, name: 'Group Clinic' });
    const b = await organisationWithOwner(t, { card: true, name: 'Other Clinic' });
    const pip = await joinedMember(t, a.owner.client, a.orgId, { name: 'Pip Grouped', buyLicence: true });
    const gina = await joinedMember(t, a.owner.client, a.orgId, { name: 'Gina Grouped', buyLicence: true });
    const invited = await b.owner.client.post(`/api/organisations/${b.orgId}/invitations`, { name: 'Pip Grouped', email: pip.email, practitioner: true, confirmedChargeMinor: (await b.owner.client.get(`/api/organisations/${b.orgId}/licences/quote?quantity=1`)).json().quote.amountMinor });
    expect((await pip.client.post(`/api/invitations/${invited.json().member.id}/accept`)).statusCode).toBe(200);
    const set = await a.owner.client.put(`/api/organisations/${a.orgId}/sharing`, { sharePatients: true, shareContent: false, groupMemberIds: [pip.memberId, gina.memberId], contentAccountMemberId: null, contentRecipientIds: [] });
    expect(set.statusCode, set.body).toBe(200);
    const inA = (await pip.client.post('/api/patients', { firstName: 'Ada', lastName: 'Ingroup', yearOfBirth: 1950, organisationId: a.orgId })).json().patient;
    const inB = (await pip.client.post('/api/patients', { firstName: 'Bo', lastName: 'Elsewhere', yearOfBirth: 1951, organisationId: b.orgId })).json().patient;
    expect(inB.organisationId).toBe(b.orgId);
    // Gina, in A's share group with Pip, sees Pip's patient of A and not his patient of B.
    expect((await gina.client.get(`/api/patients/${inA.id}`)).statusCode).toBe(200);
    expect((await gina.client.get(`/api/patients/${inB.id}`)).statusCode).toBe(404);
    expect((await gina.client.get('/api/patients?limit=200')).json().patients.map((x: { id: string }) => x.id)).not.toContain(inB.id);
    // Gina does not work in B: Pip can neither share nor transfer B's patient to her.
    expect((await pip.client.post(`/api/patients/${inB.id}/shares`, { accountId: gina.accountId })).statusCode).toBe(404);
    expect((await pip.client.post(`/api/patients/${inB.id}/transfer`, { accountId: gina.accountId })).statusCode).toBe(404);
    const still = await t.database.db.selectFrom('patients').select(['owner_account_id', 'organisation_id']).where('id', '=', inB.id).executeTakeFirstOrThrow();
    expect(still).toEqual({ owner_account_id: pip.accountId, organisation_id: b.orgId });
    // A patient of A goes to Gina and stays in A.
    expect((await pip.client.post(`/api/patients/${inA.id}/transfer`, { accountId: gina.accountId })).statusCode).toBe(200);
    expect((await t.database.db.selectFrom('patients').select('organisation_id').where('id', '=', inA.id).executeTakeFirstOrThrow()).organisation_id).toBe(a.orgId);
  });

  it('without practitioner access in an organisation, its patients are out of reach, even with a licence elsewhere (R-PRA-3, R-PRA-4)', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const mia = await joinedMember(t, owner.client, orgId, { name: 'Mia Toggled', buyLicence: true, sections: ['users'] });
    const ned = await joinedMember(t, owner.client, orgId, { name: 'Ned Neighbour', buyLicence: true });
    const stock = (await mia.client.get('/api/exercises?source=stock&limit=1')).json().exercises[0].id;
    const own = (await mia.client.post('/api/patients', { firstName: 'Ola', lastName: 'Own', yearOfBirth: 1962 })).json().patient;
    const programme = (await mia.client.post(`/api/patients/${own.id}/programmes`, { title: 'Hips', startDate: '2026-01-01', items: [{ exerciseId: stock, sets: 2, reps: 8 }] })).json().programme;
    const nedsPatient = (await ned.client.post('/api/patients', { firstName: 'Nia', lastName: 'Shared', yearOfBirth: 1963 })).json().patient;
    expect((await ned.client.post(`/api/patients/${nedsPatient.id}/shares`, { accountId: mia.accountId })).statusCode).toBe(201);
    const patientPhone = new Client(t.app, { ip: '203.0.113.61' });
    const open = async () => (await patientPhone.post('/api/programme-view', { code: programme.code, yearOfBirth: 1962 })).json().programme;

    // Practitioner access turned off: Mia stays an admin, with a trial of her own.
    const off = await owner.client.post(`/api/organisations/${orgId}/members/${mia.memberId}/practitioner`, { enabled: false });
    expect(off.statusCode, off.body).toBe(200);
    expect((await mia.client.post('/api/me/subscription/trial')).statusCode).toBe(201);
    expect((await mia.client.get(`/api/patients/${own.id}`)).statusCode).toBe(404);
    expect((await mia.client.get(`/api/patients/${nedsPatient.id}`)).statusCode).toBe(404);
    expect((await mia.client.post(`/api/patients/${own.id}/transfer`, { accountId: ned.accountId })).statusCode).toBe(404);
    expect(await open()).toMatchObject({ state: 'disabled', readOnly: true });
    // On again (a licence is free): the same programme is active, the patients are back.
    const on = await owner.client.post(`/api/organisations/${orgId}/members/${mia.memberId}/practitioner`, { enabled: true, confirmedChargeMinor: (await owner.client.get(`/api/organisations/${orgId}/licences/quote?quantity=1`)).json().quote.amountMinor });
    expect(on.statusCode, on.body).toBe(200);
    expect(await open()).toMatchObject({ state: 'active', readOnly: false });
    expect((await mia.client.get(`/api/patients/${own.id}`)).statusCode).toBe(200);
    expect((await mia.client.get(`/api/patients/${nedsPatient.id}`)).statusCode).toBe(200);

    // Access removed: the trial does not bring the organisation's patients back.
    expect((await owner.client.post(`/api/organisations/${orgId}/members/${mia.memberId}/remove-access`)).statusCode).toBe(200);
    expect((await mia.client.get(`/api/patients/${own.id}`)).statusCode).toBe(404);
    expect((await mia.client.get('/api/patients?limit=200')).json().patients).toEqual([]);
    expect(await open()).toMatchObject({ state: 'disabled', readOnly: true });
  });

  it('an exercise received from the content account is not passed on through a template (R-SHR-1, R-SHR-2)', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const carla = await joinedMember(t, owner.client, orgId, { name: 'Carla Content', buyLicence: true });
    const alice = await joinedMember(t, owner.client, orgId, { name: 'Alice Receiver', buyLicence: true });
    const bob = await joinedMember(t, owner.client, orgId, { name: 'Bob Grouped', buyLicence: true });
    const set = await owner.client.put(`/api/organisations/${orgId}/sharing`, { sharePatients: false, shareContent: true, groupMemberIds: [alice.memberId, bob.memberId], contentAccountMemberId: carla.memberId, contentRecipientIds: [alice.memberId] });
    expect(set.statusCode, set.body).toBe(200);
    const carlas = (await carla.client.post('/api/exercises', { name: 'Carla’s wall slide', bodyRegion: 'shoulder', description: 'Slide along the wall.' })).json().exercise;
    const stock = (await alice.client.get('/api/exercises?source=stock&limit=1')).json().exercises[0].id;
    const patient = (await alice.client.post('/api/patients', { firstName: 'Tia', lastName: 'Template', yearOfBirth: 1970 })).json().patient;
    const programme = await alice.client.post(`/api/patients/${patient.id}/programmes`, { title: 'Shoulder mix', startDate: '2026-01-01', items: [{ exerciseId: carlas.id, sets: 2, reps: 8 }, { exerciseId: stock, sets: 3, reps: 10 }] });
    expect(programme.statusCode, programme.body).toBe(201);
    expect((await alice.client.post(`/api/programmes/${programme.json().programme.id}/copy-to-library`)).statusCode).toBe(201);
    const names = async (c: Client) => {
      const templates = (await c.get('/api/templates')).json().templates as Array<{ title: string; items: Array<{ exercise: { name: string } | null }> }>;
      return templates.find((x) => x.title === 'Shoulder mix')?.items.map((i) => i.exercise?.name ?? null);
    };
    // Alice receives Carla's content and sees her own template whole; Bob, in Alice's share group
    // but not among Carla's recipients, sees the template without Carla's exercise.
    expect(await names(alice.client)).toEqual(['Carla’s wall slide', expect.any(String)]);
    const bobSees = await names(bob.client);
    expect(bobSees).toHaveLength(2);
    expect(bobSees![0]).toBeNull();
    expect(bobSees![1]).toEqual(expect.any(String));
  });

  it('parallel wrong guesses cannot slip past the limit of 20 (R-PRG-2)', async () => {
    const p = await verifiedClient(t, 'Quinn Quick');
    await p.client.post('/api/me/subscription/trial');
    const guesser = new Client(t.app, { ip: '198.51.100.99' });
    const answers = await Promise.all(Array.from({ length: 40 }, () => guesser.post('/api/programme-view', { code: 'qqqqqqqq', yearOfBirth: 1970 })));
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 404)).toHaveLength(20);
    expect(codes.filter((c) => c === 429)).toHaveLength(20);
  });
});

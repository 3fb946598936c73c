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

    // B's admin neither sees nor overwrites A's patient.
    const listing = (await b.owner.client.get(`/api/organisations/${b.orgId}/members/${pipInB}/transferable`)).json();
    expect(listing.patients).toEqual([]);
    const imported = await b.owner.client.post(`/api/organisations/${b.orgId}/patient-imports`, { practitionerMemberId: pipInB, csv: 'A-77,Hacked,ByB,1950' });
    await t.deps.jobs.runDue();
    const result = (await b.owner.client.get(`/api/organisations/${b.orgId}/patient-imports/${imported.json().import.id}`)).json().import;
    expect(result).toMatchObject({ created: 0, updated: 0, rejected: [{ line: 1, reason: expect.stringMatching(/outside this organisation/) }] });
    expect((await pip.client.get(`/api/patients/${inA.json().patient.id}`)).json().patient).toMatchObject({ firstName: 'Alma', lastName: 'Aside' });
    const colleagueInB = await joinedMember(t, b.owner.client, b.orgId, { name: 'Bea Colleague', buyLicence: true });
    const toB = await memberId(b.owner.client, b.orgId, colleagueInB.accountId);
    expect((await b.owner.client.post(`/api/organisations/${b.orgId}/members/${pipInB}/transfer`, { toMemberId: toB, patientIds: [inA.json().patient.id] })).statusCode).toBe(404);

    // A's admin lists Pip's patient while Pip is a member, and nothing once Pip has left A.
    const pipInA = await memberId(a.owner.client, a.orgId, pip.accountId);
    expect((await a.owner.client.get(`/api/organisations/${a.orgId}/members/${pipInA}/transferable`)).json().patients).toHaveLength(1);
    expect((await a.owner.client.post(`/api/organisations/${a.orgId}/members/${pipInA}/remove`, { removeLicence: false })).statusCode).toBe(200);
    expect((await a.owner.client.get(`/api/organisations/${a.orgId}/members/${pipInA}/transferable`)).statusCode).toBe(404);
    // Pip keeps the patient (R-PRA-6).
    expect((await pip.client.get(`/api/patients/${inA.json().patient.id}`)).statusCode).toBe(200);
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

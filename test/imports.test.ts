import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.ts';
import { joinedMember, organisationWithOwner } from './support/factories.ts';

// Patient import (console section Patient import, R-PAT-1): CSV into a chosen practitioner's list,
// as a job; a known external id updates; each rejected row is reported with its line and reason.

describe('patient import', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ runJobs: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('imports, updates by external id, and reports every rejected row with its line', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const pia = await joinedMember(t, owner.client, orgId, { name: 'Pia Imported', buyLicence: true });
    const clerk = await joinedMember(t, owner.client, orgId, { name: 'Ivo Importer', practitioner: false, sections: ['import'] });
    const existing = await pia.client.post('/api/patients', { firstName: 'Old', lastName: 'Name', yearOfBirth: 1950, externalId: 'P-1' });
    expect(existing.statusCode).toBe(201);

    const csv = [
      'external id,first name,last name,year of birth,gender,email,mobile,diagnosis code,group',
      'P-1,Olga,Renamed,1950,f,olga@example.org,+49 30 1234567,M17.1,knees',
      'P-2,"Smith, Jr",John,1980,m,,,,',
      ',Nora,Noid,1999,,,,,',
      'P-3,Bad,Year,19x0,,,,,',
      'P-4,Bad,Mail,1970,,not-an-email,,,',
      'P-2,Twice,Listed,1981,,,,,',
      'P-5,Odd,Gender,1960,alien,,,,',
      'P-6,Too,Few',
    ].join('\r\n');
    const members = (await owner.client.get(`/api/organisations/${orgId}/members`)).json().members as Array<{ id: string; accountId: string }>;
    const target = members.find((m) => m.accountId === pia.accountId)!.id;

    // The Patient import section is needed; a practitioner without it gets 403.
    expect((await pia.client.post(`/api/organisations/${orgId}/patient-imports`, { practitionerMemberId: target, csv })).statusCode).toBe(403);
    const res = await clerk.client.post(`/api/organisations/${orgId}/patient-imports`, { practitionerMemberId: target, fileName: 'patients.csv', csv });
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json().import.id;
    expect(res.json().import.status).toBe('pending');

    await t.deps.jobs.runDue();
    const done = (await clerk.client.get(`/api/organisations/${orgId}/patient-imports/${id}`)).json().import;
    expect(done).toMatchObject({ status: 'done', rows: 8, created: 2, updated: 1 });
    expect(done.rejected).toEqual([
      { line: 5, reason: expect.stringMatching(/^year of birth/) },
      { line: 6, reason: expect.stringMatching(/^email/) },
      { line: 7, reason: 'external id: "P-2" is already on line 3 of this file.' },
      { line: 8, reason: expect.stringMatching(/^gender/) },
      { line: 9, reason: expect.stringMatching(/columns/) },
    ]);

    const list = (await pia.client.get('/api/patients?limit=50')).json().patients as Array<{ externalId: string | null; firstName: string; lastName: string; mobile: string | null }>;
    expect(list.map((p) => `${p.externalId ?? '-'} ${p.firstName} ${p.lastName}`).sort()).toEqual(['- Nora Noid', 'P-1 Olga Renamed', 'P-2 Smith, Jr John']);
    expect(list.find((p) => p.externalId === 'P-1')!.mobile).toBe('+49301234567');
    // Each patient written is recorded against the admin who asked for the import.
    const records = await t.database.db.selectFrom('audit_log').select('action').where('request_id', '=', `import:${id}`).execute();
    expect(records.map((r) => r.action).sort()).toEqual(['patient.created', 'patient.created', 'patient.updated', 'patient_import.finished']);
    // The file is not kept once read.
    expect((await t.database.db.selectFrom('patient_imports').select('csv').where('id', '=', id).executeTakeFirstOrThrow()).csv).toBe('');

    // A file with fewer columns, or empty cells, changes names and keeps what it does not say.
    const again = await clerk.client.post(`/api/organisations/${orgId}/patient-imports`, { practitionerMemberId: target, csv: 'P-1,Olga,Renamed-Again,1950\nP-2,Smith,John,1980,,,,,' });
    expect(again.statusCode, again.body).toBe(202);
    await t.deps.jobs.runDue();
    expect((await clerk.client.get(`/api/organisations/${orgId}/patient-imports/${again.json().import.id}`)).json().import).toMatchObject({ status: 'done', updated: 2, rejected: [] });
    const olga = ((await pia.client.get('/api/patients?search=P-1')).json().patients as Array<Record<string, unknown>>)[0];
    expect(olga).toMatchObject({ lastName: 'Renamed-Again', email: 'olga@example.org', mobile: '+49301234567', diagnosisCode: 'M17.1', group: 'knees', gender: 'female' });
  });

  it('a broken file is reported, not half-imported', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const pia = await joinedMember(t, owner.client, orgId, { name: 'Pia Broken', buyLicence: true });
    const members = (await owner.client.get(`/api/organisations/${orgId}/members`)).json().members as Array<{ id: string; accountId: string }>;
    const target = members.find((m) => m.accountId === pia.accountId)!.id;
    const res = await owner.client.post(`/api/organisations/${orgId}/patient-imports`, { practitionerMemberId: target, csv: 'A-1,Ann,Able,1970\nA-2,"Unclosed,Quote,1971\n' });
    await t.deps.jobs.runDue();
    const done = (await owner.client.get(`/api/organisations/${orgId}/patient-imports/${res.json().import.id}`)).json().import;
    expect(done).toMatchObject({ status: 'failed', created: 0, rejected: [{ line: 2, reason: expect.stringMatching(/quoted field/) }] });
    expect((await pia.client.get('/api/patients')).json().total).toBe(0);
  });
});

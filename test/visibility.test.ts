import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.ts';
import type { Client } from './support/client.ts';
import { clinicalWorld, type ClinicalWorld, type Who } from './support/clinical-world.ts';

// R-PAT-2, R-SHR-1..3, R-TRF-1 and SPEC §12: who gets what on every patient, programme, exercise
// and share route. Not allowed to know → 404 (never 403, never data); allowed to see but not to do
// this → 403; no working licence → 402 before anything is looked up.

type Outcome = 200 | 201 | 204 | 402 | 403 | 404;

describe('the visibility matrix', () => {
  let t: TestApp;
  let people = {} as ClinicalWorld['people'];
  let patientId = '';
  let programmeId = '';
  let exerciseId = '';
  let stockId = '';
  let shareId = '';
  let orgId = '';
  let orgOwner: Client;

  beforeAll(async () => {
    t = await createTestApp({ runJobs: false });
    const w = await clinicalWorld(t);
    ({ people, patientId, programmeId, exerciseId, stockId, shareId, orgId, orgOwner } = w);
  });

  afterAll(async () => {
    await t?.close();
  });

  const routes: Array<{ name: string; call: (c: Client) => Promise<{ statusCode: number; body: string }>; expect: Record<Who, Outcome> }> = [
    { name: 'GET patient', call: (c) => c.get(`/api/patients/${patientId}`), expect: { owner: 200, sharee: 200, group: 200, colleague: 404, admin: 402, stranger: 404 } },
    { name: 'PATCH patient', call: (c) => c.patch(`/api/patients/${patientId}`, { group: 'knees' }), expect: { owner: 200, sharee: 200, group: 200, colleague: 404, admin: 402, stranger: 404 } },
    { name: 'GET patient programmes', call: (c) => c.get(`/api/patients/${patientId}/programmes`), expect: { owner: 200, sharee: 200, group: 200, colleague: 404, admin: 402, stranger: 404 } },
    { name: 'GET programme', call: (c) => c.get(`/api/programmes/${programmeId}`), expect: { owner: 200, sharee: 200, group: 200, colleague: 404, admin: 402, stranger: 404 } },
    { name: 'PUT programme', call: (c) => c.put(`/api/programmes/${programmeId}`, { title: 'Matrix programme', startDate: '2026-01-01', items: [{ exerciseId: stockId, sets: 2, reps: 8 }] }), expect: { owner: 200, sharee: 200, group: 200, colleague: 404, admin: 402, stranger: 404 } },
    { name: 'POST programme resend', call: (c) => c.post(`/api/programmes/${programmeId}/resend`), expect: { owner: 200, sharee: 200, group: 200, colleague: 404, admin: 402, stranger: 404 } },
    { name: 'POST programme copy-to-library', call: (c) => c.post(`/api/programmes/${programmeId}/copy-to-library`), expect: { owner: 201, sharee: 201, group: 201, colleague: 404, admin: 402, stranger: 404 } },
    { name: 'GET exercise illustration (custom)', call: (c) => c.get(`/api/exercises/${exerciseId}/illustration`), expect: { owner: 404, sharee: 404, group: 404, colleague: 404, admin: 404, stranger: 404 } },
    { name: 'GET shares', call: (c) => c.get(`/api/patients/${patientId}/shares`), expect: { owner: 200, sharee: 200, group: 200, colleague: 404, admin: 402, stranger: 404 } },
    // Received patients are not passed on (R-SHR-1): seen, but 403.
    { name: 'POST share (re-share)', call: (c) => c.post(`/api/patients/${patientId}/shares`, { accountId: people.group.accountId }), expect: { owner: 201, sharee: 403, group: 403, colleague: 404, admin: 402, stranger: 404 } },
    { name: 'POST transfer to self', call: (c) => c.post(`/api/patients/${patientId}/transfer`, { accountId: people.owner.accountId }), expect: { owner: 404, sharee: 403, group: 403, colleague: 404, admin: 402, stranger: 404 } },
    { name: 'POST programme end', call: (c) => c.post(`/api/programmes/${programmeId}/end`), expect: { owner: 200, sharee: 200, group: 200, colleague: 404, admin: 402, stranger: 404 } },
    { name: 'DELETE patient', call: (c) => c.delete(`/api/patients/${patientId}`), expect: { owner: 204, sharee: 403, group: 403, colleague: 404, admin: 402, stranger: 404 } },
    { name: 'GET custom exercise', call: (c) => c.get(`/api/exercises/${exerciseId}`), expect: { owner: 200, sharee: 404, group: 404, colleague: 404, admin: 402, stranger: 404 } },
  ];

  // The owner goes last on each route, so that a share or a deletion by them does not change what the others get.
  const order: Who[] = ['stranger', 'colleague', 'admin', 'group', 'sharee', 'owner'];

  it('every route answers each person exactly as SPEC allows', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      for (const who of order) {
        const res = await route.call(people[who].client);
        if (res.statusCode !== route.expect[who]) wrong.push(`${route.name} as ${who}: ${res.statusCode} (expected ${route.expect[who]}) ${res.body.slice(0, 120)}`);
        if (res.statusCode === 404) {
          expect(res.body).not.toContain('Mara');
          expect(res.body).not.toContain('Matrix programme');
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('a share is ended by its owner or by the colleague who received it; nobody else reaches it (R-SHR-3)', async () => {
    const p = (await people.owner.client.post('/api/patients', { firstName: 'Enid', lastName: 'Ending', yearOfBirth: 1944 })).json().patient;
    const share = (await people.owner.client.post(`/api/patients/${p.id}/shares`, { accountId: people.sharee.accountId })).json().share;
    for (const who of ['colleague', 'stranger'] as const) expect((await people[who].client.delete(`/api/patients/${p.id}/shares/${share.id}`)).statusCode).toBe(404);
    // A share-group member sees the patient and its shares, but the share is not theirs to end.
    expect((await people.group.client.get(`/api/patients/${p.id}/shares`)).json().shares).toEqual([expect.objectContaining({ id: share.id })]);
    expect((await people.group.client.delete(`/api/patients/${p.id}/shares/${share.id}`)).statusCode).toBe(403);
    expect((await people.sharee.client.get(`/api/patients/${p.id}/shares`)).json().shares).toEqual([expect.objectContaining({ id: share.id })]);
    expect((await people.sharee.client.delete(`/api/patients/${p.id}/shares/${share.id}`)).statusCode).toBe(204);
    expect((await people.sharee.client.get(`/api/patients/${p.id}`)).statusCode).toBe(404);
    const again = (await people.owner.client.post(`/api/patients/${p.id}/shares`, { accountId: people.sharee.accountId })).json().share;
    expect((await people.owner.client.delete(`/api/patients/${p.id}/shares/${again.id}`)).statusCode).toBe(204);
    expect((await people.sharee.client.get(`/api/patients/${p.id}`)).statusCode).toBe(404);
    expect(shareId).not.toBe('');
  });

  it('the list shows the patient to those who may see it and to nobody else', async () => {
    const p = await people.owner.client.post('/api/patients', { firstName: 'Lise', lastName: 'Listed', yearOfBirth: 1960 });
    const id = p.json().patient.id;
    for (const who of ['owner', 'group'] as const) expect((await people[who].client.get('/api/patients')).json().patients.map((x: { id: string }) => x.id)).toContain(id);
    for (const who of ['colleague', 'stranger', 'sharee'] as const) expect((await people[who].client.get('/api/patients')).json().patients.map((x: { id: string }) => x.id)).not.toContain(id);
  });

  it('removing a practitioner from the organisation ends shares in both directions; their own patients stay theirs (R-PRA-6)', async () => {
    const p = await people.group.client.post('/api/patients', { firstName: 'Gil', lastName: 'Groupowned', yearOfBirth: 1970 });
    const gilId = p.json().patient.id;
    const q = await people.owner.client.post('/api/patients', { firstName: 'Sue', lastName: 'Shared', yearOfBirth: 1971 });
    const sueId = q.json().patient.id;
    await people.owner.client.post(`/api/patients/${sueId}/shares`, { accountId: people.group.accountId });
    expect((await people.owner.client.get(`/api/patients/${gilId}`)).statusCode).toBe(200);
    expect((await people.group.client.get(`/api/patients/${sueId}`)).statusCode).toBe(200);
    const member = await t.database.db.selectFrom('memberships').select('id').where('organisation_id', '=', orgId).where('account_id', '=', people.group.accountId).executeTakeFirstOrThrow();
    const removed = await orgOwner.post(`/api/organisations/${orgId}/members/${member.id}/remove`, { removeLicence: false });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().member.status).toBe('removed');
    // Gina keeps her own patient, but the owner no longer sees it; Gina no longer sees Sue.
    expect((await people.owner.client.get(`/api/patients/${gilId}`)).statusCode).toBe(404);
    expect((await people.group.client.get(`/api/patients/${sueId}`)).statusCode).toBe(402);
    const stillHers = await t.database.db.selectFrom('patients').select('owner_account_id').where('id', '=', gilId).executeTakeFirstOrThrow();
    expect(stillHers.owner_account_id).toBe(people.group.accountId);
    const open = await t.database.db.selectFrom('patient_shares').select('id').where('patient_id', '=', sueId).where('ended_at', 'is', null).execute();
    expect(open).toEqual([]);
  });
});

import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.ts';
import { clinicalWorld, type ClinicalWorld } from './support/clinical-world.ts';
import { joinedMember } from './support/factories.ts';
import { BOUNDARY, multipart } from './support/multipart.ts';

// R-AUD-1: organisation settings, archiving, exercise images, template deletion and a console
// transfer each work and leave their audit record (the audit write walk in `npm test` requires
// every write route to be driven to success somewhere in the suite); a write that finds nothing to
// change records that; and the answer to saving practice defaults shows an admin no prices.

describe('writes and their audit records', () => {
  let t: TestApp;
  let w: ClinicalWorld;

  beforeAll(async () => {
    t = await createTestApp({ runJobs: false });
    w = await clinicalWorld(t);
  });

  afterAll(async () => {
    await t?.close();
  });

  const records = (action: string, targetId: string) =>
    t.database.db.selectFrom('audit_log').select(['action', 'account_id', 'details']).where('action', '=', action).where('target_id', '=', targetId).execute();

  it('the owner renames the organisation; the change names the fields', async () => {
    const res = await w.orgOwner.patch(`/api/organisations/${w.orgId}`, { name: 'Riverside Physiotherapy & Sports' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().organisation.name).toBe('Riverside Physiotherapy & Sports');
    expect(await records('organisation.updated', w.orgId)).toEqual([expect.objectContaining({ details: { fields: ['name'] } })]);
  });

  it('a patient is archived, leaves the list, and is brought back', async () => {
    const { client, accountId } = w.people.owner;
    const p = (await client.post('/api/patients', { firstName: 'Ada', lastName: 'Archive', yearOfBirth: 1949 })).json().patient;
    const archived = await client.post(`/api/patients/${p.id}/archive`);
    expect(archived.statusCode, archived.body).toBe(200);
    expect(archived.json().patient.archived).toBe(true);
    expect((await client.get('/api/patients')).json().patients.map((x: { id: string }) => x.id)).not.toContain(p.id);
    const restored = await client.delete(`/api/patients/${p.id}/archive`);
    expect(restored.json().patient.archived).toBe(false);
    expect(await records('patient.archived', p.id)).toEqual([expect.objectContaining({ account_id: accountId })]);
    expect(await records('patient.restored', p.id)).toEqual([expect.objectContaining({ account_id: accountId })]);
  });

  it('a custom exercise gets an image and loses it again', async () => {
    const { client } = w.people.owner;
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 20, g: 120, b: 200 } } }).png().toBuffer();
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/exercises/${w.exerciseId}/image`,
      payload: multipart([{ name: 'image', filename: 'squeeze.png', type: 'image/png', data: png }]),
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, cookie: client.cookie!, 'x-csrf-token': client.csrfToken!, 'user-agent': client.userAgent },
    });
    expect(put.statusCode, put.body).toBe(200);
    const removed = await client.delete(`/api/exercises/${w.exerciseId}/image`);
    expect(removed.statusCode, removed.body).toBe(200);
    expect((await client.get(`/api/exercises/${w.exerciseId}/illustration`)).statusCode).toBe(404);
    expect((await records('exercise.updated', w.exerciseId)).length).toBeGreaterThanOrEqual(2);
  });

  it('a template is deleted by its owner', async () => {
    const { client } = w.people.owner;
    const tpl = (await client.post('/api/templates', { title: 'Short-lived template', items: [{ exerciseId: w.stockId, sets: 1, reps: 5 }] })).json().template;
    const res = await client.delete(`/api/templates/${tpl.id}`);
    expect(res.statusCode, res.body).toBe(204);
    expect((await client.get('/api/templates')).json().templates.map((x: { id: string }) => x.id)).not.toContain(tpl.id);
    expect(await records('template.deleted', tpl.id)).toHaveLength(1);
  });

  it("an admin with Users transfers a member's patient to a colleague, recorded per patient (R-TRF-1)", async () => {
    const owner = w.people.owner;
    const p = (await owner.client.post('/api/patients', { firstName: 'Tom', lastName: 'Transferred', yearOfBirth: 1966 })).json().patient;
    const members = (await w.orgOwner.get(`/api/organisations/${w.orgId}/members`)).json().members as Array<{ id: string; accountId: string }>;
    const from = members.find((m) => m.accountId === owner.accountId)!.id;
    const to = members.find((m) => m.accountId === w.people.colleague.accountId)!.id;
    const res = await w.orgOwner.post(`/api/organisations/${w.orgId}/members/${from}/transfer`, { toMemberId: to, patientIds: [p.id], exerciseIds: [], templateIds: [] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ patients: 1 });
    expect((await w.people.colleague.client.get(`/api/patients/${p.id}`)).statusCode).toBe(200);
    expect(await records('patient.transferred', p.id)).toHaveLength(1);
  });

  it('removing a logo that is not there answers as before and records no change', async () => {
    const { client, accountId } = w.people.colleague;
    const res = await client.delete('/api/account/logo');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().account.hasLogo).toBe(false);
    expect(await records('request.unchanged', accountId)).toEqual([expect.objectContaining({ details: { reason: 'no_logo' } })]);
    expect(await records('account.logo_removed', accountId)).toEqual([]);
  });

  it('an admin with Practice defaults saves them and is answered without prices or the billing contact (R-ORG-3)', async () => {
    const admin = await joinedMember(t, w.orgOwner, w.orgId, { name: 'Dora Defaults', practitioner: false, sections: ['defaults'] });
    const res = await admin.client.put(`/api/organisations/${w.orgId}/defaults`, { name: 'Riverside Physiotherapy', address: '1 River Street', phone: null, email: null, website: null });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().organisation).toMatchObject({ billingContactEmail: null, licences: null });
    const owner = await w.orgOwner.put(`/api/organisations/${w.orgId}/defaults`, { name: 'Riverside Physiotherapy', address: '1 River Street', phone: null, email: null, website: null });
    expect(owner.json().organisation.licences).toMatchObject({ unitPriceMinor: expect.any(Number) });
  });
});

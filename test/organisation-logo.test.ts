import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { practiceLogoFor } from '../src/organisations/logo.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import type { Client } from './support/client.ts';
import { joinedMember, organisationWithOwner, verifiedClient } from './support/factories.ts';
import { BOUNDARY, multipart } from './support/multipart.ts';

// R-ORG-4: the practice logo is a Practice default, set in the console by the owner or an admin with
// the Practice defaults section (R-ORG-3); the patient's handout and page show it (R-ENG-8).

describe('the practice logo in Practice defaults (R-ORG-4)', () => {
  let t: TestApp;
  let redPng: Buffer;
  let bluePng: Buffer;
  beforeAll(async () => {
    t = await createTestApp({ runJobs: false });
    redPng = await sharp({ create: { width: 1200, height: 600, channels: 3, background: { r: 220, g: 20, b: 20 } } }).png().toBuffer();
    bluePng = await sharp({ create: { width: 300, height: 100, channels: 3, background: { r: 20, g: 20, b: 220 } } }).png().toBuffer();
  });
  afterAll(async () => {
    await t?.close();
  });

  const logoFile = (data: Buffer | string, type = 'image/png', filename = 'logo.png') => multipart([{ name: 'logo', filename, type, data }]);

  function upload(c: Client, url: string, payload: Buffer) {
    return t.app.inject({
      method: 'PUT',
      url,
      payload,
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, cookie: c.cookie!, 'x-csrf-token': c.csrfToken!, 'user-agent': c.userAgent },
    });
  }

  const logoUrl = (orgId: string) => `/api/organisations/${orgId}/defaults/logo`;

  async function storedLogo(c: Client, orgId: string): Promise<Buffer | null> {
    const res = await c.get(logoUrl(orgId));
    return res.statusCode === 200 ? res.rawPayload : null;
  }

  function auditOf(orgId: string, action: string) {
    return t.database.db
      .selectFrom('audit_log')
      .select(['account_id', 'organisation_id', 'outcome', 'details'])
      .where('action', '=', action)
      .where('target_id', '=', orgId)
      .orderBy('id')
      .execute()
      .then((rows) => rows.map((r) => ({ ...r, details: typeof r.details === 'string' ? JSON.parse(r.details) : r.details })));
  }

  it('the owner uploads a logo: stored resized, shown back, and recorded as a change of the defaults (R-AUD-1)', async () => {
    const { owner, orgId } = await organisationWithOwner(t);
    expect((await owner.client.get(`/api/organisations/${orgId}`)).json().organisation.hasLogo).toBe(false);
    const res = await upload(owner.client, logoUrl(orgId), logoFile(redPng));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().organisation.hasLogo).toBe(true);
    expect((await owner.client.get(`/api/organisations/${orgId}`)).json().organisation.hasLogo).toBe(true);

    const logo = await owner.client.get(logoUrl(orgId));
    expect(logo.statusCode).toBe(200);
    expect(logo.headers['content-type']).toBe('image/png');
    expect(logo.headers['cache-control']).toBe('private, no-cache');
    const meta = await sharp(logo.rawPayload).metadata();
    expect([meta.width, meta.height]).toEqual([512, 256]);

    expect(await auditOf(orgId, 'organisation.defaults_updated')).toEqual([{ account_id: owner.accountId, organisation_id: orgId, outcome: 'success', details: { fields: ['logo'] } }]);
  });

  it('a file over 2 MB gets 413 and a file that is not the image it claims 415; nothing is stored and an earlier logo is kept', async () => {
    const { owner, orgId } = await organisationWithOwner(t);
    const big = await upload(owner.client, logoUrl(orgId), logoFile(randomBytes(2.5 * 1024 * 1024)));
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('payload_too_large');
    const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#3366cc' } }).jpeg().toBuffer();
    for (const payload of [logoFile(jpeg), logoFile('Not a picture.\n', 'image/png', 'notes.png'), logoFile('GIF89a', 'image/gif', 'logo.gif')]) {
      const res = await upload(owner.client, logoUrl(orgId), payload);
      expect(res.statusCode, res.body).toBe(415);
      expect(res.json().error.code).toBe('unsupported_media_type');
    }
    expect(await storedLogo(owner.client, orgId)).toBeNull();
    expect(await auditOf(orgId, 'organisation.defaults_updated')).toEqual([]);

    expect((await upload(owner.client, logoUrl(orgId), logoFile(bluePng))).statusCode).toBe(200);
    const kept = await storedLogo(owner.client, orgId);
    expect((await upload(owner.client, logoUrl(orgId), logoFile(randomBytes(2.5 * 1024 * 1024)))).statusCode).toBe(413);
    expect((await upload(owner.client, logoUrl(orgId), logoFile(jpeg))).statusCode).toBe(415);
    expect(await storedLogo(owner.client, orgId)).toEqual(kept);
  });

  it('an admin with Practice defaults may set it; a Users-only admin is refused (403) and a stranger does not find the organisation (R-ORG-3)', async () => {
    const { owner, orgId } = await organisationWithOwner(t);
    const defaultsAdmin = await joinedMember(t, owner.client, orgId, { name: 'Dora Defaults', practitioner: false, sections: ['defaults'] });
    const usersAdmin = await joinedMember(t, owner.client, orgId, { name: 'Uma Users', practitioner: false, sections: ['users'] });
    const stranger = await verifiedClient(t, 'Stella Stranger');

    const set = await upload(defaultsAdmin.client, logoUrl(orgId), logoFile(redPng));
    expect(set.statusCode, set.body).toBe(200);
    // The admin is answered as the console shows them the organisation: no prices (R-ORG-3).
    expect(set.json().organisation.licences).toBeNull();
    const before = await storedLogo(owner.client, orgId);
    expect(before).not.toBeNull();

    for (const res of [await upload(usersAdmin.client, logoUrl(orgId), logoFile(bluePng)), await usersAdmin.client.delete(logoUrl(orgId)), await usersAdmin.client.get(logoUrl(orgId))]) {
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('section_required');
    }
    for (const res of [await upload(stranger.client, logoUrl(orgId), logoFile(bluePng)), await stranger.client.delete(logoUrl(orgId)), await stranger.client.get(logoUrl(orgId))]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    expect(await storedLogo(owner.client, orgId)).toEqual(before);
    // The refusals are in the trail too (R-AUD-1).
    const denied = await t.database.db.selectFrom('audit_log').select('details').where('action', '=', 'access.denied').where('account_id', '=', usersAdmin.accountId).execute();
    expect(denied).toHaveLength(3);
  });

  it('removing it is recorded; removing it again records no change', async () => {
    const { owner, orgId } = await organisationWithOwner(t);
    expect((await upload(owner.client, logoUrl(orgId), logoFile(redPng))).statusCode).toBe(200);
    const removed = await owner.client.delete(logoUrl(orgId));
    expect(removed.statusCode).toBe(200);
    expect(removed.json().organisation.hasLogo).toBe(false);
    const gone = await owner.client.get(logoUrl(orgId));
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('not_found');
    expect((await owner.client.delete(logoUrl(orgId))).statusCode).toBe(200);

    expect((await auditOf(orgId, 'organisation.defaults_updated')).map((r) => r.details)).toEqual([{ fields: ['logo'] }, { fields: ['logo'] }]);
    expect((await auditOf(orgId, 'request.unchanged')).map((r) => r.details)).toEqual([{ reason: 'no_logo' }]);
  });

  it('patients see the organisation’s logo where they are treated in it, else their practitioner’s own, else none', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const pia = await joinedMember(t, owner.client, orgId, { name: 'Pia Practitioner', buyLicence: true });
    const q = t.database.db;
    const inOrganisation = { organisationId: orgId, ownerAccountId: pia.accountId };
    const ownPractice = { organisationId: null, ownerAccountId: pia.accountId };
    expect(await practiceLogoFor(q, inOrganisation)).toBeNull();

    expect((await upload(pia.client, '/api/account/logo', logoFile(bluePng))).statusCode).toBe(200);
    const own = (await pia.client.get('/api/account/logo')).rawPayload;
    expect(await practiceLogoFor(q, inOrganisation)).toEqual({ mimeType: 'image/png', data: own });

    expect((await upload(owner.client, logoUrl(orgId), logoFile(redPng))).statusCode).toBe(200);
    const organisations = (await owner.client.get(logoUrl(orgId))).rawPayload;
    expect(await practiceLogoFor(q, inOrganisation)).toEqual({ mimeType: 'image/png', data: organisations });
    // A patient of hers treated outside the organisation keeps her own logo.
    expect(await practiceLogoFor(q, ownPractice)).toEqual({ mimeType: 'image/png', data: own });

    expect((await owner.client.delete(logoUrl(orgId))).statusCode).toBe(200);
    expect(await practiceLogoFor(q, inOrganisation)).toEqual({ mimeType: 'image/png', data: own });
    expect((await pia.client.delete('/api/account/logo')).statusCode).toBe(200);
    expect(await practiceLogoFor(q, inOrganisation)).toBeNull();
  });
});

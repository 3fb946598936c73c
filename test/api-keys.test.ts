import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompiledQuery } from 'kysely';
import pg from 'pg';
import { z } from 'zod';
import { recordAudit } from '../src/audit/record.ts';
import { verifyAuditChain } from '../src/audit/verify.ts';
import { decryptSecret, sha256 } from '../src/platform/crypto.ts';
import { inTransaction } from '../src/platform/db/database.ts';
import { defineContract } from '../src/platform/http/contract.ts';
import { auditActorOf } from '../src/platform/http/context.ts';
import { route } from '../src/platform/http/route.ts';
import { ApiKeyClient, createApiKey, createOrgApiKey } from './support/api-keys.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { joinedMember, organisationWithOwner, verifiedClient } from './support/factories.ts';

// Motus API keys (SPEC R-INT-3) and PMS links (R-INT-1), through the key machinery every
// apiKey:… route goes through. Routes registered only here stand in for callers of each kind:
// a practitioner-scope read and write, and an organisation's console read.

const whoami = defineContract({
  method: 'GET',
  path: '/api/key-probe/whoami',
  access: 'apiKey:patients.read',
  tags: ['probe'],
  summary: 'Who a key acts as',
  response: z.object({ accountId: z.string(), sessionId: z.string().nullable(), keyId: z.string(), prefix: z.string(), kind: z.string(), organisationId: z.string().nullable() }),
});

const keyedWrite = defineContract({
  method: 'POST',
  path: '/api/key-probe/write',
  access: 'apiKey:patients.write',
  tags: ['probe'],
  summary: 'A write made with a key, leaving one audit record',
  body: z.strictObject({ note: z.string() }),
  example: { note: 'probe' },
  response: z.object({ ok: z.boolean() }),
});

const consoleRead = defineContract({
  method: 'GET',
  path: '/api/key-probe/console',
  access: 'apiKey:console.read',
  tags: ['probe'],
  summary: 'The console as an organisation key reads it',
  response: z.object({ accountId: z.string(), organisationId: z.string(), sections: z.array(z.string()), keyKind: z.string() }),
});

function probeRoutes(app: () => TestApp) {
  return (fastify: FastifyInstance) => {
    route(fastify, whoami, (ctx) => ({
      accountId: ctx.actor.accountId,
      sessionId: ctx.actor.sessionId,
      keyId: ctx.apiKey.keyId,
      prefix: ctx.apiKey.prefix,
      kind: ctx.apiKey.kind,
      organisationId: ctx.apiKey.organisationId,
    }));
    route(fastify, keyedWrite, async (ctx, { body }) => {
      const t = app();
      await inTransaction(t.database.db, (tx) => recordAudit(tx, t.clock, auditActorOf(ctx), { action: 'request.unchanged', targetType: 'probe', targetId: body.note, details: { reason: 'probe' } }));
      return { ok: true };
    });
    route(fastify, consoleRead, (ctx) => ({ accountId: ctx.actor.accountId, organisationId: ctx.org.organisationId, sections: ctx.org.sections, keyKind: ctx.apiKey.kind }));
  };
}

const PRACTITIONER_SCOPES = ['patients.read', 'patients.write', 'programmes.assign', 'engagement.read'];

async function makeKey(client: Client, body: Record<string, unknown> = {}) {
  const res = await client.post('/api/me/api-keys', { name: 'Practice PMS', scopes: PRACTITIONER_SCOPES, expiresAt: null, organisationId: null, ...body });
  expect(res.statusCode, res.body).toBe(201);
  const { key, token } = res.json() as { key: { id: string; prefix: string }; token: string };
  return { id: key.id, prefix: key.prefix, token, answer: res.json() };
}

function expectError(res: { statusCode: number; json: () => unknown; body: string }, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect((res.json() as { error: { code: string } }).error.code).toBe(code);
}

/** A practitioner working in an organisation (licence bought by its owner, who has a card on file). */
async function orgWithPractitioner(t: TestApp, name = 'Riverside Physio') {
  const org = await organisationWithOwner(t, { card: true, name });
  const pia = await joinedMember(t, org.owner.client, org.orgId, { name: 'Pia Physio', buyLicence: true });
  return { ...org, pia };
}

/** An invitation sent but not yet accepted (a licence is bought for it at the quoted price). */
async function invite(owner: Client, orgId: string, email: string, name: string) {
  const quote = (await owner.get(`/api/organisations/${orgId}/licences/quote?quantity=1`)).json().quote.amountMinor as number;
  const res = await owner.post(`/api/organisations/${orgId}/invitations`, { name, email, practitioner: true, confirmedChargeMinor: quote });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().member.id as string;
}

const LINK = { pmsName: 'Medatixx', pmsToken: 'pms-secret-token-4f1c9a7e2b' };

describe('API keys (R-INT-3)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ runJobs: false, extraRoutes: probeRoutes(() => t) });
    t.clock.set('2026-12-03T09:00:00Z');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('R-INT-3: a key is shown once, lists show its prefix and use, and only its SHA-256 is stored', async () => {
    const pia = await verifiedClient(t, 'Pia Physio');
    expect((await pia.client.post('/api/me/subscription/trial')).statusCode).toBe(201);
    const made = await makeKey(pia.client, { name: 'Cliniko sync', scopes: ['patients.read', 'engagement.read'] });
    expect(made.token).toMatch(/^motus_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(made.token.startsWith(`${made.prefix}_`)).toBe(true);
    expect(made.answer.key).toMatchObject({ kind: 'practitioner', name: 'Cliniko sync', scopes: ['patients.read', 'engagement.read'], organisationId: null, ownerName: 'Pia Physio', status: 'active', lastUsedAt: null, lastUsedIp: null, forPmsLink: false });

    const before = (await pia.client.get('/api/me/api-keys')).json().keys;
    expect(before).toHaveLength(1);
    expect(JSON.stringify(before)).not.toContain(made.token.slice(made.prefix.length + 1));

    const pms = new ApiKeyClient(t, made.token, { ip: '198.51.100.7' });
    const who = await pms.get('/api/key-probe/whoami');
    expect(who.statusCode, who.body).toBe(200);
    expect(who.json()).toEqual({ accountId: pia.accountId, sessionId: null, keyId: made.id, prefix: made.prefix, kind: 'practitioner', organisationId: null });

    const listed = (await pia.client.get('/api/me/api-keys')).json().keys;
    expect(listed).toEqual([expect.objectContaining({ id: made.id, prefix: made.prefix, name: 'Cliniko sync', scopes: ['patients.read', 'engagement.read'], lastUsedAt: t.clock.now().toISOString(), lastUsedIp: '198.51.100.7' })]);
    expect(Object.keys(listed[0]).sort()).toEqual(['createdAt', 'expiresAt', 'forPmsLink', 'id', 'kind', 'lastUsedAt', 'lastUsedIp', 'name', 'organisationId', 'ownerName', 'prefix', 'revokedAt', 'scopes', 'status']);
    expect(JSON.stringify(listed)).not.toContain(made.token.slice(made.prefix.length + 1));

    // The database holds the hash of the whole key, and not the key's bytes in any column.
    const row = await t.database.db.selectFrom('api_keys').selectAll().where('id', '=', made.id).executeTakeFirstOrThrow();
    expect(Buffer.from(row.token_hash).equals(sha256(made.token))).toBe(true);
    const secret = made.token.slice(made.prefix.length + 1);
    for (const value of Object.values(row)) {
      if (value === null || value instanceof Date) continue;
      const bytes = Buffer.isBuffer(value) || value instanceof Uint8Array ? Buffer.from(value) : Buffer.from(JSON.stringify(value));
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }
    // Nor does any audit record hold it.
    const audit = await t.database.db.selectFrom('audit_log').select('details').where('account_id', '=', pia.accountId).execute();
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('R-INT-3, R-AUD-2: each keyed request is recorded against the key and its owner, with no session, and the chains still verify', async () => {
    const { pia, orgId } = await orgWithPractitioner(t);
    const made = await makeKey(pia.client, { organisationId: orgId });
    const pms = new ApiKeyClient(t, made.token);
    const wrote = await pms.post('/api/key-probe/write', { note: 'first' });
    expect(wrote.statusCode, wrote.body).toBe(200);
    // The real public API too: a patient list is recorded with the key.
    expect((await pia.client.post('/api/patients', { firstName: 'Kit', lastName: 'Keyed', yearOfBirth: 1970, organisationId: orgId })).statusCode).toBe(201);
    const listed = await pms.get('/api/v1/patients');
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().patients.map((p: { firstName: string }) => p.firstName)).toEqual(['Kit']);

    const records = await t.database.db.selectFrom('audit_log').selectAll().where('api_key_id', '=', made.id).orderBy('id').execute();
    expect(records.map((r) => r.action)).toEqual(['request.unchanged', 'patient.listed']);
    for (const r of records) {
      expect(r).toMatchObject({ account_id: pia.accountId, session_id: null, api_key_id: made.id, ip: '198.51.100.20', user_agent: 'TestPMS/1.0', outcome: 'success' });
      expect(r.request_id).toBeTruthy();
    }
    // Records made with a session name no key.
    const created = await t.database.db.selectFrom('audit_log').select(['api_key_id', 'session_id']).where('action', '=', 'api_key.created').where('target_id', '=', made.id).executeTakeFirstOrThrow();
    expect(created.api_key_id).toBeNull();
    expect(created.session_id).not.toBeNull();

    const report = await verifyAuditChain(t.database.db);
    expect(report).toMatchObject({ ok: true, broken: [] });
    expect(report.recordsChecked).toBeGreaterThan(records.length);
  });

  it('R-INT-3: a revoked key answers 401 api_key_revoked on its next request; an expired one 401 api_key_expired', async () => {
    const pia = await verifiedClient(t, 'Pia Physio');
    expect((await pia.client.post('/api/me/subscription/trial')).statusCode).toBe(201);
    const doomed = await makeKey(pia.client);
    const pms = new ApiKeyClient(t, doomed.token);
    expect((await pms.get('/api/key-probe/whoami')).statusCode).toBe(200);
    const revoked = await pia.client.delete(`/api/me/api-keys/${doomed.id}`);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json().key).toMatchObject({ status: 'revoked', revokedAt: t.clock.now().toISOString() });
    const after = await pms.get('/api/key-probe/whoami');
    expectError(after, 401, 'api_key_revoked');
    expect(after.json().error.details).toMatchObject({ rule: 'R-INT-3' });
    // Another person cannot revoke (or learn of) the key.
    const other = await verifiedClient(t, 'Otto Other');
    expectError(await other.client.delete(`/api/me/api-keys/${doomed.id}`), 404, 'not_found');

    const expiresAt = new Date(t.clock.now().getTime() + 1_800_000).toISOString();
    const brief = await makeKey(pia.client, { expiresAt });
    const briefPms = new ApiKeyClient(t, brief.token);
    expect((await briefPms.get('/api/key-probe/whoami')).statusCode).toBe(200);
    t.clock.advance(1_799_000);
    expect((await briefPms.get('/api/key-probe/whoami')).statusCode).toBe(200);
    t.clock.advance(1000);
    expectError(await briefPms.get('/api/key-probe/whoami'), 401, 'api_key_expired');
    const listed = (await pia.client.get('/api/me/api-keys')).json().keys as Array<{ id: string; status: string }>;
    expect(Object.fromEntries(listed.map((k) => [k.id, k.status]))).toMatchObject({ [doomed.id]: 'revoked', [brief.id]: 'expired' });
  });

  it('R-INT-3: no key, a garbage key, an unknown key of the right shape and a session cookie all get 401', async () => {
    const pia = await verifiedClient(t, 'Pia Physio');
    expect((await pia.client.post('/api/me/subscription/trial')).statusCode).toBe(201);
    const made = await makeKey(pia.client);
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/key-probe/whoami' });
    expectError(anonymous, 401, 'unauthenticated');
    expectError(await new ApiKeyClient(t, 'not-a-key-at-all-0123456789').get('/api/key-probe/whoami'), 401, 'unauthenticated');
    // One character changed: the shape is right, the hash is unknown.
    const last = made.token.at(-1) === 'A' ? 'B' : 'A';
    expectError(await new ApiKeyClient(t, made.token.slice(0, -1) + last).get('/api/key-probe/whoami'), 401, 'unauthenticated');
    expectError(await t.app.inject({ method: 'GET', url: '/api/key-probe/whoami', headers: { authorization: `Basic ${made.token}` } }), 401, 'unauthenticated');
    // A session is no key: the API answers only to keys.
    expectError(await pia.client.get('/api/key-probe/whoami'), 401, 'unauthenticated');
    expectError(await pia.client.get('/api/v1/patients'), 401, 'unauthenticated');
  });

  it('R-INT-3, R-AUD-1: a key without the scope gets 403 api_key_scope, recorded as access.denied against the key', async () => {
    const pia = await verifiedClient(t, 'Pia Physio');
    expect((await pia.client.post('/api/me/subscription/trial')).statusCode).toBe(201);
    const reader = await makeKey(pia.client, { scopes: ['patients.read'] });
    const pms = new ApiKeyClient(t, reader.token);
    const refused = await pms.post('/api/key-probe/write', { note: 'nope' });
    expectError(refused, 403, 'api_key_scope');
    expect(refused.json().error.details).toMatchObject({ rule: 'R-INT-3', scope: 'patients.write' });
    expectError(await pms.put('/api/v1/patients/by-pms-id/P-1', { firstName: 'No', lastName: 'Way', yearOfBirth: 1960 }), 403, 'api_key_scope');
    const denied = await t.database.db.selectFrom('audit_log').selectAll().where('api_key_id', '=', reader.id).where('action', '=', 'access.denied').orderBy('id').execute();
    expect(denied.map((d) => [d.outcome, d.account_id, d.session_id, d.details])).toEqual([
      ['denied', pia.accountId, null, { method: 'POST', route: '/api/key-probe/write', code: 'api_key_scope' }],
      ['denied', pia.accountId, null, { method: 'PUT', route: '/api/v1/patients/by-pms-id/:pmsId', code: 'api_key_scope' }],
    ]);
    // Nothing was written for the refused requests.
    expect(await t.database.db.selectFrom('patients').select('id').where('owner_account_id', '=', pia.accountId).execute()).toEqual([]);
    // The scope it holds still works.
    expect((await pms.get('/api/key-probe/whoami')).statusCode).toBe(200);
  });

  it("R-INT-3, R-PRA-4: a key limited to a practice follows its owner's standing there: access removed 403, unpaid 402, left 403", async () => {
    const { owner, orgId, pia } = await orgWithPractitioner(t);
    const made = await makeKey(pia.client, { organisationId: orgId });
    expect(made.answer.key.organisationId).toBe(orgId);
    const pms = new ApiKeyClient(t, made.token);
    expect((await pms.get('/api/key-probe/whoami')).json()).toMatchObject({ accountId: pia.accountId, organisationId: orgId });

    expect((await owner.client.post(`/api/organisations/${orgId}/members/${pia.memberId}/remove-access`)).statusCode).toBe(200);
    const removed = await pms.get('/api/key-probe/whoami');
    expectError(removed, 403, 'access_removed');
    expect(removed.json().error.details).toMatchObject({ rule: 'R-PRA-4' });
    const denied = await t.database.db.selectFrom('audit_log').select(['account_id', 'details']).where('api_key_id', '=', made.id).where('action', '=', 'access.denied').execute();
    expect(denied).toEqual([{ account_id: pia.accountId, details: expect.objectContaining({ code: 'access_removed' }) }]);
    expect((await owner.client.post(`/api/organisations/${orgId}/members/${pia.memberId}/grant-access`, { reactivateProgrammes: false })).statusCode).toBe(200);
    expect((await pms.get('/api/key-probe/whoami')).statusCode).toBe(200);

    // R-LIC-7: an organisation with an unpaid invoice stops its practitioners' keys as it stops their sessions.
    await t.database.db.updateTable('organisations').set({ status: 'payment_required' }).where('id', '=', orgId).execute();
    const unpaid = await pms.get('/api/key-probe/whoami');
    expectError(unpaid, 402, 'payment_required');
    expect(unpaid.json().error.details).toMatchObject({ rule: 'R-LIC-7' });
    await t.database.db.updateTable('organisations').set({ status: 'active' }).where('id', '=', orgId).execute();
    expect((await pms.get('/api/key-probe/whoami')).statusCode).toBe(200);

    // R-PRA-6: removed from the organisation, the keys limited to it end with the membership, and
    // its PMS link with them: invited again, the person starts without them.
    const link = await owner.client.put(`/api/organisations/${orgId}/members/${pia.memberId}/pms-link`, LINK);
    expect(link.statusCode, link.body).toBe(200);
    const linked = new ApiKeyClient(t, link.json().token);
    expect((await linked.get('/api/key-probe/whoami')).statusCode).toBe(200);
    expect((await owner.client.post(`/api/organisations/${orgId}/members/${pia.memberId}/remove`, { removeLicence: false })).statusCode).toBe(200);
    expectError(await pms.get('/api/key-probe/whoami'), 401, 'api_key_revoked');
    expectError(await linked.get('/api/key-probe/whoami'), 401, 'api_key_revoked');
    const ended = await t.database.db.selectFrom('api_keys').select(['revoked_reason']).where('account_id', '=', pia.accountId).orderBy('revoked_reason').execute();
    expect(ended).toEqual([{ revoked_reason: 'revoked' }, { revoked_reason: 'unlinked' }]);
    expect((await owner.client.get(`/api/organisations/${orgId}/pms-links`)).json().links).toEqual([]);
  });

  it("R-INT-3: a key limited to a practice its owner no longer has a membership in answers 403 api_key_practice_left", async () => {
    const { orgId, pia } = await orgWithPractitioner(t, 'Leftover Physio');
    const made = await makeKey(pia.client, { organisationId: orgId });
    // The membership row gone some other way than a removal (an operator's clean-up): the key is refused all the same.
    await t.database.db.updateTable('memberships').set({ state: 'declined' }).where('id', '=', pia.memberId).execute();
    const left = await new ApiKeyClient(t, made.token).get('/api/key-probe/whoami');
    expectError(left, 403, 'api_key_practice_left');
    expect(left.json().error.details).toMatchObject({ rule: 'R-INT-3' });
  });

  it('R-INT-3: a key for every practice follows the licence as a session does', async () => {
    const { owner, orgId, pia } = await orgWithPractitioner(t);
    const made = await makeKey(pia.client);
    const pms = new ApiKeyClient(t, made.token);
    expect((await pms.get('/api/key-probe/whoami')).statusCode).toBe(200);
    expect((await owner.client.post(`/api/organisations/${orgId}/members/${pia.memberId}/remove-access`)).statusCode).toBe(200);
    // The practitioner's only licence came from that organisation: refused as the session is.
    expectError(await pia.client.get('/api/patients'), 403, 'access_removed');
    expectError(await pms.get('/api/key-probe/whoami'), 403, 'access_removed');
  });

  it('R-INT-3: a key can be limited only to a practice its maker works in, and cannot expire in the past', async () => {
    const { pia } = await orgWithPractitioner(t);
    const elsewhere = await organisationWithOwner(t, { name: 'Elsewhere Clinic' });
    const foreign = await pia.client.post('/api/me/api-keys', { name: 'X', scopes: ['patients.read'], expiresAt: null, organisationId: elsewhere.orgId });
    expectError(foreign, 400, 'validation_failed');
    expect(foreign.json().error.details).toEqual([expect.objectContaining({ path: 'body.organisationId' })]);
    const unknown = await pia.client.post('/api/me/api-keys', { name: 'X', scopes: ['patients.read'], expiresAt: null, organisationId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.json().error.details).toEqual([expect.objectContaining({ path: 'body.organisationId' })]);
    const past = await pia.client.post('/api/me/api-keys', { name: 'X', scopes: ['patients.read'], expiresAt: new Date(t.clock.now().getTime() - 1000).toISOString(), organisationId: null });
    expectError(past, 400, 'validation_failed');
    expect(past.json().error.details).toEqual([expect.objectContaining({ path: 'body.expiresAt' })]);
    // A practitioner key never reads the console; nothing was made by the refused requests.
    expectError(await pia.client.post('/api/me/api-keys', { name: 'X', scopes: ['console.read'], expiresAt: null, organisationId: null }), 400, 'validation_failed');
    expect((await pia.client.get('/api/me/api-keys')).json().keys).toEqual([]);
  });

  it("R-INT-3: an organisation key is made by the owner or a Users admin, reads only the console, and follows its maker's sections", async () => {
    const { owner, orgId, pia } = await orgWithPractitioner(t);
    const ada = await joinedMember(t, owner.client, orgId, { name: 'Ada Admin', practitioner: false, sections: ['users'] });

    // A member without the Users section cannot make one.
    expectError(await pia.client.post(`/api/organisations/${orgId}/api-keys`, { name: 'Mine', expiresAt: null }), 403, 'section_required');
    expectError(await owner.client.post(`/api/organisations/${orgId}/api-keys`, { name: 'Wide', expiresAt: null, scopes: ['patients.read'] }), 400, 'validation_failed');

    const byOwner = await createOrgApiKey(owner.client, orgId, 'Owner reporting');
    const made = await owner.client.post(`/api/organisations/${orgId}/api-keys`, { name: 'Admin reporting', expiresAt: null });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json().key).toMatchObject({ kind: 'organisation', scopes: ['console.read'], organisationId: orgId, ownerName: 'Olivia Owner' });
    const byAda = (await ada.client.post(`/api/organisations/${orgId}/api-keys`, { name: 'Ada reporting', expiresAt: null })).json() as { key: { id: string }; token: string };
    expect(byAda.token).toMatch(/^motus_/);

    const ownerKey = new ApiKeyClient(t, byOwner);
    const read = await ownerKey.get('/api/key-probe/console');
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toMatchObject({ accountId: owner.accountId, organisationId: orgId, keyKind: 'organisation' });
    const adaKey = new ApiKeyClient(t, byAda.token);
    expect((await adaKey.get('/api/key-probe/console')).json()).toMatchObject({ accountId: ada.accountId, organisationId: orgId, sections: ['users'] });

    // A console key on a practitioner route: refused, recorded against the key.
    expectError(await ownerKey.get('/api/key-probe/whoami'), 403, 'api_key_scope');
    expectError(await ownerKey.get('/api/v1/patients'), 403, 'api_key_scope');
    // A practitioner key on a console route: refused.
    const piaKey = new ApiKeyClient(t, await createApiKey(t, pia.client, { organisationId: orgId }));
    expectError(await piaKey.get('/api/key-probe/console'), 403, 'api_key_scope');

    // The organisation's keys (and its practitioners' keys for it) are listed for Users admins.
    const list = (await ada.client.get(`/api/organisations/${orgId}/api-keys`)).json().keys as Array<{ kind: string; name: string }>;
    expect(list.map((k) => `${k.kind}:${k.name}`).sort()).toEqual(['organisation:Ada reporting', 'organisation:Admin reporting', 'organisation:Owner reporting', 'practitioner:Test PMS']);
    expectError(await pia.client.get(`/api/organisations/${orgId}/api-keys`), 403, 'section_required');

    // The maker loses the Users section: the key stops on its next request.
    expect((await owner.client.put(`/api/organisations/${orgId}/members/${ada.memberId}/roles`, { admin: true, sections: ['audit'] })).statusCode).toBe(200);
    expectError(await adaKey.get('/api/key-probe/console'), 403, 'section_required');
    // Removed from the organisation altogether, the keys the maker made there end with the membership.
    expect((await owner.client.post(`/api/organisations/${orgId}/members/${ada.memberId}/remove`, { removeLicence: false })).statusCode).toBe(200);
    expectError(await adaKey.get('/api/key-probe/console'), 401, 'api_key_revoked');

    // Another organisation's admin cannot revoke the key (404); the owner can, at once.
    const other = await organisationWithOwner(t, { name: 'Other Clinic' });
    expectError(await other.owner.client.delete(`/api/organisations/${other.orgId}/api-keys/${made.json().key.id}`), 404, 'not_found');
    const revoked = await owner.client.delete(`/api/organisations/${orgId}/api-keys/${made.json().key.id}`);
    expect(revoked.json().key.status).toBe('revoked');
    expectError(await new ApiKeyClient(t, made.json().token).get('/api/key-probe/console'), 401, 'api_key_revoked');
    expect((await ownerKey.get('/api/key-probe/console')).statusCode).toBe(200);
  });

  it('R-INT-1: a PMS link waits for the invitation to be accepted, stores the PMS token encrypted and issues a key for the practice', async () => {
    const { owner, orgId } = await organisationWithOwner(t, { card: true });
    const ada = await joinedMember(t, owner.client, orgId, { name: 'Ada Admin', practitioner: false, sections: ['users'] });
    const sam = await verifiedClient(t, 'Sam Okafor');
    const samMember = await invite(owner.client, orgId, sam.email, 'Sam Okafor');

    const early = await ada.client.put(`/api/organisations/${orgId}/members/${samMember}/pms-link`, LINK);
    expectError(early, 409, 'invitation_not_accepted');
    expect(early.json().error.details).toMatchObject({ rule: 'R-INT-1' });
    expect(await t.database.db.selectFrom('api_keys').select('id').where('account_id', '=', sam.accountId).execute()).toEqual([]);

    expect((await sam.client.post(`/api/invitations/${samMember}/accept`)).statusCode).toBe(200);
    const linked = await ada.client.put(`/api/organisations/${orgId}/members/${samMember}/pms-link`, LINK);
    expect(linked.statusCode, linked.body).toBe(200);
    const { link, token } = linked.json() as { link: { id: string; apiKey: { id: string; organisationId: string; forPmsLink: boolean; ownerName: string } }; token: string };
    expect(token).toMatch(/^motus_[a-z0-9]{8}_/);
    expect(link).toMatchObject({ organisationId: orgId, memberId: samMember, practitionerName: 'Sam Okafor', pmsName: 'Medatixx', tokenStored: true });
    expect(link.apiKey).toMatchObject({ organisationId: orgId, forPmsLink: true, ownerName: 'Sam Okafor', kind: 'practitioner' });
    expect(linked.body).not.toContain(LINK.pmsToken);

    // The key acts as the practitioner, in the practice.
    const pms = new ApiKeyClient(t, token);
    expect((await pms.get('/api/key-probe/whoami')).json()).toMatchObject({ accountId: sam.accountId, organisationId: orgId, keyId: link.apiKey.id });

    // The PMS token is encrypted at rest, bound to its link, and in no answer or record.
    const row = await t.database.db.selectFrom('pms_links').selectAll().where('id', '=', link.id).executeTakeFirstOrThrow();
    const sealed = Buffer.from(row.token_ciphertext);
    expect(sealed.includes(Buffer.from(LINK.pmsToken))).toBe(false);
    expect(decryptSecret(t.config.dataEncryptionKey, sealed, `pms_link:${link.id}`)).toBe(LINK.pmsToken);
    expect(() => decryptSecret(t.config.dataEncryptionKey, sealed, 'pms_link:00000000-0000-4000-8000-000000000000')).toThrow();
    const lists = [await ada.client.get(`/api/organisations/${orgId}/pms-links`), await sam.client.get(`/api/organisations/${orgId}/pms-link`), await sam.client.get('/api/me/api-keys'), await ada.client.get(`/api/organisations/${orgId}/api-keys`)];
    for (const res of lists) {
      expect(res.statusCode, res.body).toBe(200);
      expect(res.body).not.toContain(LINK.pmsToken);
      expect(res.body).not.toContain(token.slice(15));
    }
    expect(lists[0]!.json().links).toEqual([expect.objectContaining({ id: link.id, memberId: samMember, pmsName: 'Medatixx', tokenStored: true })]);
    expect(Object.keys(lists[0]!.json().links[0]).sort()).toEqual(['apiKey', 'createdAt', 'id', 'memberId', 'organisationId', 'pmsName', 'practitionerName', 'tokenStored']);
    expect(lists[1]!.json().link).toMatchObject({ id: link.id });
    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('organisation_id', '=', orgId).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['pms.linked', 'api_key.created']));
    expect(JSON.stringify(audit)).not.toContain(LINK.pmsToken);
    expect(JSON.stringify(audit)).not.toContain(token.slice(15));
    expect(audit.find((a) => a.action === 'pms.linked')).toMatchObject({ account_id: ada.accountId, target_id: link.id, details: { membershipId: samMember, pmsName: 'Medatixx' } });

    // Another organisation's admin: the member id is not found.
    const other = await organisationWithOwner(t, { name: 'Other Clinic' });
    expectError(await other.owner.client.put(`/api/organisations/${other.orgId}/members/${samMember}/pms-link`, LINK), 404, 'not_found');
    expectError(await other.owner.client.delete(`/api/organisations/${other.orgId}/members/${samMember}/pms-link`), 404, 'not_found');
    // A member without the Users section cannot link someone else.
    expectError(await sam.client.put(`/api/organisations/${orgId}/members/${ada.memberId}/pms-link`, LINK), 403, 'section_required');

    // The admin unlinks: the key stops at once.
    expect((await ada.client.delete(`/api/organisations/${orgId}/members/${samMember}/pms-link`)).statusCode).toBe(204);
    expectError(await pms.get('/api/key-probe/whoami'), 401, 'api_key_revoked');
    expect((await ada.client.get(`/api/organisations/${orgId}/pms-links`)).json().links).toEqual([]);
    expect((await sam.client.get(`/api/organisations/${orgId}/pms-link`)).json().link).toBeNull();
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);
  });

  it('R-INT-1: a practitioner links themselves; linking again revokes the first key; unlinking revokes the second', async () => {
    const { orgId, pia } = await orgWithPractitioner(t);
    const first = await pia.client.put(`/api/organisations/${orgId}/pms-link`, LINK);
    expect(first.statusCode, first.body).toBe(200);
    const firstPms = new ApiKeyClient(t, first.json().token);
    expect((await firstPms.get('/api/key-probe/whoami')).json()).toMatchObject({ accountId: pia.accountId, organisationId: orgId });

    const second = await pia.client.put(`/api/organisations/${orgId}/pms-link`, { pmsName: 'Cliniko', pmsToken: 'another-pms-token-77aa', scopes: ['patients.read'] });
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json().link).toMatchObject({ pmsName: 'Cliniko', apiKey: { scopes: ['patients.read'] } });
    expect(second.json().link.id).not.toBe(first.json().link.id);
    expectError(await firstPms.get('/api/key-probe/whoami'), 401, 'api_key_revoked');
    const secondPms = new ApiKeyClient(t, second.json().token);
    expect((await secondPms.get('/api/key-probe/whoami')).statusCode).toBe(200);
    expectError(await secondPms.post('/api/key-probe/write', { note: 'x' }), 403, 'api_key_scope');
    const own = (await pia.client.get(`/api/organisations/${orgId}/pms-link`)).json().link;
    expect(own).toMatchObject({ id: second.json().link.id, memberId: pia.memberId, pmsName: 'Cliniko' });
    const revokedFirst = await t.database.db.selectFrom('api_keys').select(['revoked_at', 'revoked_reason']).where('id', '=', first.json().link.apiKey.id).executeTakeFirstOrThrow();
    expect(revokedFirst.revoked_reason).toBe('unlinked');

    expect((await pia.client.delete(`/api/organisations/${orgId}/pms-link`)).statusCode).toBe(204);
    expectError(await secondPms.get('/api/key-probe/whoami'), 401, 'api_key_revoked');
    // Unlinking again changes nothing and is still answered.
    expect((await pia.client.delete(`/api/organisations/${orgId}/pms-link`)).statusCode).toBe(204);
    const actions = await t.database.db.selectFrom('audit_log').select('action').where('account_id', '=', pia.accountId).where('organisation_id', '=', orgId).where('action', 'like', 'pms.%').orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(['pms.linked', 'pms.unlinked', 'pms.linked', 'pms.unlinked']);
  });
});

describe('API key rate limit (R-INT-3)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ runJobs: false, env: { API_KEY_REQUESTS_PER_MINUTE: '10' }, extraRoutes: probeRoutes(() => t) });
    t.clock.set('2026-12-03T09:00:00Z');
  });
  afterAll(async () => {
    await t?.close();
  });

  async function freshKey() {
    const pia = await verifiedClient(t, 'Pia Physio');
    expect((await pia.client.post('/api/me/subscription/trial')).statusCode).toBe(201);
    return { pia, ...(await makeKey(pia.client)) };
  }

  it('R-INT-3: the 11th request in a minute gets 429 with retry-after; a minute later the key works again', async () => {
    const { token } = await freshKey();
    const pms = new ApiKeyClient(t, token);
    for (let i = 0; i < 10; i++) {
      const res = await pms.get('/api/key-probe/whoami');
      expect(res.statusCode, `request ${i + 1}: ${res.body}`).toBe(200);
      t.clock.advance(1000);
    }
    const limited = await pms.get('/api/key-probe/whoami');
    expectError(limited, 429, 'rate_limited');
    // The window opened 10 seconds ago: 50 seconds are left.
    expect(limited.headers['retry-after']).toBe('50');
    // Another key of the same owner has its own count.
    const other = await freshKey();
    expect((await new ApiKeyClient(t, other.token).get('/api/key-probe/whoami')).statusCode).toBe(200);

    t.clock.advance(49_000);
    expectError(await pms.get('/api/key-probe/whoami'), 429, 'rate_limited');
    t.clock.advance(1000);
    expect((await pms.get('/api/key-probe/whoami')).statusCode).toBe(200);
  });

  it('R-INT-3: of 20 requests sent at once with a limit of 10, exactly 10 are served', async () => {
    const { token } = await freshKey();
    const pms = new ApiKeyClient(t, token);
    const answers = await Promise.all(Array.from({ length: 20 }, () => pms.get('/api/key-probe/whoami')));
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  });
});

describe('keyed audit records under the hash chain (R-INT-3, R-AUD-3)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ runJobs: false, extraRoutes: probeRoutes(() => t) });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('R-AUD-3: removing the key from a keyed record breaks its hash', async () => {
    const pia = await verifiedClient(t, 'Pia Physio');
    expect((await pia.client.post('/api/me/subscription/trial')).statusCode).toBe(201);
    const made = await makeKey(pia.client);
    expect((await new ApiKeyClient(t, made.token).post('/api/key-probe/write', { note: 'kept' })).statusCode).toBe(200);
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);
    const target = await t.database.db.selectFrom('audit_log').select(['id', 'chain', 'chain_seq']).where('api_key_id', '=', made.id).executeTakeFirstOrThrow();

    // As an operator with the database's own rights would: past the append-only trigger.
    const statement = 'update audit_log set api_key_id = null where id = $1';
    if (t.databaseUrl) {
      const client = new pg.Client({ connectionString: t.databaseUrl });
      await client.connect();
      try {
        await client.query('set session_replication_role = replica');
        await client.query(statement, [target.id]);
      } finally {
        await client.end();
      }
    } else {
      await t.database.db.transaction().execute(async (tx) => {
        await tx.executeQuery(CompiledQuery.raw('set local session_replication_role = replica'));
        await tx.executeQuery(CompiledQuery.raw(statement, [target.id]));
      });
    }
    const report = await verifyAuditChain(t.database.db);
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toEqual({ id: target.id, chain: target.chain, chainSeq: Number(target.chain_seq), reason: 'hash_mismatch' });
  });
});

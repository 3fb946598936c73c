import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createClient as generateClient } from '@hey-api/openapi-ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.ts';
import { ApiKeyClient, createApiKey, createOrgApiKey } from './support/api-keys.ts';
import { joinedMember, organisationWithOwner, verifiedClient } from './support/factories.ts';
import { PatientDevice } from './support/patient-device.ts';

// R-INT-1, R-INT-2: a PMS, written against a client generated from the running server's OpenAPI
// description by a published generator and compiled by the project's TypeScript on its own,
// upserts a patient, assigns a template, fetches the PDF and reads engagement with an API key.

const run = promisify(execFile);

/** What test/fixtures/pms/program.ts exports. */
interface PmsProgram {
  assignFromPms(baseUrl: string, apiKey: string, pmsId: string): Promise<{
    patientId: string;
    createdFirst: boolean;
    createdAgain: boolean;
    listedIds: string[];
    templateTitles: string[];
    programme: { id: string; code: string; patientLink: string };
    handout: { contentType: string | null; bytes: Uint8Array };
    refusedStatus: number;
  }>;
  readBack(baseUrl: string, apiKey: string, programmeId: string): Promise<{ engagement: { programmeId: string; adherenceDone: number; pain: Array<number | null> }; messageTexts: string[] }>;
}
const FIXTURE = path.resolve('test/fixtures/pms');
const GENERATED = path.join(FIXTURE, 'generated');

describe('a PMS calling Motus through a client generated from /api/openapi.json', () => {
  let t: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    t = await createTestApp({ runJobs: false });
    t.clock.set(new Date('2026-12-02T09:00:00Z'));
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    baseUrl = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('generates, type-checks and runs the PMS against the live server (R-INT-1, R-INT-2, R-INT-3)', { timeout: 120_000 }, async () => {
    // The description as an integrator downloads it.
    const description = await fetch(`${baseUrl}/api/openapi.json`);
    expect(description.status).toBe(200);
    const doc = (await description.json()) as { components: { securitySchemes: Record<string, unknown> }; paths: Record<string, Record<string, { security?: unknown; responses: Record<string, unknown> }>> };
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/api/v1/patients']!.get!.security).toEqual([{ apiKey: ['patients.read'] }]);

    fs.rmSync(GENERATED, { recursive: true, force: true });
    fs.mkdirSync(GENERATED, { recursive: true });
    const input = path.join(GENERATED, 'openapi.json');
    fs.writeFileSync(input, JSON.stringify(doc));
    await generateClient({ input, output: { path: GENERATED }, logs: { level: 'silent' } });
    // The project's own TypeScript, strict, on the PMS and the generated client alone.
    const tsc = path.resolve('node_modules/typescript/bin/tsc');
    await run(process.execPath, [tsc, '-p', path.join(FIXTURE, 'tsconfig.json')]).catch((err: { stdout?: string; stderr?: string }) => {
      throw new Error(`the generated client does not compile:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    });

    // The practice: a practitioner with a template, and a key for the PMS.
    const pia = await verifiedClient(t, 'Pia Physio');
    expect((await pia.client.post('/api/me/subscription/trial')).statusCode).toBe(201);
    const stock = (await pia.client.get('/api/exercises?source=stock&limit=2')).json().exercises as Array<{ id: string }>;
    const template = await pia.client.post('/api/templates', { title: 'Knee after surgery', trackAdherence: true, trackPain: true, items: stock.map((e) => ({ exerciseId: e.id, sets: 3, reps: 10 })) });
    expect(template.statusCode, template.body).toBe(201);
    const key = await createApiKey(t, pia.client);

    // Loaded by path: the program compiles only once its client is generated, so the suite's own
    // type-check does not see it (test/fixtures/pms has its own tsconfig, checked above).
    const pms = (await import(path.join(FIXTURE, 'program.ts'))) as PmsProgram;
    const pmsId = `PMS-${randomUUID().slice(0, 8)}`;
    const first = await pms.assignFromPms(baseUrl, key, pmsId);
    expect(first.createdFirst).toBe(true);
    expect(first.createdAgain).toBe(false);
    expect(first.listedIds).toEqual([first.patientId]);
    expect(first.templateTitles).toEqual(['Knee after surgery']);
    expect(first.programme.code).toMatch(/^[a-z]{8}$/);
    expect(first.programme.patientLink).toBe(`http://localhost:3000/programme?code=${first.programme.code}`);
    expect(first.handout.contentType).toBe('application/pdf');
    expect(Buffer.from(first.handout.bytes).subarray(0, 5).toString()).toBe('%PDF-');
    expect(first.refusedStatus).toBe(401);

    // One patient for the PMS id, replaced by the second send.
    const stored = await t.database.db.selectFrom('patients').select(['last_name', 'external_id']).where('external_id', '=', pmsId).execute();
    expect(stored).toEqual([{ last_name: 'Generated-Smith', external_id: pmsId }]);

    // The patient uses the programme on their phone.
    const device = new PatientDevice(t);
    expect((await device.open(first.programme.code, 1951)).statusCode).toBe(200);
    expect((await device.put(`/api/patient/entries/${randomUUID()}`, { day: '2026-12-02', itemIndex: 0, setsDone: 3, pain: 4, difficulty: 'about_right', comment: null })).statusCode).toBe(200);
    expect((await device.put(`/api/patient/messages/${randomUUID()}`, { text: 'The second exercise hurts a little' })).statusCode).toBe(200);

    const back = await pms.readBack(baseUrl, key, first.programme.id);
    expect(back.engagement).toEqual({ programmeId: first.programme.id, adherenceDone: 1, pain: [4] });
    expect(back.messageTexts).toEqual(['The second exercise hurts a little']);

    // Every request the PMS made is in the trail against the key and its owner, with no session.
    const keyId = (await pia.client.get('/api/me/api-keys')).json().keys[0].id as string;
    const records = await t.database.db.selectFrom('audit_log').select(['action', 'account_id', 'session_id']).where('api_key_id', '=', keyId).orderBy('id').execute();
    expect(records.map((r) => r.action)).toEqual(['patient.created', 'patient.updated', 'patient.listed', 'programme.assigned', 'programme.handout_printed', 'engagement.read', 'message.thread_read']);
    expect(new Set(records.map((r) => r.account_id))).toEqual(new Set([pia.accountId]));
    expect(records.every((r) => r.session_id === null)).toBe(true);
  });

  it("an organisation key reads the console's members and licences, and only those (R-INT-3)", async () => {
    const { owner, orgId } = await organisationWithOwner(t, { name: 'Keyed Physio', card: true });
    const member = await joinedMember(t, owner.client, orgId, { name: 'Kim Keyed', buyLicence: true });
    const orgKey = new ApiKeyClient(t, await createOrgApiKey(owner.client, orgId));
    const members = await orgKey.get('/api/v1/organisation/members');
    expect(members.statusCode, members.body).toBe(200);
    expect(members.json().members.map((m: { name: string }) => m.name).sort()).toEqual(['Kim Keyed', 'Olivia Owner']);
    const licences = await orgKey.get('/api/v1/organisation/licences');
    expect(licences.statusCode, licences.body).toBe(200);
    expect(licences.json().pool).toMatchObject({ assigned: 1 });
    // The organisation key is no practitioner: patients are not its to read.
    expect((await orgKey.get('/api/v1/patients')).json().error.code).toBe('api_key_scope');
    // A practitioner's key is not the console's.
    const personal = new ApiKeyClient(t, await createApiKey(t, member.client));
    const refused = await personal.get('/api/v1/organisation/members');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('api_key_scope');
  });

  it('pages patients with a cursor in order of change, and refuses a cursor it did not give out (R-INT-1)', async () => {
    const pat = await verifiedClient(t, 'Paula Pager');
    expect((await pat.client.post('/api/me/subscription/trial')).statusCode).toBe(201);
    const key = new ApiKeyClient(t, await createApiKey(t, pat.client));
    for (const n of [1, 2, 3, 4, 5]) {
      t.clock.advance(1000);
      const r = await key.put(`/api/v1/patients/by-pms-id/PAGE-${n}`, { firstName: 'Page', lastName: `Number ${n}`, yearOfBirth: 1960 });
      expect(r.statusCode, r.body).toBe(201);
    }
    // The patient changed last comes last, also when changed again after the others.
    t.clock.advance(1000);
    expect((await key.put('/api/v1/patients/by-pms-id/PAGE-2', { firstName: 'Page', lastName: 'Number 2, again', yearOfBirth: 1960 })).statusCode).toBe(200);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 5; pages += 1) {
      const res = await key.get(`/api/v1/patients?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...res.json().patients.map((p: { externalId: string }) => p.externalId));
      cursor = res.json().nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(['PAGE-1', 'PAGE-3', 'PAGE-4', 'PAGE-5', 'PAGE-2']);
    const since = await key.get(`/api/v1/patients?updatedSince=${encodeURIComponent(new Date(t.clock.now().getTime() - 500).toISOString())}`);
    expect(since.json().patients.map((p: { externalId: string }) => p.externalId)).toEqual(['PAGE-2']);
    for (const bad of ['nonsense', Buffer.from('{"u":"x","i":"y"}').toString('base64url'), Buffer.from('[1]').toString('base64url')]) {
      const res = await key.get(`/api/v1/patients?cursor=${bad}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details[0].path).toBe('query.cursor');
    }
  });
});

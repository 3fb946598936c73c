import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.ts';
import { ApiKeyClient, createApiKey } from './support/api-keys.ts';
import { joinedMember, organisationWithOwner } from './support/factories.ts';
import { fhirProblems } from './support/fhir-validator.ts';
import { PatientDevice } from './support/patient-device.ts';
import type { Client } from './support/client.ts';

// R-INT-5: the HL7 FHIR R4 read interface serves patients, programmes, pain ratings, days of
// exercises done and messages to the same API keys as the public API (R-INT-3), under the same
// visibility rule (R-PAT-2), every answer checked by HL7's R4 JSON schema and a validator of the R4
// structure definitions, every error an OperationOutcome, every read in the audit trail (R-AUD-1).

const BASE = '/fhir/R4';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The answer as FHIR JSON, after both validators accepted it. */
function fhir(res: LightMyRequestResponse, status = 200): Json {
  expect(res.statusCode, res.body.slice(0, 500)).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/fhir\+json/);
  expect(res.headers['cache-control']).toBe('no-store');
  const body = res.json() as Json;
  expect(fhirProblems(body), JSON.stringify(body).slice(0, 800)).toEqual([]);
  if (body.resourceType === 'Bundle') for (const e of body.entry ?? []) expect(fhirProblems(e.resource)).toEqual([]);
  return body;
}

/** A refusal: an OperationOutcome with the status and issue type FHIR gives it. */
function outcome(res: LightMyRequestResponse, status: number, issueCode: string): Json {
  const body = fhir(res, status);
  expect(body.resourceType).toBe('OperationOutcome');
  expect(body.issue[0]).toMatchObject({ severity: 'error', code: issueCode });
  return body;
}

describe('the FHIR R4 read interface (R-INT-5)', () => {
  let t: TestApp;
  let pia: { client: Client; accountId: string };
  let orgA: string;
  let stan: { client: Client; accountId: string };
  let pms: ApiKeyClient;
  let stranger: ApiKeyClient;
  let patientId: string;
  let laterPatientId: string;
  let programmeId: string;
  const entries: Record<string, string> = {};
  const messageIds: string[] = [];
  let firstChangedAt: Date;

  beforeAll(async () => {
    t = await createTestApp({ runJobs: false });
    // A Wednesday at noon.
    t.clock.set(new Date('2026-12-02T12:00:00Z'));
    const a = await organisationWithOwner(t, { card: true, name: 'Riverside Physio' });
    orgA = a.orgId;
    pia = await joinedMember(t, a.owner.client, orgA, { name: 'Pia Physio', buyLicence: true });
    const b = await organisationWithOwner(t, { card: true, name: 'Hillside Physio' });
    stan = await joinedMember(t, b.owner.client, b.orgId, { name: 'Stan Stranger', buyLicence: true });

    const created = await pia.client.post('/api/patients', { firstName: 'Edith', lastName: 'Engaged', yearOfBirth: 1958, gender: 'diverse', email: 'edith@example.org', mobile: '+441632960123', externalId: 'PMS-1001' });
    expect(created.statusCode, created.body).toBe(201);
    patientId = created.json().patient.id;
    firstChangedAt = t.clock.now();

    const stock = (await pia.client.get('/api/exercises?source=stock&limit=2')).json().exercises as Array<{ id: string }>;
    const assigned = await pia.client.post(`/api/patients/${patientId}/programmes`, {
      title: 'Knee strength',
      startDate: '2026-11-30',
      trackAdherence: true,
      trackPain: true,
      items: [
        { exerciseId: stock[0]!.id, sets: 3, reps: 10, weekdays: [5, 1, 3], timesPerDay: 2, instructions: 'Slowly.' },
        { exerciseId: stock[1]!.id, sets: 2, reps: 8, daysPerWeek: 3 },
      ],
    });
    expect(assigned.statusCode, assigned.body).toBe(201);
    programmeId = assigned.json().programme.id;

    // The patient's phone records pain and exercises (R-ENG-1) and writes to the practice (R-ENG-5).
    const device = new PatientDevice(t);
    expect((await device.open(assigned.json().programme.code, 1958)).statusCode).toBe(200);
    const record = async (name: string, entry: Record<string, unknown>) => {
      const clientId = randomUUID();
      const res = await device.put(`/api/patient/entries/${clientId}`, { difficulty: null, comment: null, pain: null, ...entry });
      expect(res.statusCode, res.body).toBe(200);
      entries[name] = clientId;
    };
    await record('yesterday', { day: '2026-12-01', itemIndex: 0, setsDone: 3, pain: 3 });
    await record('today', { day: '2026-12-02', itemIndex: 0, setsDone: 3, pain: 5 });
    await record('second', { day: '2026-12-02', itemIndex: 1, setsDone: 2 });
    await record('takenBack', { day: '2026-12-02', itemIndex: 1, setsDone: 2, pain: 6 });
    expect((await device.delete(`/api/patient/entries/${entries.takenBack}`)).statusCode).toBe(204);
    const sent = await device.put(`/api/patient/messages/${randomUUID()}`, { text: 'The second exercise hurts my knee.' });
    expect(sent.statusCode, sent.body).toBe(200);
    messageIds.push(sent.json().message.id);
    // A reply comes later than the message it answers (equal times are ordered by id, not by sending).
    t.clock.advance(60_000);
    const reply = await pia.client.put(`/api/programmes/${programmeId}/messages/${randomUUID()}`, { text: 'Leave that one out until Thursday.' });
    expect(reply.statusCode, reply.body).toBe(200);
    messageIds.push(reply.json().message.id);

    // Forty minutes later (a session stays signed in for 60 idle minutes, R-SES-4).
    t.clock.advance(40 * 60 * 1000);
    const later = await pia.client.post('/api/patients', { firstName: 'Lars', lastName: 'Later', yearOfBirth: 1990, externalId: 'PMS-1002' });
    expect(later.statusCode, later.body).toBe(201);
    laterPatientId = later.json().patient.id;

    pms = new ApiKeyClient(t, await createApiKey(t, pia.client, { organisationId: orgA, name: 'Riverside PMS' }));
    stranger = new ApiKeyClient(t, await createApiKey(t, stan.client, { name: 'Hillside PMS' }));
  });
  afterAll(async () => {
    await t?.close();
  });

  /** The entry ids behind the patient's client ids, as the pain Observations name them. */
  async function entryId(name: string): Promise<string> {
    const row = await t.database.db.selectFrom('programme_entries').select('id').where('client_id', '=', entries[name]!).executeTakeFirstOrThrow();
    return row.id;
  }

  it('serves a CapabilityStatement without a key: FHIR 4.0.1, JSON, read and search of four resource types', async () => {
    const res = await t.app.inject({ method: 'GET', url: `${BASE}/metadata` });
    const cs = fhir(res);
    expect(cs).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', kind: 'instance', format: expect.arrayContaining(['json']) });
    const resources = cs.rest[0].resource as Json[];
    expect(resources.map((r) => r.type)).toEqual(['Patient', 'CarePlan', 'Observation', 'Communication']);
    for (const r of resources) {
      expect(r.interaction.map((i: Json) => i.code)).toEqual(['read', 'search-type']);
      expect(r.searchParam.map((p: Json) => p.name)).toContain('_lastUpdated');
    }
    expect(resources.find((r) => r.type === 'Observation')!.searchParam.map((p: Json) => p.name)).toEqual(['patient', 'code', 'date', '_lastUpdated']);
    expect(cs.implementation.url).toBe('http://localhost:3000/fhir/R4');
  });

  it('reads a Patient whose identifier is the PMS id in the practice’s system, and records the read against the key', async () => {
    const p = fhir(await pms.get(`${BASE}/Patient/${patientId}`));
    expect(p).toMatchObject({
      resourceType: 'Patient',
      id: patientId,
      identifier: [{ system: `urn:motus:organisation:${orgA}:pms`, value: 'PMS-1001' }],
      active: true,
      name: [{ family: 'Engaged', given: ['Edith'] }],
      gender: 'other',
      birthDate: '1958',
      telecom: [
        { system: 'email', value: 'edith@example.org' },
        { system: 'phone', value: '+441632960123', use: 'mobile' },
      ],
    });
    expect(p.meta.lastUpdated).toBe(firstChangedAt.toISOString());
    const record = await t.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'patient.read').where('target_id', '=', patientId).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(record.account_id).toBe(pia.accountId);
    expect(record.api_key_id).not.toBeNull();
  });

  it('searches Patients by identifier (system|value, the value alone) and by _lastUpdated, in a searchset Bundle with its total', async () => {
    const bySystem = fhir(await pms.get(`${BASE}/Patient?identifier=${encodeURIComponent(`urn:motus:organisation:${orgA}:pms|PMS-1001`)}`));
    expect(bySystem).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    expect(bySystem.entry.map((e: Json) => e.resource.id)).toEqual([patientId]);
    expect(bySystem.entry[0].fullUrl).toBe(`http://localhost:3000/fhir/R4/Patient/${patientId}`);
    expect(bySystem.link[0]).toMatchObject({ relation: 'self' });
    expect(bySystem.link.find((l: Json) => l.relation === 'next')).toBeUndefined();

    const byValue = fhir(await pms.get(`${BASE}/Patient?identifier=PMS-1002,PMS-1001`));
    expect(byValue.entry.map((e: Json) => e.resource.id)).toEqual([patientId, laterPatientId]);
    // Another system, or no system, names none of Motus's identifiers.
    expect(fhir(await pms.get(`${BASE}/Patient?identifier=${encodeURIComponent('http://example.org/mrn|PMS-1001')}`))).toMatchObject({ total: 0 });
    expect(fhir(await pms.get(`${BASE}/Patient?identifier=${encodeURIComponent('|PMS-1001')}`))).toMatchObject({ total: 0 });
    // Every identifier of the practice's system.
    expect(fhir(await pms.get(`${BASE}/Patient?identifier=${encodeURIComponent(`urn:motus:organisation:${orgA}:pms|`)}`)).total).toBe(2);

    const half = new Date(firstChangedAt.getTime() + 20 * 60 * 1000).toISOString();
    const since = fhir(await pms.get(`${BASE}/Patient?_lastUpdated=ge${encodeURIComponent(half)}`));
    expect(since.entry.map((e: Json) => e.resource.id)).toEqual([laterPatientId]);
    const before = fhir(await pms.get(`${BASE}/Patient?_lastUpdated=lt${encodeURIComponent(half)}`));
    expect(before.entry.map((e: Json) => e.resource.id)).toEqual([patientId]);
    const day = fhir(await pms.get(`${BASE}/Patient?_lastUpdated=2026-12-02&_lastUpdated=le2026-12`));
    expect(day.total).toBe(2);
    expect(fhir(await pms.get(`${BASE}/Patient?_lastUpdated=gt2026-12-02`)).total).toBe(0);

    // The search is recorded with the patients it returned (R-AUD-1).
    const listed = await t.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'patient.listed').where('account_id', '=', pia.accountId).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(listed.details).toMatchObject({ patientIds: [], total: 0, searched: true });
    expect(listed.api_key_id).not.toBeNull();
  });

  it('pages with _count and the link "next" until the last page, each patient once', async () => {
    const seen: string[] = [];
    let url: string | undefined = `${BASE}/Patient?_count=1`;
    for (let i = 0; i < 5 && url; i++) {
      const page = fhir(await pms.get(url));
      expect(page.total).toBe(2);
      seen.push(...(page.entry ?? []).map((e: Json) => e.resource.id));
      const next = page.link.find((l: Json) => l.relation === 'next')?.url as string | undefined;
      url = next ? next.replace('http://localhost:3000', '') : undefined;
    }
    expect(seen).toEqual([patientId, laterPatientId]);
    expect(url).toBeUndefined();
    // _count=0 answers the total alone.
    const count = fhir(await pms.get(`${BASE}/Patient?_count=0`));
    expect(count.total).toBe(2);
    expect(count.entry).toBeUndefined();
  });

  it('reads and searches the programme as a CarePlan: status, period, one activity per exercise with its dose and timing', async () => {
    const plan = fhir(await pms.get(`${BASE}/CarePlan/${programmeId}`));
    expect(plan).toMatchObject({ resourceType: 'CarePlan', status: 'active', intent: 'plan', title: 'Knee strength', subject: { reference: `Patient/${patientId}` }, period: { start: '2026-11-30' } });
    expect(plan.activity).toHaveLength(2);
    expect(plan.activity[0].detail).toMatchObject({
      status: 'in-progress',
      description: expect.stringMatching(/^3 sets of 10 repetitions .*\. Slowly\.$/),
      scheduledTiming: { repeat: { frequency: 2, period: 1, periodUnit: 'd', dayOfWeek: ['mon', 'wed', 'fri'], boundsPeriod: { start: '2026-11-30' } } },
    });
    expect(plan.activity[0].detail.code.text).toEqual(expect.any(String));
    expect(plan.activity[1].detail.scheduledTiming.repeat).toMatchObject({ frequency: 3, period: 1, periodUnit: 'wk' });

    const search = fhir(await pms.get(`${BASE}/CarePlan?patient=Patient/${patientId}`));
    expect(search.total).toBe(1);
    expect(search.entry[0].resource.id).toBe(programmeId);
    expect(fhir(await pms.get(`${BASE}/CarePlan?patient=${laterPatientId}`)).total).toBe(0);
    const records = await t.database.db.selectFrom('audit_log').selectAll().where('action', 'in', ['programme.read', 'fhir.searched']).where('account_id', '=', pia.accountId).where('api_key_id', 'is not', null).orderBy('id').execute();
    expect(records.map((r) => r.action)).toEqual(['programme.read', 'fhir.searched', 'fhir.searched']);
    expect(records[1]!.details).toMatchObject({ resource: 'CarePlan', ids: [programmeId], patientIds: [patientId], total: 1 });

    // Ended by the practitioner before its end date would be revoked; without one it is completed (R-PRG-3).
    const other = await pia.client.post(`/api/patients/${laterPatientId}/programmes`, { title: 'Short', startDate: '2026-12-02', items: [{ exerciseId: plan.activity[0].detail.code.coding[0].code, sets: 1, reps: 5 }] });
    expect(other.statusCode, other.body).toBe(201);
    expect((await pia.client.post(`/api/programmes/${other.json().programme.id}/end`)).statusCode).toBe(200);
    const ended = fhir(await pms.get(`${BASE}/CarePlan/${other.json().programme.id}`));
    expect(ended).toMatchObject({ status: 'completed', period: { start: '2026-12-02', end: '2026-12-02' } });
    expect(ended.activity[0].detail.status).toBe('completed');
  });

  it('serves pain ratings (LOINC 72514-3) and days of exercises done as Observations; a taken-back rating is entered-in-error', async () => {
    const all = fhir(await pms.get(`${BASE}/Observation?patient=${patientId}`));
    const byId = new Map((all.entry as Json[]).map((e) => [e.resource.id, e.resource]));
    const [yesterday, today, takenBack] = [await entryId('yesterday'), await entryId('today'), await entryId('takenBack')];
    expect(all.total).toBe(5);
    expect(byId.get(`pain-${today}`)).toMatchObject({
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '72514-3', display: 'Pain severity - 0-10 verbal numeric rating [Score] - Reported' }] },
      subject: { reference: `Patient/${patientId}` },
      basedOn: [{ reference: `CarePlan/${programmeId}` }],
      effectiveDateTime: '2026-12-02',
      valueInteger: 5,
    });
    expect(byId.get(`pain-${yesterday}`)).toMatchObject({ status: 'final', valueInteger: 3, effectiveDateTime: '2026-12-01' });
    expect(byId.get(`pain-${takenBack}`)).toMatchObject({ status: 'entered-in-error', valueInteger: 6 });
    // Today both exercises were done (the second one's taken-back repeat does not count twice).
    expect(byId.get(`session-${programmeId}-20261202`)).toMatchObject({ status: 'final', code: { coding: [{ system: 'urn:motus:fhir:code', code: 'exercise-session' }] }, valueInteger: 2 });
    expect(byId.get(`session-${programmeId}-20261201`)).toMatchObject({ status: 'final', valueInteger: 1 });

    const pain = fhir(await pms.get(`${BASE}/Observation?code=${encodeURIComponent('http://loinc.org|72514-3')}&date=2026-12-02`));
    expect((pain.entry as Json[]).map((e) => e.resource.id).sort()).toEqual([`pain-${today}`, `pain-${takenBack}`].sort());
    const sessions = fhir(await pms.get(`${BASE}/Observation?code=exercise-session&date=lt2026-12-02`));
    expect((sessions.entry as Json[]).map((e) => e.resource.id)).toEqual([`session-${programmeId}-20261201`]);
    expect(fhir(await pms.get(`${BASE}/Observation?code=${encodeURIComponent('http://loinc.org|8867-4')}`)).total).toBe(0);

    // Each can be read by its id, and paged through one by one.
    for (const id of byId.keys()) expect(fhir(await pms.get(`${BASE}/Observation/${id}`)).id).toBe(id);
    const seen: string[] = [];
    let url: string | undefined = `${BASE}/Observation?_count=2`;
    for (let i = 0; i < 10 && url; i++) {
      const page = fhir(await pms.get(url));
      seen.push(...(page.entry ?? []).map((e: Json) => e.resource.id));
      url = (page.link.find((l: Json) => l.relation === 'next')?.url as string | undefined)?.replace('http://localhost:3000', '');
    }
    expect(seen.sort()).toEqual([...byId.keys()].sort());
    const read = await t.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'fhir.read').where('target_id', '=', programmeId).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(read.details).toMatchObject({ resource: 'Observation', patientId });
  });

  it('serves the thread as Communications, sender and recipient each way, the text as payload', async () => {
    const search = fhir(await pms.get(`${BASE}/Communication?patient=${patientId}`));
    expect(search.total).toBe(2);
    const [fromPatient, fromPractice] = search.entry.map((e: Json) => e.resource) as Json[];
    expect(fromPatient).toMatchObject({
      id: messageIds[0],
      status: 'completed',
      subject: { reference: `Patient/${patientId}` },
      about: [{ reference: `CarePlan/${programmeId}` }],
      sender: { reference: `Patient/${patientId}` },
      recipient: [{ type: 'Practitioner', identifier: { system: 'urn:motus:account', value: pia.accountId }, display: 'Pia Physio' }],
      payload: [{ contentString: 'The second exercise hurts my knee.' }],
    });
    expect(fromPractice).toMatchObject({ id: messageIds[1], sender: { type: 'Practitioner', display: 'Pia Physio' }, recipient: [{ reference: `Patient/${patientId}` }] });
    expect(fhir(await pms.get(`${BASE}/Communication/${messageIds[1]}`)).payload[0].contentString).toBe('Leave that one out until Thursday.');
    // The audit trail names the messages, never their text (R-AUD-2).
    const records = await t.database.db.selectFrom('audit_log').selectAll().where('action', 'in', ['fhir.read', 'fhir.searched']).where('account_id', '=', pia.accountId).execute();
    expect(JSON.stringify(records.map((r) => r.details))).not.toContain('knee');
  });

  it('a key of another practice gets 404 OperationOutcomes for every id of this one, and its searches find none of them', async () => {
    const ids = [`Patient/${patientId}`, `CarePlan/${programmeId}`, `Observation/pain-${await entryId('today')}`, `Observation/session-${programmeId}-20261202`, `Communication/${messageIds[0]}`];
    for (const id of ids) {
      const body = outcome(await stranger.get(`${BASE}/${id}`), 404, 'not-found');
      expect(JSON.stringify(body)).not.toMatch(/Edith|Engaged|Knee|hurts/);
    }
    for (const search of ['Patient?identifier=PMS-1001', `CarePlan?patient=${patientId}`, `Observation?patient=${patientId}`, `Communication?patient=${patientId}`, 'Observation', 'Communication']) {
      expect(fhir(await stranger.get(`${BASE}/${search}`)).total, search).toBe(0);
    }
  });

  it('scopes: patients.read alone reads Patient and CarePlan and gets 403 on Observation and Communication; engagement.read alone the reverse', async () => {
    const readOnly = new ApiKeyClient(t, await createApiKey(t, pia.client, { scopes: ['patients.read'], name: 'Read only' }));
    fhir(await readOnly.get(`${BASE}/Patient/${patientId}`));
    fhir(await readOnly.get(`${BASE}/CarePlan?patient=${patientId}`));
    const refused = outcome(await readOnly.get(`${BASE}/Observation?patient=${patientId}`), 403, 'forbidden');
    expect(refused.issue[0].details.coding[0].code).toBe('api_key_scope');
    outcome(await readOnly.get(`${BASE}/Communication/${messageIds[0]}`), 403, 'forbidden');
    const engagementOnly = new ApiKeyClient(t, await createApiKey(t, pia.client, { scopes: ['engagement.read'], name: 'Engagement only' }));
    fhir(await engagementOnly.get(`${BASE}/Observation/session-${programmeId}-20261202`));
    outcome(await engagementOnly.get(`${BASE}/Patient/${patientId}`), 403, 'forbidden');
  });

  it('hostile input gets 400 or 404 OperationOutcomes naming what is wrong, never a server error', async () => {
    const probes: Array<[string, number, string]> = [
      ['Patient/not-a-uuid', 404, 'not-found'],
      [`Patient/${randomUUID()}`, 404, 'not-found'],
      ['Patient/bad%20id!', 400, 'invalid'],
      [`Patient/${'x'.repeat(65)}`, 400, 'invalid'],
      ['Observation/pain-123', 404, 'not-found'],
      [`Observation/session-${programmeId}-20261340`, 404, 'not-found'],
      [`Observation/session-${randomUUID()}-20261202`, 404, 'not-found'],
      ['Communication/..', 404, 'not-found'],
      ['Patient?name=Edith', 400, 'not-supported'],
      ['Patient?identifier:of-type=x', 400, 'not-supported'],
      ['Patient?identifier=%7C', 400, 'invalid'],
      ['Patient?identifier=a&identifier=b', 400, 'invalid'],
      ['Patient?_lastUpdated=yesterday', 400, 'invalid'],
      ['Patient?_lastUpdated=ge2026-13-01', 400, 'invalid'],
      ['Patient?_lastUpdated=ge2026-02-30', 400, 'invalid'],
      ['Patient?_lastUpdated=1&_lastUpdated=2&_lastUpdated=3&_lastUpdated=4&_lastUpdated=5', 400, 'invalid'],
      ['Patient?_count=1000', 400, 'invalid'],
      ['Patient?_count=-1', 400, 'invalid'],
      ['Patient?cursor=garbage', 400, 'invalid'],
      [`Patient?cursor=${Buffer.from(JSON.stringify({ u: '2026-12-02T12:00:00Z', k: "x' or 1=1" })).toString('base64url')}`, 400, 'invalid'],
      ['Patient?_format=xml', 400, 'invalid'],
      ['CarePlan?patient=Practitioner/abc', 400, 'invalid'],
      ['Observation?date=2026-12-02T10:00Z', 400, 'invalid'],
      ['Observation?date=ge2026-12-02%00', 400, 'invalid'],
      ['Observation?code=,', 400, 'invalid'],
      ['Nothing', 404, 'not-found'],
    ];
    for (const [path, status, code] of probes) {
      const res = await pms.get(`${BASE}/${path}`);
      expect(res.statusCode, `${path}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
      outcome(res, status, code);
    }
    // A validation refusal names the parameter.
    const named = outcome(await pms.get(`${BASE}/Patient?_count=abc`), 400, 'invalid');
    expect(named.issue[0].diagnostics).toMatch(/^query\._count: /);
    // Ids that are no Motus id, in a search, match nothing rather than fail.
    expect(fhir(await pms.get(`${BASE}/Observation?patient=Patient/42,abc`)).total).toBe(0);
  });

  it('a request without a key, with a revoked or an expired key is refused with 401 OperationOutcomes', async () => {
    outcome(await t.app.inject({ method: 'GET', url: `${BASE}/Patient/${patientId}` }), 401, 'login');
    outcome(await new ApiKeyClient(t, `motus_abcdefgh_${'x'.repeat(40)}`).get(`${BASE}/Patient`), 401, 'login');

    const token = await createApiKey(t, pia.client, { name: 'To revoke' });
    const keys = (await pia.client.get('/api/me/api-keys')).json().keys as Array<{ id: string; prefix: string }>;
    const key = keys.find((k) => token.startsWith(k.prefix))!;
    expect((await pia.client.delete(`/api/me/api-keys/${key.id}`)).statusCode).toBeLessThan(300);
    const revoked = outcome(await new ApiKeyClient(t, token).get(`${BASE}/Patient`), 401, 'login');
    expect(revoked.issue[0].details.coding[0].code).toBe('api_key_revoked');

    const soon = await createApiKey(t, pia.client, { name: 'Short-lived', expiresAt: new Date(t.clock.now().getTime() + 60_000).toISOString() });
    fhir(await new ApiKeyClient(t, soon).get(`${BASE}/Patient`));
    t.clock.advance(2 * 60_000);
    outcome(await new ApiKeyClient(t, soon).get(`${BASE}/Patient`), 401, 'expired');
  });
});

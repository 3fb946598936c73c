import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enforceAccessDeclarations, MissingContractError, routeRecords } from '../src/platform/http/access.ts';
import { defineContract } from '../src/platform/http/contract.ts';
import { route } from '../src/platform/http/route.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { auditWalkGaps } from './support/audit-walk.ts';
import { clinicalWorld, type ClinicalWorld } from './support/clinical-world.ts';
import { visibilityViolations } from './support/visibility-walk.ts';

// The walks generated from the route registry, and proof that each catches a deliberately wrong
// route: the visibility matrix (R-PAT-2, SPEC §12) and the audit write guard (R-AUD-1).

const patientSubject = { patientId: 'patient' } as const;
const patientParams = z.strictObject({ patientId: z.uuid() });

/** Reads a patient without the visibility rule: what the matrix must catch. */
const leakyRead = defineContract({
  method: 'GET',
  path: '/api/patients/:patientId/leaky-summary',
  access: 'practitioner',
  tags: ['test'],
  summary: 'A deliberately wrong route',
  params: patientParams,
  subjects: patientSubject,
  response: z.object({ name: z.string() }),
});

/** Changes a patient without an audit record: what the write guard must catch. */
const quietWrite = defineContract({
  method: 'POST',
  path: '/api/patients/:patientId/quiet-rename',
  access: 'practitioner',
  tags: ['test'],
  summary: 'A deliberately wrong route',
  params: patientParams,
  subjects: patientSubject,
  body: z.strictObject({ group: z.string() }),
  example: { group: 'walk' },
  response: z.object({ ok: z.boolean() }),
});

describe('the generated walks', () => {
  let t: TestApp;
  let wrongApp: TestApp;
  let w: ClinicalWorld;
  let ww: ClinicalWorld;

  beforeAll(async () => {
    t = await createTestApp({ runJobs: false });
    w = await clinicalWorld(t);
    wrongApp = await createTestApp({
      runJobs: false,
      extraRoutes: (app) => {
        route(app, leakyRead, async (_ctx, { params }) => {
          const p = await wrongApp.database.db.selectFrom('patients').select(['first_name']).where('id', '=', params.patientId).executeTakeFirstOrThrow();
          return { name: p.first_name };
        });
        route(app, quietWrite, async (_ctx, { params, body }) => {
          await wrongApp.database.db.updateTable('patients').set({ patient_group: body.group }).where('id', '=', params.patientId).execute();
          return { ok: true };
        });
      },
    });
    ww = await clinicalWorld(wrongApp);
  });

  afterAll(async () => {
    await t?.close();
    await wrongApp?.close();
  });

  it('every patient-bearing and organisation route answers each person as the visibility rule says', async () => {
    const records = routeRecords.get(t.app) ?? [];
    // The walk covers what is registered: at least every patient, programme and share route.
    expect(records.filter((r) => r.contract?.subjects).length).toBeGreaterThan(10);
    expect(await visibilityViolations(t, w)).toEqual([]);
  });

  it('the matrix catches a route that reads a patient without the visibility rule', async () => {
    const found = await visibilityViolations(wrongApp, ww, (r) => r.url.includes('leaky-summary'));
    expect(found).toEqual([
      expect.stringMatching(/^GET \/api\/patients\/:patientId\/leaky-summary as stranger: 200, expected 404/),
      expect.stringMatching(/^GET \/api\/patients\/:patientId\/leaky-summary as colleague: 200, expected 404/),
    ]);
  });

  it('a write that leaves no audit record fails instead of passing unnoticed (R-AUD-1)', async () => {
    const res = await ww.people.owner.client.post(`/api/patients/${ww.patientId}/quiet-rename`, { group: 'walk' });
    expect(res.statusCode).toBe(500);
    expect(res.json().error.code).toBe('internal_error');
  });

  it('the write walk names a write route that no test drove to success, and one that left no record', () => {
    const routes = [{ key: 'POST /a' }, { key: 'POST /b' }, { key: 'POST /c' }, { key: 'DELETE /d', unaudited: 'a draft' }];
    const gaps = auditWalkGaps(routes, { 'POST /a': { ok: 3, unaudited: 0 }, 'POST /b': { ok: 2, unaudited: 1 } });
    expect(gaps).toEqual([expect.stringMatching(/^POST \/b: 1 of 2 successful calls left no audit record/), expect.stringMatching(/^POST \/c: no test makes a successful call/)]);
  });

  it('start-up refuses an :orgId route not declared for an organisation, an API route without a contract, and a patient route that does not say what its id names', async () => {
    const bare = () => Fastify({ logger: false }).setValidatorCompiler(validatorCompiler).setSerializerCompiler(serializerCompiler);
    const orgRoute = bare();
    enforceAccessDeclarations(orgRoute);
    route(orgRoute, defineContract({ method: 'GET', path: '/api/organisations/:orgId/thing', access: 'signedIn', tags: [], summary: 'wrong', response: z.object({}) }), () => ({}));
    await expect(orgRoute.ready()).rejects.toThrow(/has an :orgId parameter but declares signedIn/);
    await orgRoute.close().catch(() => {});

    const uncontracted = bare();
    enforceAccessDeclarations(uncontracted);
    uncontracted.get('/api/no-contract', { config: { access: 'signedIn' } }, async () => ({ ok: true }));
    await expect(uncontracted.ready()).rejects.toBeInstanceOf(MissingContractError);
    await uncontracted.close().catch(() => {});

    const subjectless = bare();
    enforceAccessDeclarations(subjectless);
    route(subjectless, defineContract({ method: 'GET', path: '/api/patients/:patientId/thing', access: 'practitioner', tags: [], summary: 'wrong', response: z.object({}) }), () => ({}));
    await expect(subjectless.ready()).rejects.toThrow(/takes :patientId but does not declare the patient it names/);
    await subjectless.close().catch(() => {});
  });
});

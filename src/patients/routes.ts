import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { route } from '../platform/http/route.ts';
import { patientContracts as c } from './schemas.ts';
import type { PatientService } from './service.ts';

/** A practitioner's patients (R-PAT-1, R-PAT-2). Every route needs a licence that lets them work. */
export const patientRoutes: FastifyPluginAsyncZod<{ patients: PatientService }> = async (app, { patients }) => {
  route(app, c.list, (ctx, { query }) => patients.list(ctx, query));
  route(app, c.create, async (ctx, { body }) => ({ patient: await patients.create(ctx, body) }));
  route(app, c.get, async (ctx, { params }) => ({ patient: await patients.get(ctx, params.patientId) }));
  route(app, c.update, async (ctx, { params, body }) => ({ patient: await patients.update(ctx, params.patientId, body) }));
  route(app, c.archive, async (ctx, { params }) => ({ patient: await patients.setArchived(ctx, params.patientId, true) }));
  route(app, c.restore, async (ctx, { params }) => ({ patient: await patients.setArchived(ctx, params.patientId, false) }));
  route(app, c.remove, (ctx, { params }) => patients.remove(ctx, params.patientId));
};

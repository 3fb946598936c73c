import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { HandoutService } from '../engagement/handout.ts';
import type { PracticeEngagement } from '../engagement/practice.ts';
import type { LicenceService } from '../licences/service.ts';
import type { MembershipService } from '../memberships/service.ts';
import { sendIdempotent } from '../platform/idempotency.ts';
import { route } from '../platform/http/route.ts';
import { publicApiContracts as c } from './schemas.ts';
import type { PublicApi } from './service.ts';

/** The public API v1 (R-INT-1): called by a PMS with a Motus API key. */
export const publicApiRoutes: FastifyPluginAsyncZod<{ api: PublicApi; handouts: HandoutService; practice: PracticeEngagement; memberships: MembershipService; licences: LicenceService }> = async (
  app,
  { api, handouts, practice, memberships, licences },
) => {
  route(app, c.patients, (ctx, { query }) => api.listPatients(ctx, query));
  route(app, c.patient, (ctx, { params }) => api.getPatient(ctx, params.patientId));
  route(app, c.upsertPatient, async (ctx, { params, body }, reply) => sendIdempotent(reply, await api.upsertPatient(ctx, reply.request, params.pmsId, body)));
  route(app, c.templates, (ctx) => api.templates(ctx));
  route(app, c.assign, async (ctx, { params, body }, reply) => sendIdempotent(reply, await api.assign(ctx, reply.request, params.patientId, body)));
  route(app, c.handout, async (ctx, { params }, reply) => {
    await api.checkProgramme(ctx, params.programmeId);
    const { fileName, pdf } = await handouts.handout(ctx, params.programmeId);
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${fileName}"`).header('cache-control', 'no-store').send(pdf);
  });
  route(app, c.engagement, async (ctx, { params, query }) => {
    await api.checkProgramme(ctx, params.programmeId);
    return practice.engagement(ctx, params.programmeId, query.days);
  });
  route(app, c.messages, (ctx, { params, query }) => api.messages(ctx, params.programmeId, query));
  // An organisation key reads the console as the Users section shows it to the key's creator.
  route(app, c.organisationMembers, (ctx, { query }) => memberships.list(ctx, query));
  route(app, c.organisationLicences, async (ctx) => ({ pool: await licences.pool(ctx) }));
};

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { route } from '../platform/http/route.ts';
import type { PatientEngagement } from './patient.ts';
import type { PracticeEngagement } from './practice.ts';
import { engagementContracts as c } from './schemas.ts';

/** Patient engagement (SPEC section 9a): the patient's device, and the practitioner's view of it. */
export const engagementRoutes: FastifyPluginAsyncZod<{ patient: PatientEngagement; practice: PracticeEngagement }> = async (app, { patient, practice }) => {
  route(app, c.home, (ctx, { query }) => patient.home(ctx, query.day));
  route(app, c.record, (ctx, { params, body }) => patient.record(ctx, params.clientId, body));
  route(app, c.unrecord, (ctx, { params }) => patient.unrecord(ctx, params.clientId));
  route(app, c.patientMessages, (ctx) => patient.messages(ctx));
  route(app, c.patientSend, (ctx, { params, body }) => patient.send(ctx, params.clientId, body.text));
  route(app, c.signOutDevice, (ctx) => patient.signOut(ctx));

  route(app, c.engagement, (ctx, { params, query }) => practice.engagement(ctx, params.programmeId, query.days));
  route(app, c.messages, (ctx, { params }) => practice.messages(ctx, params.programmeId));
  route(app, c.send, (ctx, { params, body }) => practice.send(ctx, params.programmeId, params.clientId, body.text));
  route(app, c.devices, (ctx, { params }) => practice.devices(ctx, params.programmeId));
  route(app, c.revokeDevice, (ctx, { params }) => practice.revoke(ctx, params.programmeId, params.deviceId));
  route(app, c.resolveAlert, (ctx, { params }) => practice.resolveAlert(ctx, params.programmeId, params.alertId));
  route(app, c.attention, (ctx) => practice.attention(ctx));
  route(app, c.organisation, (ctx) => practice.organisationCounts(ctx));
};

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { route } from '../platform/http/route.ts';
import { programmeContracts as c } from './schemas.ts';
import type { ProgrammeService } from './service.ts';

export const programmeRoutes: FastifyPluginAsyncZod<{ programmes: ProgrammeService }> = async (app, { programmes }) => {
  route(app, c.listForPatient, (ctx, { params }) => programmes.listForPatient(ctx, params.patientId));
  route(app, c.assign, (ctx, { params, body }) => programmes.assign(ctx, params.patientId, body));
  route(app, c.get, async (ctx, { params }) => ({ programme: await programmes.get(ctx, params.programmeId) }));
  route(app, c.update, async (ctx, { params, body }) => ({ programme: await programmes.update(ctx, params.programmeId, body) }));
  route(app, c.end, async (ctx, { params }) => ({ programme: await programmes.end(ctx, params.programmeId) }));
  route(app, c.resend, (ctx, { params }) => programmes.resend(ctx, params.programmeId));
  route(app, c.copyToLibrary, async (ctx, { params }) => ({ template: await programmes.copyToLibrary(ctx, params.programmeId) }));
  route(app, c.templates, (ctx) => programmes.templates(ctx));
  route(app, c.createTemplate, async (ctx, { body }) => ({ template: await programmes.createTemplate(ctx, body) }));
  route(app, c.deleteTemplate, (ctx, { params }) => programmes.deleteTemplate(ctx, params.templateId));
  route(app, c.countsForMember, (ctx, { params }) => programmes.countsForMember(ctx, params.memberId));
  route(app, c.openAsPatient, (ctx, { body }) => programmes.openAsPatient(ctx, body));
};

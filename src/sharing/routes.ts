import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { route } from '../platform/http/route.ts';
import { sharingContracts as c } from './schemas.ts';
import type { SharingService } from './service.ts';

export const sharingRoutes: FastifyPluginAsyncZod<{ sharing: SharingService }> = async (app, { sharing }) => {
  route(app, c.colleagues, (ctx) => sharing.colleagues(ctx));
  route(app, c.shares, (ctx, { params }) => sharing.sharesOf(ctx, params.patientId));
  route(app, c.share, (ctx, { params, body }) => sharing.sharePatient(ctx, params.patientId, body.accountId));
  route(app, c.endShare, (ctx, { params }) => sharing.endShare(ctx, params.patientId, params.shareId));
  route(app, c.settings, (ctx) => sharing.settings(ctx));
  route(app, c.updateSettings, (ctx, { body }) => sharing.updateSettings(ctx, body));
};

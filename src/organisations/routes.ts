import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { prepareLogo } from '../accounts/logo.ts';
import type { MembershipService } from '../memberships/service.ts';
import { route } from '../platform/http/route.ts';
import { IMAGE_UPLOAD_LIMITS, readImageUpload } from '../platform/images.ts';
import { organisationContracts as c } from './schemas.ts';
import type { OrganisationService } from './service.ts';

/** Organisations, their settings and defaults, ownership, and what a person sees at sign-in (R-ORG-1..4, R-PRA-1). */
export const organisationRoutes: FastifyPluginAsyncZod<{ organisations: OrganisationService; memberships: MembershipService }> = async (app, { organisations, memberships }) => {
  route(app, c.create, async (ctx, { body }) => ({ organisation: await organisations.create(ctx, body) }));
  route(app, c.workspace, async (ctx) => {
    const [workspace, invitations] = await Promise.all([organisations.workspaceFor(ctx.actor.accountId), memberships.invitationsFor(ctx.actor)]);
    return { ...workspace, invitations };
  });
  route(app, c.get, (ctx) => organisations.get(ctx));
  route(app, c.practitioner, (ctx) => organisations.get(ctx));
  route(app, c.update, async (ctx, { body }) => ({ organisation: await organisations.updateSettings(ctx, body) }));
  route(app, c.setDefaults, async (ctx, { body }) => ({ organisation: await organisations.setDefaults(ctx, body) }));
  await app.register(async (uploads) => {
    await uploads.register(multipart, { limits: IMAGE_UPLOAD_LIMITS });
    route(uploads, c.setLogo, async (ctx, _input, reply) => {
      const { data, mimetype } = await readImageUpload(reply.request, 'logo');
      return { organisation: await organisations.setLogo(ctx, await prepareLogo(data, mimetype)) };
    });
  });
  route(app, c.logo, async (ctx, _input, reply) => {
    const logo = await organisations.logo(ctx);
    return reply.type(logo.mimeType).header('cache-control', 'private, no-cache').send(logo.data);
  });
  route(app, c.removeLogo, async (ctx) => ({ organisation: await organisations.removeLogo(ctx) }));
  route(app, c.offerOwnership, (ctx, { body }) => organisations.offerOwnership(ctx, body.membershipId));
  route(app, c.acceptOwnership, async (ctx, { params }) => ({ organisation: await organisations.decideOwnership(ctx, params.transferId, true) }));
  route(app, c.declineOwnership, async (ctx, { params }) => {
    await organisations.decideOwnership(ctx, params.transferId, false);
  });
};

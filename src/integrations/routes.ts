import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { route } from '../platform/http/route.ts';
import type { ApiKeyService } from './keys.ts';
import type { PmsLinkService } from './pms.ts';
import { integrationContracts as c } from './schemas.ts';

/** API keys (R-INT-3) and PMS links (R-INT-1), managed with a session. */
export const integrationRoutes: FastifyPluginAsyncZod<{ keys: ApiKeyService; links: PmsLinkService }> = async (app, { keys, links }) => {
  route(app, c.ownKeys, (ctx) => keys.listOwn(ctx));
  route(app, c.createOwnKey, (ctx, { body }) => keys.createOwn(ctx, body));
  route(app, c.revokeOwnKey, (ctx, { params }) => keys.revokeOwn(ctx, params.keyId));
  route(app, c.orgKeys, (ctx) => keys.listOrg(ctx));
  route(app, c.createOrgKey, (ctx, { body }) => keys.createOrg(ctx, body));
  route(app, c.revokeOrgKey, (ctx, { params }) => keys.revokeInOrg(ctx, params.keyId));
  route(app, c.ownLink, (ctx) => links.linkOf(ctx));
  route(app, c.linkOwn, (ctx, { body }) => links.linkOwn(ctx, body));
  route(app, c.unlinkOwn, (ctx) => links.unlinkOwn(ctx));
  route(app, c.links, (ctx) => links.links(ctx));
  route(app, c.linkMember, (ctx, { params, body }) => links.link(ctx, params.memberId, body));
  route(app, c.unlinkMember, (ctx, { params }) => links.unlink(ctx, params.memberId));
};

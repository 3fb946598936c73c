import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { route } from '../platform/http/route.ts';
import { draftContracts as c } from './schemas.ts';
import type { DraftService } from './service.ts';

export const draftRoutes: FastifyPluginAsyncZod<{ drafts: DraftService }> = async (app, { drafts }) => {
  route(app, c.list, async (ctx) => ({ drafts: await drafts.list(ctx) }));
  route(app, c.get, async (ctx, { params }) => ({ draft: await drafts.get(ctx, params.editor, params.key) }));
  route(app, c.save, async (ctx, { params, body }) => ({ draft: await drafts.save(ctx, params.editor, params.key, body.data) }));
  route(app, c.discard, (ctx, { params }) => drafts.discard(ctx, params.editor, params.key));
};

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { route } from '../platform/http/route.ts';
import { importContracts as c } from './schemas.ts';
import type { ImportService } from './service.ts';

export const importRoutes: FastifyPluginAsyncZod<{ imports: ImportService }> = async (app, { imports }) => {
  route(app, c.request, async (ctx, { body }) => ({ import: await imports.request(ctx, body) }));
  route(app, c.list, (ctx) => imports.list(ctx));
  route(app, c.get, async (ctx, { params }) => ({ import: await imports.get(ctx, params.importId) }));
};

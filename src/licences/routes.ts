import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idempotencyKeyOf, sendIdempotent } from '../platform/idempotency.ts';
import { route } from '../platform/http/route.ts';
import { licenceContracts as c } from './schemas.ts';
import type { LicenceService } from './service.ts';

/** The licence pool of an organisation (R-LIC-1..4). */
export const licenceRoutes: FastifyPluginAsyncZod<{ licences: LicenceService }> = async (app, { licences }) => {
  route(app, c.pool, async (ctx) => ({ pool: await licences.pool(ctx) }));
  route(app, c.quote, async (ctx, { query }) => ({ quote: await licences.quoteFor(ctx, query.quantity, query.bulk) }));
  route(app, c.purchase, async (ctx, { body }, reply) => sendIdempotent(reply, await licences.purchase(ctx, body, idempotencyKeyOf(reply.request))));
  route(app, c.remove, async (ctx, { body }, reply) => sendIdempotent(reply, await licences.removeFree(ctx, body.quantity, idempotencyKeyOf(reply.request))));
  route(app, c.ledger, (ctx, { query }) => licences.ledger(ctx, { pendingOnly: query.pending, limit: query.limit }));
};

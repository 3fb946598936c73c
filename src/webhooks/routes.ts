import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { route } from '../platform/http/route.ts';
import { webhookContracts as c } from './schemas.ts';
import type { WebhookService } from './service.ts';

/** Webhook endpoints (R-INT-4): a practitioner's own under /api/me, an organisation's in its console. */
export const webhookRoutes: FastifyPluginAsyncZod<{ webhooks: WebhookService }> = async (app, { webhooks }) => {
  const { own, org } = webhooks;
  route(app, c.own.list, (ctx) => own.list(ctx));
  route(app, c.own.get, (ctx, { params }) => own.get(ctx, params.endpointId));
  route(app, c.own.create, (ctx, { body }) => own.create(ctx, body));
  route(app, c.own.update, (ctx, { params, body }) => own.update(ctx, params.endpointId, body));
  route(app, c.own.remove, (ctx, { params }) => own.remove(ctx, params.endpointId));
  route(app, c.own.rotate, (ctx, { params }) => own.rotate(ctx, params.endpointId));
  route(app, c.own.test, (ctx, { params }) => own.test(ctx, params.endpointId));
  route(app, c.own.deliveries, (ctx, { params, query }) => own.deliveries(ctx, params.endpointId, query));
  route(app, c.own.resend, (ctx, { params }) => own.resend(ctx, params.endpointId, params.deliveryId));

  route(app, c.org.list, (ctx) => org.list(ctx));
  route(app, c.org.get, (ctx, { params }) => org.get(ctx, params.endpointId));
  route(app, c.org.create, (ctx, { body }) => org.create(ctx, body));
  route(app, c.org.update, (ctx, { params, body }) => org.update(ctx, params.endpointId, body));
  route(app, c.org.remove, (ctx, { params }) => org.remove(ctx, params.endpointId));
  route(app, c.org.rotate, (ctx, { params }) => org.rotate(ctx, params.endpointId));
  route(app, c.org.test, (ctx, { params }) => org.test(ctx, params.endpointId));
  route(app, c.org.deliveries, (ctx, { params, query }) => org.deliveries(ctx, params.endpointId, query));
  route(app, c.org.resend, (ctx, { params }) => org.resend(ctx, params.endpointId, params.deliveryId));
};

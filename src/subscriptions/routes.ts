import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { CollectionService } from '../billing/collection.ts';
import { registerInvoiceRoutes } from '../billing/invoice-routes.ts';
import type { InvoiceService } from '../billing/invoices.ts';
import type { PaymentMethodService } from '../billing/payment-methods.ts';
import type { MembershipService } from '../memberships/service.ts';
import { idempotencyKeyOf, sendIdempotent } from '../platform/idempotency.ts';
import { route } from '../platform/http/route.ts';
import { subscriptionContracts as c } from './schemas.ts';
import type { SubscriptionService } from './service.ts';

interface Options {
  subscriptions: SubscriptionService;
  memberships: MembershipService;
  paymentMethods: PaymentMethodService;
  invoices: InvoiceService;
  collection: CollectionService;
}

/**
 * The subscription page's API (SPEC section 7). Every route but the first two acts on the caller's
 * own subscription ("subscriber" access): nobody else's can be named, so none can leak.
 */
export const subscriptionRoutes: FastifyPluginAsyncZod<Options> = async (app, { subscriptions, memberships, paymentMethods, invoices, collection }) => {
  route(app, c.mine, (ctx) => subscriptions.mine(ctx));
  route(app, c.startTrial, async (ctx) => ({ subscription: await subscriptions.startTrial(ctx) }));
  route(app, c.quote, (ctx, { query }) => subscriptions.quote(ctx, query.colleagues));
  route(app, c.start, async (ctx, { body }, reply) => sendIdempotent(reply, await subscriptions.start(ctx, body.confirmedChargeMinor, idempotencyKeyOf(reply.request))));
  route(app, c.cancel, async (ctx) => ({ subscription: await subscriptions.cancel(ctx) }));
  route(app, c.undoCancel, async (ctx) => ({ subscription: await subscriptions.undoCancel(ctx) }));

  route(app, c.colleagues, (ctx) => subscriptions.colleagues(ctx));
  route(app, c.addColleague, async (ctx, { body }, reply) => {
    const { acknowledgeCost: _ack, ...input } = body;
    return sendIdempotent(reply, await subscriptions.addColleague(ctx, input, idempotencyKeyOf(reply.request)));
  });
  route(app, c.resendInvitation, async (ctx, { params }) => ({ member: await memberships.resend(ctx, params.memberId) }));
  route(app, c.removeColleague, (ctx, { params }) => subscriptions.removeColleague(ctx, params.memberId));
  route(app, c.removeLicences, async (ctx, { body }, reply) => sendIdempotent(reply, await subscriptions.removeLicences(ctx, body.quantity, idempotencyKeyOf(reply.request))));

  route(app, c.paymentMethods, async (ctx) => ({ paymentMethods: await paymentMethods.list(ctx) }));
  route(app, c.addCard, async (ctx, { body }) => ({ paymentMethod: await paymentMethods.add(ctx, body) }));
  route(app, c.removeCard, async (ctx, { params }) => ({ paymentMethods: await paymentMethods.remove(ctx, params.paymentMethodId) }));

  registerInvoiceRoutes(app, c, { invoices, collection });
};

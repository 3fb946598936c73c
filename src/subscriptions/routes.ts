import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { addCardBody } from '../billing/schemas.ts';
import type { CollectionService } from '../billing/collection.ts';
import type { InvoiceService } from '../billing/invoices.ts';
import type { PaymentMethodService } from '../billing/payment-methods.ts';
import { idempotencyHeaders } from '../memberships/schemas.ts';
import type { MembershipService } from '../memberships/service.ts';
import { sendIdempotent } from '../platform/idempotency.ts';
import { colleagueBody, colleagueParams, quoteQuery, removeLicencesBody, startBody, subscriptionInvoiceParams, subscriptionPaymentMethodParams } from './schemas.ts';
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
  const tags = ['subscription'];
  const base = '/api/me/subscription';

  app.get(base, { config: { access: 'signedIn' }, schema: { tags, summary: 'Your subscription (if any) and where your licences come from (R-SUB-1, R-SUB-4)' } }, async (req) => subscriptions.mine(req.ctx));

  app.post(`${base}/trial`, { config: { access: 'signedIn' }, schema: { tags, summary: 'Start the free trial (R-SUB-1)' } }, async (req, reply) =>
    reply.status(201).send({ subscription: await subscriptions.startTrial(req.ctx) }),
  );

  app.get(`${base}/quote`, { config: { access: 'subscriber' }, schema: { tags, summary: 'What continuing, restarting or adding colleagues costs this month (R-LIC-4)', querystring: quoteQuery } }, async (req) =>
    subscriptions.quote(req.ctx, req.query.colleagues),
  );

  app.post(
    `${base}/start`,
    { config: { access: 'subscriber' }, schema: { tags, summary: 'Continue after the trial, or restart an ended subscription (R-SUB-1, R-SUB-3)', body: startBody, headers: idempotencyHeaders } },
    async (req, reply) => sendIdempotent(reply, await subscriptions.start(req.ctx, req.body.confirmedChargeMinor, req.headers['idempotency-key'])),
  );

  app.post(`${base}/cancel`, { config: { access: 'subscriber' }, schema: { tags, summary: 'Cancel at the end of this month (R-SUB-3)' } }, async (req) => ({ subscription: await subscriptions.cancel(req.ctx) }));

  app.delete(`${base}/cancel`, { config: { access: 'subscriber' }, schema: { tags, summary: 'Undo a cancellation before it takes effect (R-SUB-3)' } }, async (req) => ({ subscription: await subscriptions.undoCancel(req.ctx) }));

  app.get(`${base}/colleagues`, { config: { access: 'subscriber' }, schema: { tags, summary: 'Colleagues on your subscription (R-SUB-2)' } }, async (req) => subscriptions.colleagues(req.ctx));

  app.post(
    `${base}/colleagues`,
    { config: { access: 'subscriber' }, schema: { tags, summary: 'Add a colleague by email, acknowledging the extra cost (R-SUB-2)', body: colleagueBody, headers: idempotencyHeaders } },
    async (req, reply) => {
      const { acknowledgeCost: _ack, ...input } = req.body;
      return sendIdempotent(reply, await subscriptions.addColleague(req.ctx, input, req.headers['idempotency-key']));
    },
  );

  app.post(`${base}/colleagues/:memberId/resend`, { config: { access: 'subscriber' }, schema: { tags, summary: "Re-send a colleague's invitation", params: colleagueParams } }, async (req) => ({
    member: await memberships.resend(req.ctx, req.params.memberId),
  }));

  app.delete(`${base}/colleagues/:memberId`, { config: { access: 'subscriber' }, schema: { tags, summary: 'Remove a colleague; the licence count stays (R-SUB-2)', params: colleagueParams } }, async (req) =>
    subscriptions.removeColleague(req.ctx, req.params.memberId),
  );

  app.post(
    `${base}/licences/remove`,
    { config: { access: 'subscriber' }, schema: { tags, summary: 'Lower the licence count by free licences (R-SUB-2, R-LIC-3)', body: removeLicencesBody, headers: idempotencyHeaders } },
    async (req, reply) => sendIdempotent(reply, await subscriptions.removeLicences(req.ctx, req.body.quantity, req.headers['idempotency-key'])),
  );

  app.get(`${base}/payment-methods`, { config: { access: 'subscriber' }, schema: { tags, summary: 'Cards on file (R-LIC-7)' } }, async (req) => ({ paymentMethods: await paymentMethods.list(req.ctx) }));

  app.post(`${base}/payment-methods`, { config: { access: 'subscriber' }, schema: { tags, summary: 'Add a card (primary, then backup)', body: addCardBody } }, async (req, reply) =>
    reply.status(201).send({ paymentMethod: await paymentMethods.add(req.ctx, req.body) }),
  );

  app.delete(`${base}/payment-methods/:paymentMethodId`, { config: { access: 'subscriber' }, schema: { tags, summary: 'Remove a card', params: subscriptionPaymentMethodParams } }, async (req) => ({
    paymentMethods: await paymentMethods.remove(req.ctx, req.params.paymentMethodId),
  }));

  app.get(`${base}/invoices`, { config: { access: 'subscriber' }, schema: { tags, summary: 'Your invoices, newest first (R-LIC-6)' } }, async (req) => ({ invoices: await invoices.list(req.ctx) }));

  app.post(`${base}/invoices/pending`, { config: { access: 'subscriber' }, schema: { tags, summary: 'Invoice pending charges and credits now (R-LIC-5)' } }, async (req, reply) =>
    reply.status(201).send({ invoice: await invoices.issuePendingNow(req.ctx) }),
  );

  app.get(`${base}/invoices/:invoiceId`, { config: { access: 'subscriber' }, schema: { tags, summary: 'One invoice with its lines and payments', params: subscriptionInvoiceParams } }, async (req) => ({
    invoice: await invoices.get(req.ctx, req.params.invoiceId),
  }));

  app.get(`${base}/invoices/:invoiceId/document`, { config: { access: 'subscriber' }, schema: { tags, summary: 'The invoice as a printable page (R-LIC-6)', params: subscriptionInvoiceParams } }, async (req, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'private, no-store').send(await invoices.document(req.ctx, req.params.invoiceId)),
  );

  app.post(`${base}/invoices/:invoiceId/pay`, { config: { access: 'subscriber' }, schema: { tags, summary: 'Retry the payment now (R-LIC-7)', params: subscriptionInvoiceParams } }, async (req) => {
    const outcome = await collection.payNow(req.ctx, req.params.invoiceId);
    return { outcome, invoice: await invoices.get(req.ctx, req.params.invoiceId) };
  });
};

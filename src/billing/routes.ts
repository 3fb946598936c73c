import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { orgParams } from '../organisations/schemas.ts';
import type { PaymentMethodService } from './payment-methods.ts';
import { addCardBody, paymentMethodParams } from './schemas.ts';

export const billingRoutes: FastifyPluginAsyncZod<{ paymentMethods: PaymentMethodService }> = async (app, { paymentMethods }) => {
  const tags = ['billing'];

  app.get('/api/organisations/:orgId/payment-methods', { config: { access: 'org:owner' }, schema: { tags, summary: 'Cards on file (R-LIC-7)', params: orgParams } }, async (req) => ({
    paymentMethods: await paymentMethods.list(req.ctx),
  }));

  app.post('/api/organisations/:orgId/payment-methods', { config: { access: 'org:owner' }, schema: { tags, summary: 'Add a card (primary, then backup) through the payment gateway', params: orgParams, body: addCardBody } }, async (req, reply) =>
    reply.status(201).send({ paymentMethod: await paymentMethods.add(req.ctx, req.body) }),
  );

  app.delete('/api/organisations/:orgId/payment-methods/:paymentMethodId', { config: { access: 'org:owner' }, schema: { tags, summary: 'Remove a card; one stays while billed by card', params: paymentMethodParams } }, async (req) => ({
    paymentMethods: await paymentMethods.remove(req.ctx, req.params.paymentMethodId),
  }));
};

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idempotencyHeaders } from '../memberships/schemas.ts';
import { orgParams } from '../organisations/schemas.ts';
import { sendIdempotent } from '../platform/idempotency.ts';
import { ledgerQuery, purchaseBody, quoteQuery, removeLicencesBody } from './schemas.ts';
import type { LicenceService } from './service.ts';

export const licenceRoutes: FastifyPluginAsyncZod<{ licences: LicenceService }> = async (app, { licences }) => {
  const tags = ['licences'];

  app.get('/api/organisations/:orgId/licences', { config: { access: 'org:users' }, schema: { tags, summary: 'Purchased, assigned, reserved and free licences (R-LIC-1)', params: orgParams } }, async (req) => ({
    pool: await licences.pool(req.ctx),
  }));

  app.get('/api/organisations/:orgId/licences/quote', { config: { access: 'org:users' }, schema: { tags, summary: 'The exact prorated price of adding practitioners or buying licences (R-LIC-2, R-LIC-4)', params: orgParams, querystring: quoteQuery } }, async (req) => ({
    quote: await licences.quoteFor(req.ctx, req.query.quantity, req.query.bulk),
  }));

  app.post(
    '/api/organisations/:orgId/licences/purchase',
    { config: { access: 'org:owner' }, schema: { tags, summary: 'Buy licences in bulk (R-LIC-3)', params: orgParams, body: purchaseBody, headers: idempotencyHeaders } },
    async (req, reply) => {
      const r = await licences.purchase(req.ctx, req.body, req.headers['idempotency-key']);
      return sendIdempotent(reply, r);
    },
  );

  app.post(
    '/api/organisations/:orgId/licences/remove',
    { config: { access: 'org:owner' }, schema: { tags, summary: 'Remove free licences, with a prorated credit (R-LIC-3)', params: orgParams, body: removeLicencesBody, headers: idempotencyHeaders } },
    async (req, reply) => {
      const r = await licences.removeFree(req.ctx, req.body.quantity, req.headers['idempotency-key']);
      return sendIdempotent(reply, r);
    },
  );

  app.get('/api/organisations/:orgId/ledger', { config: { access: 'org:owner' }, schema: { tags, summary: 'Prorated charges and credits (pending ones by default)', params: orgParams, querystring: ledgerQuery } }, async (req) =>
    licences.ledger(req.ctx, { pendingOnly: req.query.pending, limit: req.query.limit }),
  );
};

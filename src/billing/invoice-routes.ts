import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { orgParams } from '../organisations/schemas.ts';
import type { CollectionService } from './collection.ts';
import type { InvoiceService } from './invoices.ts';

const invoiceParams = z.strictObject({ orgId: z.string().max(64), invoiceId: z.uuid({ message: 'Not an invoice id.' }) });

export const invoiceRoutes: FastifyPluginAsyncZod<{ invoices: InvoiceService; collection: CollectionService }> = async (app, { invoices, collection }) => {
  const tags = ['invoices'];

  app.get('/api/organisations/:orgId/invoices', { config: { access: 'org:owner' }, schema: { tags, summary: 'Invoices, newest first (R-LIC-6)', params: orgParams } }, async (req) => ({
    invoices: await invoices.list(req.ctx),
  }));

  app.post('/api/organisations/:orgId/invoices/pending', { config: { access: 'org:owner' }, schema: { tags, summary: 'Invoice pending charges and credits now (R-LIC-5)', params: orgParams } }, async (req, reply) =>
    reply.status(201).send({ invoice: await invoices.issuePendingNow(req.ctx) }),
  );

  app.get('/api/organisations/:orgId/invoices/:invoiceId', { config: { access: 'org:owner' }, schema: { tags, summary: 'One invoice with its lines and payment attempts', params: invoiceParams } }, async (req) => ({
    invoice: await invoices.get(req.ctx, req.params.invoiceId),
  }));

  app.get('/api/organisations/:orgId/invoices/:invoiceId/document', { config: { access: 'org:owner' }, schema: { tags, summary: 'The invoice as a printable page (R-LIC-6)', params: invoiceParams } }, async (req, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'private, no-store').send(await invoices.document(req.ctx, req.params.invoiceId)),
  );

  app.post('/api/organisations/:orgId/invoices/:invoiceId/pay', { config: { access: 'org:owner' }, schema: { tags, summary: 'Retry the payment now (R-LIC-7)', params: invoiceParams } }, async (req) => {
    const outcome = await collection.payNow(req.ctx, req.params.invoiceId);
    return { outcome, invoice: await invoices.get(req.ctx, req.params.invoiceId) };
  });
};

import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { route } from '../platform/http/route.ts';
import type { CollectionService } from './collection.ts';
import type { InvoiceService } from './invoices.ts';
import { billingContracts as c, invoiceDocument } from './schemas.ts';

/** The printable invoice (R-LIC-6): it names the account and its charges, so no cache keeps it. */
export function sendInvoiceDocument(reply: FastifyReply, html: string): FastifyReply {
  return reply.type(invoiceDocument.raw).header('cache-control', 'private, no-store').send(html);
}

/** An organisation's invoices (R-LIC-5..7); its owner's alone. */
export const invoiceRoutes: FastifyPluginAsyncZod<{ invoices: InvoiceService; collection: CollectionService }> = async (app, { invoices, collection }) => {
  route(app, c.invoices, async (ctx) => ({ invoices: await invoices.list(ctx) }));
  route(app, c.issuePending, async (ctx) => ({ invoice: await invoices.issuePendingNow(ctx) }));
  route(app, c.invoice, async (ctx, { params }) => ({ invoice: await invoices.get(ctx, params.invoiceId) }));
  route(app, c.invoiceDocument, async (ctx, { params }, reply) => sendInvoiceDocument(reply, await invoices.document(ctx, params.invoiceId)));
  route(app, c.pay, async (ctx, { params }) => {
    const outcome = await collection.payNow(ctx, params.invoiceId);
    return { outcome, invoice: await invoices.get(ctx, params.invoiceId) };
  });
};

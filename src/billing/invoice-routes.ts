import type { FastifyInstance, FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { route } from '../platform/http/route.ts';
import type { CollectionService } from './collection.ts';
import type { InvoiceService } from './invoices.ts';
import type { subscriptionContracts } from '../subscriptions/schemas.ts';
import { billingContracts as c, invoiceDocument } from './schemas.ts';

/** The printable invoice (R-LIC-6): it names the account and its charges, so no cache keeps it. */
export function sendInvoiceDocument(reply: FastifyReply, html: string): FastifyReply {
  return reply.type(invoiceDocument.raw).header('cache-control', 'private, no-store').send(html);
}

/** The five invoice routes, as the organisation console (org:owner) and the subscription page (subscriber) both declare them. */
export type InvoiceContracts = Pick<typeof c, 'invoices' | 'issuePending' | 'invoice' | 'invoiceDocument' | 'pay'> | Pick<typeof subscriptionContracts, 'invoices' | 'issuePending' | 'invoice' | 'invoiceDocument' | 'pay'>;

/**
 * Registers the invoice routes of one kind of account (R-LIC-5..7): the organisation's, for its
 * owner, or the caller's own subscription's. Both run the same services on the context's organisation.
 */
export function registerInvoiceRoutes(app: FastifyInstance, contracts: InvoiceContracts, { invoices, collection }: { invoices: InvoiceService; collection: CollectionService }): void {
  // Both sets hand the handlers an OrgRequestContext and an invoiceId: typed once, by the console's set.
  const k = contracts as Pick<typeof c, 'invoices' | 'issuePending' | 'invoice' | 'invoiceDocument' | 'pay'>;
  route(app, k.invoices, async (ctx) => ({ invoices: await invoices.list(ctx) }));
  route(app, k.issuePending, async (ctx) => ({ invoice: await invoices.issuePendingNow(ctx) }));
  route(app, k.invoice, async (ctx, { params }) => ({ invoice: await invoices.get(ctx, params.invoiceId) }));
  route(app, k.invoiceDocument, async (ctx, { params }, reply) => sendInvoiceDocument(reply, await invoices.document(ctx, params.invoiceId)));
  route(app, k.pay, async (ctx, { params }) => ({ outcome: await collection.payNow(ctx, params.invoiceId), invoice: await invoices.get(ctx, params.invoiceId) }));
}

/** An organisation's invoices; its owner's alone. */
export const invoiceRoutes: FastifyPluginAsyncZod<{ invoices: InvoiceService; collection: CollectionService }> = async (app, services) => {
  registerInvoiceRoutes(app, c, services);
};

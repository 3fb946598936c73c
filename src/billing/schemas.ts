import { z } from 'zod';
import { orgParams } from '../organisations/schemas.ts';
import { defineContract } from '../platform/http/contract.ts';

export const addCardBody = z.strictObject({
  number: z.string().trim().min(12).max(23).regex(/^[0-9 -]+$/, { message: 'Digits only.' }),
  expMonth: z.number().int().min(1).max(12),
  expYear: z.number().int().min(2000).max(2100),
  cvc: z.string().regex(/^\d{3,4}$/, { message: 'Three or four digits.' }),
});

export type CardInput = z.infer<typeof addCardBody>;

export const paymentMethodParams = z.strictObject({ orgId: z.string().max(64), paymentMethodId: z.uuid() });
export const invoiceParams = z.strictObject({ orgId: z.string().max(64), invoiceId: z.uuid({ message: 'Not an invoice id.' }) });

/** A test card the built-in gateway accepts (src/billing/gateway.ts), for the OpenAPI description. */
export const addCardExample = { number: '4242 4242 4242 4242', expMonth: 12, expYear: 2034, cvc: '123' };

/** R-LIC-7: a card on file, as Motus keeps it: the gateway's brand, the last four digits and the expiry. */
export const paymentMethodView = z.object({
  id: z.uuid(),
  brand: z.string(),
  last4: z.string(),
  expMonth: z.number().int(),
  expYear: z.number().int(),
  /** The primary card is charged first, then the backup (R-LIC-7). */
  role: z.enum(['primary', 'backup']),
  createdAt: z.iso.datetime(),
});
export type PaymentMethodView = z.infer<typeof paymentMethodView>;

export const invoiceStatusSchema = z.enum(['due', 'paid', 'failed', 'nothing_due']);
export type InvoiceStatus = z.infer<typeof invoiceStatusSchema>;

/** R-LIC-5, R-LIC-6: an invoice of an organisation or a subscription. */
export const invoiceView = z.object({
  id: z.uuid(),
  number: z.number().int(),
  /** monthly: issued on the 1st; interim: pending charges invoiced on request. */
  kind: z.enum(['monthly', 'interim']),
  /** "2026-11" for a monthly invoice, null for pending charges invoiced on request. */
  period: z.string().nullable(),
  issuedAt: z.iso.datetime(),
  /** The issue date in the billing time zone. */
  localDate: z.iso.date(),
  currency: z.string(),
  subtotalMinor: z.number().int(),
  creditAppliedMinor: z.number().int(),
  totalMinor: z.number().int(),
  creditCarriedMinor: z.number().int(),
  collection: z.enum(['card', 'manual']),
  status: invoiceStatusSchema,
  paidAt: z.iso.datetime().nullable(),
});
export type InvoiceView = z.infer<typeof invoiceView>;

export const invoiceLineView = z.object({
  kind: z.enum(['licences', 'charge', 'credit', 'credit_applied']),
  description: z.string(),
  quantity: z.number().int().nullable(),
  unitPriceMinor: z.number().int().nullable(),
  /** Signed: credits are negative. */
  amountMinor: z.number().int(),
  localDate: z.iso.date().nullable(),
});
export type InvoiceLineView = z.infer<typeof invoiceLineView>;

export const paymentAttemptView = z.object({
  attempt: z.number().int(),
  status: z.enum(['started', 'succeeded', 'failed']),
  failureReason: z.string().nullable(),
  /** When it finished, or started while it is still under way. */
  at: z.iso.datetime(),
});
export type PaymentAttemptView = z.infer<typeof paymentAttemptView>;

export const invoiceDetailView = invoiceView.extend({ lines: z.array(invoiceLineView), payments: z.array(paymentAttemptView) });
export type InvoiceDetailView = z.infer<typeof invoiceDetailView>;

export const collectOutcome = z.enum(['paid', 'failed', 'skipped']);
export type CollectOutcome = z.infer<typeof collectOutcome>;

export const paymentMethodsAnswer = z.object({ paymentMethods: z.array(paymentMethodView) });
export const paymentMethodAnswer = z.object({ paymentMethod: paymentMethodView });
export const invoicesAnswer = z.object({ invoices: z.array(invoiceView) });
export const invoiceAnswer = z.object({ invoice: invoiceDetailView });
/** What "retry the payment now" did, with the invoice as it stands after it (R-LIC-7). */
export const payAnswer = z.object({ outcome: collectOutcome, invoice: invoiceDetailView });
export type PayAnswer = z.infer<typeof payAnswer>;

export const invoiceDocument = { raw: 'text/html; charset=utf-8', description: 'The invoice as a printable HTML page' } as const;

const billingTags = ['billing'];
const invoiceTags = ['invoices'];

/** An organisation's cards and invoices; its owner's alone (R-ORG-3, section "Payments & billing"). */
export const billingContracts = {
  paymentMethods: defineContract({
    method: 'GET',
    path: '/api/organisations/:orgId/payment-methods',
    access: 'org:owner',
    tags: billingTags,
    summary: 'Cards on file (R-LIC-7)',
    params: orgParams,
    response: paymentMethodsAnswer,
  }),
  addCard: defineContract({
    method: 'POST',
    path: '/api/organisations/:orgId/payment-methods',
    access: 'org:owner',
    tags: billingTags,
    summary: 'Add a card (primary, then backup) through the payment gateway',
    params: orgParams,
    body: addCardBody,
    example: addCardExample,
    status: 201,
    response: paymentMethodAnswer,
  }),
  removeCard: defineContract({
    method: 'DELETE',
    path: '/api/organisations/:orgId/payment-methods/:paymentMethodId',
    access: 'org:owner',
    tags: billingTags,
    summary: 'Remove a card; one stays while billed by card',
    params: paymentMethodParams,
    response: paymentMethodsAnswer,
  }),
  invoices: defineContract({
    method: 'GET',
    path: '/api/organisations/:orgId/invoices',
    access: 'org:owner',
    tags: invoiceTags,
    summary: 'Invoices, newest first (R-LIC-6)',
    params: orgParams,
    response: invoicesAnswer,
  }),
  issuePending: defineContract({
    method: 'POST',
    path: '/api/organisations/:orgId/invoices/pending',
    access: 'org:owner',
    tags: invoiceTags,
    summary: 'Invoice pending charges and credits now (R-LIC-5)',
    params: orgParams,
    status: 201,
    response: invoiceAnswer,
  }),
  invoice: defineContract({
    method: 'GET',
    path: '/api/organisations/:orgId/invoices/:invoiceId',
    access: 'org:owner',
    tags: invoiceTags,
    summary: 'One invoice with its lines and payment attempts',
    params: invoiceParams,
    response: invoiceAnswer,
  }),
  invoiceDocument: defineContract({
    method: 'GET',
    path: '/api/organisations/:orgId/invoices/:invoiceId/document',
    access: 'org:owner',
    tags: invoiceTags,
    summary: 'The invoice as a printable page (R-LIC-6)',
    params: invoiceParams,
    response: invoiceDocument,
  }),
  pay: defineContract({
    method: 'POST',
    path: '/api/organisations/:orgId/invoices/:invoiceId/pay',
    access: 'org:owner',
    tags: invoiceTags,
    summary: 'Retry the payment now (R-LIC-7)',
    params: invoiceParams,
    response: payAnswer,
  }),
};

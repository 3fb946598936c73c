/**
 * Where a billing account's cards and invoices live. An organisation (its console's Licences &
 * billing) and a person's own individual subscription (SPEC section 7) are billed alike, through the
 * same routes under different paths, so the cards and invoices screens take one of these.
 */
import { call, type CallOptions } from '../app/api.ts';
import { billingContracts, type CardInput, type InvoiceDetailView, type InvoiceView, type PayAnswer, type PaymentMethodView } from '../../../src/billing/schemas.ts';
import { licenceContracts } from '../../../src/licences/schemas.ts';
import type { BillingMode } from '../../../src/organisations/schemas.ts';
import { fillPath } from '../../../src/platform/http/contract.ts';
import { subscriptionContracts } from '../../../src/subscriptions/schemas.ts';

/** The requests about an account's cards, invoices and free licences, through its own routes. */
export interface BillingRequests {
  paymentMethods(): Promise<PaymentMethodView[]>;
  addCard(card: CardInput): Promise<PaymentMethodView>;
  /** The cards left after the removal. */
  removeCard(paymentMethodId: string): Promise<PaymentMethodView[]>;
  invoices(): Promise<InvoiceView[]>;
  invoice(invoiceId: string): Promise<InvoiceDetailView>;
  issuePending(): Promise<InvoiceDetailView>;
  pay(invoiceId: string): Promise<PayAnswer>;
  /** R-LIC-3: free licences removed, and what that credits. */
  removeLicences(body: { quantity: number }, options?: CallOptions): Promise<{ creditMinor: number }>;
}

export interface BillingScope {
  kind: 'organisation' | 'subscription';
  /** The query key every answer about this account starts with; invalidating it refreshes them all. */
  key: readonly unknown[];
  requests: BillingRequests;
  /** The printable page of an invoice (a link, opened in a new tab). */
  invoiceDocument: (invoiceId: string) => string;
  /** The page with the account's invoices and cards (sections `#invoices`, `#payment-methods`). */
  page: string;
  /** The page of one invoice: the link the invoice email carries. */
  invoicePage: (invoiceId: string) => string;
}

/** What the cards and invoices screens say about the account they belong to. */
export interface BillingHolder {
  name: string;
  status: 'active' | 'payment_required';
  billingMode: BillingMode;
  billingContactEmail: string | null;
}

export function organisationBilling(orgId: string): BillingScope {
  const id = encodeURIComponent(orgId);
  const c = billingContracts;
  const params = { orgId };
  return {
    kind: 'organisation',
    key: ['organisation', orgId],
    requests: {
      paymentMethods: () => call(c.paymentMethods, { params }).then((a) => a.paymentMethods),
      addCard: (card) => call(c.addCard, { params, body: card }).then((a) => a.paymentMethod),
      removeCard: (paymentMethodId) => call(c.removeCard, { params: { orgId, paymentMethodId } }).then((a) => a.paymentMethods),
      invoices: () => call(c.invoices, { params }).then((a) => a.invoices),
      invoice: (invoiceId) => call(c.invoice, { params: { orgId, invoiceId } }).then((a) => a.invoice),
      issuePending: () => call(c.issuePending, { params }).then((a) => a.invoice),
      pay: (invoiceId) => call(c.pay, { params: { orgId, invoiceId } }),
      removeLicences: (body, options) => call(licenceContracts.remove, { params, body }, options),
    },
    invoiceDocument: (invoiceId) => fillPath(c.invoiceDocument.path, { orgId, invoiceId }),
    page: `/console/${id}/billing`,
    invoicePage: (invoiceId) => `/console/${id}/billing/invoices/${encodeURIComponent(invoiceId)}`,
  };
}

const sub = subscriptionContracts;

/** The signed-in person's own subscription (`/api/me/subscription`, the page `/subscription`). */
export const SUBSCRIPTION_BILLING: BillingScope = {
  kind: 'subscription',
  key: ['subscription'],
  requests: {
    paymentMethods: () => call(sub.paymentMethods).then((a) => a.paymentMethods),
    addCard: (card) => call(sub.addCard, { body: card }).then((a) => a.paymentMethod),
    removeCard: (paymentMethodId) => call(sub.removeCard, { params: { paymentMethodId } }).then((a) => a.paymentMethods),
    invoices: () => call(sub.invoices).then((a) => a.invoices),
    invoice: (invoiceId) => call(sub.invoice, { params: { invoiceId } }).then((a) => a.invoice),
    issuePending: () => call(sub.issuePending).then((a) => a.invoice),
    pay: (invoiceId) => call(sub.pay, { params: { invoiceId } }),
    removeLicences: (body, options) => call(sub.removeLicences, { body }, options),
  },
  invoiceDocument: (invoiceId) => fillPath(sub.invoiceDocument.path, { invoiceId }),
  page: '/subscription',
  invoicePage: (invoiceId) => `/subscription/invoices/${encodeURIComponent(invoiceId)}`,
};

/** The sentences of the cards screen that depend on whose cards they are. */
export function cardRules(kind: BillingScope['kind']): { noCard: string; onlyCard: string; lastCard: string; limit: string } {
  if (kind === 'subscription') {
    return {
      noCard: 'No card on file yet. A paid subscription needs one: add it before continuing after the trial or adding colleagues.',
      onlyCard: 'This is your only card. A paid subscription always keeps one: add a backup card before removing it.',
      lastCard: 'This is the only card. A subscription billed by card keeps at least one, so Motus will refuse: add another card first, then remove this one.',
      limit: 'A subscription keeps one main card and one backup. Remove one to add another.',
    };
  }
  return {
    noCard: 'No card on file yet. Add one to buy licences: adding a practitioner when no licence is free needs it.',
    onlyCard: 'This is your only card. An organisation billed by card always keeps one: add a backup card before removing it.',
    lastCard: 'This is the only card. An organisation billed by card keeps at least one, so Motus will refuse: add another card first, then remove this one.',
    limit: 'An organisation keeps one main card and one backup. Remove one to add another.',
  };
}

/**
 * Where a billing account's cards and invoices live. An organisation (its console's Licences &
 * billing) and a person's own individual subscription (SPEC section 7) are billed alike, through the
 * same routes under different paths, so the cards and invoices screens take one of these.
 */
import type { BillingMode } from './types.ts';

export interface BillingScope {
  kind: 'organisation' | 'subscription';
  /** The query key every answer about this account starts with; invalidating it refreshes them all. */
  key: readonly unknown[];
  /** The API path of `rest` ("/invoices") under the account. */
  api: (rest?: string) => string;
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
  return {
    kind: 'organisation',
    key: ['organisation', orgId],
    api: (rest = '') => `/api/organisations/${id}${rest}`,
    page: `/console/${id}/billing`,
    invoicePage: (invoiceId) => `/console/${id}/billing/invoices/${encodeURIComponent(invoiceId)}`,
  };
}

/** The signed-in person's own subscription (`/api/me/subscription`, the page `/subscription`). */
export const SUBSCRIPTION_BILLING: BillingScope = {
  kind: 'subscription',
  key: ['subscription'],
  api: (rest = '') => `/api/me/subscription${rest}`,
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

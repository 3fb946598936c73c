/** Query keys and fetchers of a billing account's cards and invoices. Every key starts with the account's key (BillingScope.key). */
import { queryOptions, useQueries, useQuery, type QueryClient } from '@tanstack/react-query';
import { WORKSPACE_QUERY_KEY } from '../organisations/workspace.ts';
import type { BillingScope } from './billing.ts';
import { canRetryPayment, collectionUnderway, lastPaymentFailed } from './invoices.ts';
import type { InvoiceView } from '../../../src/billing/schemas.ts';

export function usePaymentMethods(billing: BillingScope) {
  return useQuery({
    queryKey: [...billing.key, 'payment-methods'],
    queryFn: () => billing.requests.paymentMethods(),
    staleTime: 0,
  });
}

export const invoicesKey = (billing: BillingScope) => [...billing.key, 'invoices'] as const;
export const invoiceKey = (billing: BillingScope, invoiceId: string) => [...billing.key, 'invoices', invoiceId] as const;

/** The account's invoices, newest first (its owner). While a new card invoice is being charged, asked again every few seconds. */
export function useInvoices(billing: BillingScope, enabled = true) {
  return useQuery({
    queryKey: invoicesKey(billing),
    queryFn: () => billing.requests.invoices(),
    enabled,
    staleTime: 5_000,
    refetchInterval: (query) => (query.state.data?.some((invoice) => collectionUnderway(invoice)) ? 3_000 : false),
  });
}

/** One invoice with its lines and payment attempts; asked again every few seconds while its first charge is under way. */
export function invoiceQuery(billing: BillingScope, invoiceId: string, staleTime = 0) {
  return queryOptions({
    queryKey: invoiceKey(billing, invoiceId),
    queryFn: () => billing.requests.invoice(invoiceId),
    staleTime,
    refetchInterval: (query) => (query.state.data && collectionUnderway(query.state.data) ? 3_000 : false),
  });
}

export function useInvoice(billing: BillingScope, invoiceId: string) {
  return useQuery(invoiceQuery(billing, invoiceId));
}

/**
 * The payment attempts of the invoices still waiting for a card payment (the list itself does not
 * carry them), so the list can tell "Due" from "Payment failed".
 */
export function useFailedInvoiceIds(billing: BillingScope, invoices: readonly InvoiceView[]): Set<string> {
  const waiting = invoices.filter(canRetryPayment).slice(0, 6);
  const details = useQueries({ queries: waiting.map((invoice) => invoiceQuery(billing, invoice.id, 5_000)) });
  return new Set(details.flatMap((d) => (d.data && lastPaymentFailed(d.data.payments) ? [d.data.id] : [])));
}

/** After a change to cards or invoices: everything shown about the account, and the workspace, is asked for again. */
export function refreshBilling(queryClient: QueryClient, billing: BillingScope): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: billing.key }),
    queryClient.invalidateQueries({ queryKey: WORKSPACE_QUERY_KEY }),
  ]);
}

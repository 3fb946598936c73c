/** Query keys and fetchers of the organisation console. Every key starts with ['organisation', orgId]. */
import { keepPreviousData, queryOptions, useQueries, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from '../app/api.ts';
import { WORKSPACE_QUERY_KEY } from '../organisations/workspace.ts';
import { canRetryPayment, collectionUnderway, lastPaymentFailed } from './invoices.ts';
import type { AccessLogItem, Invoice, InvoiceDetail, LedgerEntry, Member, OrganisationAnswer, PaymentMethod, Pool, Quote } from './types.ts';

export const organisationKey = (orgId: string) => ['organisation', orgId] as const;

export interface MembersParams {
  search: string;
  status: string;
  limit: number;
  offset: number;
}

export function membersPath(orgId: string, params: MembersParams): string {
  const query = new URLSearchParams();
  if (params.search.trim()) query.set('search', params.search.trim());
  if (params.status) query.set('status', params.status);
  query.set('limit', String(params.limit));
  query.set('offset', String(params.offset));
  return `/api/organisations/${encodeURIComponent(orgId)}/members?${query.toString()}`;
}

export function orgPath(orgId: string, rest = ''): string {
  return `/api/organisations/${encodeURIComponent(orgId)}${rest}`;
}

export function useOrganisation(orgId: string) {
  return useQuery({
    queryKey: [...organisationKey(orgId), 'summary'],
    queryFn: () => api<OrganisationAnswer>(orgPath(orgId)),
    staleTime: 10_000,
  });
}

export function useMembers(orgId: string, params: MembersParams, enabled = true) {
  return useQuery({
    queryKey: [...organisationKey(orgId), 'members', params],
    queryFn: () => api<{ members: Member[]; total: number }>(membersPath(orgId, params)),
    placeholderData: keepPreviousData,
    staleTime: 5_000,
    enabled,
  });
}

export function useMember(orgId: string, memberId: string) {
  return useQuery({
    queryKey: [...organisationKey(orgId), 'member', memberId],
    queryFn: () => api<{ member: Member; accessLog: AccessLogItem[] }>(orgPath(orgId, `/members/${encodeURIComponent(memberId)}`)),
    staleTime: 0,
  });
}

/** What one more practitioner (or `quantity` bulk licences) costs now (R-LIC-2). */
export function useQuote(orgId: string, quantity: number, bulk: boolean, enabled = true) {
  return useQuery({
    queryKey: [...organisationKey(orgId), 'quote', quantity, bulk],
    queryFn: () => api<{ quote: Quote }>(orgPath(orgId, `/licences/quote?quantity=${quantity}${bulk ? '&bulk=true' : ''}`)).then((a) => a.quote),
    enabled: enabled && quantity >= 1,
    staleTime: 0,
    placeholderData: keepPreviousData,
  });
}

export function usePool(orgId: string) {
  return useQuery({
    queryKey: [...organisationKey(orgId), 'pool'],
    queryFn: () => api<{ pool: Pool }>(orgPath(orgId, '/licences')).then((a) => a.pool),
    staleTime: 0,
  });
}

export function useLedger(orgId: string) {
  return useQuery({
    queryKey: [...organisationKey(orgId), 'ledger'],
    queryFn: () => api<{ entries: LedgerEntry[]; netMinor: number }>(orgPath(orgId, '/ledger?pending=true')),
    staleTime: 0,
  });
}

export function usePaymentMethods(orgId: string) {
  return useQuery({
    queryKey: [...organisationKey(orgId), 'payment-methods'],
    queryFn: () => api<{ paymentMethods: PaymentMethod[] }>(orgPath(orgId, '/payment-methods')).then((a) => a.paymentMethods),
    staleTime: 0,
  });
}

export const invoicesKey = (orgId: string) => [...organisationKey(orgId), 'invoices'] as const;
export const invoiceKey = (orgId: string, invoiceId: string) => [...organisationKey(orgId), 'invoices', invoiceId] as const;

/** The organisation's invoices, newest first (owner). While a new card invoice is being charged, asked again every few seconds. */
export function useInvoices(orgId: string, enabled = true) {
  return useQuery({
    queryKey: invoicesKey(orgId),
    queryFn: () => api<{ invoices: Invoice[] }>(orgPath(orgId, '/invoices')).then((a) => a.invoices),
    enabled,
    staleTime: 5_000,
    refetchInterval: (query) => (query.state.data?.some((invoice) => collectionUnderway(invoice)) ? 3_000 : false),
  });
}

/** One invoice with its lines and payment attempts; asked again every few seconds while its first charge is under way. */
export function invoiceQuery(orgId: string, invoiceId: string, staleTime = 0) {
  return queryOptions({
    queryKey: invoiceKey(orgId, invoiceId),
    queryFn: () => api<{ invoice: InvoiceDetail }>(orgPath(orgId, `/invoices/${encodeURIComponent(invoiceId)}`)).then((a) => a.invoice),
    staleTime,
    refetchInterval: (query) => (query.state.data && collectionUnderway(query.state.data) ? 3_000 : false),
  });
}

export function useInvoice(orgId: string, invoiceId: string) {
  return useQuery(invoiceQuery(orgId, invoiceId));
}

/**
 * The payment attempts of the invoices still waiting for a card payment (the list itself does not
 * carry them), so the list can tell "Due" from "Payment failed".
 */
export function useFailedInvoiceIds(orgId: string, invoices: readonly Invoice[]): Set<string> {
  const waiting = invoices.filter(canRetryPayment).slice(0, 6);
  const details = useQueries({ queries: waiting.map((invoice) => invoiceQuery(orgId, invoice.id, 5_000)) });
  return new Set(details.flatMap((d) => (d.data && lastPaymentFailed(d.data.payments) ? [d.data.id] : [])));
}

/** After any change: everything the console shows about the organisation is asked for again. */
export function refreshOrganisation(queryClient: QueryClient, orgId: string): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: organisationKey(orgId) }),
    queryClient.invalidateQueries({ queryKey: WORKSPACE_QUERY_KEY }),
  ]);
}

export function useRefreshOrganisation(orgId: string) {
  const queryClient = useQueryClient();
  return () => refreshOrganisation(queryClient, orgId);
}

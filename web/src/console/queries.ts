/** Query keys and fetchers of the organisation console. Every key starts with ['organisation', orgId]. */
import { keepPreviousData, queryOptions, useQueries, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from '../app/api.ts';
import { WORKSPACE_QUERY_KEY } from '../organisations/workspace.ts';
import { organisationBilling, type BillingScope } from './billing.ts';
import { canRetryPayment, collectionUnderway, lastPaymentFailed } from './invoices.ts';
import { IMPORT_POLL_MS } from './clinical.ts';
import type { AccessLogItem, Invoice, InvoiceDetail, LedgerEntry, Member, OrganisationAnswer, PatientImport, PaymentMethod, Pool, ProgrammeCounts, Quote, SharingSettings, Transferable } from './types.ts';

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

export function usePaymentMethods(billing: BillingScope) {
  return useQuery({
    queryKey: [...billing.key, 'payment-methods'],
    queryFn: () => api<{ paymentMethods: PaymentMethod[] }>(billing.api('/payment-methods')).then((a) => a.paymentMethods),
    staleTime: 0,
  });
}

export const invoicesKey = (billing: BillingScope) => [...billing.key, 'invoices'] as const;
export const invoiceKey = (billing: BillingScope, invoiceId: string) => [...billing.key, 'invoices', invoiceId] as const;

/** The account's invoices, newest first (its owner). While a new card invoice is being charged, asked again every few seconds. */
export function useInvoices(billing: BillingScope, enabled = true) {
  return useQuery({
    queryKey: invoicesKey(billing),
    queryFn: () => api<{ invoices: Invoice[] }>(billing.api('/invoices')).then((a) => a.invoices),
    enabled,
    staleTime: 5_000,
    refetchInterval: (query) => (query.state.data?.some((invoice) => collectionUnderway(invoice)) ? 3_000 : false),
  });
}

/** One invoice with its lines and payment attempts; asked again every few seconds while its first charge is under way. */
export function invoiceQuery(billing: BillingScope, invoiceId: string, staleTime = 0) {
  return queryOptions({
    queryKey: invoiceKey(billing, invoiceId),
    queryFn: () => api<{ invoice: InvoiceDetail }>(billing.api(`/invoices/${encodeURIComponent(invoiceId)}`)).then((a) => a.invoice),
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
export function useFailedInvoiceIds(billing: BillingScope, invoices: readonly Invoice[]): Set<string> {
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

/** After any change: everything the console shows about the organisation is asked for again. */
export function refreshOrganisation(queryClient: QueryClient, orgId: string): Promise<unknown> {
  return refreshBilling(queryClient, organisationBilling(orgId));
}

export function useRefreshOrganisation(orgId: string) {
  const queryClient = useQueryClient();
  return () => refreshOrganisation(queryClient, orgId);
}

/** The members who hold practitioner access now (active), for choosing a colleague or an import's practitioner. */
export function usePractitioners(orgId: string, enabled = true) {
  const members = useMembers(orgId, { search: '', status: 'active', limit: 200, offset: 0 }, enabled);
  return { ...members, practitioners: members.data?.members.filter((m) => m.roles.practitioner) ?? [] };
}

/** A member's programme counts (R-PRA-3, R-PRA-5): counts only, never clinical details. */
export function useProgrammeCounts(orgId: string, memberId: string, enabled = true) {
  return useQuery({
    queryKey: [...organisationKey(orgId), 'member', memberId, 'programme-counts'],
    queryFn: () => api<ProgrammeCounts>(orgPath(orgId, `/members/${encodeURIComponent(memberId)}/programme-counts`)),
    enabled,
    staleTime: 0,
  });
}

/**
 * A member's patients (name and year of birth), exercises and templates for a transfer. Each
 * listing is recorded in the audit trail (R-PAT-2), so it is asked for only while the transfer
 * dialog is open, and forgotten when it closes.
 */
export function useTransferable(orgId: string, memberId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...organisationKey(orgId), 'member', memberId, 'transferable'],
    queryFn: () => api<Transferable>(orgPath(orgId, `/members/${encodeURIComponent(memberId)}/transferable`)),
    enabled,
    staleTime: Infinity,
    gcTime: 0,
    refetchOnWindowFocus: false,
    retry: false,
  });
}

export const sharingKey = (orgId: string) => [...organisationKey(orgId), 'sharing'] as const;

export function useSharing(orgId: string) {
  return useQuery({
    queryKey: sharingKey(orgId),
    queryFn: () => api<SharingSettings>(orgPath(orgId, '/sharing')),
    staleTime: 0,
  });
}

export const importsKey = (orgId: string) => [...organisationKey(orgId), 'patient-imports'] as const;

/** Recent patient imports; asked again every few seconds while one is still running. */
export function useImports(orgId: string) {
  return useQuery({
    queryKey: importsKey(orgId),
    queryFn: () => api<{ imports: PatientImport[] }>(orgPath(orgId, '/patient-imports')).then((a) => a.imports),
    staleTime: 0,
    refetchInterval: (query) => (query.state.data?.some((i) => i.status === 'pending') ? 3_000 : false),
  });
}

/** One import, asked about again every second or two until it is done or failed. */
export function useImport(orgId: string, importId: string | null) {
  return useQuery({
    queryKey: [...importsKey(orgId), importId],
    queryFn: () => api<{ import: PatientImport }>(orgPath(orgId, `/patient-imports/${encodeURIComponent(importId ?? '')}`)).then((a) => a.import),
    enabled: importId !== null,
    staleTime: 0,
    refetchInterval: (query) => (query.state.status === 'error' || (query.state.data && query.state.data.status !== 'pending') ? false : IMPORT_POLL_MS),
  });
}

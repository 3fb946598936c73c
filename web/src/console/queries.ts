/** Query keys and fetchers of the organisation console. Every key starts with ['organisation', orgId]. */
import { keepPreviousData, queryOptions, useQueries, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { call } from '../app/api.ts';
import { WORKSPACE_QUERY_KEY } from '../organisations/workspace.ts';
import { organisationBilling, type BillingScope } from './billing.ts';
import { canRetryPayment, collectionUnderway, lastPaymentFailed } from './invoices.ts';
import { IMPORT_POLL_MS } from './clinical.ts';
import { membershipContracts, type MemberStatusFilter } from '../../../src/memberships/schemas.ts';
import { organisationContracts } from '../../../src/organisations/schemas.ts';
import { importContracts } from '../../../src/imports/schemas.ts';
import { programmeContracts } from '../../../src/programmes/schemas.ts';
import { sharingContracts } from '../../../src/sharing/schemas.ts';
import { transferContracts } from '../../../src/transfers/schemas.ts';
import type { InvoiceView } from '../../../src/billing/schemas.ts';
import { licenceContracts } from '../../../src/licences/schemas.ts';

export const organisationKey = (orgId: string) => ['organisation', orgId] as const;

export interface MembersParams {
  search: string;
  /** '' lists the current members (the server's default). */
  status: MemberStatusFilter | '';
  limit: number;
  offset: number;
}

export function useOrganisation(orgId: string) {
  return useQuery({
    queryKey: [...organisationKey(orgId), 'summary'],
    queryFn: () => call(organisationContracts.get, { params: { orgId } }),
    staleTime: 10_000,
  });
}

export function useMembers(orgId: string, params: MembersParams, enabled = true) {
  return useQuery({
    queryKey: [...organisationKey(orgId), 'members', params],
    queryFn: () =>
      call(membershipContracts.list, {
        params: { orgId },
        query: { search: params.search.trim() || undefined, status: params.status || undefined, limit: params.limit, offset: params.offset },
      }),
    placeholderData: keepPreviousData,
    staleTime: 5_000,
    enabled,
  });
}

export function useMember(orgId: string, memberId: string) {
  return useQuery({
    queryKey: [...organisationKey(orgId), 'member', memberId],
    queryFn: () => call(membershipContracts.detail, { params: { orgId, memberId } }),
    staleTime: 0,
  });
}

/** What one more practitioner (or `quantity` bulk licences) costs now (R-LIC-2). */
export function useQuote(orgId: string, quantity: number, bulk: boolean, enabled = true) {
  return useQuery({
    queryKey: [...organisationKey(orgId), 'quote', quantity, bulk],
    queryFn: () => call(licenceContracts.quote, { params: { orgId }, query: { quantity, bulk: bulk ? 'true' : undefined } }).then((a) => a.quote),
    enabled: enabled && quantity >= 1,
    staleTime: 0,
    placeholderData: keepPreviousData,
  });
}

export function usePool(orgId: string) {
  return useQuery({
    queryKey: [...organisationKey(orgId), 'pool'],
    queryFn: () => call(licenceContracts.pool, { params: { orgId } }).then((a) => a.pool),
    staleTime: 0,
  });
}

export function useLedger(orgId: string) {
  return useQuery({
    queryKey: [...organisationKey(orgId), 'ledger'],
    queryFn: () => call(licenceContracts.ledger, { params: { orgId }, query: { pending: 'true' } }),
    staleTime: 0,
  });
}

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
    queryFn: () => call(programmeContracts.countsForMember, { params: { orgId, memberId } }),
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
    queryFn: () => call(transferContracts.transferable, { params: { orgId, memberId } }),
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
    queryFn: () => call(sharingContracts.settings, { params: { orgId } }),
    staleTime: 0,
  });
}

export const importsKey = (orgId: string) => [...organisationKey(orgId), 'patient-imports'] as const;

/** Recent patient imports; asked again every few seconds while one is still running. */
export function useImports(orgId: string) {
  return useQuery({
    queryKey: importsKey(orgId),
    queryFn: () => call(importContracts.list, { params: { orgId } }).then((a) => a.imports),
    staleTime: 0,
    refetchInterval: (query) => (query.state.data?.some((i) => i.status === 'pending') ? 3_000 : false),
  });
}

/** One import, asked about again every second or two until it is done or failed. */
export function useImport(orgId: string, importId: string | null) {
  return useQuery({
    queryKey: [...importsKey(orgId), importId],
    queryFn: () => call(importContracts.get, { params: { orgId, importId: importId ?? '' } }).then((a) => a.import),
    enabled: importId !== null,
    staleTime: 0,
    refetchInterval: (query) => (query.state.status === 'error' || (query.state.data && query.state.data.status !== 'pending') ? false : IMPORT_POLL_MS),
  });
}

/** Query keys and fetchers of an organisation's licence pool: quotes, the pool and its ledger. Every key starts with ['organisation', orgId]. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { call } from '../app/api.ts';
import { organisationKey } from '../app/queryKeys.ts';
import { licenceContracts } from '../../../src/licences/schemas.ts';

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

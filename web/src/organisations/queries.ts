/** Query keys and fetchers of an organisation's summary, and the refresh after any change in its console. */
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { call } from '../app/api.ts';
import { organisationKey } from '../app/queryKeys.ts';
import { organisationBilling } from '../billing/billing.ts';
import { refreshBilling } from '../billing/queries.ts';
import { organisationContracts } from '../../../src/organisations/schemas.ts';

export function useOrganisation(orgId: string) {
  return useQuery({
    queryKey: [...organisationKey(orgId), 'summary'],
    queryFn: () => call(organisationContracts.get, { params: { orgId } }),
    staleTime: 10_000,
  });
}

/** After any change: everything the console shows about the organisation is asked for again. */
export function refreshOrganisation(queryClient: QueryClient, orgId: string): Promise<unknown> {
  return refreshBilling(queryClient, organisationBilling(orgId));
}

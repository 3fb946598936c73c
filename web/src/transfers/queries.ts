/** Query keys and fetchers of transfers between members. Every key starts with ['organisation', orgId]. */
import { useQuery } from '@tanstack/react-query';
import { call } from '../app/api.ts';
import { organisationKey } from '../app/queryKeys.ts';
import { transferContracts } from '../../../src/transfers/schemas.ts';

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

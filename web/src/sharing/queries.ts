/** Query keys and fetchers of an organisation's sharing settings. Every key starts with ['organisation', orgId]. */
import { useQuery } from '@tanstack/react-query';
import { call } from '../app/api.ts';
import { organisationKey } from '../app/queryKeys.ts';
import { sharingContracts } from '../../../src/sharing/schemas.ts';

export const sharingKey = (orgId: string) => [...organisationKey(orgId), 'sharing'] as const;

export function useSharing(orgId: string) {
  return useQuery({
    queryKey: sharingKey(orgId),
    queryFn: () => call(sharingContracts.settings, { params: { orgId } }),
    staleTime: 0,
  });
}

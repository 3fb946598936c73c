/** Query keys and fetchers of API keys (R-INT-3) and PMS links (R-INT-1), and the refresh after a change. */
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { integrationContracts } from '../../../src/integrations/schemas.ts';
import { call } from '../app/api.ts';
import { organisationKey } from '../app/queryKeys.ts';
import { useAccount } from '../sessions/session.tsx';

const OWN_KEYS = ['api-keys'] as const;

export const ownKeysKey = (accountId: string) => [...OWN_KEYS, accountId] as const;
export const orgKeysKey = (orgId: string) => [...organisationKey(orgId), 'api-keys'] as const;
export const orgLinksKey = (orgId: string) => [...organisationKey(orgId), 'pms-links'] as const;
export const ownLinkKey = (orgId: string) => [...organisationKey(orgId), 'pms-link', 'mine'] as const;

/** The signed-in person's own keys, PMS-link keys included, newest first. */
export function useOwnKeys() {
  const account = useAccount();
  return useQuery({
    queryKey: ownKeysKey(account.id),
    queryFn: () => call(integrationContracts.ownKeys),
    staleTime: 0,
  });
}

/** Every key limited to the organisation: its own, its practitioners' and its PMS links'. */
export function useOrgKeys(orgId: string) {
  return useQuery({
    queryKey: orgKeysKey(orgId),
    queryFn: () => call(integrationContracts.orgKeys, { params: { orgId } }),
    staleTime: 0,
  });
}

export function useOrgLinks(orgId: string) {
  return useQuery({
    queryKey: orgLinksKey(orgId),
    queryFn: () => call(integrationContracts.links, { params: { orgId } }),
    staleTime: 0,
  });
}

/** The signed-in practitioner's own PMS link in one organisation, or null. */
export function useOwnLink(orgId: string) {
  return useQuery({
    queryKey: ownLinkKey(orgId),
    queryFn: () => call(integrationContracts.ownLink, { params: { orgId } }),
    staleTime: 0,
  });
}

/**
 * After a key or link changes: a key shows in its owner's list and in its practice's list, and a
 * link's key in both, so every list of keys and links is asked for again.
 */
export function refreshIntegrations(queryClient: QueryClient): Promise<unknown> {
  return queryClient.invalidateQueries({
    predicate: (query) => {
      const key = query.queryKey;
      if (key[0] === OWN_KEYS[0]) return true;
      return key[0] === 'organisation' && (key[2] === 'api-keys' || key[2] === 'pms-links' || key[2] === 'pms-link');
    },
  });
}

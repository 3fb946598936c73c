/** Query keys and fetchers of an organisation's members. Every key starts with ['organisation', orgId]. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { call } from '../app/api.ts';
import { organisationKey } from '../app/queryKeys.ts';
import { membershipContracts, type MemberStatusFilter } from '../../../src/memberships/schemas.ts';

export interface MembersParams {
  search: string;
  /** '' lists the current members (the server's default). */
  status: MemberStatusFilter | '';
  limit: number;
  offset: number;
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

/** The members who hold practitioner access now (active), for choosing a colleague or an import's practitioner. */
export function usePractitioners(orgId: string, enabled = true) {
  const members = useMembers(orgId, { search: '', status: 'active', limit: 200, offset: 0 }, enabled);
  return { ...members, practitioners: members.data?.members.filter((m) => m.roles.practitioner) ?? [] };
}

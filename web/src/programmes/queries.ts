/** Query keys and fetchers of programmes and templates, and of a member's programme counts (the console). */
import { useQuery } from '@tanstack/react-query';
import { programmeContracts } from '../../../src/programmes/schemas.ts';
import { call } from '../app/api.ts';
import { organisationKey } from '../app/queryKeys.ts';

export const TEMPLATES_KEY = ['templates'] as const;
export const programmeKey = (programmeId: string) => ['programmes', programmeId] as const;

export function useProgramme(programmeId: string) {
  return useQuery({
    queryKey: programmeKey(programmeId),
    queryFn: () => call(programmeContracts.get, { params: { programmeId } }).then((a) => a.programme),
    staleTime: 0,
  });
}

export function useTemplates(enabled = true) {
  return useQuery({
    queryKey: TEMPLATES_KEY,
    queryFn: () => call(programmeContracts.templates).then((a) => a.templates),
    enabled,
    staleTime: 30_000,
  });
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

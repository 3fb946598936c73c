/** Query keys and fetchers of programmes and templates. */
import { useQuery } from '@tanstack/react-query';
import { programmeContracts } from '../../../src/programmes/schemas.ts';
import { call } from '../app/api.ts';

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

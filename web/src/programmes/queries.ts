/** Query keys and fetchers of programmes and templates. */
import { useQuery } from '@tanstack/react-query';
import { api } from '../app/api.ts';
import { programmePath } from '../patients/queries.ts';
import type { Programme, Template } from './types.ts';

export const TEMPLATES_KEY = ['templates'] as const;
export const programmeKey = (programmeId: string) => ['programmes', programmeId] as const;

export function useProgramme(programmeId: string) {
  return useQuery({
    queryKey: programmeKey(programmeId),
    queryFn: () => api<{ programme: Programme }>(programmePath(programmeId)).then((a) => a.programme),
    staleTime: 0,
  });
}

export function useTemplates(enabled = true) {
  return useQuery({
    queryKey: TEMPLATES_KEY,
    queryFn: () => api<{ templates: Template[] }>('/api/templates').then((a) => a.templates),
    enabled,
    staleTime: 30_000,
  });
}

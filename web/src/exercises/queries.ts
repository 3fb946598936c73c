/** Query keys and fetchers of the exercise library. Every key starts with ['exercises']. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../app/api.ts';
import type { Exercise, ExerciseFilterValues } from './types.ts';

export const EXERCISES_KEY = ['exercises'] as const;

export interface ExercisePage {
  limit: number;
  offset: number;
}

export function exercisesPath(filters: ExerciseFilterValues, page: ExercisePage): string {
  const query = new URLSearchParams();
  if (filters.search.trim()) query.set('search', filters.search.trim());
  if (filters.region) query.set('region', filters.region);
  if (filters.equipment) query.set('equipment', filters.equipment);
  if (filters.kind) query.set('kind', filters.kind);
  if (filters.source !== 'all') query.set('source', filters.source);
  query.set('limit', String(page.limit));
  query.set('offset', String(page.offset));
  return `/api/exercises?${query.toString()}`;
}

export function useExercises(filters: ExerciseFilterValues, page: ExercisePage) {
  return useQuery({
    queryKey: [...EXERCISES_KEY, 'list', filters, page],
    queryFn: () => api<{ exercises: Exercise[]; total: number }>(exercisesPath(filters, page)),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

/** Query keys and fetchers of the exercise library. Every key starts with ['exercises']. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { exerciseContracts } from '../../../src/exercises/schemas.ts';
import { call } from '../app/api.ts';
import { exercisesQuery, type ExerciseFilterValues, type ExercisePage } from './filters.ts';

export const EXERCISES_KEY = ['exercises'] as const;

export function useExercises(filters: ExerciseFilterValues, page: ExercisePage) {
  return useQuery({
    queryKey: [...EXERCISES_KEY, 'list', filters, page],
    queryFn: () => call(exerciseContracts.list, { query: exercisesQuery(filters, page) }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

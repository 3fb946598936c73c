/** The library's filter bar: what the practitioner has chosen, and the list query it asks for. */
import type { ClientInput } from '../../../src/platform/http/contract.ts';
import { exerciseContracts, type ExerciseSource } from '../../../src/exercises/schemas.ts';

export interface ExerciseFilterValues {
  search: string;
  /** '' for every region. */
  region: string;
  /** '' for any equipment. */
  equipment: string;
  /** '' for every kind. */
  kind: string;
  source: ExerciseSource;
}

export const NO_EXERCISE_FILTERS: ExerciseFilterValues = { search: '', region: '', equipment: '', kind: '', source: 'all' };

export interface ExercisePage {
  limit: number;
  offset: number;
}

type ExercisesQuery = NonNullable<ClientInput<typeof exerciseContracts.list>['query']>;

/** The list query: only the filters that are set, then the page. */
export function exercisesQuery(filters: ExerciseFilterValues, page: ExercisePage): ExercisesQuery {
  const search = filters.search.trim();
  return {
    ...(search ? { search } : {}),
    ...(filters.region ? { region: filters.region } : {}),
    ...(filters.equipment ? { equipment: filters.equipment } : {}),
    ...(filters.kind ? { kind: filters.kind } : {}),
    ...(filters.source !== 'all' ? { source: filters.source } : {}),
    limit: page.limit,
    offset: page.offset,
  };
}

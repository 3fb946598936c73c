import { Button, Paper, SimpleGrid, Stack } from '@mantine/core';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Pager } from '../app/Pager.tsx';
import { PageHeader, EmptyState, ErrorBlock, LoadingBlock } from '../app/ui.tsx';
import { ExerciseCard } from './ExerciseCard.tsx';
import { ExerciseDrawer } from './ExerciseDrawer.tsx';
import { ExerciseFilters } from './ExerciseFilters.tsx';
import { NewExerciseDialog } from './NewExerciseDialog.tsx';
import { useExercises } from './queries.ts';
import type { ExerciseView } from '../../../src/exercises/schemas.ts';
import { NO_EXERCISE_FILTERS, type ExerciseFilterValues } from './filters.ts';

const PAGE_SIZE = 24;

function filtersFrom(params: URLSearchParams): ExerciseFilterValues {
  const source = params.get('source');
  return {
    search: params.get('q') ?? '',
    region: params.get('region') ?? '',
    equipment: params.get('equipment') ?? '',
    kind: params.get('kind') ?? '',
    source: source === 'stock' || source === 'custom' ? source : 'all',
  };
}

/** The exercise library (R-EXE-1): the stock exercises and the practitioner's own, searchable and filterable. */
export function ExercisesPage() {
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const [open, setOpen] = useState<ExerciseView | null>(null);
  const [creating, setCreating] = useState(false);
  const exercises = useExercises(filters, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });

  const update = (changes: Record<string, string | null>) => {
    setParams(
      (old) => {
        const next = new URLSearchParams(old);
        for (const [key, value] of Object.entries(changes)) {
          if (value === null || value === '' || (key === 'source' && value === 'all')) next.delete(key);
          else next.set(key, value);
        }
        return next;
      },
      { replace: true },
    );
  };

  const onFilters = (changes: Partial<ExerciseFilterValues>) => {
    const { search, ...rest } = changes;
    update({ ...(search !== undefined ? { q: search } : {}), ...rest, page: null });
  };

  const rows = exercises.data?.exercises ?? [];
  const filtered = JSON.stringify(filters) !== JSON.stringify(NO_EXERCISE_FILTERS);

  return (
    <>
      <PageHeader
        title="Exercises"
        description="The Motus library and your own exercises. Open one to read its steps."
        actions={
          <Button leftSection={<IconPlus size={18} aria-hidden="true" />} onClick={() => setCreating(true)}>
            New custom exercise
          </Button>
        }
      />
      <Paper withBorder p={0} style={{ overflow: 'hidden' }}>
        <Stack p="md" style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
          <ExerciseFilters value={filters} onChange={onFilters} full />
        </Stack>
        {exercises.isPending ? (
          <LoadingBlock label="Loading exercises" />
        ) : exercises.isError ? (
          <ErrorBlock m="md" error={exercises.error} onRetry={() => void exercises.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState icon={IconSearch} title={filtered ? 'No exercises match' : 'No exercises yet'}>
            {filtered ? 'Try other words, or fewer filters.' : 'Create your own with New custom exercise.'}
          </EmptyState>
        ) : (
          <SimpleGrid cols={{ base: 1, xs: 2, md: 3, lg: 4 }} spacing="md" p="md" component="section" aria-label="Exercises" data-testid="exercise-grid">
            {rows.map((exercise) => (
              <ExerciseCard key={exercise.id} exercise={exercise} onOpen={setOpen} />
            ))}
          </SimpleGrid>
        )}
        <Pager
          total={exercises.data?.total ?? 0}
          page={page}
          pageSize={PAGE_SIZE}
          noun={['exercise', 'exercises']}
          onChange={(value) => update({ page: value === 1 ? null : String(value) })}
          countTestId="exercises-count"
        />
      </Paper>
      <ExerciseDrawer exercise={open} onClose={() => setOpen(null)} />
      <NewExerciseDialog
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(exercise) => {
          setCreating(false);
          setOpen(exercise);
        }}
      />
    </>
  );
}

import { Badge, Box, Button, Group, Paper, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { Pager } from '../app/Pager.tsx';
import { EmptyState, ErrorBlock, LoadingBlock } from '../app/ui.tsx';
import { equipmentSummary, regionLabel } from '../exercises/catalogue.ts';
import { ExerciseDrawer } from '../exercises/ExerciseDrawer.tsx';
import { ExerciseFilters } from '../exercises/ExerciseFilters.tsx';
import { ExerciseIllustration } from '../exercises/ExerciseIllustration.tsx';
import { useExercises } from '../exercises/queries.ts';
import type { ExerciseView } from '../../../src/exercises/schemas.ts';
import { NO_EXERCISE_FILTERS, type ExerciseFilterValues } from '../exercises/filters.ts';

const PAGE_SIZE = 10;

/**
 * The picture takes a share of the row, so it grows with the space the picker has (a phone, or the
 * builder's side column), never below 128 × 96 px nor above 208 × 156 px; the text keeps the rest.
 */
const PICTURE_STYLE = {
  flex: '0 0 clamp(128px, 45%, 208px)',
  borderRadius: 6,
  overflow: 'hidden',
  border: '1px solid var(--mantine-color-gray-2)',
} as const;

interface ExercisePickerProps {
  /** How many times each exercise is in the programme already, by id. */
  picked: ReadonlyMap<string, number>;
  onAdd: (exercise: ExerciseView) => void;
  /** Whether the programme is full (LIMITS.items). */
  full: boolean;
}

/** The exercise library inside the builder: search, filter by body region and equipment, and add. */
export function ExercisePicker({ picked, onAdd, full }: ExercisePickerProps) {
  const [filters, setFilters] = useState<ExerciseFilterValues>(NO_EXERCISE_FILTERS);
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<ExerciseView | null>(null);
  const exercises = useExercises(filters, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const rows = exercises.data?.exercises ?? [];

  return (
    <Paper
      withBorder
      p={0}
      component="section"
      id="exercise-library"
      tabIndex={-1}
      aria-labelledby="picker-heading"
      style={{ overflow: 'hidden', outline: 'none', scrollMarginTop: 72 }}
      data-testid="exercise-picker"
    >
      <Stack gap="sm" p="md" style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
        <Title order={2} size="h4" id="picker-heading">
          Exercise library
        </Title>
        <ExerciseFilters
          value={filters}
          onChange={(changes) => {
            setFilters((old) => ({ ...old, ...changes }));
            setPage(1);
          }}
        />
      </Stack>
      {exercises.isPending ? (
        <LoadingBlock label="Loading exercises" />
      ) : exercises.isError ? (
        <ErrorBlock m="md" error={exercises.error} onRetry={() => void exercises.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState icon={IconSearch} title="No exercises match">
          Try other words, or another body region or equipment.
        </EmptyState>
      ) : (
        <Stack gap={0} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Exercises to pick from">
          {rows.map((exercise, index) => {
            const times = picked.get(exercise.id) ?? 0;
            return (
              <Group
                component="li"
                key={exercise.id}
                gap="sm"
                wrap="nowrap"
                align="flex-start"
                px="md"
                py="sm"
                data-testid="picker-exercise"
                style={index === 0 ? undefined : { borderTop: '1px solid var(--mantine-color-gray-2)' }}
              >
                {/* Large enough to tell exercises apart (R-EXE-1): about two fifths of the row, 96–156 px high. */}
                <Box style={PICTURE_STYLE} data-testid="picker-picture">
                  <ExerciseIllustration url={exercise.illustrationUrl} alt="" />
                </Box>
                <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
                  <UnstyledButton className="exercise-name" onClick={() => setOpen(exercise)} fw={600} fz="sm" style={{ overflowWrap: 'anywhere' }}>
                    {exercise.name}
                  </UnstyledButton>
                  <Text size="xs" c="dimmed">
                    {regionLabel(exercise.bodyRegion)} · {equipmentSummary(exercise.equipment)}
                  </Text>
                  {times > 0 ? (
                    <Badge size="xs" variant="light" w="fit-content" maw="100%">
                      {times === 1 ? 'In the programme' : `In the programme ${times} times`}
                    </Badge>
                  ) : null}
                  <Button
                    size="sm"
                    mt={4}
                    w="fit-content"
                    variant={times > 0 ? 'default' : 'light'}
                    leftSection={<IconPlus size={16} aria-hidden="true" />}
                    aria-label={`Add ${exercise.name}`}
                    disabled={full}
                    onClick={() => onAdd(exercise)}
                  >
                    Add
                  </Button>
                </Stack>
              </Group>
            );
          })}
        </Stack>
      )}
      <Pager total={exercises.data?.total ?? 0} page={page} pageSize={PAGE_SIZE} noun={['exercise', 'exercises']} onChange={setPage} />
      <ExerciseDrawer
        exercise={open}
        onClose={() => setOpen(null)}
        actions={(exercise) => (
          <Button
            leftSection={<IconPlus size={16} aria-hidden="true" />}
            disabled={full}
            onClick={() => {
              onAdd(exercise);
              setOpen(null);
            }}
          >
            Add to programme
          </Button>
        )}
      />
    </Paper>
  );
}

import { Badge, Group, Paper, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useId, type ReactNode } from 'react';
import { equipmentSummary, regionLabel } from './catalogue.ts';
import { ExerciseIllustration } from './ExerciseIllustration.tsx';
import type { ExerciseView } from '../../../src/exercises/schemas.ts';

interface ExerciseCardProps {
  exercise: ExerciseView;
  /** Opens the details (description and steps); the exercise's name is the button. */
  onOpen: (exercise: ExerciseView) => void;
  /** Extra buttons, such as "Add" in the programme builder. */
  actions?: ReactNode;
  headingOrder?: 2 | 3 | 4;
}

/** One exercise of the library: its picture, name, body region and equipment. */
export function ExerciseCard({ exercise, onOpen, actions, headingOrder = 2 }: ExerciseCardProps) {
  const headingId = useId();
  return (
    <Paper withBorder p={0} component="article" aria-labelledby={headingId} data-testid="exercise-card" style={{ overflow: 'hidden' }}>
      <ExerciseIllustration url={exercise.illustrationUrl} alt="" />
      <Stack gap={6} p="sm">
        <Title order={headingOrder} size="h5" id={headingId} lh={1.3}>
          <UnstyledButton className="exercise-name" onClick={() => onOpen(exercise)}>
            {exercise.name}
          </UnstyledButton>
        </Title>
        <Text size="xs" c="dimmed">
          {regionLabel(exercise.bodyRegion)} · {equipmentSummary(exercise.equipment)}
        </Text>
        {exercise.source === 'custom' ? (
          <Group gap={4}>
            <Badge size="xs" variant="light" color="indigo">
              {exercise.own ? 'Your exercise' : 'Shared with you'}
            </Badge>
          </Group>
        ) : null}
        {actions ? <Group gap="xs">{actions}</Group> : null}
      </Stack>
    </Paper>
  );
}

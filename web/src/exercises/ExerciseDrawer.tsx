import { Badge, Group, List, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { SideDrawer } from '../app/Dialog.tsx';
import { describeDefaults } from '../programmes/describe.ts';
import { equipmentSummary, kindLabel, regionLabel } from './catalogue.ts';
import { ExerciseIllustration } from './ExerciseIllustration.tsx';
import type { ExerciseView } from '../../../src/exercises/schemas.ts';

interface ExerciseDrawerProps {
  exercise: ExerciseView | null;
  onClose: () => void;
  /** Buttons at the foot, such as "Add to programme". */
  actions?: (exercise: ExerciseView) => ReactNode;
}

/** An exercise's details: picture, what it is for, the steps and the suggested dose. */
export function ExerciseDrawer({ exercise, onClose, actions }: ExerciseDrawerProps) {
  return (
    <SideDrawer opened={exercise !== null} onClose={onClose} title={exercise?.name ?? ''} size="md">
      {exercise ? (
        <Stack gap="md" data-testid="exercise-details">
          <ExerciseIllustration url={exercise.illustrationUrl} alt={`Illustration of ${exercise.name}`} />
          <Group gap={6}>
            <Badge variant="light">{regionLabel(exercise.bodyRegion)}</Badge>
            <Badge variant="light" color="gray">
              {kindLabel(exercise.kind)}
            </Badge>
            {exercise.source === 'custom' ? (
              <Badge variant="light" color="indigo">
                {exercise.own ? 'Your exercise' : 'Shared with you'}
              </Badge>
            ) : null}
          </Group>
          <Text size="sm">
            <Text span fw={600} size="sm">
              Equipment:{' '}
            </Text>
            {equipmentSummary(exercise.equipment)}
          </Text>
          {exercise.description ? <Text>{exercise.description}</Text> : null}
          {exercise.steps.length > 0 ? (
            <Stack gap="xs">
              <Title order={3} size="h5">
                Steps
              </Title>
              <List type="ordered" spacing="xs" size="sm">
                {exercise.steps.map((step, index) => (
                  <List.Item key={index}>{step}</List.Item>
                ))}
              </List>
            </Stack>
          ) : null}
          <Text size="sm" c="dimmed">
            Suggested: {describeDefaults(exercise.defaults)}
          </Text>
          {actions ? <Group gap="sm">{actions(exercise)}</Group> : null}
        </Stack>
      ) : null}
    </SideDrawer>
  );
}

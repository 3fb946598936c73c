import { Button, Checkbox, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, call } from '../app/api.ts';
import { Dialog } from '../app/Dialog.tsx';
import { applyServerErrors } from '../app/forms.ts';
import { FormError } from '../app/ui.tsx';
import { DraftOfferAlert, DraftStatusText } from '../drafts/DraftOfferAlert.tsx';
import { useDraft } from '../drafts/useDraft.ts';
import { BODY_REGIONS, EQUIPMENT, EXERCISE_KINDS } from './catalogue.ts';
import { EXERCISES_KEY } from './queries.ts';
import { customExerciseSchema, stepsFrom, type CustomExerciseValues } from './schemas.ts';
import { exerciseContracts, type ExerciseView } from '../../../src/exercises/schemas.ts';


const INITIAL: CustomExerciseValues = { name: '', bodyRegion: '', kind: 'strength', equipment: [], description: '', steps: '' };

/** A restored draft may come from an older form: every field is filled, unknown ones dropped. */
function completeValues(data: Partial<CustomExerciseValues> | null | undefined): CustomExerciseValues {
  const text = (value: unknown, otherwise: string) => (typeof value === 'string' ? value : otherwise);
  return {
    name: text(data?.name, INITIAL.name),
    bodyRegion: text(data?.bodyRegion, INITIAL.bodyRegion),
    kind: text(data?.kind, INITIAL.kind),
    equipment: Array.isArray(data?.equipment) ? data.equipment.filter((item): item is string => typeof item === 'string') : INITIAL.equipment,
    description: text(data?.description, INITIAL.description),
    steps: text(data?.steps, INITIAL.steps),
  };
}

interface NewExerciseDialogProps {
  opened: boolean;
  onClose: () => void;
  onCreated: (exercise: ExerciseView) => void;
}

/** R-EXE-1: a custom exercise, visible to its practitioner and those they share content with. */
export function NewExerciseDialog({ opened, onClose, onCreated }: NewExerciseDialogProps) {
  return (
    <Dialog opened={opened} onClose={onClose} title="New custom exercise" size="lg">
      {opened ? <NewExerciseForm onClose={onClose} onCreated={onCreated} /> : null}
    </Dialog>
  );
}

function NewExerciseForm({ onClose, onCreated }: Omit<NewExerciseDialogProps, 'opened'>) {
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm<CustomExerciseValues>({
    initialValues: INITIAL,
    validate: schemaResolver(customExerciseSchema, { sync: true }),
    validateInputOnBlur: ['name'],
  });
  // R-SES-2: what was typed is kept as a draft, and offered back when the dialog opens again.
  const draft = useDraft<CustomExerciseValues>('exercise', 'new', form.values, {
    baseline: INITIAL,
    onRestore: (data) => form.setValues(completeValues(data)),
  });

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      const answer = await call(exerciseContracts.create, {
        body: {
          name: values.name.trim(),
          bodyRegion: values.bodyRegion,
          kind: values.kind,
          equipment: values.equipment.length === 0 ? ['none'] : values.equipment,
          description: values.description.trim(),
          steps: stepsFrom(values.steps),
        },
      });
      await draft.clear();
      await queryClient.invalidateQueries({ queryKey: EXERCISES_KEY });
      notifications.show({ color: 'motus', title: 'Exercise created', message: `${answer.exercise.name} is in your library.` });
      onCreated(answer.exercise);
    } catch (error) {
      // "steps.3" and "equipment.0" belong to the whole field.
      const grouped =
        error instanceof ApiError && Array.isArray(error.details)
          ? new ApiError(
              error.status,
              error.code,
              error.message,
              (error.details as { path: string; code: string; message: string }[]).map((issue) => ({
                ...issue,
                path: issue.path.replace(/^(body\.(?:steps|equipment))\.\d+$/, '$1'),
              })),
            )
          : error;
      setProblem(applyServerErrors(form, grouped, ['name', 'bodyRegion', 'kind', 'equipment', 'description', 'steps']));
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label="New custom exercise">
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          Your own exercises sit in the library beside the stock ones, and you can use them in any programme.
        </Text>
        <DraftOfferAlert draft={draft} />
        <FormError message={problem} />
        <TextInput label="Name" required withAsterisk data-autofocus {...form.getInputProps('name')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <NativeSelect
            label="Body region"
            required
            withAsterisk
            data={[{ value: '', label: 'Choose…', disabled: true }, ...BODY_REGIONS]}
            {...form.getInputProps('bodyRegion')}
          />
          <NativeSelect label="Kind" data={[...EXERCISE_KINDS]} {...form.getInputProps('kind')} />
        </SimpleGrid>
        <Checkbox.Group label="Equipment" description="Leave all unticked when nothing is needed." {...form.getInputProps('equipment')}>
          <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="xs" mt="xs">
            {EQUIPMENT.filter((item) => item.value !== 'none').map((item) => (
              <Checkbox key={item.value} value={item.value} label={item.label} />
            ))}
          </SimpleGrid>
        </Checkbox.Group>
        <Textarea label="Description" description="What the exercise is for, in words a patient understands." autosize minRows={2} maxRows={6} {...form.getInputProps('description')} />
        <Textarea label="Steps" description="One step per line, in order." autosize minRows={3} maxRows={10} {...form.getInputProps('steps')} />
        <Group justify="space-between" gap="sm">
          <DraftStatusText status={draft.status} savedAt={draft.savedAt} />
          <Group gap="sm" ml="auto">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              Create exercise
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}

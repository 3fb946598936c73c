import { ActionIcon, Box, Chip, Group, Input, NumberInput, Paper, SegmentedControl, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconTrash } from '@tabler/icons-react';
import { useId } from 'react';
import { equipmentSummary, regionLabel } from '../exercises/catalogue.ts';
import { ExerciseIllustration } from '../exercises/ExerciseIllustration.tsx';
import { itemParameters, LIMITS, type BuilderItem, type ItemChanges } from './builder.ts';
import { describeItem, WEEKDAYS } from './describe.ts';

interface BuilderItemCardProps {
  item: BuilderItem;
  index: number;
  count: number;
  /** Problems keyed like the server's paths ("items.0.sets"). */
  errors: Record<string, string>;
  onChange: (changes: ItemChanges) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}

type NumberField = 'sets' | 'reps' | 'durationSeconds' | 'holdSeconds' | 'restSeconds' | 'timesPerDay' | 'daysPerWeek';

/** One picked exercise with its parameters (R-PRG-1), and the plain-words line the patient will read. */
export function BuilderItemCard({ item, index, count, errors, onChange, onMove, onRemove }: BuilderItemCardProps) {
  const headingId = useId();
  const weekdaysId = useId();
  const name = item.exercise.name;
  const error = (field: string) => errors[`items.${index}.${field}`];
  const summary = describeItem(itemParameters(item));

  const numberInput = (field: NumberField, label: string, description?: string) => (
    <NumberInput
      label={label}
      description={description}
      value={item[field] ?? ''}
      onChange={(value) => onChange({ [field]: typeof value === 'number' ? value : null })}
      min={LIMITS[field].min}
      max={LIMITS[field].max}
      allowDecimal={false}
      allowNegative={false}
      hideControls
      inputMode="numeric"
      error={error(field)}
    />
  );

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={headingId} data-testid="builder-item">
      <Stack gap="sm">
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <Box w={88} style={{ flexShrink: 0, borderRadius: 8, overflow: 'hidden', border: '1px solid var(--mantine-color-gray-2)' }}>
            <ExerciseIllustration url={item.exercise.illustrationUrl} alt="" />
          </Box>
          <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
            <Title order={3} size="h5" id={headingId} className="break-anywhere">
              <span className="visually-hidden">{index + 1}. </span>
              {name}
            </Title>
            <Text size="xs" c="dimmed">
              {item.exercise.bodyRegion ? `${regionLabel(item.exercise.bodyRegion)} · ` : ''}
              {equipmentSummary(item.exercise.equipment)}
            </Text>
          </Stack>
          <Group gap={4} wrap="nowrap" style={{ flexShrink: 0 }}>
            <ActionIcon variant="default" size="lg" aria-label={`Move ${name} up`} disabled={index === 0} onClick={() => onMove(-1)}>
              <IconArrowUp size={16} aria-hidden="true" />
            </ActionIcon>
            <ActionIcon variant="default" size="lg" aria-label={`Move ${name} down`} disabled={index === count - 1} onClick={() => onMove(1)}>
              <IconArrowDown size={16} aria-hidden="true" />
            </ActionIcon>
            <ActionIcon variant="subtle" color="red" size="lg" aria-label={`Remove ${name}`} onClick={onRemove}>
              <IconTrash size={16} aria-hidden="true" />
            </ActionIcon>
          </Group>
        </Group>

        <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="sm" verticalSpacing="sm">
          {numberInput('sets', 'Sets')}
          <Stack gap={4}>
            <Text size="sm" fw={500} component="div" id={`${headingId}-dose`}>
              Count by
            </Text>
            <SegmentedControl
              aria-labelledby={`${headingId}-dose`}
              size="xs"
              fullWidth
              value={item.dose}
              onChange={(value) => onChange({ dose: value === 'duration' ? 'duration' : 'reps' })}
              data={[
                { value: 'reps', label: 'Reps' },
                { value: 'duration', label: 'Time' },
              ]}
            />
          </Stack>
          {item.dose === 'reps' ? numberInput('reps', 'Repetitions') : numberInput('durationSeconds', 'Duration (seconds)')}
          {numberInput('holdSeconds', 'Hold (seconds)')}
          {numberInput('restSeconds', 'Rest (seconds)')}
          {numberInput('timesPerDay', 'Times per day')}
        </SimpleGrid>

        <Stack gap={6}>
          <Group gap="sm" align="flex-end" wrap="wrap">
            <Stack gap={4}>
              <Text size="sm" fw={500} component="div" id={`${headingId}-frequency`}>
                Which days
              </Text>
              <SegmentedControl
                aria-labelledby={`${headingId}-frequency`}
                size="xs"
                value={item.frequency}
                onChange={(value) => onChange({ frequency: value === 'weekdays' ? 'weekdays' : 'daysPerWeek' })}
                data={[
                  { value: 'daysPerWeek', label: 'Days a week' },
                  { value: 'weekdays', label: 'Weekdays' },
                ]}
              />
            </Stack>
            {item.frequency === 'daysPerWeek' ? <Box w={140}>{numberInput('daysPerWeek', 'Days per week')}</Box> : null}
          </Group>
          {item.frequency === 'weekdays' ? (
            <Input.Wrapper error={error('weekdays')} errorProps={{ id: `${weekdaysId}-error` }}>
              <div role="group" aria-label={`Weekdays for ${name}`} aria-describedby={error('weekdays') ? `${weekdaysId}-error` : undefined}>
                <Chip.Group multiple value={item.weekdays.map(String)} onChange={(values) => onChange({ weekdays: values.map(Number).sort((a, b) => a - b) })}>
                  <Group gap={6}>
                    {WEEKDAYS.map((day) => (
                      <Chip key={day.value} value={String(day.value)} size="sm" aria-label={day.long}>
                        {day.short}
                      </Chip>
                    ))}
                  </Group>
                </Chip.Group>
              </div>
            </Input.Wrapper>
          ) : null}
        </Stack>

        <Textarea
          label="Instructions for the patient"
          placeholder="e.g. Keep your back straight; stop if it hurts."
          autosize
          minRows={1}
          maxRows={6}
          value={item.instructions}
          onChange={(event) => onChange({ instructions: event.currentTarget.value })}
          error={error('instructions')}
        />

        <Text size="sm" c={summary ? 'motus.9' : 'dimmed'} data-testid="builder-item-summary">
          {summary ? `The patient reads: ${summary}` : 'No parameters yet.'}
        </Text>
        {error('exerciseId') ? (
          <Text size="sm" c="red.8" role="alert">
            {error('exerciseId')}
          </Text>
        ) : null}
      </Stack>
    </Paper>
  );
}

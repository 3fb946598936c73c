import { ActionIcon, Group, Stack, Text } from '@mantine/core';
import { IconMinus, IconPlus } from '@tabler/icons-react';
import { useId } from 'react';

/** "Sets done" with large − and + buttons (R-ENG-1). */
export function SetsStepper({ value, onChange, max = 50 }: { value: number; onChange: (value: number) => void; max?: number }) {
  const id = useId();
  return (
    <Stack gap={4}>
      <Text fw={600} id={id}>
        Sets done
      </Text>
      <Group gap="md" wrap="nowrap" role="group" aria-labelledby={id}>
        <ActionIcon size={56} variant="default" radius="md" onClick={() => onChange(Math.max(0, value - 1))} disabled={value <= 0} aria-label="One set fewer" data-testid="patient-sets-minus">
          <IconMinus size={28} aria-hidden="true" />
        </ActionIcon>
        <Text component="output" className="patient-stepper-value" aria-live="polite" data-testid="patient-sets-value">
          {value}
        </Text>
        <ActionIcon size={56} variant="default" radius="md" onClick={() => onChange(Math.min(max, value + 1))} disabled={value >= max} aria-label="One set more" data-testid="patient-sets-plus">
          <IconPlus size={28} aria-hidden="true" />
        </ActionIcon>
      </Group>
    </Stack>
  );
}

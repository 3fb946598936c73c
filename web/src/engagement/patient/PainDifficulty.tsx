import { Button, SimpleGrid, Stack, Text } from '@mantine/core';
import { useId } from 'react';
import { DIFFICULTIES, type DifficultyValue } from '../../../../src/engagement/schemas.ts';
import { DIFFICULTY_WORDS, painWords } from './plan.ts';

/** Pain 0–10 with the patient's words (R-ENG-1): eleven large buttons; pressing the chosen one again clears it. */
export function PainPicker({ value, onChange }: { value: number | null; onChange: (value: number | null) => void }) {
  const id = useId();
  return (
    <Stack gap={6}>
      <Text fw={600} id={id}>
        How much pain did you have?
      </Text>
      <Text size="sm">0 is no pain, 10 is the worst pain imaginable.</Text>
      <div className="patient-pain-grid" role="group" aria-labelledby={id} data-testid="patient-pain">
        {Array.from({ length: 11 }, (_, pain) => (
          <Button
            key={pain}
            size="lg"
            px={0}
            variant={value === pain ? 'filled' : 'default'}
            aria-pressed={value === pain}
            aria-label={`${pain}: ${painWords(pain)}`}
            onClick={() => onChange(value === pain ? null : pain)}
            data-testid="patient-pain-value"
            data-value={pain}
          >
            {pain}
          </Button>
        ))}
      </div>
      <Text size="sm" aria-live="polite" data-testid="patient-pain-words">
        {value === null ? 'Not answered.' : `You chose ${value}: ${painWords(value)}.`}
      </Text>
    </Stack>
  );
}

export function DifficultyPicker({ value, onChange }: { value: DifficultyValue | null; onChange: (value: DifficultyValue | null) => void }) {
  const id = useId();
  return (
    <Stack gap={6}>
      <Text fw={600} id={id}>
        How did it feel?
      </Text>
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="xs" role="group" aria-labelledby={id} data-testid="patient-difficulty">
        {DIFFICULTIES.map((d) => (
          <Button
            key={d}
            size="lg"
            variant={value === d ? 'filled' : 'default'}
            aria-pressed={value === d}
            onClick={() => onChange(value === d ? null : d)}
            data-testid="patient-difficulty-value"
            data-value={d}
          >
            {DIFFICULTY_WORDS[d]}
          </Button>
        ))}
      </SimpleGrid>
    </Stack>
  );
}

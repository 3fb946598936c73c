import { Group, NativeSelect, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { BODY_REGIONS, EQUIPMENT, EXERCISE_KINDS } from './catalogue.ts';
import type { ExerciseFilterValues } from './filters.ts';

const SOURCES = [
  { value: 'all', label: 'All exercises' },
  { value: 'stock', label: 'Motus library' },
  { value: 'custom', label: 'Custom exercises' },
];

interface ExerciseFiltersProps {
  value: ExerciseFilterValues;
  onChange: (changes: Partial<ExerciseFilterValues>) => void;
  /** The kind and source filters (the library page); the builder's picker has search, region and equipment. */
  full?: boolean;
}

/** Search and filters of the exercise library (R-EXE-1): labelled, and the search waits for a pause in typing. */
export function ExerciseFilters({ value, onChange, full = false }: ExerciseFiltersProps) {
  const [typed, setTyped] = useState(value.search);
  const [debounced] = useDebouncedValue(typed, 300);

  useEffect(() => {
    // Only the typed text drives this; the other filters are kept as they are.
    if (debounced.trim() !== value.search.trim()) onChange({ search: debounced.trim() });
  }, [debounced]);

  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <TextInput
        label="Search exercises"
        placeholder="Name or what it is for"
        type="search"
        leftSection={<IconSearch size={16} aria-hidden="true" />}
        value={typed}
        onChange={(event) => setTyped(event.currentTarget.value)}
        style={{ flex: '2 1 220px' }}
      />
      <NativeSelect
        label="Body region"
        data={[{ value: '', label: 'All regions' }, ...BODY_REGIONS]}
        value={value.region}
        onChange={(event) => onChange({ region: event.currentTarget.value })}
        style={{ flex: '1 1 160px' }}
      />
      <NativeSelect
        label="Equipment"
        data={[{ value: '', label: 'Any equipment' }, ...EQUIPMENT]}
        value={value.equipment}
        onChange={(event) => onChange({ equipment: event.currentTarget.value })}
        style={{ flex: '1 1 160px' }}
      />
      {full ? (
        <>
          <NativeSelect
            label="Kind"
            data={[{ value: '', label: 'All kinds' }, ...EXERCISE_KINDS]}
            value={value.kind}
            onChange={(event) => onChange({ kind: event.currentTarget.value })}
            style={{ flex: '1 1 140px' }}
          />
          <NativeSelect
            label="Source"
            data={SOURCES}
            value={value.source}
            onChange={(event) => onChange({ source: event.currentTarget.value as ExerciseFilterValues['source'] })}
            style={{ flex: '1 1 140px' }}
          />
        </>
      ) : null}
    </Group>
  );
}

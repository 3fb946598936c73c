import { Alert, Box, Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { IconCalendarEvent, IconCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { ExerciseIllustration } from '../../exercises/ExerciseIllustration.tsx';
import { describeItem, describeTimesPerDay } from '../../programmes/describe.ts';
import { sentenceCase } from '../../programmes/patientView.ts';
import { EntryRow } from './EntryControls.tsx';
import { describeFlexible, readAloudText, weekdayName, type ItemToday, type LocalEntry, type PatientItem } from './plan.ts';
import { ReadAloudButton } from './ReadAloud.tsx';
import { SetsStepper } from './SetsStepper.tsx';
import type { EntryValues } from './useProgramme.ts';

export interface RecordActions {
  record: (itemIndex: number | null, values: EntryValues, existing?: LocalEntry) => string | null;
  undo: (entry: LocalEntry) => void;
}

/**
 * One exercise (R-ENG-1, R-ENG-8): its picture shown large, the dose in plain words, the
 * practitioner's instructions and the steps, read aloud on request, and, when due today, "Done".
 */
export function ExerciseCard({
  item,
  index,
  status,
  canRecord,
  trackPain,
  wholeSession,
  actions,
}: {
  item: PatientItem;
  index: number;
  status: ItemToday;
  canRecord: boolean;
  trackPain: boolean;
  /** Today's whole-session entry: every exercise of the day counts as done. */
  wholeSession: boolean;
  actions: RecordActions;
}) {
  const name = item.exercise?.name ?? 'Exercise';
  const dose = describeItem(item);
  return (
    <Paper component="li" withBorder shadow="xs" p={{ base: 'md', sm: 'lg' }} className="patient-exercise" data-testid="patient-exercise" data-item-index={index} data-due={status.due || undefined}>
      <Stack gap="md">
        <Title order={3} size="h2">
          {index + 1}. {name}
        </Title>
        {status.due ? null : (
          <Text fw={600} data-testid="patient-exercise-next">
            <IconCalendarEvent size={20} aria-hidden="true" style={{ verticalAlign: '-3px' }} />{' '}
            {status.nextDay ? `Not today. Next: ${weekdayName(status.nextDay)}.` : 'Not planned for the rest of this week.'}
          </Text>
        )}
        <Box className="patient-illustration">
          <ExerciseIllustration url={item.exercise?.illustrationUrl ?? null} alt={`Illustration of ${name}`} />
        </Box>
        {dose ? (
          <Text fw={700} size="lg" data-testid="patient-exercise-dose">
            {sentenceCase(dose)}
          </Text>
        ) : null}
        {status.flexible ? (
          <Text fw={600} data-testid="patient-exercise-progress">
            {sentenceCase(describeFlexible(status.flexible.target, status.flexible.daysDone))}
          </Text>
        ) : null}
        {item.instructions ? (
          <Alert color="motus" variant="light" title="From your practitioner" data-testid="patient-exercise-instructions" styles={{ title: { fontSize: 'var(--mantine-font-size-md)' } }}>
            <Text style={{ whiteSpace: 'pre-wrap' }}>{item.instructions}</Text>
          </Alert>
        ) : null}
        {item.exercise?.description ? <Text>{item.exercise.description}</Text> : null}
        {item.exercise && item.exercise.steps.length > 0 ? (
          <Stack gap={4}>
            <Title order={4} size="h3">
              How to do it
            </Title>
            <List type="ordered" spacing={6} size="md">
              {item.exercise.steps.map((step, stepIndex) => (
                <List.Item key={stepIndex}>{step}</List.Item>
              ))}
            </List>
          </Stack>
        ) : null}
        <Group>
          <ReadAloudButton text={readAloudText(item, index)} label={name} />
        </Group>
        {status.due ? <RecordPanel item={item} name={name} status={status} canRecord={canRecord} trackPain={trackPain} wholeSession={wholeSession} actions={actions} /> : null}
      </Stack>
    </Paper>
  );
}

function RecordPanel({
  item,
  name,
  status,
  canRecord,
  trackPain,
  wholeSession,
  actions,
}: {
  item: PatientItem;
  name: string;
  status: ItemToday;
  canRecord: boolean;
  trackPain: boolean;
  wholeSession: boolean;
  actions: RecordActions;
}) {
  const [sets, setSets] = useState(item.sets ?? 0);
  const [open, setOpen] = useState<string | null>(null);
  const left = status.times - status.done;
  const showSets = item.sets !== null;
  const doneText = status.times > 1 ? `Done (${status.done + 1} of ${status.times})` : 'Done';

  const done = () => {
    const clientId = actions.record(status.itemIndex, { setsDone: showSets ? sets : null, pain: null, difficulty: null, comment: null });
    // Where the programme asks about pain, the question follows at once (it can be skipped).
    if (clientId && trackPain) setOpen(clientId);
  };

  return (
    <Stack gap="sm" className="no-print" data-testid="patient-record">
      {status.times > 1 ? (
        <Text fw={600} data-testid="patient-exercise-today">
          {sentenceCase(describeTimesPerDay(status.times))}: {Math.min(status.done, status.times)} of {status.times} done today
        </Text>
      ) : null}
      {status.entries.map((entry, i) => (
        <EntryRow
          key={entry.clientId}
          entry={entry}
          label={status.times > 1 ? `Session ${i + 1} done` : undefined}
          editable={canRecord}
          showSets={showSets}
          trackPain={trackPain}
          open={open === entry.clientId}
          onOpen={(isOpen) => setOpen(isOpen ? entry.clientId : null)}
          onSave={(values) => actions.record(status.itemIndex, values, entry)}
          onUndo={() => {
            actions.undo(entry);
            if (open === entry.clientId) setOpen(null);
          }}
        />
      ))}
      {wholeSession && status.entries.length === 0 ? (
        <Text fw={600} c="green.9">
          <IconCheck size={22} aria-hidden="true" style={{ verticalAlign: '-4px' }} /> Done as part of today’s whole session
        </Text>
      ) : null}
      {canRecord && left > 0 ? (
        <Stack gap="sm">
          {showSets ? <SetsStepper value={sets} onChange={setSets} /> : null}
          <Button size="xl" fullWidth leftSection={<IconCheck size={28} aria-hidden="true" />} onClick={done} aria-label={`${doneText}: ${name}`} data-testid="patient-done">
            {doneText}
          </Button>
        </Stack>
      ) : null}
      {left <= 0 && status.entries.length > 0 ? (
        <Text fw={700} c="green.9" data-testid="patient-exercise-complete">
          All done for today. Well done!
        </Text>
      ) : null}
    </Stack>
  );
}

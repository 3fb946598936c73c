import { Button, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { IconArrowBackUp, IconCheck, IconClockHour4, IconPencil } from '@tabler/icons-react';
import { useState } from 'react';
import type { EntryValues } from './useProgramme.ts';
import { DifficultyPicker, PainPicker } from './PainDifficulty.tsx';
import { DIFFICULTY_WORDS, painWords, type LocalEntry } from './plan.ts';
import { SetsStepper } from './SetsStepper.tsx';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

function valuesOf(entry: LocalEntry): EntryValues {
  return { setsDone: entry.setsDone, pain: entry.pain, difficulty: entry.difficulty, comment: entry.comment };
}

/** "Done at 10:42 · 3 sets · pain 2 (mild pain) · About right". */
export function describeEntry(entry: LocalEntry): string {
  const at = entry.recordedAt ? new Date(entry.recordedAt) : null;
  const parts = [at && !Number.isNaN(at.getTime()) ? `Done at ${timeFormat.format(at)}` : 'Done'];
  if (entry.setsDone !== null) parts.push(`${entry.setsDone} ${entry.setsDone === 1 ? 'set' : 'sets'}`);
  if (entry.pain !== null) parts.push(`pain ${entry.pain} (${painWords(entry.pain)})`);
  if (entry.difficulty) parts.push(DIFFICULTY_WORDS[entry.difficulty].toLowerCase());
  return parts.join(' · ');
}

/**
 * One entry of today (R-ENG-1): what was recorded, whether it is still only on this phone, and
 * "Change" and "Undo" while the day lasts.
 */
export function EntryRow({
  entry,
  label,
  editable,
  showSets,
  trackPain,
  open,
  onOpen,
  onSave,
  onUndo,
}: {
  entry: LocalEntry;
  label?: string;
  editable: boolean;
  showSets: boolean;
  trackPain: boolean;
  open: boolean;
  onOpen: (open: boolean) => void;
  onSave: (values: EntryValues) => void;
  onUndo: () => void;
}) {
  return (
    <Stack gap="sm">
      <Paper withBorder p="sm" radius="md" bg="green.0" data-testid="patient-entry" data-pending={entry.pending || undefined}>
        <Stack gap="sm">
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <IconCheck size={26} color="var(--mantine-color-green-8)" aria-hidden="true" style={{ flexShrink: 0 }} />
            <Stack gap={2}>
              <Text fw={700}>{label ?? describeEntry(entry)}</Text>
              {label ? <Text size="sm">{describeEntry(entry)}</Text> : null}
              {entry.comment ? <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>“{entry.comment}”</Text> : null}
              {entry.pending ? (
                <Text size="sm" c="orange.9" data-testid="patient-entry-pending">
                  <IconClockHour4 size={16} aria-hidden="true" style={{ verticalAlign: '-2px' }} /> Saved on this phone, not sent yet
                </Text>
              ) : null}
            </Stack>
          </Group>
          {editable ? (
            <Group gap="sm" className="no-print">
              <Button size="lg" variant="default" leftSection={<IconPencil size={20} aria-hidden="true" />} onClick={() => onOpen(!open)} aria-expanded={open} data-testid="patient-entry-change">
                {open ? 'Close' : 'Change'}
              </Button>
              <Button size="lg" variant="default" leftSection={<IconArrowBackUp size={20} aria-hidden="true" />} onClick={onUndo} data-testid="patient-entry-undo">
                Undo
              </Button>
            </Group>
          ) : null}
        </Stack>
      </Paper>
      {editable && open ? <EntryEditor entry={entry} showSets={showSets} trackPain={trackPain} onSave={onSave} onClose={() => onOpen(false)} /> : null}
    </Stack>
  );
}

/** Changing an entry of today: each choice is saved at once, under the same client id. */
function EntryEditor({
  entry,
  showSets,
  trackPain,
  onSave,
  onClose,
}: {
  entry: LocalEntry;
  showSets: boolean;
  trackPain: boolean;
  onSave: (values: EntryValues) => void;
  onClose: () => void;
}) {
  const [comment, setComment] = useState(entry.comment ?? '');
  const values = valuesOf(entry);
  const save = (change: Partial<EntryValues>) => onSave({ ...values, ...change });
  const commentChanged = (comment.trim() || null) !== (entry.comment ?? null);

  return (
    <Stack gap="lg" data-testid="patient-entry-editor">
      {trackPain ? <Text fw={700}>How did it go? You can skip these questions.</Text> : null}
      {showSets ? <SetsStepper value={entry.setsDone ?? 0} onChange={(setsDone) => save({ setsDone })} /> : null}
      {trackPain ? <PainPicker value={entry.pain} onChange={(pain) => save({ pain })} /> : null}
      {trackPain ? <DifficultyPicker value={entry.difficulty} onChange={(difficulty) => save({ difficulty })} /> : null}
      <Stack gap="xs">
        <Textarea
          label="A note for your practice (optional)"
          size="lg"
          autosize
          minRows={2}
          maxLength={1000}
          value={comment}
          onChange={(event) => setComment(event.currentTarget.value)}
          onBlur={() => {
            if (commentChanged) save({ comment: comment.trim() || null });
          }}
          data-testid="patient-entry-comment"
        />
        <Text size="sm">{comment.length} of 1000 characters</Text>
      </Stack>
      <Group gap="sm">
        <Button
          size="lg"
          onClick={() => {
            if (commentChanged) save({ comment: comment.trim() || null });
            onClose();
          }}
          data-testid="patient-entry-finish"
        >
          Finished
        </Button>
      </Group>
    </Stack>
  );
}

import { Alert, Badge, Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCopy, IconMailForward, IconPencil, IconPlayerStop, IconPlus, IconStretching } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import type { PatientView } from '../../../src/patients/schemas.ts';
import { programmeContracts, type ProgrammeView } from '../../../src/programmes/schemas.ts';
import { call, errorMessage } from '../app/api.ts';
import { ConfirmDialog } from '../app/ConfirmDialog.tsx';
import { formatLocalDate } from '../app/format.ts';
import { EmptyState, ErrorBlock, LoadingBlock } from '../app/ui.tsx';
import { HandoutButton } from '../engagement/HandoutButton.tsx';
import { ProgrammeEngagement } from '../engagement/practitioner/ProgrammeEngagement.tsx';
import { describeItem } from '../programmes/describe.ts';
import { ProgrammeCode } from '../programmes/ProgrammeCode.tsx';
import { TEMPLATES_KEY } from '../programmes/queries.ts';
import { programmeStateLabel } from './patients.ts';
import { refreshPatients, usePatientProgrammes } from './queries.ts';

/** "From 22 November 2026 to 31 December 2026", or "From … (no end date)". */
export function programmeDates(programme: Pick<ProgrammeView, 'startDate' | 'endDate'>): string {
  return programme.endDate
    ? `From ${formatLocalDate(programme.startDate, undefined, 'long')} to ${formatLocalDate(programme.endDate, undefined, 'long')}`
    : `From ${formatLocalDate(programme.startDate, undefined, 'long')} (no end date)`;
}

/** A patient's programmes (R-PRG-1..3): state, code to read out or resend, and what can be done with each. */
export function PatientProgrammes({ patient }: { patient: PatientView }) {
  const programmes = usePatientProgrammes(patient.id);
  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="programmes-heading">
      <Group justify="space-between" mb="md" gap="sm">
        <Title order={2} size="h4" id="programmes-heading">
          Programmes
        </Title>
        <Button component={Link} to={`/patients/${patient.id}/programmes/new`} size="sm" leftSection={<IconPlus size={16} aria-hidden="true" />}>
          New programme
        </Button>
      </Group>
      {programmes.isPending ? (
        <LoadingBlock label="Loading programmes" />
      ) : programmes.isError ? (
        <ErrorBlock error={programmes.error} onRetry={() => void programmes.refetch()} />
      ) : programmes.data.length === 0 ? (
        <EmptyState icon={IconStretching} title="No programmes yet">
          Build one from the exercise library with <strong>New programme</strong>. Assigning it gives the patient a code to open it with.
        </EmptyState>
      ) : (
        <Stack gap="md">
          {programmes.data.map((programme) => (
            <ProgrammeEntry key={programme.id} programme={programme} patient={patient} />
          ))}
        </Stack>
      )}
    </Paper>
  );
}

function ProgrammeEntry({ programme, patient }: { programme: ProgrammeView; patient: PatientView }) {
  const queryClient = useQueryClient();
  const headingId = useId();
  const [ending, setEnding] = useState(false);
  const state = programmeStateLabel(programme.state);
  const live = programme.state !== 'ended';

  const resend = useMutation({
    mutationFn: () => call(programmeContracts.resend, { params: { programmeId: programme.id } }),
    onSuccess: () => notifications.show({ color: 'motus', title: 'Code sent', message: `The code for ${programme.title} was emailed to ${patient.email}.` }),
    onError: (error) => notifications.show({ color: 'red', title: 'The code was not sent', message: errorMessage(error) }),
  });

  const copy = useMutation({
    mutationFn: () => call(programmeContracts.copyToLibrary, { params: { programmeId: programme.id } }),
    onSuccess: async (answer) => {
      await queryClient.invalidateQueries({ queryKey: TEMPLATES_KEY });
      notifications.show({ color: 'motus', title: 'Copied to your library', message: `"${answer.template.title}" is now a template you can start other programmes from.` });
    },
    onError: (error) => notifications.show({ color: 'red', title: 'The programme was not copied', message: errorMessage(error) }),
  });

  return (
    <Paper withBorder p="md" radius="md" component="article" aria-labelledby={headingId} data-testid="programme">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" gap="sm" wrap="nowrap">
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Title order={3} size="h5" id={headingId} className="break-anywhere">
              {programme.title}
            </Title>
            <Text size="sm" c="dimmed">
              {programmeDates(programme)}
            </Text>
          </Stack>
          <Badge color={state.color} variant="light" data-testid="programme-state" style={{ flexShrink: 0 }}>
            {state.label}
          </Badge>
        </Group>
        {programme.state === 'disabled' ? (
          <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} aria-hidden="true" />}>
            Paused because your access was removed. The patient can still read it.
          </Alert>
        ) : null}
        <ProgrammeCode code={programme.code} />
        <List size="sm" spacing={4} type="ordered">
          {programme.items.map((item, index) => (
            <List.Item key={index}>
              <Text span size="sm" fw={600}>
                {item.exercise?.name ?? 'Exercise no longer available'}
              </Text>
              {describeItem(item) ? (
                <Text span size="sm" c="dimmed">
                  {' '}
                  — {describeItem(item)}
                </Text>
              ) : null}
            </List.Item>
          ))}
        </List>
        <Group gap="xs">
          {live ? (
            <Button
              size="xs"
              variant="light"
              leftSection={<IconMailForward size={14} aria-hidden="true" />}
              loading={resend.isPending}
              disabled={!patient.email}
              title={patient.email ? undefined : 'Add an email address to the patient to send the code'}
              onClick={() => resend.mutate()}
            >
              Resend code
            </Button>
          ) : null}
          {live ? (
            <Button size="xs" variant="default" component={Link} to={`/programmes/${programme.id}/edit`} leftSection={<IconPencil size={14} aria-hidden="true" />}>
              Edit
            </Button>
          ) : null}
          {live ? <HandoutButton programme={programme} /> : null}
          <Button size="xs" variant="default" leftSection={<IconCopy size={14} aria-hidden="true" />} loading={copy.isPending} onClick={() => copy.mutate()}>
            Copy to library
          </Button>
          {live ? (
            <Button size="xs" variant="subtle" color="red" leftSection={<IconPlayerStop size={14} aria-hidden="true" />} onClick={() => setEnding(true)}>
              End programme
            </Button>
          ) : null}
        </Group>
        {live && !patient.email ? (
          <Text size="xs" c="dimmed">
            No email address on file: read the code out, or add an email address to send it.
          </Text>
        ) : null}
        <ProgrammeEngagement programme={programme} patient={patient} />
      </Stack>
      <EndProgrammeDialog
        programme={programme}
        opened={ending}
        onClose={() => setEnding(false)}
        onEnded={() => void refreshPatients(queryClient)}
      />
    </Paper>
  );
}

function EndProgrammeDialog({ programme, opened, onClose, onEnded }: { programme: ProgrammeView; opened: boolean; onClose: () => void; onEnded: () => void }) {
  return (
    <ConfirmDialog
      opened={opened}
      onClose={onClose}
      title={`End ${programme.title}?`}
      confirmLabel="End programme"
      onConfirm={async () => {
        await call(programmeContracts.end, { params: { programmeId: programme.id } });
        notifications.show({ color: 'motus', message: `${programme.title} has ended.` });
        onEnded();
      }}
    >
      <Text size="sm">
        The patient can still open it with the code, read-only, with a note to contact the practice. You can copy it to your library to
        use it again.
      </Text>
    </ConfirmDialog>
  );
}

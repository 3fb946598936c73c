import { Anchor, Badge, Button, Grid, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArchive, IconArchiveOff, IconArrowLeft, IconPencil, IconTrash, IconUserQuestion } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { patientContracts, type PatientView } from '../../../src/patients/schemas.ts';
import { call, errorMessage, isApiError } from '../app/api.ts';
import { ConfirmDialog } from '../app/ConfirmDialog.tsx';
import { PageHeader, EmptyState, ErrorBlock, Facts, LoadingBlock } from '../app/ui.tsx';
import { PatientFormDialog } from './PatientFormDialog.tsx';
import { PatientProgrammes } from './PatientProgrammes.tsx';
import { ShareCard, TransferCard } from './PatientSharing.tsx';
import { genderLabel, patientName } from './patients.ts';
import { forgetPatient, patientKey, refreshPatients, usePatient } from './queries.ts';

export function BackToPatients() {
  return (
    <Anchor component={Link} to="/patients" size="sm" mb="xs" display="inline-block">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden="true" />
        All patients
      </Group>
    </Anchor>
  );
}

/** Not found (or not visible to this practitioner: R-PAT-2 answers both alike). */
export function PatientNotFound() {
  return (
    <Paper withBorder data-testid="patient-not-found">
      <EmptyState icon={IconUserQuestion} title="Patient not found">
        This patient does not exist, or is not one of yours.{' '}
        <Anchor component={Link} to="/patients" inherit>
          Back to your patients
        </Anchor>
      </EmptyState>
    </Paper>
  );
}

/** One patient (R-PAT-1, R-PAT-2): details, programmes, sharing and transfer. */
export function PatientPage() {
  const { patientId = '' } = useParams();
  const patient = usePatient(patientId);
  if (patient.isPending) return <LoadingBlock label="Loading the patient" />;
  if (patient.isError) {
    if (isApiError(patient.error) && (patient.error.status === 404 || patient.error.status === 400)) return <PatientNotFound />;
    return <ErrorBlock error={patient.error} onRetry={() => void patient.refetch()} />;
  }
  return <PatientOverview patient={patient.data} />;
}

function PatientOverview({ patient }: { patient: PatientView }) {
  const name = patientName(patient);
  return (
    <>
      <BackToPatients />
      <PageHeader
        title={name}
        description={`Born ${patient.yearOfBirth}${patient.externalId ? ` · ${patient.externalId}` : ''}`}
        actions={
          patient.archived || !patient.own ? (
            <Group gap="xs">
              {patient.archived ? (
                <Badge variant="light" color="gray" data-testid="patient-archived">
                  Archived
                </Badge>
              ) : null}
              {!patient.own ? (
                <Badge variant="light" color="indigo">
                  Shared with you
                </Badge>
              ) : null}
            </Group>
          ) : null
        }
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <PatientProgrammes patient={patient} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="lg">
            <DetailsCard patient={patient} />
            {patient.own ? (
              <>
                <ShareCard patient={patient} />
                <TransferCard patient={patient} />
              </>
            ) : (
              <Paper withBorder p={{ base: 'md', sm: 'lg' }}>
                <Text size="sm" c="dimmed">
                  A colleague shared this patient with you. Only the practitioner who owns them can share, transfer or delete them.
                </Text>
              </Paper>
            )}
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}

function DetailsCard({ patient }: { patient: PatientView }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const name = patientName(patient);

  const archive = useMutation({
    mutationFn: () => call(patient.archived ? patientContracts.restore : patientContracts.archive, { params: { patientId: patient.id } }),
    onSuccess: async (answer) => {
      queryClient.setQueryData(patientKey(patient.id), answer.patient);
      await refreshPatients(queryClient);
      notifications.show({
        color: 'motus',
        message: answer.patient.archived ? `${name} was archived: kept, but left out of your patient list.` : `${name} is back in your patient list.`,
      });
    },
    onError: (error) => notifications.show({ color: 'red', title: 'Nothing was changed', message: errorMessage(error) }),
  });

  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="details-heading">
      <Title order={2} size="h4" id="details-heading" mb="md">
        Details
      </Title>
      <Facts
        items={[
          { term: 'Year of birth', value: patient.yearOfBirth },
          { term: 'Gender', value: genderLabel(patient.gender) },
          { term: 'Email', value: patient.email ?? '—', testId: 'patient-email' },
          { term: 'Mobile', value: patient.mobile ?? '—' },
          { term: 'External id', value: patient.externalId ?? '—' },
          { term: 'Diagnosis code', value: patient.diagnosisCode ?? '—' },
          { term: 'Group', value: patient.group ?? '—' },
        ]}
      />
      <Stack gap="xs" mt="md">
        <Button variant="default" leftSection={<IconPencil size={16} aria-hidden="true" />} onClick={() => setEditing(true)}>
          Edit details
        </Button>
        <Button
          variant="default"
          leftSection={patient.archived ? <IconArchiveOff size={16} aria-hidden="true" /> : <IconArchive size={16} aria-hidden="true" />}
          loading={archive.isPending}
          onClick={() => archive.mutate()}
        >
          {patient.archived ? 'Restore patient' : 'Archive patient'}
        </Button>
        {patient.own ? (
          <Button variant="subtle" color="red" leftSection={<IconTrash size={16} aria-hidden="true" />} onClick={() => setDeleting(true)}>
            Delete patient
          </Button>
        ) : null}
      </Stack>
      <PatientFormDialog
        opened={editing}
        onClose={() => setEditing(false)}
        patient={patient}
        onSaved={(saved) => queryClient.setQueryData(patientKey(patient.id), saved)}
      />
      <ConfirmDialog
        opened={deleting}
        onClose={() => setDeleting(false)}
        title={`Delete ${name}?`}
        confirmLabel="Delete patient"
        onConfirm={async () => {
          await call(patientContracts.remove, { params: { patientId: patient.id } });
          notifications.show({ color: 'motus', message: `${name} was deleted.` });
          navigate('/patients', { replace: true });
          forgetPatient(queryClient, patient.id);
        }}
      >
        <Text size="sm">
          This deletes {name} with all their programmes: their codes stop working at once. It cannot be undone. To keep the record but
          take the patient out of your list, archive them instead.
        </Text>
      </ConfirmDialog>
    </Paper>
  );
}

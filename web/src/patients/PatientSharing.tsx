import { Button, Group, NativeSelect, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconShare, IconTransfer } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { PatientView } from '../../../src/patients/schemas.ts';
import { sharingContracts, type ColleagueView } from '../../../src/sharing/schemas.ts';
import { transferContracts } from '../../../src/transfers/schemas.ts';
import { call, errorMessage } from '../app/api.ts';
import { ConfirmDialog } from '../app/ConfirmDialog.tsx';
import { formatDate } from '../app/format.ts';
import { ErrorBlock, LoadingBlock } from '../app/ui.tsx';
import { colleagueChoices, patientName } from './patients.ts';
import { forgetPatient, patientKey, useColleagues, usePatientShares } from './queries.ts';

function NoColleagues() {
  return (
    <Text size="sm" c="dimmed">
      No colleagues yet: practitioners of your organisation, or on your subscription, appear here.
    </Text>
  );
}

/** R-SHR-3: share one patient with a colleague, and end the share at any time. */
export function ShareCard({ patient }: { patient: PatientView }) {
  const queryClient = useQueryClient();
  const colleagues = useColleagues();
  const shares = usePatientShares(patient.id);
  const [chosen, setChosen] = useState('');
  const choices = colleagueChoices(colleagues.data ?? [], (shares.data ?? []).map((s) => s.toAccountId));
  const name = patientName(patient);

  const share = useMutation({
    mutationFn: (accountId: string) => call(sharingContracts.share, { params: { patientId: patient.id }, body: { accountId } }),
    onSuccess: async (_answer, accountId) => {
      setChosen('');
      await queryClient.invalidateQueries({ queryKey: [...patientKey(patient.id), 'shares'] });
      const who = colleagues.data?.find((c) => c.accountId === accountId)?.name ?? 'your colleague';
      notifications.show({ color: 'motus', message: `${name} is now shared with ${who}.` });
    },
    onError: (error) => notifications.show({ color: 'red', title: 'The patient was not shared', message: errorMessage(error) }),
  });

  const end = useMutation({
    mutationFn: (shareId: string) => call(sharingContracts.endShare, { params: { patientId: patient.id, shareId } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: [...patientKey(patient.id), 'shares'] });
      notifications.show({ color: 'motus', message: 'The share has ended.' });
    },
    onError: (error) => notifications.show({ color: 'red', title: 'The share did not end', message: errorMessage(error) }),
  });

  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="share-heading">
      <Title order={2} size="h4" id="share-heading" mb={4}>
        Share with a colleague
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        The colleague sees {name} and their programmes beside their own patients. You stay the owner and can end the share at any time.
      </Text>
      {colleagues.isPending || shares.isPending ? (
        <LoadingBlock label="Loading colleagues" />
      ) : colleagues.isError || shares.isError ? (
        <ErrorBlock error={colleagues.error ?? shares.error} onRetry={() => void Promise.all([colleagues.refetch(), shares.refetch()])} />
      ) : (
        <Stack gap="md">
          {shares.data.length > 0 ? (
            <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Shared with" data-testid="share-list">
              {shares.data.map((s) => (
                <Group component="li" key={s.id} justify="space-between" gap="sm" wrap="nowrap" data-testid="share-row">
                  <Stack gap={0} style={{ minWidth: 0 }}>
                    <Text size="sm" fw={600} className="break-anywhere">
                      {s.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      Since {formatDate(s.since)}
                    </Text>
                  </Stack>
                  <Button
                    size="xs"
                    variant="default"
                    color="red"
                    aria-label={`End share with ${s.name}`}
                    loading={end.isPending && end.variables === s.id}
                    onClick={() => end.mutate(s.id)}
                  >
                    End share
                  </Button>
                </Group>
              ))}
            </Stack>
          ) : null}
          {colleagues.data.length === 0 ? (
            <NoColleagues />
          ) : choices.length === 0 ? (
            <Text size="sm" c="dimmed">
              Shared with every colleague.
            </Text>
          ) : (
            <Group gap="sm" align="flex-end">
              <NativeSelect
                label="Colleague"
                data={[{ value: '', label: 'Choose a colleague…', disabled: true }, ...choices]}
                value={chosen}
                onChange={(event) => setChosen(event.currentTarget.value)}
                style={{ flex: '1 1 200px' }}
              />
              <Button leftSection={<IconShare size={16} aria-hidden="true" />} disabled={!chosen} loading={share.isPending} onClick={() => share.mutate(chosen)}>
                Share
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </Paper>
  );
}

/** R-TRF-1: move the patient, with all their programmes and history, to a colleague. */
export function TransferCard({ patient }: { patient: PatientView }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const colleagues = useColleagues();
  const [chosen, setChosen] = useState('');
  const [confirming, setConfirming] = useState(false);
  const choices = colleagueChoices(colleagues.data ?? []);
  const to: ColleagueView | undefined = colleagues.data?.find((c) => c.accountId === chosen);
  const name = patientName(patient);

  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="transfer-heading">
      <Title order={2} size="h4" id="transfer-heading" mb={4}>
        Transfer to a colleague
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        The colleague becomes {name}'s practitioner, with all their programmes and history. Programmes stay active and keep their codes.
      </Text>
      {colleagues.isPending ? (
        <LoadingBlock label="Loading colleagues" />
      ) : colleagues.isError ? (
        <ErrorBlock error={colleagues.error} onRetry={() => void colleagues.refetch()} />
      ) : choices.length === 0 ? (
        <NoColleagues />
      ) : (
        <Group gap="sm" align="flex-end">
          <NativeSelect
            label="Transfer to"
            data={[{ value: '', label: 'Choose a colleague…', disabled: true }, ...choices]}
            value={chosen}
            onChange={(event) => setChosen(event.currentTarget.value)}
            style={{ flex: '1 1 200px' }}
          />
          <Button variant="light" leftSection={<IconTransfer size={16} aria-hidden="true" />} disabled={!chosen} onClick={() => setConfirming(true)}>
            Transfer
          </Button>
        </Group>
      )}
      <ConfirmDialog
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={`Transfer ${name} to ${to?.name ?? 'a colleague'}?`}
        confirmLabel="Transfer patient"
        color="motus"
        onConfirm={async () => {
          await call(transferContracts.transferPatient, { params: { patientId: patient.id }, body: { accountId: chosen } });
          notifications.show({ color: 'motus', title: 'Patient transferred', message: `${name} is now ${to?.name ?? 'your colleague'}'s patient.` });
          // Away first: this patient is no longer visible, and asking for them again would answer 404.
          navigate('/patients', { replace: true });
          forgetPatient(queryClient, patient.id);
        }}
      >
        <Text size="sm">
          {to?.name ?? 'Your colleague'} becomes the owner of {name} and all their programmes, which stay active with the same codes. Any
          shares of this patient end, and you will no longer see them.
        </Text>
      </ConfirmDialog>
    </Paper>
  );
}

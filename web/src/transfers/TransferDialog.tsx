import { Alert, Button, Checkbox, Group, NativeSelect, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconInfoCircle, IconSearch, IconTransfer } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { transferContracts, type TransferableView } from '../../../src/transfers/schemas.ts';
import { call, errorMessage, isApiError } from '../app/api.ts';
import { Dialog } from '../app/Dialog.tsx';
import { Pager } from '../app/Pager.tsx';
import { FormError, ErrorBlock, LoadingBlock } from '../app/ui.tsx';
import {
  describeCounts,
  EMPTY_SELECTION,
  filterPatients,
  selectAllState,
  selectionSize,
  setItems,
  toggleItem,
  transferBody,
  transferDoneMessage,
  type TransferKind,
  type TransferSelection,
} from './transfers.ts';
import { useConsole } from '../console/ConsoleLayout.tsx';
import { firstName } from '../memberships/members.ts';
import { refreshOrganisation } from '../organisations/queries.ts';
import { usePractitioners } from '../memberships/queries.ts';
import { useTransferable } from './queries.ts';
import type { MemberView as Member } from '../../../src/memberships/schemas.ts';

const PAGE_SIZE = 25;

interface TransferDialogProps {
  member: Member;
  opened: boolean;
  onClose: () => void;
  /** After a transfer went through (the dialog closes by itself). */
  onDone?: () => void;
}

/**
 * R-TRF-1, R-PRA-6: an admin with Users moves any selection of a member's patients, custom
 * exercises and templates to a colleague with practitioner access, all or nothing. The member's
 * patients are listed by name and year of birth only, and each listing is recorded (R-PAT-2): the
 * list is asked for only while this dialog is open.
 */
export function TransferDialog({ member, opened, onClose, onDone }: TransferDialogProps) {
  return (
    <Dialog opened={opened} onClose={onClose} title={`Transfer ${member.name}'s patients and content`} size="xl">
      {opened ? <TransferForm member={member} onClose={onClose} onDone={onDone} /> : null}
    </Dialog>
  );
}

function TransferForm({ member, onClose, onDone }: { member: Member; onClose: () => void; onDone?: (() => void) | undefined }) {
  const { orgId } = useConsole();
  const transferable = useTransferable(orgId, member.id, true);
  const colleagues = usePractitioners(orgId);

  if (transferable.isPending || colleagues.isPending) return <LoadingBlock label="Loading what can be transferred" />;
  if (transferable.isError) return <ErrorBlock error={transferable.error} onRetry={() => void transferable.refetch()} />;
  if (colleagues.isError) return <ErrorBlock error={colleagues.error} onRetry={() => void colleagues.refetch()} />;

  const choices = colleagues.practitioners.filter((m) => m.id !== member.id);
  return <TransferChooser member={member} items={transferable.data} colleagues={choices} onClose={onClose} onDone={onDone} />;
}

interface ChooserProps {
  member: Member;
  items: TransferableView;
  colleagues: Member[];
  onClose: () => void;
  onDone?: (() => void) | undefined;
}

function TransferChooser({ member, items, colleagues, onClose, onDone }: ChooserProps) {
  const { orgId } = useConsole();
  const queryClient = useQueryClient();
  const [toMemberId, setToMemberId] = useState('');
  const [selection, setSelection] = useState<TransferSelection>(EMPTY_SELECTION);
  const [confirming, setConfirming] = useState(false);
  const name = firstName(member.name);
  const recipient = colleagues.find((c) => c.id === toMemberId);
  const counts = { patients: selection.patientIds.size, exercises: selection.exerciseIds.size, templates: selection.templateIds.size };
  const nothing = items.patients.length + items.exercises.length + items.templates.length === 0;

  const transfer = useMutation({
    mutationFn: () => call(transferContracts.adminTransfer, { params: { orgId, memberId: member.id }, body: transferBody(toMemberId, selection) }),
    onSuccess: async (result) => {
      await refreshOrganisation(queryClient, orgId);
      notifications.show({ color: 'motus', title: 'Transfer complete', message: transferDoneMessage(result, recipient?.name ?? 'the colleague') });
      onDone?.();
      onClose();
    },
    onError: async (error) => {
      // The colleague lost practitioner access meanwhile: the list of colleagues is asked for again.
      if (isApiError(error, 'recipient_not_practitioner')) await refreshOrganisation(queryClient, orgId);
    },
  });

  const change = (update: Update) => {
    transfer.reset();
    setSelection(update);
  };

  if (nothing) {
    return (
      <Stack gap="md">
        <Text size="sm" data-testid="transfer-nothing">
          {name} has no patients treated in this organisation, no custom exercises and no templates: there is nothing to transfer.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
        </Group>
      </Stack>
    );
  }

  if (confirming && recipient) {
    return (
      <Stack gap="md">
        <Text data-testid="transfer-confirm-summary">
          Move {describeCounts(counts)} from {member.name} to {recipient.name}?
        </Text>
        <Text size="sm" c="dimmed">
          Patients move with all their programmes and history; their programmes stay active and keep their codes. Everything
          moves together or nothing does.
        </Text>
        <FormError message={transfer.isError ? errorMessage(transfer.error) : null} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" leftSection={<IconArrowLeft size={16} aria-hidden="true" />} onClick={() => { transfer.reset(); setConfirming(false); }}>
            Back
          </Button>
          <Button loading={transfer.isPending} leftSection={<IconTransfer size={16} aria-hidden="true" />} onClick={() => transfer.mutate()}>
            Transfer
          </Button>
        </Group>
      </Stack>
    );
  }

  return (
    <Stack gap="lg">
      <Alert color="gray" variant="light" icon={<IconInfoCircle size={18} aria-hidden="true" />}>
        Only names and years of birth are shown, and this listing is recorded in the audit trail.
      </Alert>
      <NativeSelect
        label="Transfer to"
        description="A colleague with practitioner access in this organisation"
        data={[{ value: '', label: colleagues.length > 0 ? 'Choose a colleague…' : 'No colleague has practitioner access', disabled: true }, ...colleagues.map((c) => ({ value: c.id, label: c.name }))]}
        value={toMemberId}
        onChange={(event) => {
          transfer.reset();
          setToMemberId(event.currentTarget.value);
        }}
      />
      <PatientPicker items={items} selection={selection} onChange={change} />
      <NamedPicker
        heading="Custom exercises"
        kind="exerciseIds"
        noun="custom exercises"
        items={items.exercises.map((e) => ({ id: e.id, label: e.name }))}
        selection={selection}
        onChange={change}
      />
      <NamedPicker
        heading="Templates"
        kind="templateIds"
        noun="templates"
        items={items.templates.map((t) => ({ id: t.id, label: t.title }))}
        selection={selection}
        onChange={change}
      />
      <Group justify="space-between" gap="sm">
        <Text size="sm" c="dimmed" aria-live="polite" data-testid="transfer-selected">
          Selected: {describeCounts(counts)}
        </Text>
        <Group gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button disabled={!recipient || selectionSize(selection) === 0} onClick={() => setConfirming(true)}>
            Review transfer
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}

type Update = (s: TransferSelection) => TransferSelection;

function PatientPicker({ items, selection, onChange }: { items: TransferableView; selection: TransferSelection; onChange: (update: Update) => void }) {
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const shown = useMemo(() => filterPatients(items.patients, search), [items.patients, search]);
  const ids = useMemo(() => shown.map((p) => p.id), [shown]);
  const all = selectAllState(selection.patientIds, ids);
  const rows = shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);

  return (
    <Stack gap="xs" component="section" aria-labelledby="transfer-patients-heading">
      <Title order={3} size="h5" id="transfer-patients-heading">
        Patients ({items.patients.length})
      </Title>
      {items.patients.length === 0 ? (
        <Text size="sm" c="dimmed">
          No patients treated in this organisation.
        </Text>
      ) : (
        <>
          <Group gap="md" align="flex-end">
            <TextInput
              label="Search patients"
              placeholder="Name or year of birth"
              leftSection={<IconSearch size={16} aria-hidden="true" />}
              value={search}
              onChange={(event) => {
                setSearch(event.currentTarget.value);
                setPage(1);
              }}
              style={{ flex: '1 1 220px' }}
            />
            <Checkbox
              label={search.trim() ? 'Select all found' : 'Select all'}
              checked={all.checked}
              indeterminate={all.indeterminate}
              disabled={ids.length === 0}
              onChange={(event) => {
                const checked = event.currentTarget.checked;
                onChange((s) => setItems(s, 'patientIds', ids, checked));
              }}
              mb={8}
            />
          </Group>
          <Paper withBorder>
            <Table.ScrollContainer minWidth={320}>
              <Table verticalSpacing={6} data-testid="transfer-patients">
                <Table.Thead bg="gray.0">
                  <Table.Tr>
                    <Table.Th scope="col" w={48}>
                      <span className="visually-hidden">Selected</span>
                    </Table.Th>
                    <Table.Th scope="col">Name</Table.Th>
                    <Table.Th scope="col">Year of birth</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((p) => {
                    const label = `${p.firstName} ${p.lastName}`;
                    return (
                      <Table.Tr key={p.id} data-testid="transfer-patient-row">
                        <Table.Td>
                          <Checkbox
                            aria-label={`Select ${label}`}
                            checked={selection.patientIds.has(p.id)}
                            onChange={(event) => {
                              const checked = event.currentTarget.checked;
                              onChange((s) => toggleItem(s, 'patientIds', p.id, checked));
                            }}
                          />
                        </Table.Td>
                        <Table.Td>{label}</Table.Td>
                        <Table.Td>{p.yearOfBirth}</Table.Td>
                      </Table.Tr>
                    );
                  })}
                  {rows.length === 0 ? (
                    <Table.Tr>
                      <Table.Td colSpan={3}>
                        <Text size="sm" c="dimmed">
                          No patient matches the search.
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ) : null}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager total={shown.length} page={page} pageSize={PAGE_SIZE} noun={['patient', 'patients']} onChange={setPage} />
          </Paper>
        </>
      )}
    </Stack>
  );
}

interface NamedPickerProps {
  heading: string;
  kind: Exclude<TransferKind, 'patientIds'>;
  noun: string;
  items: { id: string; label: string }[];
  selection: TransferSelection;
  onChange: (update: Update) => void;
}

/** The member's custom exercises or templates, each with its checkbox. */
function NamedPicker({ heading, kind, noun, items, selection, onChange }: NamedPickerProps) {
  const ids = items.map((i) => i.id);
  const all = selectAllState(selection[kind], ids);
  const headingId = `transfer-${kind}-heading`;
  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Title order={3} size="h5" id={headingId}>
        {heading} ({items.length})
      </Title>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No {noun}.
        </Text>
      ) : (
        <>
          {items.length > 1 ? (
            <Checkbox
              label={`Select all ${noun}`}
              checked={all.checked}
              indeterminate={all.indeterminate}
              onChange={(event) => {
                const checked = event.currentTarget.checked;
                onChange((s) => setItems(s, kind, ids, checked));
              }}
            />
          ) : null}
          <Stack gap={6} pl={items.length > 1 ? 'md' : 0}>
            {items.map((item) => (
              <Checkbox
                key={item.id}
                label={item.label}
                checked={selection[kind].has(item.id)}
                onChange={(event) => {
                  const checked = event.currentTarget.checked;
                  onChange((s) => toggleItem(s, kind, item.id, checked));
                }}
              />
            ))}
          </Stack>
        </>
      )}
    </Stack>
  );
}

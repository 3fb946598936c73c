import { Anchor, Badge, Button, Group, NativeSelect, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconSearch, IconUserPlus, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { PatientView } from '../../../src/patients/schemas.ts';
import { useListParams } from '../app/listParams.ts';
import { Pager } from '../app/Pager.tsx';
import { PageHeader, EmptyState, ErrorBlock, LoadingBlock } from '../app/ui.tsx';
import { PatientFormDialog } from './PatientFormDialog.tsx';
import { ARCHIVED_FILTERS, archivedFilter, patientName } from './patients.ts';
import { usePatients } from './queries.ts';

const PAGE_SIZE = 20;

/** The practitioner's patients and those shared with them (R-PAT-1, R-PAT-2): search, archived filter and pages. */
export function PatientsPage() {
  const navigate = useNavigate();
  const { params, search, page, typed, setTyped, update } = useListParams();
  const archived = archivedFilter(params.get('archived'));
  const [adding, setAdding] = useState(false);
  const isNarrow = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false }) ?? false;

  const patients = usePatients({ search, archived, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const rows = patients.data?.patients ?? [];
  const filtered = search !== '' || archived !== 'false';

  return (
    <>
      <PageHeader
        title="Patients"
        description="Your patients and those colleagues shared with you."
        actions={
          <Button leftSection={<IconUserPlus size={18} aria-hidden="true" />} onClick={() => setAdding(true)}>
            Add patient
          </Button>
        }
      />
      <Paper withBorder p={0} style={{ overflow: 'hidden' }}>
        <Group p="md" gap="sm" align="flex-end" style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
          <TextInput
            label="Search patients"
            placeholder="Name or external id"
            leftSection={<IconSearch size={16} aria-hidden="true" />}
            value={typed}
            onChange={(event) => setTyped(event.currentTarget.value)}
            type="search"
            style={{ flex: '1 1 240px' }}
          />
          <NativeSelect
            label="Show"
            data={ARCHIVED_FILTERS}
            value={archived}
            onChange={(event) => update({ archived: event.currentTarget.value === 'false' ? null : event.currentTarget.value, page: null })}
            style={{ flex: '1 1 180px', maxWidth: 260 }}
          />
        </Group>
        {patients.isPending ? (
          <LoadingBlock label="Loading patients" />
        ) : patients.isError ? (
          <ErrorBlock m="md" error={patients.error} onRetry={() => void patients.refetch()} />
        ) : rows.length === 0 ? (
          filtered ? (
            <EmptyState icon={IconSearch} title="No patients match">
              Try another name or external id, or show all patients.
            </EmptyState>
          ) : (
            <EmptyState icon={IconUsers} title="No patients yet">
              Add your first patient with <strong>Add patient</strong>, then build their exercise programme.
            </EmptyState>
          )
        ) : isNarrow ? (
          <PatientCards patients={rows} />
        ) : (
          <PatientTable patients={rows} />
        )}
        <Pager
          total={patients.data?.total ?? 0}
          page={page}
          pageSize={PAGE_SIZE}
          noun={['patient', 'patients']}
          onChange={(value) => update({ page: value === 1 ? null : String(value) })}
          countTestId="patients-count"
        />
      </Paper>
      <PatientFormDialog opened={adding} onClose={() => setAdding(false)} onSaved={(patient) => navigate(`/patients/${patient.id}`)} />
    </>
  );
}

function PatientBadges({ patient }: { patient: PatientView }) {
  if (!patient.archived && patient.own) return null;
  return (
    <Group gap={4}>
      {patient.archived ? (
        <Badge size="sm" variant="light" color="gray">
          Archived
        </Badge>
      ) : null}
      {!patient.own ? (
        <Badge size="sm" variant="light" color="indigo">
          Shared with you
        </Badge>
      ) : null}
    </Group>
  );
}

function PatientTable({ patients }: { patients: PatientView[] }) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover data-testid="patient-table">
        <Table.Caption className="visually-hidden">Patients</Table.Caption>
        <Table.Thead bg="gray.0">
          <Table.Tr>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">Year of birth</Table.Th>
            <Table.Th scope="col">External id</Table.Th>
            <Table.Th scope="col">Group</Table.Th>
            <Table.Th scope="col">
              <span className="visually-hidden">Status</span>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {patients.map((patient) => (
            <Table.Tr key={patient.id} data-testid="patient-row">
              <Table.Td>
                <Anchor component={Link} to={`/patients/${patient.id}`} className="member-link" size="sm">
                  {patientName(patient)}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{patient.yearOfBirth}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{patient.externalId ?? '—'}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{patient.group ?? '—'}</Text>
              </Table.Td>
              <Table.Td>
                <PatientBadges patient={patient} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function PatientCards({ patients }: { patients: PatientView[] }) {
  return (
    <Stack gap={0} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Patients" data-testid="patient-list">
      {patients.map((patient, index) => (
        <Stack
          component="li"
          key={patient.id}
          gap={4}
          p="md"
          data-testid="patient-row"
          style={index === 0 ? undefined : { borderTop: '1px solid var(--mantine-color-gray-2)' }}
        >
          <Group justify="space-between" wrap="nowrap" align="flex-start" gap="sm">
            <Anchor component={Link} to={`/patients/${patient.id}`} className="member-link">
              {patientName(patient)}
            </Anchor>
            <PatientBadges patient={patient} />
          </Group>
          <Text size="sm" c="dimmed">
            Born {patient.yearOfBirth}
            {patient.externalId ? ` · ${patient.externalId}` : ''}
            {patient.group ? ` · ${patient.group}` : ''}
          </Text>
        </Stack>
      ))}
    </Stack>
  );
}

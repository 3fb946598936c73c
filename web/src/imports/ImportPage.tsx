import { Alert, Badge, Button, FileButton, Grid, Group, List, NativeSelect, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconDownload, IconFileImport, IconFileSpreadsheet, IconInfoCircle } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { importContracts, type ImportInput, type PatientImportView } from '../../../src/imports/schemas.ts';
import { sharingContracts } from '../../../src/sharing/schemas.ts';
import { call, errorMessage } from '../app/api.ts';
import { formatDateTime, plural } from '../app/format.ts';
import { FormError, PageHeader, EmptyState, ErrorBlock, LoadingBlock } from '../app/ui.tsx';
import { exampleImportCsv, IMPORT_COLUMNS, IMPORT_MAX_CHARS, importStatusLabel, previewImport } from './imports.ts';
import { useConsole } from '../console/ConsoleLayout.tsx';
import { importsKey, useImport, useImports } from './queries.ts';
import { usePractitioners } from '../memberships/queries.ts';

interface ChosenFile {
  name: string;
  text: string;
  rows: number;
  header: boolean;
}

/** Patient import: a CSV file into one practitioner's patient list, run on the server as a job. */
export function ImportPage() {
  const [shownImportId, setShownImportId] = useState<string | null>(null);
  return (
    <>
      <PageHeader title="Patient import" description="Bring patients in from another system: one CSV file into one practitioner's patient list." />
      <Stack gap="lg">
        <ImportForm onStarted={setShownImportId} />
        {shownImportId ? <ImportResult importId={shownImportId} /> : null}
        <RecentImports onShow={setShownImportId} shownImportId={shownImportId} />
      </Stack>
    </>
  );
}

/**
 * The practitioners an import can go to. The members list belongs to the Users section, and the
 * sharing settings (which name the practitioners too) to Sharing & content; an admin holding
 * neither cannot be offered a choice.
 */
function usePractitionerChoices() {
  const { orgId, me } = useConsole();
  const viaUsers = me.sections.includes('users');
  const viaSharing = !viaUsers && me.sections.includes('sharing');
  const members = usePractitioners(orgId, viaUsers);
  const sharing = useQuery({
    queryKey: [...importsKey(orgId), 'practitioners'],
    queryFn: () => call(sharingContracts.settings, { params: { orgId } }).then((a) => a.practitioners),
    enabled: viaSharing,
  });
  if (viaUsers) return { available: true, pending: members.isPending, error: members.error, choices: members.practitioners.map((m) => ({ value: m.id, label: m.name })) };
  if (viaSharing) return { available: true, pending: sharing.isPending, error: sharing.error, choices: (sharing.data ?? []).map((p) => ({ value: p.id, label: p.name })) };
  return { available: false, pending: false, error: null, choices: [] };
}

function ImportForm({ onStarted }: { onStarted: (importId: string) => void }) {
  const { orgId, organisation } = useConsole();
  const queryClient = useQueryClient();
  const practitioners = usePractitionerChoices();
  const [practitionerId, setPractitionerId] = useState('');
  const [file, setFile] = useState<ChosenFile | null>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);

  const start = useMutation({
    mutationFn: (body: ImportInput) => call(importContracts.request, { params: { orgId }, body }).then((a) => a.import),
    onSuccess: async (started) => {
      queryClient.setQueryData([...importsKey(orgId), started.id], started);
      await queryClient.invalidateQueries({ queryKey: importsKey(orgId), exact: true });
      onStarted(started.id);
      setFile(null);
      notifications.show({ color: 'motus', title: 'Import started', message: `${started.fileName ?? 'The file'} is being read. The result shows below.` });
    },
  });

  const choose = async (picked: File | null) => {
    start.reset();
    setFileProblem(null);
    setFile(null);
    if (!picked) return;
    const text = await picked.text();
    if (text.length > IMPORT_MAX_CHARS) {
      setFileProblem(`${picked.name} is too large: at most ${IMPORT_MAX_CHARS.toLocaleString()} characters. Split it into smaller files.`);
      return;
    }
    const preview = previewImport(text);
    if (preview.rows === 0) {
      setFileProblem(`${picked.name} has no patient rows.`);
      return;
    }
    setFile({ name: picked.name, text, ...preview });
  };

  const chosen = practitioners.choices.find((c) => c.value === practitionerId);

  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="import-form-heading">
      <Grid gap={{ base: 'md', md: 'xl' }}>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Title order={2} size="h4" id="import-form-heading">
            Import a file
          </Title>
          <Text size="sm" c="dimmed" mt={4}>
            A CSV file (comma-separated, UTF-8), one patient per row, with these columns in this order. The first row may
            name the columns.
          </Text>
          <List size="sm" type="ordered" spacing={4} mt="sm" data-testid="import-columns">
            {IMPORT_COLUMNS.map((c) => (
              <List.Item key={c.name}>
                <Text span size="sm" fw={600}>
                  {c.name}
                </Text>{' '}
                <Text span size="sm" c="dimmed">
                  ({c.note})
                </Text>
              </List.Item>
            ))}
          </List>
          <Text size="sm" c="dimmed" mt="sm">
            A row whose external id the practitioner already has updates that patient; empty cells keep what the patient
            already has. Rows with a problem are skipped and listed with their line; the others are imported.
          </Text>
          <Button mt="sm" size="xs" variant="default" leftSection={<IconDownload size={14} aria-hidden="true" />} onClick={downloadExample}>
            Download example file
          </Button>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            {!practitioners.available ? (
              <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} aria-hidden="true" />}>
                Choosing the practitioner needs the Users section (or Sharing & content) of {organisation.name}'s console. Ask{' '}
                {organisation.owner.name} or an admin who holds it.
              </Alert>
            ) : practitioners.error ? (
              <ErrorBlock error={practitioners.error} />
            ) : (
              <NativeSelect
                label="Practitioner"
                description="The patients go into this practitioner's list"
                disabled={practitioners.pending}
                data={[
                  { value: '', label: practitioners.pending ? 'Loading…' : practitioners.choices.length > 0 ? 'Choose a practitioner…' : 'No active practitioners', disabled: true },
                  ...practitioners.choices,
                ]}
                value={practitionerId}
                onChange={(event) => {
                  start.reset();
                  setPractitionerId(event.currentTarget.value);
                }}
              />
            )}
            <Stack gap={6}>
              <Text size="sm" fw={500} id="import-file-label">
                CSV file
              </Text>
              <Group gap="sm">
                <FileButton
                  onChange={(picked) => void choose(picked)}
                  accept=".csv,text/csv,text/plain"
                  inputProps={{ 'aria-labelledby': 'import-file-label', 'data-testid': 'import-file-input' } as React.ComponentProps<'input'>}
                >
                  {(props) => (
                    <Button {...props} variant="default" leftSection={<IconFileSpreadsheet size={16} aria-hidden="true" />}>
                      {file ? 'Choose another file' : 'Choose CSV file'}
                    </Button>
                  )}
                </FileButton>
                {file ? (
                  <Text size="sm" data-testid="import-preview" className="break-anywhere">
                    <Text span fw={600} size="sm">
                      {file.name}
                    </Text>
                    : {plural(file.rows, 'patient row', 'patient rows')}
                    {file.header ? ' (and a header row)' : ''}
                  </Text>
                ) : (
                  <Text size="sm" c="dimmed">
                    No file chosen
                  </Text>
                )}
              </Group>
            </Stack>
            <FormError message={fileProblem ?? (start.isError ? errorMessage(start.error) : null)} />
            <Group justify="flex-end">
              <Button
                leftSection={<IconFileImport size={16} aria-hidden="true" />}
                disabled={!file || !chosen}
                loading={start.isPending}
                onClick={() => {
                  if (file && chosen) start.mutate({ practitionerMemberId: chosen.value, fileName: file.name, csv: file.text });
                }}
              >
                Import
              </Button>
            </Group>
          </Stack>
        </Grid.Col>
      </Grid>
    </Paper>
  );
}

/** Saves the example file, made here in the browser (nothing is fetched). */
function downloadExample() {
  const url = URL.createObjectURL(new Blob([exampleImportCsv()], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = 'motus-patient-import-example.csv';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function StatusBadge({ status }: { status: PatientImportView['status'] }) {
  const { label, color } = importStatusLabel(status);
  return (
    <Badge color={color} variant="light" data-testid="import-status">
      {label}
    </Badge>
  );
}

/** One import: asked about every second or two until it is done or failed, then its counts and refused rows. */
function ImportResult({ importId }: { importId: string }) {
  const { orgId } = useConsole();
  const queryClient = useQueryClient();
  const query = useImport(orgId, importId);
  const status = query.data?.status;

  // Once it finishes, the list below shows it finished too.
  useEffect(() => {
    if (status && status !== 'pending') void queryClient.invalidateQueries({ queryKey: importsKey(orgId), exact: true });
  }, [status, orgId, queryClient]);

  if (query.isPending) return <LoadingBlock label="Loading the import" />;
  if (query.isError) return <ErrorBlock error={query.error} onRetry={() => void query.refetch()} />;
  const imp = query.data;
  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="import-result-heading" data-testid="import-result" aria-busy={imp.status === 'pending'}>
      <Group justify="space-between" gap="sm" mb="sm">
        <Title order={2} size="h4" id="import-result-heading" className="break-anywhere">
          {imp.fileName ?? 'Import'} into {imp.practitioner.name ?? 'a practitioner'}'s list
        </Title>
        <StatusBadge status={imp.status} />
      </Group>
      {imp.status === 'pending' ? (
        <Text size="sm" c="dimmed" role="status">
          Reading the file… This page updates by itself.
        </Text>
      ) : (
        <Stack gap="md">
          <Text size="sm" role="status">
            {imp.status === 'failed' ? 'Nothing was imported. ' : ''}
            <span data-testid="import-created">{plural(imp.created ?? 0, 'patient', 'patients')} created</span>,{' '}
            <span data-testid="import-updated">{imp.updated ?? 0} updated</span>,{' '}
            <span data-testid="import-rejected-count">{plural(imp.rejected.length, 'row', 'rows')} refused</span>
            {imp.rows !== null ? ` (of ${plural(imp.rows, 'row', 'rows')})` : ''}.
          </Text>
          {imp.rejected.length > 0 ? (
            <Table.ScrollContainer minWidth={360}>
              <Table verticalSpacing={6} data-testid="import-rejected">
                <Table.Caption className="visually-hidden">Rows that were not imported</Table.Caption>
                <Table.Thead bg="gray.0">
                  <Table.Tr>
                    <Table.Th scope="col" w={80}>
                      Line
                    </Table.Th>
                    <Table.Th scope="col">Reason</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {imp.rejected.map((r) => (
                    <Table.Tr key={`${r.line}-${r.reason}`} data-testid="import-rejected-row">
                      <Table.Td>{r.line === 0 ? '—' : r.line}</Table.Td>
                      <Table.Td className="break-anywhere">{r.reason}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          ) : null}
        </Stack>
      )}
    </Paper>
  );
}

function RecentImports({ onShow, shownImportId }: { onShow: (importId: string) => void; shownImportId: string | null }) {
  const { orgId } = useConsole();
  const imports = useImports(orgId);
  return (
    <Paper withBorder component="section" aria-labelledby="recent-imports-heading">
      <Title order={2} size="h4" id="recent-imports-heading" p={{ base: 'md', sm: 'lg' }} pb="xs">
        Recent imports
      </Title>
      {imports.isPending ? (
        <LoadingBlock label="Loading the imports" />
      ) : imports.isError ? (
        <ErrorBlock m="md" error={imports.error} onRetry={() => void imports.refetch()} />
      ) : imports.data.length === 0 ? (
        <EmptyState icon={IconInfoCircle} title="No imports yet" />
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="import-table">
            <Table.Thead bg="gray.0">
              <Table.Tr>
                <Table.Th scope="col">Requested</Table.Th>
                <Table.Th scope="col">File</Table.Th>
                <Table.Th scope="col">Practitioner</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">Created</Table.Th>
                <Table.Th scope="col">Updated</Table.Th>
                <Table.Th scope="col">Refused</Table.Th>
                <Table.Th scope="col">
                  <span className="visually-hidden">Result</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {imports.data.map((i) => (
                <Table.Tr key={i.id} data-testid="import-row">
                  <Table.Td>{formatDateTime(i.requestedAt)}</Table.Td>
                  <Table.Td className="break-anywhere">{i.fileName ?? '—'}</Table.Td>
                  <Table.Td>{i.practitioner.name ?? '—'}</Table.Td>
                  <Table.Td>
                    <Badge color={importStatusLabel(i.status).color} variant="light">
                      {importStatusLabel(i.status).label}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{i.created ?? '—'}</Table.Td>
                  <Table.Td>{i.updated ?? '—'}</Table.Td>
                  <Table.Td>{i.status === 'pending' ? '—' : i.rejected.length}</Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="subtle"
                      disabled={shownImportId === i.id}
                      aria-label={`Show the result of ${i.fileName ?? 'the import'} from ${formatDateTime(i.requestedAt)}`}
                      onClick={() => onShow(i.id)}
                    >
                      Show
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

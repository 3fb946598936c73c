import { Alert, Anchor, Button, Group, List, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconFileInvoice, IconReceipt } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, errorMessage, isApiError } from '../app/api.ts';
import { Dialog } from '../app/Dialog.tsx';
import { useConsole } from './ConsoleLayout.tsx';
import { invoicePath } from './InvoicesCard.tsx';
import { formatLocalDate, formatMoney, signedAmountMinor, splitLedgerDescription } from './money.ts';
import { orgPath, refreshOrganisation, useLedger } from './queries.ts';
import type { InvoiceDetail, LedgerEntry } from './types.ts';
import { EmptyState, ErrorBlock, LoadingBlock } from './ui.tsx';

function Amount({ entry }: { entry: LedgerEntry }) {
  const signed = signedAmountMinor(entry);
  return (
    <Text size="sm" fw={600} c={signed < 0 ? 'green.8' : undefined} className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
      {formatMoney(signed, entry.currency)}
    </Text>
  );
}

/** Prorated charges and credits not invoiced yet (R-LIC-4, R-LIC-5), with their net total. */
export function LedgerCard() {
  const { orgId, organisation } = useConsole();
  const ledger = useLedger(orgId);
  const isNarrow = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false }) ?? false;
  const entries = ledger.data?.entries ?? [];
  const currency = entries[0]?.currency ?? organisation.licences.currency;
  const net = ledger.data?.netMinor ?? 0;
  const [invoicing, setInvoicing] = useState(false);

  return (
    <Paper withBorder p={0} component="section" aria-labelledby="ledger-heading" style={{ overflow: 'hidden' }}>
      <Group justify="space-between" align="flex-start" gap="sm" p={{ base: 'md', sm: 'lg' }} pb="sm">
        <Stack gap={2} style={{ flex: '1 1 320px' }}>
          <Title order={2} size="h4" id="ledger-heading">
            Pending charges and credits
          </Title>
          <Text size="sm" c="dimmed">
            Licences added or removed since the last invoice, prorated to the day. They go on the next invoice, issued on
            the 1st of the month with the licences held then.
          </Text>
        </Stack>
        {entries.length > 0 ? (
          <Button variant="default" leftSection={<IconFileInvoice size={16} aria-hidden="true" />} onClick={() => setInvoicing(true)}>
            Invoice pending charges now
          </Button>
        ) : null}
      </Group>
      <Dialog opened={invoicing} onClose={() => setInvoicing(false)} title="Invoice pending charges now?" size="md">
        {invoicing ? <InvoicePendingForm netMinor={net} currency={currency} count={entries.length} onClose={() => setInvoicing(false)} /> : null}
      </Dialog>
      {ledger.isPending ? (
        <LoadingBlock label="Loading charges and credits" />
      ) : ledger.isError ? (
        <ErrorBlock m="md" error={ledger.error} onRetry={() => void ledger.refetch()} />
      ) : entries.length === 0 ? (
        <EmptyState icon={IconReceipt} title="Nothing pending">
          Charges appear here when licences are bought, and credits when they are removed.
        </EmptyState>
      ) : isNarrow ? (
        <Stack gap={0} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Pending charges and credits" data-testid="ledger-list">
          {entries.map((entry) => {
            const { what, calculation } = splitLedgerDescription(entry.description);
            return (
              <Group component="li" key={entry.id} justify="space-between" align="flex-start" wrap="nowrap" gap="sm" p="md" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
                <Stack gap={2} style={{ minWidth: 0 }}>
                  <Text size="sm" fw={500}>
                    {what}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {formatLocalDate(entry.localDate)}
                    {calculation ? ` · ${calculation}` : ''}
                  </Text>
                </Stack>
                <Amount entry={entry} />
              </Group>
            );
          })}
          <Group component="li" justify="space-between" p="md" bg="gray.0" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
            <Text fw={700} size="sm">
              Net total
            </Text>
            <Text fw={700} size="sm" className="tabular-nums" data-testid="ledger-net">
              {formatMoney(net, currency)}
            </Text>
          </Group>
        </Stack>
      ) : (
        <Table.ScrollContainer minWidth={600}>
          <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="ledger-table">
            <Table.Caption className="visually-hidden">Pending charges and credits</Table.Caption>
            <Table.Thead bg="gray.0">
              <Table.Tr>
                <Table.Th scope="col" w={130}>
                  Date
                </Table.Th>
                <Table.Th scope="col">Description</Table.Th>
                <Table.Th scope="col" ta="right" w={130}>
                  Amount
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((entry) => {
                const { what, calculation } = splitLedgerDescription(entry.description);
                return (
                  <Table.Tr key={entry.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Text size="sm">{formatLocalDate(entry.localDate)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {what}
                      </Text>
                      {calculation ? (
                        <Text size="xs" c="dimmed">
                          {calculation}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td ta="right">
                      <Amount entry={entry} />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
            <Table.Tfoot bg="gray.0">
              <Table.Tr>
                <Table.Th scope="row" colSpan={2}>
                  Net total
                </Table.Th>
                <Table.Td ta="right">
                  <Text size="sm" fw={700} className="tabular-nums" data-testid="ledger-net">
                    {formatMoney(net, currency)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

/** R-LIC-5: an admin can have pending charges and credits invoiced at once instead of on the 1st. */
function InvoicePendingForm({ netMinor, currency, count, onClose }: { netMinor: number; currency: string; count: number; onClose: () => void }) {
  const { orgId, organisation } = useConsole();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const byCard = organisation.billingMode === 'card';

  const issue = useMutation({
    mutationFn: () => api<{ invoice: InvoiceDetail }>(orgPath(orgId, '/invoices/pending'), { method: 'POST' }),
    onSuccess: async ({ invoice }) => {
      await refreshOrganisation(queryClient, orgId);
      const path = invoicePath(orgId, invoice.id);
      const id = `invoice-issued-${invoice.id}`;
      notifications.show({
        id,
        color: 'motus',
        title: `Invoice ${invoice.number} issued`,
        message: (
          <>
            {invoice.totalMinor === 0
              ? 'Nothing is due on it.'
              : byCard
                ? `${formatMoney(invoice.totalMinor, invoice.currency)} is being charged to the card on file.`
                : `${formatMoney(invoice.totalMinor, invoice.currency)} is collected manually.`}{' '}
            <Anchor
              href={path}
              inherit
              fw={600}
              onClick={(event) => {
                event.preventDefault();
                notifications.hide(id);
                void navigate(path);
              }}
            >
              Open invoice {invoice.number}
            </Anchor>
          </>
        ),
      });
      onClose();
    },
    onError: async (error) => {
      if (isApiError(error, 'nothing_pending')) await refreshOrganisation(queryClient, orgId);
    },
  });

  const money = formatMoney(Math.abs(netMinor), currency);
  return (
    <Stack gap="md">
      <List size="sm" spacing="xs">
        <List.Item>
          {count === 1 ? 'The pending line goes' : `The ${count} pending lines go`} on an invoice issued today, instead of on the
          invoice of the 1st.
        </List.Item>
        <List.Item>
          {netMinor < 0
            ? `They come to a credit of ${money}: it is kept for later invoices, never paid out.`
            : netMinor === 0
              ? 'They come to nothing: the invoice shows them, and nothing is due.'
              : byCard
                ? `They come to ${money}, less any credit held; the rest is charged to the card on file at once.`
                : `They come to ${money}, less any credit held; the rest is collected manually.`}
        </List.Item>
        <List.Item>The licences themselves are still invoiced monthly, on the 1st.</List.Item>
      </List>
      {issue.isError ? (
        <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden="true" />}>
          {errorMessage(issue.error)}
        </Alert>
      ) : null}
      <Group justify="flex-end" gap="sm" mt="xs">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button loading={issue.isPending} onClick={() => issue.mutate()} leftSection={<IconFileInvoice size={16} aria-hidden="true" />}>
          Invoice pending charges now
        </Button>
      </Group>
    </Stack>
  );
}

import { Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconFileInvoice, IconReceipt } from '@tabler/icons-react';
import { useState } from 'react';
import type { LedgerEntryView } from '../../../src/licences/schemas.ts';
import { organisationBilling } from '../billing/billing.ts';
import { useConsole, useOwnerPool } from '../console/ConsoleLayout.tsx';
import { InvoicePendingDialog } from '../billing/InvoicePendingDialog.tsx';
import { formatLocalDate, formatMoney, signedAmountMinor, splitLedgerDescription } from '../billing/money.ts';
import { useLedger } from './queries.ts';
import { EmptyState, ErrorBlock, LoadingBlock } from '../app/ui.tsx';

function Amount({ entry }: { entry: LedgerEntryView }) {
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
  const ownerPool = useOwnerPool();
  const ledger = useLedger(orgId);
  const isNarrow = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false }) ?? false;
  const entries = ledger.data?.entries ?? [];
  const currency = entries[0]?.currency ?? ownerPool.currency;
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
      <InvoicePendingDialog
        opened={invoicing}
        onClose={() => setInvoicing(false)}
        billing={organisationBilling(orgId)}
        byCard={organisation.billingMode === 'card'}
        pending={{ netMinor: net, currency, count: entries.length }}
      />
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

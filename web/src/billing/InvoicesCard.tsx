import { Anchor, Badge, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconFileInvoice } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { InvoiceView } from '../../../src/billing/schemas.ts';
import type { BillingHolder, BillingScope } from './billing.ts';
import { invoicePeriodLabel, invoiceStatus, unpaidInvoice } from './invoices.ts';
import { formatLocalDate, formatMoney } from './money.ts';
import { useFailedInvoiceIds, useInvoices } from './queries.ts';
import { EmptyState, ErrorBlock, LoadingBlock } from '../app/ui.tsx';

export function InvoiceStatusBadge({ invoice, paymentFailed = false }: { invoice: Pick<InvoiceView, 'status' | 'collection'>; paymentFailed?: boolean }) {
  const status = invoiceStatus(invoice, paymentFailed);
  return (
    <Badge color={status.color} variant="light" data-testid="invoice-status" style={{ flexShrink: 0 }}>
      {status.label}
    </Badge>
  );
}

interface InvoicesCardProps {
  /** Whose invoices: an organisation's (its owner) or the person's own subscription. */
  billing: BillingScope;
  holder: BillingHolder;
  /** What the empty list says about when the first invoice comes. */
  emptyHint: ReactNode;
  /** Buttons beside the heading. */
  actions?: ReactNode;
}

/** R-LIC-6: the account's invoices, newest first, each opening its own page. */
export function InvoicesCard({ billing, holder, emptyHint, actions }: InvoicesCardProps) {
  const invoices = useInvoices(billing);
  const isNarrow = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false }) ?? false;
  const list = invoices.data ?? [];
  const failed = useFailedInvoiceIds(billing, list);
  // Once its retries ran out, the invoice holding up the account reads "Payment failed" in any case.
  const holdingUp = holder.status === 'payment_required' ? unpaidInvoice(list) : null;
  if (holdingUp) failed.add(holdingUp.id);

  return (
    <Paper withBorder p={0} component="section" aria-labelledby="invoices-heading" id="invoices" tabIndex={-1} style={{ overflow: 'hidden', outline: 'none', scrollMarginTop: 76 }}>
      <Stack gap={2} p={{ base: 'md', sm: 'lg' }} pb="sm">
        <Group justify="space-between" gap="xs">
          <Group gap="xs">
            <Title order={2} size="h4" id="invoices-heading">
              Invoices
            </Title>
            {invoices.isFetching && !invoices.isPending ? <Loader size={14} aria-label="Updating" /> : null}
          </Group>
          {actions}
        </Group>
        <Text size="sm" c="dimmed">
          Issued on the 1st of each month for the licences held then and the charges and credits of the month before, and
          emailed to you{holder.billingContactEmail ? ` and ${holder.billingContactEmail}` : ''}.
        </Text>
      </Stack>
      {invoices.isPending ? (
        <LoadingBlock label="Loading invoices" />
      ) : invoices.isError ? (
        <ErrorBlock m="md" error={invoices.error} onRetry={() => void invoices.refetch()} />
      ) : list.length === 0 ? (
        <EmptyState icon={IconFileInvoice} title="No invoices yet">
          {emptyHint}
        </EmptyState>
      ) : isNarrow ? (
        <Stack gap={0} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Invoices" data-testid="invoice-list">
          {list.map((invoice) => (
            <Group
              component="li"
              key={invoice.id}
              justify="space-between"
              align="flex-start"
              wrap="nowrap"
              gap="sm"
              p="md"
              style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}
              data-testid="invoice-row"
            >
              <Stack gap={2} style={{ minWidth: 0 }}>
                <Anchor component={Link} to={billing.invoicePage(invoice.id)} fw={600} size="sm">
                  Invoice {invoice.number}
                </Anchor>
                <Text size="sm">{invoicePeriodLabel(invoice)}</Text>
                <Text size="xs" c="dimmed">
                  Issued {formatLocalDate(invoice.localDate)}
                </Text>
              </Stack>
              <Stack gap={4} align="flex-end">
                <Text size="sm" fw={700} className="tabular-nums" data-testid="invoice-total" style={{ whiteSpace: 'nowrap' }}>
                  {formatMoney(invoice.totalMinor, invoice.currency)}
                </Text>
                <InvoiceStatusBadge invoice={invoice} paymentFailed={failed.has(invoice.id)} />
              </Stack>
            </Group>
          ))}
        </Stack>
      ) : (
        <Table.ScrollContainer minWidth={620}>
          <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover data-testid="invoice-table">
            <Table.Caption className="visually-hidden">Invoices of {holder.name}</Table.Caption>
            <Table.Thead bg="gray.0">
              <Table.Tr>
                <Table.Th scope="col">Invoice</Table.Th>
                <Table.Th scope="col">Period</Table.Th>
                <Table.Th scope="col">Issued</Table.Th>
                <Table.Th scope="col" ta="right">
                  Total
                </Table.Th>
                <Table.Th scope="col">Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((invoice) => (
                <Table.Tr key={invoice.id} data-testid="invoice-row">
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Anchor component={Link} to={billing.invoicePage(invoice.id)} fw={600} size="sm">
                      Invoice {invoice.number}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{invoicePeriodLabel(invoice)}</Text>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Text size="sm">{formatLocalDate(invoice.localDate)}</Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm" fw={600} className="tabular-nums" data-testid="invoice-total" style={{ whiteSpace: 'nowrap' }}>
                      {formatMoney(invoice.totalMinor, invoice.currency)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <InvoiceStatusBadge invoice={invoice} paymentFailed={failed.has(invoice.id)} />
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

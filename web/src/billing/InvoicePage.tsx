import { Alert, Anchor, Button, Grid, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconAlertTriangle, IconArrowLeft, IconCircleCheck, IconFileInvoice, IconInfoCircle, IconPrinter, IconRefresh } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { InvoiceDetailView, InvoiceLineView } from '../../../src/billing/schemas.ts';
import { errorMessage, isApiError } from '../app/api.ts';
import { formatDateTime } from '../app/format.ts';
import { PageHeader, usePageTitle, ErrorBlock, Facts, LoadingBlock } from '../app/ui.tsx';
import { organisationBilling, type BillingHolder, type BillingScope } from './billing.ts';
import { useConsole } from '../console/ConsoleLayout.tsx';
import {
  canRetryPayment,
  collectionUnderway,
  invoicePeriodLabel,
  invoiceStatus,
  lastPaymentFailed,
  payOutcomeView,
  paymentAttemptText,
  splitInvoiceLine,
  tableLines,
  type PayOutcomeView,
} from './invoices.ts';
import { InvoiceStatusBadge } from './InvoicesCard.tsx';
import { formatLocalDate, formatMoney } from './money.ts';
import { invoiceKey, refreshBilling, useInvoice } from './queries.ts';

/** /console/:orgId/billing/invoices/:invoiceId: one invoice of the organisation. The emailed link points here. */
export function InvoicePage() {
  const { orgId, organisation } = useConsole();
  return <InvoiceScreen billing={organisationBilling(orgId)} holder={organisation} />;
}

interface InvoiceScreenProps {
  /** Whose invoice: an organisation's or the person's own subscription. */
  billing: BillingScope;
  holder: BillingHolder;
}

/** One invoice (`:invoiceId` of the route), its lines, totals and payments (R-LIC-5..7). */
export function InvoiceScreen({ billing, holder }: InvoiceScreenProps) {
  const { invoiceId = '' } = useParams();
  const invoice = useInvoice(billing, invoiceId);

  return (
    <Stack gap="md">
      <Anchor component={Link} to={`${billing.page}#invoices`} size="sm" w="fit-content">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} aria-hidden="true" />
          All invoices
        </Group>
      </Anchor>
      {invoice.isPending ? (
        <LoadingBlock label="Loading the invoice" />
      ) : invoice.isError ? (
        isApiError(invoice.error, 'not_found') || isApiError(invoice.error, 'validation_failed') ? (
          <InvoiceNotFound billing={billing} />
        ) : (
          <ErrorBlock error={invoice.error} onRetry={() => void invoice.refetch()} />
        )
      ) : (
        <InvoiceView invoice={invoice.data} billing={billing} holder={holder} />
      )}
    </Stack>
  );
}

function InvoiceNotFound({ billing }: { billing: BillingScope }) {
  usePageTitle('Invoice not found');
  return (
    <Paper withBorder p="xl" data-testid="invoice-not-found">
      <Stack gap="xs" align="flex-start">
        <IconFileInvoice size={28} aria-hidden="true" color="var(--mantine-color-gray-6)" />
        <Title order={1} size="h3">
          Invoice not found
        </Title>
        <Text c="dimmed">
          This invoice does not belong to {billing.kind === 'subscription' ? 'your subscription' : 'the organisation'}. Check the link, or find it in
          the list of invoices.
        </Text>
      </Stack>
    </Paper>
  );
}

function InvoiceView({ invoice, billing, holder }: { invoice: InvoiceDetailView } & InvoiceScreenProps) {
  const failed = lastPaymentFailed(invoice.payments);
  return (
    <>
      <PageHeader
        title={`Invoice ${invoice.number}`}
        description={`${invoicePeriodLabel(invoice)} · issued ${formatLocalDate(invoice.localDate)}`}
        actions={
          <Group gap="sm">
            <InvoiceStatusBadge invoice={invoice} paymentFailed={failed} />
            <Button
              component="a"
              href={billing.invoiceDocument(invoice.id)}
              target="_blank"
              rel="noopener"
              variant="default"
              leftSection={<IconPrinter size={16} aria-hidden="true" />}
              title="Opens the invoice as a printable page in a new tab: print it or save it as PDF"
            >
              Download invoice
            </Button>
          </Group>
        }
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <LinesCard invoice={invoice} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <PaymentCard invoice={invoice} billing={billing} holder={holder} />
        </Grid.Col>
      </Grid>
    </>
  );
}

function LineAmount({ line, currency }: { line: InvoiceLineView; currency: string }) {
  return (
    <Text size="sm" fw={600} c={line.amountMinor < 0 ? 'green.8' : undefined} className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
      {formatMoney(line.amountMinor, currency)}
    </Text>
  );
}

function LineDescription({ line }: { line: InvoiceLineView }) {
  const { what, detail } = splitInvoiceLine(line);
  return (
    <>
      <Text size="sm" fw={500}>
        {what}
      </Text>
      {detail ? (
        <Text size="xs" c="dimmed">
          {detail}
        </Text>
      ) : null}
    </>
  );
}

interface TotalRow {
  label: string;
  value: string;
  strong?: boolean;
  muted?: boolean;
  testId?: string;
}

function totalRows(invoice: InvoiceDetailView): TotalRow[] {
  const money = (minor: number) => formatMoney(minor, invoice.currency);
  return [
    { label: 'Subtotal', value: money(invoice.subtotalMinor) },
    ...(invoice.creditAppliedMinor > 0 ? [{ label: 'Credit applied', value: money(-invoice.creditAppliedMinor) }] : []),
    { label: 'Total', value: money(invoice.totalMinor), strong: true, testId: 'invoice-total' },
    ...(invoice.creditCarriedMinor > 0 ? [{ label: 'Credit carried forward', value: money(invoice.creditCarriedMinor), muted: true }] : []),
  ];
}

function LinesCard({ invoice }: { invoice: InvoiceDetailView }) {
  const isNarrow = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false }) ?? false;
  const lines = tableLines(invoice.lines);
  const totals = totalRows(invoice);
  const unit = (line: InvoiceLineView) => (line.unitPriceMinor === null ? '' : formatMoney(line.unitPriceMinor, invoice.currency));

  return (
    <Paper withBorder p={0} component="section" aria-labelledby="invoice-lines-heading" style={{ overflow: 'hidden' }}>
      <Stack gap={2} p={{ base: 'md', sm: 'lg' }} pb="sm">
        <Title order={2} size="h4" id="invoice-lines-heading">
          Lines
        </Title>
        <Text size="sm" c="dimmed">
          Licences held at the start of the month, and each licence added or removed before it, prorated to the day.
          Credits are negative; they are never paid out and reduce later invoices.
        </Text>
      </Stack>
      {isNarrow ? (
        <Stack gap={0} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Invoice lines" data-testid="invoice-lines">
          {lines.map((line, index) => (
            <Group component="li" key={index} justify="space-between" align="flex-start" wrap="nowrap" gap="sm" p="md" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
              <Stack gap={2} style={{ minWidth: 0 }}>
                <LineDescription line={line} />
              </Stack>
              <LineAmount line={line} currency={invoice.currency} />
            </Group>
          ))}
          {totals.map((row) => (
            <Group
              component="li"
              key={row.label}
              justify="space-between"
              px="md"
              py="sm"
              bg="gray.0"
              style={{ borderTop: row.strong ? '2px solid var(--mantine-color-gray-4)' : '1px solid var(--mantine-color-gray-2)' }}
            >
              <Text size="sm" fw={row.strong ? 700 : 500} c={row.muted ? 'dimmed' : undefined}>
                {row.label}
              </Text>
              <Text size="sm" fw={row.strong ? 700 : 500} c={row.muted ? 'dimmed' : undefined} className="tabular-nums" data-testid={row.testId}>
                {row.value}
              </Text>
            </Group>
          ))}
        </Stack>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="invoice-lines">
            <Table.Caption className="visually-hidden">Lines of invoice {invoice.number}</Table.Caption>
            <Table.Thead bg="gray.0">
              <Table.Tr>
                <Table.Th scope="col">Description</Table.Th>
                <Table.Th scope="col" ta="right" w={70}>
                  Qty
                </Table.Th>
                <Table.Th scope="col" ta="right" w={110}>
                  Unit price
                </Table.Th>
                <Table.Th scope="col" ta="right" w={120}>
                  Amount
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {lines.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={4}>
                    <Text size="sm" c="dimmed">
                      No lines: nothing was held or changed in this period.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
              {lines.map((line, index) => (
                <Table.Tr key={index}>
                  <Table.Td>
                    <LineDescription line={line} />
                  </Table.Td>
                  <Table.Td ta="right" className="tabular-nums">
                    <Text size="sm">{line.quantity ?? ''}</Text>
                  </Table.Td>
                  <Table.Td ta="right" className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
                    <Text size="sm">{unit(line)}</Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    <LineAmount line={line} currency={invoice.currency} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot bg="gray.0">
              {totals.map((row) => (
                <Table.Tr key={row.label} style={row.strong ? { borderTop: '2px solid var(--mantine-color-gray-4)' } : undefined}>
                  <Table.Th scope="row" colSpan={3} ta="right" fw={row.strong ? 700 : 500} c={row.muted ? 'dimmed' : undefined}>
                    {row.label}
                  </Table.Th>
                  <Table.Td ta="right">
                    <Text size="sm" fw={row.strong ? 700 : 500} c={row.muted ? 'dimmed' : undefined} className="tabular-nums" data-testid={row.testId} style={{ whiteSpace: 'nowrap' }}>
                      {row.value}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tfoot>
          </Table>
        </Table.ScrollContainer>
      )}
      {invoice.creditCarriedMinor > 0 ? (
        <Text size="xs" c="dimmed" px={{ base: 'md', sm: 'lg' }} py="sm">
          The credit carried forward is taken off the next invoices.
        </Text>
      ) : null}
    </Paper>
  );
}

/** Who cannot work while the account's payment is required (R-LIC-7). */
function pausedWho(billing: BillingScope): string {
  return billing.kind === 'subscription' ? 'you and your colleagues' : 'practitioners';
}

function PaymentCard({ invoice, billing, holder }: { invoice: InvoiceDetailView } & InvoiceScreenProps) {
  const queryClient = useQueryClient();
  const [outcome, setOutcome] = useState<PayOutcomeView | null>(null);
  const failed = lastPaymentFailed(invoice.payments);
  const status = invoiceStatus(invoice, failed);
  const retryable = canRetryPayment(invoice);
  const charging = collectionUnderway(invoice);

  const pay = useMutation({
    mutationFn: () => billing.requests.pay(invoice.id),
    onMutate: () => setOutcome(null),
    onSuccess: async (answer) => {
      queryClient.setQueryData(invoiceKey(billing, invoice.id), answer.invoice);
      setOutcome(payOutcomeView(answer.outcome, answer.invoice));
      await refreshBilling(queryClient, billing);
    },
    onError: async (error) => {
      setOutcome({ tone: 'red', title: 'The payment was not tried', message: errorMessage(error) });
      if (isApiError(error, 'invoice_not_due') || isApiError(error, 'manual_collection')) await refreshBilling(queryClient, billing);
    },
  });

  let explanation: string;
  if (invoice.status === 'paid') explanation = status.description;
  else if (invoice.status === 'nothing_due') explanation = 'Credits cover this invoice: nothing is charged.';
  else if (invoice.collection === 'manual') explanation = `${holder.name} is billed manually: your Motus provider collects this invoice as agreed with you.`;
  else if (charging) explanation = 'Charging the card on file…';
  else if (failed)
    explanation =
      holder.status === 'payment_required'
        ? `The card on file could not be charged, and the retries have run out: ${pausedWho(billing)} cannot use Motus until this invoice is paid.`
        : 'The card on file could not be charged. It is tried again 1, 3 and 7 days after the invoice was issued; you can also retry now.';
  else explanation = status.description;

  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="invoice-payment-heading">
      <Title order={2} size="h4" id="invoice-payment-heading" mb="xs">
        Payment
      </Title>
      <Stack gap="md">
        <Text size="sm" c={failed && retryable ? 'red.8' : 'dimmed'} fw={failed && retryable ? 500 : undefined}>
          {explanation}
        </Text>
        <Facts
          items={[
            { term: 'Total', value: formatMoney(invoice.totalMinor, invoice.currency) },
            { term: 'Collection', value: invoice.collection === 'card' ? 'Card on file' : 'Manual' },
            { term: 'Issued', value: formatLocalDate(invoice.localDate) },
            ...(invoice.paidAt ? [{ term: 'Paid', value: formatDateTime(invoice.paidAt) }] : []),
          ]}
        />
        {outcome ? (
          <Alert
            color={outcome.tone}
            variant="light"
            role={outcome.tone === 'red' ? 'alert' : 'status'}
            title={outcome.title}
            data-testid="payment-outcome"
            icon={outcome.tone === 'green' ? <IconCircleCheck size={18} aria-hidden="true" /> : outcome.tone === 'red' ? <IconAlertTriangle size={18} aria-hidden="true" /> : <IconInfoCircle size={18} aria-hidden="true" />}
          >
            {outcome.message}
            {outcome.tone === 'red' ? (
              <>
                {' '}
                <Anchor component={Link} to={`${billing.page}#payment-methods`} inherit fw={600}>
                  Check the cards on file
                </Anchor>
              </>
            ) : null}
          </Alert>
        ) : null}
        {retryable ? (
          <Button onClick={() => pay.mutate()} loading={pay.isPending} leftSection={<IconRefresh size={16} aria-hidden="true" />}>
            Retry payment now
          </Button>
        ) : null}
        {invoice.payments.length > 0 ? (
          <Stack gap={6}>
            <Text size="sm" fw={600} id="payment-attempts-heading">
              Payment attempts
            </Text>
            <Stack gap={6} component="ol" p={0} m={0} style={{ listStyle: 'none' }} aria-labelledby="payment-attempts-heading" data-testid="payment-attempts">
              {[...invoice.payments]
                .sort((a, b) => b.attempt - a.attempt)
                .map((payment) => (
                  <Group component="li" key={payment.attempt} gap="xs" wrap="nowrap" align="flex-start" data-testid="payment-attempt">
                    {payment.status === 'succeeded' ? (
                      <IconCircleCheck size={16} aria-hidden="true" color="var(--mantine-color-green-7)" style={{ flexShrink: 0, marginTop: 2 }} />
                    ) : payment.status === 'failed' ? (
                      <IconAlertTriangle size={16} aria-hidden="true" color="var(--mantine-color-red-7)" style={{ flexShrink: 0, marginTop: 2 }} />
                    ) : (
                      <IconRefresh size={16} aria-hidden="true" color="var(--mantine-color-gray-6)" style={{ flexShrink: 0, marginTop: 2 }} />
                    )}
                    <Stack gap={0} style={{ minWidth: 0 }}>
                      <Text size="sm" fw={500}>
                        Attempt {payment.attempt}: {paymentAttemptText(payment)}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {formatDateTime(payment.at)}
                      </Text>
                    </Stack>
                  </Group>
                ))}
            </Stack>
          </Stack>
        ) : invoice.collection === 'card' && invoice.status !== 'nothing_due' ? (
          <Text size="sm" c="dimmed">
            No payment attempt yet.
          </Text>
        ) : null}
      </Stack>
    </Paper>
  );
}

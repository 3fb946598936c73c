import { Anchor, Button, Group, List, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFileInvoice } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { errorMessage, isApiError } from '../app/api.ts';
import { Dialog } from '../app/Dialog.tsx';
import type { BillingScope } from './billing.ts';
import { formatMoney } from './money.ts';
import { refreshBilling } from './queries.ts';
import { FormError } from '../app/ui.tsx';

/** The pending lines, when the screen knows them (the console lists them; a subscription does not). */
export interface PendingSummary {
  netMinor: number;
  currency: string;
  count: number;
}

interface InvoicePendingDialogProps {
  opened: boolean;
  onClose: () => void;
  billing: BillingScope;
  byCard: boolean;
  pending: PendingSummary | null;
}

/**
 * R-LIC-5: pending charges and credits can be invoiced at once instead of on the 1st. The dialog's
 * confirm button carries the same name as the button that opens it: "Invoice pending charges now".
 */
export function InvoicePendingDialog({ opened, onClose, ...props }: InvoicePendingDialogProps) {
  return (
    <Dialog opened={opened} onClose={onClose} title="Invoice pending charges now?" size="md">
      {opened ? <InvoicePendingForm {...props} onClose={onClose} /> : null}
    </Dialog>
  );
}

function InvoicePendingForm({ billing, byCard, pending, onClose }: Omit<InvoicePendingDialogProps, 'opened'>) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  const issue = useMutation({
    mutationFn: () => billing.requests.issuePending(),
    onSuccess: async (invoice) => {
      await refreshBilling(queryClient, billing);
      const path = billing.invoicePage(invoice.id);
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
      if (isApiError(error, 'nothing_pending')) await refreshBilling(queryClient, billing);
    },
  });

  const collected = byCard ? 'charged to the card on file at once' : 'collected manually';
  let what: string;
  let amount: string;
  if (pending) {
    const money = formatMoney(Math.abs(pending.netMinor), pending.currency);
    what = `${pending.count === 1 ? 'The pending line goes' : `The ${pending.count} pending lines go`} on an invoice issued today, instead of on the invoice of the 1st.`;
    amount =
      pending.netMinor < 0
        ? `They come to a credit of ${money}: it is kept for later invoices, never paid out.`
        : pending.netMinor === 0
          ? 'They come to nothing: the invoice shows them, and nothing is due.'
          : `They come to ${money}, less any credit held; the rest is ${collected}.`;
  } else {
    what = 'Charges and credits not invoiced yet go on an invoice issued today, instead of on the invoice of the 1st.';
    amount = `Their total, less any credit held, is ${collected}; a credit is kept for later invoices, never paid out.`;
  }

  return (
    <Stack gap="md">
      <List size="sm" spacing="xs">
        <List.Item>{what}</List.Item>
        <List.Item>{amount}</List.Item>
        <List.Item>The licences themselves are still invoiced monthly, on the 1st.</List.Item>
      </List>
      <FormError message={issue.isError ? errorMessage(issue.error) : null} />
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

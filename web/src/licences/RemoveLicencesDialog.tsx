import { Alert, Button, Group, NumberInput, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import type { PoolSummaryView } from '../../../src/organisations/schemas.ts';
import { errorMessage, isApiError } from '../app/api.ts';
import { Dialog } from '../app/Dialog.tsx';
import type { BillingScope } from '../billing/billing.ts';
import { idempotencyKeeper } from '../app/idempotency.ts';
import { formatMoney } from '../billing/money.ts';
import { refreshBilling } from '../billing/queries.ts';

export const MAX_QUANTITY = 10_000;

/** A typed quantity, or 0 when it is not a whole number from 1 to MAX_QUANTITY. */
export function toQuantity(value: string | number): number {
  const n = typeof value === 'number' ? value : Number.parseInt(value, 10);
  return Number.isInteger(n) && n >= 1 && n <= MAX_QUANTITY ? n : 0;
}

/** How licences get freed, by whose they are. */
function freeingHint(kind: BillingScope['kind']): { howToFree: string; inUse: string } {
  return kind === 'subscription'
    ? {
        howToFree: 'Remove a colleague to free their licence.',
        inUse: 'Licences held by you, your colleagues or open invitations cannot be removed: remove the colleague first.',
      }
    : {
        howToFree: "Remove a user's access or revoke an invitation to free one.",
        inUse: 'Licences held by users or kept for open invitations cannot be removed: remove access or revoke invitations first.',
      };
}

interface RemoveLicencesDialogProps {
  opened: boolean;
  onClose: () => void;
  /** Whose licences: an organisation's or the person's own subscription (both at `…/licences/remove`). */
  billing: BillingScope;
  pool: PoolSummaryView;
  /** What removing `quantity` free licences gives back, shown before confirming; it may ask the server. */
  renderCredit: (quantity: number) => ReactNode;
}

/**
 * R-LIC-3: free licences are removed on their own step; the count never drops below the licences
 * assigned and reserved. The confirm button carries the same name as the button that opens it:
 * "Remove free licences".
 */
export function RemoveLicencesDialog({ opened, onClose, ...props }: RemoveLicencesDialogProps) {
  return (
    <Dialog opened={opened} onClose={onClose} title="Remove free licences" size="md">
      {opened ? <RemoveLicencesForm {...props} onClose={onClose} /> : null}
    </Dialog>
  );
}

function RemoveLicencesForm({ billing, pool, renderCredit, onClose }: Omit<RemoveLicencesDialogProps, 'opened'>) {
  const queryClient = useQueryClient();
  const keeper = useMemo(() => idempotencyKeeper(), []);
  const [value, setValue] = useState<string | number>(pool.free > 0 ? 1 : '');
  const quantity = toQuantity(value);
  const tooMany = quantity > pool.free;
  const hint = freeingHint(billing.kind);

  const remove = useMutation({
    mutationFn: (body: { quantity: number }) => billing.requests.removeLicences(body, { headers: { 'Idempotency-Key': keeper.keyFor(body) } }),
    onSuccess: async (answer, body) => {
      keeper.reset();
      await refreshBilling(queryClient, billing);
      notifications.show({
        color: 'motus',
        title: `${body.quantity === 1 ? 'One licence' : `${body.quantity} licences`} removed`,
        message:
          answer.creditMinor > 0
            ? `${formatMoney(answer.creditMinor, pool.currency)} is credited on the next invoice.`
            : 'Nothing had been charged for this month, so there is nothing to credit.',
      });
      onClose();
    },
  });

  const inUse = isApiError(remove.error, 'licences_in_use');

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (quantity > 0 && !tooMany) remove.mutate({ quantity });
      }}
      noValidate
    >
      <Stack gap="md">
        <Text size="sm">
          {pool.free === 0
            ? `No licence is free: the count never drops below the licences assigned and reserved for invitations. ${hint.howToFree}`
            : `${pool.free} ${pool.free === 1 ? 'licence is' : 'licences are'} free. Assigned and reserved licences stay: the count never drops below them.`}
        </Text>
        <NumberInput
          label="Licences to remove"
          min={1}
          max={MAX_QUANTITY}
          allowDecimal={false}
          allowNegative={false}
          value={value}
          onChange={setValue}
          error={
            tooMany
              ? `Only ${pool.free} ${pool.free === 1 ? 'licence is' : 'licences are'} free; the others are assigned or reserved.`
              : value !== '' && quantity === 0
                ? `Enter a number from 1 to ${pool.free}.`
                : undefined
          }
          w={{ base: '100%', xs: 180 }}
          data-autofocus
        />
        {quantity > 0 && !tooMany ? renderCredit(quantity) : null}
        {remove.isError ? (
          <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden="true" />}>
            {errorMessage(remove.error)}
            {inUse ? ` ${hint.inUse}` : null}
          </Alert>
        ) : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" color="red" loading={remove.isPending} disabled={quantity === 0 || tooMany}>
            Remove free licences
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

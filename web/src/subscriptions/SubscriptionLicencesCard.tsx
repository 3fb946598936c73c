import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { SubscriptionStateName } from '../../../src/organisations/schemas.ts';
import type { SubscriptionView } from '../../../src/subscriptions/schemas.ts';
import { SUBSCRIPTION_BILLING } from '../billing/billing.ts';
import { formatMoney, licencesWord, periodPhrase } from '../billing/money.ts';
import { RemoveLicencesDialog } from '../licences/RemoveLicencesDialog.tsx';
import { PoolCounts, PoolPrices } from '../licences/PoolCounts.tsx';
import { useSubscriptionQuote } from './queries.ts';
import { removalCreditMinor } from './subscription.ts';

/**
 * The licences the subscription counts (yours, your colleagues', open invitations), the price and
 * the monthly total; free licences are removed on their own step (R-SUB-2, R-LIC-3).
 */
export function SubscriptionLicencesCard({ subscription }: { subscription: SubscriptionView }) {
  const pool = subscription.licences;
  const [removing, setRemoving] = useState(false);
  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="subscription-licences-heading">
      <Stack gap="md">
        <Stack gap={4}>
          <Title order={2} size="h4" id="subscription-licences-heading">
            Licences
          </Title>
          <Text size="sm" c="dimmed">
            One for you and one for each colleague. Removing a colleague keeps their licence, and its charge, until you
            remove it here.
          </Text>
        </Stack>
        <PoolCounts pool={pool} purchasedLabel="Licences" hints={{ purchased: 'Counted on your bill', assigned: 'You and active colleagues', reserved: 'Open invitations', free: 'Ready for a new colleague' }} />
        <Group gap="xl" wrap="wrap" justify="space-between">
          <Group gap="xl" wrap="wrap">
            <PoolPrices pool={pool} totalNote={subscription.state === 'trial' ? ' once the trial turns paid' : null} />
          </Group>
          {pool.free > 0 ? (
            <Button variant="default" color="red" leftSection={<IconTrash size={16} aria-hidden="true" />} onClick={() => setRemoving(true)}>
              Remove free licences
            </Button>
          ) : null}
        </Group>
      </Stack>
      <RemoveLicencesDialog
        opened={removing}
        onClose={() => setRemoving(false)}
        billing={SUBSCRIPTION_BILLING}
        pool={pool}
        renderCredit={(quantity) => <RemovalCredit quantity={quantity} state={subscription.state} />}
      />
    </Paper>
  );
}

/** What removing free licences gives back: a prorated credit once they were paid for, else nothing. */
function RemovalCredit({ quantity, state }: { quantity: number; state: SubscriptionStateName }) {
  const quote = useSubscriptionQuote(0);
  if (!quote.data) return null;
  const credit = removalCreditMinor(quote.data, quantity, state);
  const monthly = formatMoney(quote.data.unitPriceMinor * quantity, quote.data.currency);
  return (
    <Text size="sm" data-testid="licence-credit">
      {credit > 0
        ? `Removing ${licencesWord(quantity)} gives a credit of ${formatMoney(credit, quote.data.currency)} ${periodPhrase(quote.data)}, and ${monthly} a month less from then on.`
        : `Nothing was charged for ${quantity === 1 ? 'it' : 'them'} this month, so there is no credit; your bill is ${monthly} a month less.`}
    </Text>
  );
}

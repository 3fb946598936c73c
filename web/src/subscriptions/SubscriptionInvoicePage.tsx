import { Anchor, Paper, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { usePageTitle, ErrorBlock, LoadingBlock } from '../app/ui.tsx';
import { SUBSCRIPTION_BILLING } from '../billing/billing.ts';
import { InvoiceScreen } from '../billing/InvoicePage.tsx';
import { useMySubscription } from './queries.ts';

/** /subscription/invoices/:invoiceId: one invoice of the person's own subscription. The emailed link points here. */
export function SubscriptionInvoicePage() {
  const mine = useMySubscription();
  if (mine.isPending) return <LoadingBlock label="Loading the invoice" />;
  if (mine.isError) return <ErrorBlock error={mine.error} onRetry={() => void mine.refetch()} />;
  const subscription = mine.data.subscription;
  if (!subscription) return <NoSubscription />;
  return (
    <InvoiceScreen
      billing={SUBSCRIPTION_BILLING}
      holder={{ name: subscription.name, status: subscription.status, billingMode: 'card', billingContactEmail: null }}
    />
  );
}

function NoSubscription() {
  usePageTitle('Invoice not found');
  return (
    <Paper withBorder p="xl" data-testid="invoice-not-found">
      <Stack gap="xs" align="flex-start">
        <Title order={1} size="h3">
          Invoice not found
        </Title>
        <Text c="dimmed">
          You have no subscription of your own, so there are no invoices to show.{' '}
          <Anchor component={Link} to={SUBSCRIPTION_BILLING.page} inherit>
            Your subscription
          </Anchor>
        </Text>
      </Stack>
    </Paper>
  );
}

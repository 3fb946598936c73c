import { Alert, Anchor, Badge, Button, Group, List, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconBuildingHospital, IconFileInvoice, IconLicense, IconUsers } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { LicenceSourceView, LicenceStandingView } from '../../../src/organisations/schemas.ts';
import { subscriptionContracts, type SubscriptionView } from '../../../src/subscriptions/schemas.ts';
import { call, errorMessage } from '../app/api.ts';
import { PageHeader, useScrollToHash, FormError, ErrorBlock, LoadingBlock } from '../app/ui.tsx';
import { SUBSCRIPTION_BILLING, type BillingHolder } from '../billing/billing.ts';
import { InvoicePendingDialog } from '../billing/InvoicePendingDialog.tsx';
import { InvoicesCard } from '../billing/InvoicesCard.tsx';
import { PaymentMethodsCard } from '../billing/PaymentMethodsCard.tsx';
import { useAccount } from '../sessions/session.tsx';
import { ColleaguesCard } from './ColleaguesCard.tsx';
import { useMySubscription, useRefreshSubscription } from './queries.ts';
import { SubscriptionLicencesCard } from './SubscriptionLicencesCard.tsx';
import { SubscriptionStatusCard } from './SubscriptionStatusCard.tsx';

/**
 * /subscription (SPEC section 7): the person's own individual subscription (its state, colleagues,
 * licences, cards and invoices), or the free trial on offer; and, for a licence someone else
 * manages, who that is (R-SUB-4).
 */
export function SubscriptionPage() {
  const mine = useMySubscription();
  const loaded = mine.data !== undefined;
  useScrollToHash(loaded);

  return (
    <>
      <PageHeader title="Subscription" description="Your practitioner licence: where it comes from, and your own subscription if you have one." />
      {mine.isPending ? (
        <LoadingBlock label="Loading your subscription" />
      ) : mine.isError ? (
        <ErrorBlock error={mine.error} onRetry={() => void mine.refetch()} />
      ) : (
        <Stack gap="lg">
          <ManagedElsewhere standing={mine.data.standing} />
          {mine.data.subscription ? (
            <OwnSubscription subscription={mine.data.subscription} />
          ) : (
            <NoSubscription standing={mine.data.standing} trialDays={mine.data.trialDays} />
          )}
        </Stack>
      )}
    </>
  );
}

/** R-SUB-4: licences from an organisation or a colleague's subscription, read-only, with who manages each. */
function ManagedElsewhere({ standing }: { standing: LicenceStandingView }) {
  const others = standing.sources.filter((s) => !s.own);
  if (others.length === 0) return null;
  return (
    <Stack gap="sm">
      {others.map((source) => (
        <LicenceSourceCard key={source.organisationId} source={source} />
      ))}
    </Stack>
  );
}

function blockedText(source: LicenceSourceView): string | null {
  switch (source.blocked) {
    case 'access_removed':
      return `${source.name} removed your access, so this licence no longer lets you work.`;
    case 'payment_required':
      return `It has an unpaid invoice: Motus is paused until ${source.managedBy.name} pays it.`;
    case 'subscription_ended':
      return `It has ended, so this licence no longer lets you work. Ask ${source.managedBy.name} to restart it, or start a subscription of your own.`;
    default:
      return null;
  }
}

function LicenceSourceCard({ source }: { source: LicenceSourceView }) {
  const blocked = blockedText(source);
  const SourceIcon = source.kind === 'organisation' ? IconBuildingHospital : IconUsers;
  const headingId = `licence-source-${source.organisationId}`;
  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby={headingId} data-testid="licence-source">
      <Group gap="md" wrap="nowrap" align="flex-start">
        <ThemeIcon size={40} radius="xl" variant="light" color={blocked ? 'gray' : 'motus'} aria-hidden="true">
          <SourceIcon size={22} />
        </ThemeIcon>
        <Stack gap={6} style={{ minWidth: 0 }}>
          <Group gap="xs">
            <Title order={2} size="h4" id={headingId}>
              {source.name}
            </Title>
            <Badge variant="light" color={blocked ? 'red' : 'green'}>
              {blocked ? 'Not usable now' : 'Your licence'}
            </Badge>
          </Group>
          <Text size="sm">
            Your licence comes from {source.name}, managed by {source.kind === 'organisation' ? 'the owner, ' : ''}
            {source.managedBy.name} (
            <Anchor href={`mailto:${source.managedBy.email}`} inherit className="break-anywhere">
              {source.managedBy.email}
            </Anchor>
            ). Only they can change it.
          </Text>
          {blocked ? (
            <Text size="sm" c="red.8" fw={500}>
              {blocked}
            </Text>
          ) : null}
        </Stack>
      </Group>
    </Paper>
  );
}

/** R-SUB-1: the free trial, unless a licence from elsewhere makes a subscription unneeded. */
function NoSubscription({ standing, trialDays }: { standing: LicenceStandingView; trialDays: number }) {
  const account = useAccount();
  const refresh = useRefreshSubscription();
  const start = useMutation({
    mutationFn: () => call(subscriptionContracts.startTrial),
    onSuccess: async () => {
      await refresh();
      notifications.show({ color: 'motus', title: 'Your free trial has started', message: `You can use Motus for ${trialDays} days; nothing is charged.` });
    },
  });

  if (standing.canWork) {
    return (
      <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="no-subscription-heading" data-testid="subscription-not-needed">
        <Title order={2} size="h4" id="no-subscription-heading" mb="xs">
          No subscription needed
        </Title>
        <Text size="sm" c="dimmed">
          You already hold a practitioner licence, so you do not need a subscription of your own. Should that licence end,
          you can start one here.
        </Text>
      </Paper>
    );
  }

  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="trial-heading" data-testid="subscription-trial-offer">
      <Stack gap="md" align="flex-start">
        <Group gap="sm" wrap="nowrap">
          <ThemeIcon size={40} radius="xl" variant="light" aria-hidden="true">
            <IconLicense size={22} />
          </ThemeIcon>
          <Title order={2} size="h3" id="trial-heading">
            Try Motus free for {trialDays} days
          </Title>
        </Group>
        <List spacing="xs" size="sm">
          <List.Item>The trial is free and needs no card. It ends by itself after {trialDays} days: nothing is charged.</List.Item>
          <List.Item>
            Continue with a paid subscription whenever you like: one licence a month for you, and one for each colleague you
            add.
          </List.Item>
          <List.Item>Cancel at any time: a paid subscription runs to the end of the month, and can be restarted later.</List.Item>
        </List>
        {!account.emailVerified ? (
          <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} aria-hidden="true" />}>
            Confirm your email address first: open the link we sent to <strong className="break-anywhere">{account.email}</strong>.
          </Alert>
        ) : null}
        <FormError message={start.isError ? errorMessage(start.error) : null} />
        <Button onClick={() => start.mutate()} loading={start.isPending} disabled={!account.emailVerified} leftSection={<IconLicense size={18} aria-hidden="true" />}>
          Start free trial
        </Button>
      </Stack>
    </Paper>
  );
}

function OwnSubscription({ subscription }: { subscription: SubscriptionView }) {
  const [invoicing, setInvoicing] = useState(false);
  const holder: BillingHolder = { name: subscription.name, status: subscription.status, billingMode: 'card', billingContactEmail: null };
  return (
    <>
      <SubscriptionStatusCard subscription={subscription} />
      <SubscriptionLicencesCard subscription={subscription} />
      <ColleaguesCard subscription={subscription} />
      <InvoicesCard
        billing={SUBSCRIPTION_BILLING}
        holder={holder}
        emptyHint={
          subscription.state === 'trial'
            ? 'Nothing is invoiced during the free trial.'
            : 'The first invoice is issued on the 1st of next month. Pending charges can also be invoiced at once.'
        }
        actions={
          subscription.state === 'trial' ? null : (
            <Button variant="default" size="xs" leftSection={<IconFileInvoice size={16} aria-hidden="true" />} onClick={() => setInvoicing(true)}>
              Invoice pending charges now
            </Button>
          )
        }
      />
      <InvoicePendingDialog opened={invoicing} onClose={() => setInvoicing(false)} billing={SUBSCRIPTION_BILLING} byCard pending={null} />
      <PaymentMethodsCard billing={SUBSCRIPTION_BILLING} billingMode="card" />
      <Text size="sm" c="dimmed">
        Joining an organisation as a practitioner ends this subscription; any paid days left in the month are credited to
        the organisation.
      </Text>
    </>
  );
}

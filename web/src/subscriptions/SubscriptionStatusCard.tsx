import { Alert, Anchor, Badge, Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconArrowBackUp, IconCreditCard, IconPlayerPlay } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { subscriptionContracts, type SubscriptionView } from '../../../src/subscriptions/schemas.ts';
import { call, errorMessage, isApiError } from '../app/api.ts';
import { Dialog } from '../app/Dialog.tsx';
import { idempotencyKeeper } from '../app/idempotency.ts';
import { formatLocalDate, formatMoney } from '../billing/money.ts';
import { showChangedPrice } from '../licences/priceChanged.ts';
import { subscriptionQuoteKey, useRefreshSubscription, useSubscriptionQuote } from './queries.ts';
import { describeStart, lastDayOfMonth, startActionLabel, stateView } from './subscription.ts';
import { SubscriptionQuoteBox } from './SubscriptionQuoteBox.tsx';
import { FormError } from '../app/ui.tsx';

/**
 * Where the subscription stands (R-SUB-1, R-SUB-3) and what can be done next: continue after the
 * trial, cancel, undo the cancellation, or restart it once it ended.
 */
export function SubscriptionStatusCard({ subscription }: { subscription: SubscriptionView }) {
  const view = stateView(subscription);
  const startLabel = startActionLabel(subscription);
  const [dialog, setDialog] = useState<'start' | 'cancel' | null>(null);
  const close = () => setDialog(null);

  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="subscription-status-heading" data-testid="subscription-status">
      <Stack gap="md" align="flex-start">
        <Group gap="sm">
          <Title order={2} size="h3" id="subscription-status-heading">
            Your subscription
          </Title>
          <Badge color={view.color} variant="light" size="lg" data-testid="subscription-state">
            {view.label}
          </Badge>
        </Group>
        <Text data-testid="subscription-summary">{view.summary}</Text>
        {subscription.status === 'payment_required' ? (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} aria-hidden="true" />} title="Payment required" data-testid="payment-required-alert">
            An invoice could not be collected after several attempts, so you and your colleagues cannot use Motus until it is
            paid; your patients can still read their programmes. Check the cards below, then retry the payment from{' '}
            <Anchor href="#invoices" inherit fw={600}>
              the invoice
            </Anchor>
            .
          </Alert>
        ) : null}
        {subscription.creditMinor > 0 ? (
          <Text size="sm" c="dimmed">
            Credit held: {formatMoney(subscription.creditMinor, subscription.licences.currency)}, taken off your next invoices.
          </Text>
        ) : null}
        <Group gap="sm">
          {startLabel ? (
            <Button onClick={() => setDialog('start')} leftSection={<IconPlayerPlay size={16} aria-hidden="true" />}>
              {startLabel}
            </Button>
          ) : null}
          {subscription.state === 'paid' ? (
            <Button variant="default" color="red" onClick={() => setDialog('cancel')}>
              Cancel subscription
            </Button>
          ) : null}
          {subscription.state === 'cancelling' ? <UndoCancellationButton /> : null}
        </Group>
        {subscription.state === 'trial' ? (
          <Text size="sm" c="dimmed">
            A trial needs no cancelling: it ends by itself, and nothing is charged.
          </Text>
        ) : null}
      </Stack>
      <Dialog opened={dialog === 'start'} onClose={close} title={startLabel ? `${startLabel}?` : ''} size="md">
        {dialog === 'start' && startLabel ? <StartForm label={startLabel} subscription={subscription} onClose={close} /> : null}
      </Dialog>
      <Dialog opened={dialog === 'cancel'} onClose={close} title="Cancel your subscription?" size="md">
        {dialog === 'cancel' ? <CancelForm onClose={close} /> : null}
      </Dialog>
    </Paper>
  );
}

/** R-SUB-1, R-SUB-3: the paid period starts today, at the exact amount shown (every licence counted, prorated). */
function StartForm({ label, subscription, onClose }: { label: string; subscription: SubscriptionView; onClose: () => void }) {
  const queryClient = useQueryClient();
  const refresh = useRefreshSubscription();
  const keeper = useMemo(() => idempotencyKeeper(), []);
  const quote = useSubscriptionQuote(0);
  const current = quote.isPlaceholderData ? undefined : quote.data;
  const [priceChanged, setPriceChanged] = useState(false);
  const [problem, setProblem] = useState<ReactNode>(null);
  const needsCard = current ? !current.paymentMethodOnFile : false;

  const start = useMutation({
    mutationFn: (body: { confirmedChargeMinor: number }) =>
      call(subscriptionContracts.start, { body }, { headers: { 'Idempotency-Key': keeper.keyFor(body) } }),
    onMutate: () => setProblem(null),
    onSuccess: async (answer) => {
      keeper.reset();
      await refresh();
      notifications.show({
        color: 'motus',
        title: 'Your subscription is running',
        message: `${formatMoney(answer.chargeMinor, subscription.licences.currency)} goes on your next invoice.`,
      });
      onClose();
    },
    onError: async (error) => {
      if (await showChangedPrice(error, queryClient, subscriptionQuoteKey(0), quote.refetch)) {
        setPriceChanged(true);
      } else if (isApiError(error, 'payment_method_required')) {
        await quote.refetch();
      } else {
        setProblem(errorMessage(error));
      }
    },
  });

  return (
    <Stack gap="md">
      <Text size="sm">
        {subscription.state === 'trial'
          ? 'Your trial ends now and your paid subscription starts today. You are invoiced monthly, on the 1st, for every licence you hold.'
          : 'Your subscription starts again today, with the licences it counts. You are invoiced monthly, on the 1st.'}
      </Text>
      <SubscriptionQuoteBox
        quote={current}
        loading={quote.isFetching}
        error={quote.error}
        onRetry={() => {
          setPriceChanged(false);
          void quote.refetch();
        }}
        describe={(q) => [describeStart(q)]}
        needsCard={needsCard}
        onGoToCards={onClose}
        notice={
          priceChanged ? (
            <Text size="sm" fw={600} c="orange.9">
              The price changed since it was shown (the day may have moved on). Check the new amount before confirming.
            </Text>
          ) : null
        }
      />
      <FormError message={problem} />
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose}>
          Not now
        </Button>
        <Button
          loading={start.isPending}
          disabled={!current || needsCard}
          leftSection={<IconCreditCard size={16} aria-hidden="true" />}
          onClick={() => {
            if (!current) return;
            setPriceChanged(false);
            start.mutate({ confirmedChargeMinor: current.totalMinor });
          }}
        >
          {label}
        </Button>
      </Group>
    </Stack>
  );
}

/** R-SUB-3: cancelling takes effect at the end of the calendar month and can be undone until then. */
function CancelForm({ onClose }: { onClose: () => void }) {
  const refresh = useRefreshSubscription();
  // Today in the subscription's billing time zone, which decides the month.
  const quote = useSubscriptionQuote(0);
  const lastDay = quote.data ? formatLocalDate(lastDayOfMonth(quote.data.localDate)) : null;

  const cancel = useMutation({
    mutationFn: () => call(subscriptionContracts.cancel),
    onSuccess: async ({ subscription }) => {
      await refresh();
      notifications.show({
        color: 'motus',
        title: 'Subscription cancelled',
        message: `It ends after ${subscription.lastDay ? formatLocalDate(subscription.lastDay) : 'this month'}. You can undo the cancellation until then.`,
      });
      onClose();
    },
  });

  return (
    <Stack gap="md">
      <List size="sm" spacing="xs">
        <List.Item>
          Your subscription runs to the end of this month{lastDay ? `, ${lastDay}` : ''}: you and your colleagues keep working
          until then.
        </List.Item>
        <List.Item>Nothing more is charged after that. What this month cost is not refunded.</List.Item>
        <List.Item>You can undo the cancellation until the month ends, and restart the subscription later.</List.Item>
      </List>
      <FormError message={cancel.isError ? errorMessage(cancel.error) : null} />
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose}>
          Keep subscription
        </Button>
        <Button color="red" loading={cancel.isPending} onClick={() => cancel.mutate()}>
          Cancel subscription
        </Button>
      </Group>
    </Stack>
  );
}

function UndoCancellationButton() {
  const refresh = useRefreshSubscription();
  const undo = useMutation({
    mutationFn: () => call(subscriptionContracts.undoCancel),
    onSuccess: async () => {
      await refresh();
      notifications.show({ color: 'motus', message: 'The cancellation is undone: your subscription goes on as before.' });
    },
    onError: (error) => notifications.show({ color: 'red', title: 'The cancellation was not undone', message: errorMessage(error) }),
  });
  return (
    <Button variant="default" onClick={() => undo.mutate()} loading={undo.isPending} leftSection={<IconArrowBackUp size={16} aria-hidden="true" />}>
      Undo cancellation
    </Button>
  );
}

import { Alert, Button, Checkbox, Group, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle, IconUserPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { subscriptionContracts, type SubscriptionView } from '../../../src/subscriptions/schemas.ts';
import { call, isApiError } from '../app/api.ts';
import { Dialog } from '../app/Dialog.tsx';
import { formatDate } from '../app/format.ts';
import { applyServerErrors } from '../app/forms.ts';
import { idempotencyKeeper } from '../app/idempotency.ts';
import { firstName } from '../memberships/members.ts';
import { formatMoney } from '../billing/money.ts';
import { showChangedPrice } from '../licences/priceChanged.ts';
import { subscriptionQuoteKey, useRefreshSubscription, useSubscriptionQuote } from './queries.ts';
import { addColleagueSchema, COST_ACKNOWLEDGEMENT, type AddColleagueValues } from './schemas.ts';
import { colleagueNeedsCard, describeColleagueQuote } from './subscription.ts';
import { SubscriptionQuoteBox } from './SubscriptionQuoteBox.tsx';
import { FormError } from '../app/ui.tsx';

interface AddColleagueDialogProps {
  opened: boolean;
  onClose: () => void;
  subscription: SubscriptionView;
}

/**
 * R-SUB-2: add a colleague by email. Before confirming, the subscriber sees the exact amount it
 * charges now (and that it turns a trial into a paid subscription) and ticks the acknowledgement of
 * the extra cost. The colleague keeps their own account and accepts like any invitation.
 */
export function AddColleagueDialog({ opened, onClose, subscription }: AddColleagueDialogProps) {
  return (
    <Dialog opened={opened} onClose={onClose} title="Add a colleague" size="lg">
      {opened ? <AddColleagueForm subscription={subscription} onDone={onClose} /> : null}
    </Dialog>
  );
}

const FIELDS = ['name', 'email', 'acknowledgeCost'] as const;

function AddColleagueForm({ subscription, onDone }: { subscription: SubscriptionView; onDone: () => void }) {
  const queryClient = useQueryClient();
  const refresh = useRefreshSubscription();
  const keeper = useMemo(() => idempotencyKeeper(), []);
  const [problem, setProblem] = useState<string | null>(null);
  const [priceChanged, setPriceChanged] = useState(false);
  const form = useForm<AddColleagueValues>({
    initialValues: { name: '', email: '', acknowledgeCost: false },
    validate: schemaResolver(addColleagueSchema, { sync: true }),
    validateInputOnBlur: ['name', 'email'],
  });

  const quote = useSubscriptionQuote(1);
  const current = quote.isPlaceholderData ? undefined : quote.data;
  const needsCard = current ? colleagueNeedsCard(current, subscription.state) : false;
  const who = form.values.name.trim() ? firstName(form.values.name) : 'this colleague';
  const trial = subscription.state === 'trial';

  const submit = form.onSubmit(async (values) => {
    if (!current) return;
    setProblem(null);
    setPriceChanged(false);
    const body = { name: values.name.trim(), email: values.email.trim(), acknowledgeCost: true as const, confirmedChargeMinor: current.totalMinor };
    try {
      const answer = await call(subscriptionContracts.addColleague, { body }, { headers: { 'Idempotency-Key': keeper.keyFor(body) } });
      keeper.reset();
      await refresh();
      const charged = answer.chargeMinor > 0 ? `${formatMoney(answer.chargeMinor, current.currency)} goes on your next invoice. ` : '';
      notifications.show({
        color: 'motus',
        title: `Invitation sent to ${answer.member.name}`,
        message: `${charged}${answer.member.email} can accept until ${formatDate(answer.member.invitationExpiresAt)}.`,
      });
      onDone();
    } catch (error) {
      if (await showChangedPrice(error, queryClient, subscriptionQuoteKey(1), quote.refetch)) {
        setPriceChanged(true);
      } else if (isApiError(error, 'payment_method_required')) {
        await quote.refetch();
      } else if (isApiError(error, 'already_invited') || isApiError(error, 'already_member')) {
        form.setFieldError('email', error.message);
      } else {
        setProblem(applyServerErrors(form, error, FIELDS));
      }
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label="Add a colleague">
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          Your colleague gets an email with a link to join your subscription. They keep their own account; their licence is
          billed to you, on your invoice. Until they accept they are listed as unconfirmed.
        </Text>
        <FormError message={problem} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <TextInput label="Name" autoComplete="off" required withAsterisk={false} data-autofocus {...form.getInputProps('name')} />
          <TextInput label="Email" type="email" inputMode="email" autoComplete="off" required withAsterisk={false} {...form.getInputProps('email')} />
        </SimpleGrid>
        {trial ? (
          <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} aria-hidden="true" />} data-testid="trial-turns-paid">
            Adding a colleague ends your free trial: your paid subscription starts today, for your own licence too.
          </Alert>
        ) : null}
        <SubscriptionQuoteBox
          quote={current}
          loading={quote.isFetching}
          error={quote.error}
          onRetry={() => {
            setPriceChanged(false);
            void quote.refetch();
          }}
          describe={(q) => describeColleagueQuote(q, who, subscription.licences.purchased)}
          needsCard={needsCard}
          onGoToCards={onDone}
          notice={
            priceChanged ? (
              <Text size="sm" fw={600} c="orange.9">
                The price changed since it was shown. Check the new amount before confirming.
              </Text>
            ) : null
          }
        />
        <Checkbox label={COST_ACKNOWLEDGEMENT} {...form.getInputProps('acknowledgeCost', { type: 'checkbox' })} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting} disabled={!current || needsCard} leftSection={<IconUserPlus size={16} aria-hidden="true" />}>
            Add colleague
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

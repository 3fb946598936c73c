import { Anchor, Button, Grid, Group, Loader, NumberInput, Paper, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconReceipt, IconShoppingCart, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { licenceContracts, type PoolView } from '../../../src/licences/schemas.ts';
import type { PoolSummaryView } from '../../../src/organisations/schemas.ts';
import { call, errorMessage, isApiError } from '../app/api.ts';
import { PageHeader, useScrollToHash, FormError } from '../app/ui.tsx';
import { organisationBilling } from './billing.ts';
import { useConsole, useOwnerPool } from '../console/ConsoleLayout.tsx';
import { idempotencyKeeper } from '../app/idempotency.ts';
import { describeBulkPurchase, describeCredit, formatMoney } from './money.ts';
import { InvoicesCard } from './InvoicesCard.tsx';
import { LedgerCard } from '../licences/LedgerCard.tsx';
import { OrganisationSettingsCard } from '../organisations/OrganisationSettingsCard.tsx';
import { PaymentMethodsCard } from './PaymentMethodsCard.tsx';
import { MAX_QUANTITY, RemoveLicencesDialog, toQuantity } from '../licences/RemoveLicencesDialog.tsx';
import { refreshOrganisation } from '../organisations/queries.ts';
import { usePool, useQuote } from '../licences/queries.ts';
import { PoolCounts, PoolPrices } from '../licences/PoolCounts.tsx';

/** Licences & billing (owner only): the pool (R-LIC-1), buying and removing (R-LIC-3), pending charges, invoices (R-LIC-5, -6), cards (R-LIC-7). */
export function BillingPage() {
  const { orgId, organisation } = useConsole();
  const pool = usePool(orgId);
  const ownerPool = useOwnerPool();
  const summary: PoolSummaryView & { billingMode?: PoolView['billingMode'] } = pool.data ?? ownerPool;
  const billing = organisationBilling(orgId);
  // Links from elsewhere ("add a card") point at a section of this page.
  useScrollToHash();

  return (
    <>
      <PageHeader title="Licences & billing" description={`Licences, charges and payment methods of ${organisation.name}. Only you, the owner, see this page.`} />
      <Stack gap="lg">
        <PoolCard pool={summary} loading={pool.isFetching} billingMode={organisation.billingMode} />
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 6 }}>
            <BuyLicencesCard />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <RemoveLicencesCard pool={summary} />
          </Grid.Col>
        </Grid>
        <LedgerCard />
        <InvoicesCard
          billing={billing}
          holder={organisation}
          emptyHint="The first invoice is issued on the 1st of next month. Pending charges can also be invoiced at once, above."
        />
        <PaymentMethodsCard billing={billing} billingMode={organisation.billingMode} />
        <OrganisationSettingsCard />
      </Stack>
    </>
  );
}

function PoolCard({ pool, loading, billingMode }: { pool: PoolSummaryView; loading: boolean; billingMode: PoolView['billingMode'] }) {
  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="pool-heading">
      <Group justify="space-between" mb="md" gap="xs">
        <Title order={2} size="h4" id="pool-heading">
          Licences
        </Title>
        {loading ? <Loader size={14} aria-label="Updating" /> : null}
      </Group>
      <PoolCounts pool={pool} purchasedLabel="Purchased" hints={{ purchased: 'In the pool', assigned: 'Active practitioners', reserved: 'Open invitations', free: 'Ready for someone new' }} />
      <Group mt="md" gap="xl" wrap="wrap">
        <PoolPrices pool={pool} />
        <Text size="sm" c="dimmed">
          {billingMode === 'manual' ? 'Billed manually by your Motus operator.' : 'Paid by card, invoiced on the 1st of each month.'}
        </Text>
      </Group>
    </Paper>
  );
}

function BuyLicencesCard() {
  const { orgId } = useConsole();
  const queryClient = useQueryClient();
  const keeper = useMemo(() => idempotencyKeeper(), []);
  const [value, setValue] = useState<string | number>(1);
  const quantity = toQuantity(value);
  const [debounced] = useDebouncedValue(quantity, 250);
  const quote = useQuote(orgId, debounced, true, debounced > 0);
  const current = quote.data && quote.data.quantity === quantity && !quote.isPlaceholderData ? quote.data : undefined;
  const [problem, setProblem] = useState<ReactNode>(null);

  const buy = useMutation({
    mutationFn: (body: { quantity: number; confirmedChargeMinor: number }) =>
      call(licenceContracts.purchase, { params: { orgId }, body }, { headers: { 'Idempotency-Key': keeper.keyFor(body) } }),
    onSuccess: async (answer, body) => {
      keeper.reset();
      setValue(1);
      await refreshOrganisation(queryClient, orgId);
      notifications.show({
        color: 'motus',
        title: `${body.quantity === 1 ? 'One licence' : `${body.quantity} licences`} bought`,
        message: `${formatMoney(answer.chargeMinor, answer.pool.currency)} goes on the next invoice.`,
      });
    },
    onError: async (error) => {
      if (isApiError(error, 'charge_not_confirmed')) {
        await quote.refetch();
        setProblem('The price changed since it was shown (the day or the price may have moved on). Check the new amount and confirm again.');
      } else if (isApiError(error, 'payment_method_required')) {
        await quote.refetch();
        setProblem(
          <>
            {error.message}{' '}
            <Anchor href="#payment-methods" inherit fw={600}>
              Add a card below
            </Anchor>
          </>,
        );
      } else {
        setProblem(errorMessage(error));
      }
    },
  });

  const blocked = Boolean(current?.paymentMethodRequired);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!current || blocked) return;
    setProblem(null);
    buy.mutate({ quantity, confirmedChargeMinor: current.amountMinor });
  };

  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="buy-heading" h="100%">
      <form onSubmit={submit} noValidate aria-labelledby="buy-heading">
        <Stack gap="md">
          <Stack gap={4}>
            <Title order={2} size="h4" id="buy-heading">
              Buy licences
            </Title>
            <Text size="sm" c="dimmed">
              Buy ahead for colleagues you are about to add. This month you pay only for the days left.
            </Text>
          </Stack>
          <NumberInput
            label="Quantity"
            min={1}
            max={MAX_QUANTITY}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="strict"
            value={value}
            onChange={(next) => {
              setValue(next);
              setProblem(null);
            }}
            error={value !== '' && quantity === 0 ? `Enter a number from 1 to ${MAX_QUANTITY}.` : undefined}
            w={{ base: '100%', xs: 160 }}
          />
          <div className="quote-box" data-tone={blocked ? 'blocked' : 'purchase'} data-testid="licence-quote" aria-live="polite">
            {quantity === 0 ? (
              <Text size="sm" c="dimmed">
                Enter how many licences to buy.
              </Text>
            ) : !current ? (
              quote.isError ? (
                <Text size="sm">{errorMessage(quote.error)}</Text>
              ) : (
                <Group gap="xs">
                  <Loader size={16} aria-hidden="true" />
                  <Text size="sm" c="dimmed">
                    Working out the price…
                  </Text>
                </Group>
              )
            ) : (
              <Stack gap={6}>
                <Group gap="xs" wrap="nowrap" align="flex-start">
                  <IconReceipt size={18} aria-hidden="true" style={{ flexShrink: 0, marginTop: 2 }} />
                  <Text size="sm" fw={500}>
                    {describeBulkPurchase(current)}
                  </Text>
                </Group>
                {blocked ? (
                  <Text size="sm" c="red.8" fw={500}>
                    Buying licences needs a payment method, and none is on file.{' '}
                    <Anchor href="#payment-methods" inherit fw={600}>
                      Add a card below
                    </Anchor>
                  </Text>
                ) : null}
              </Stack>
            )}
          </div>
          <FormError message={problem} />
          <Group justify="flex-end">
            <Button type="submit" loading={buy.isPending} disabled={!current || blocked} leftSection={<IconShoppingCart size={16} aria-hidden="true" />}>
              Buy licences
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function RemoveLicencesCard({ pool }: { pool: PoolSummaryView }) {
  const { orgId } = useConsole();
  const [open, setOpen] = useState(false);
  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="remove-licences-heading" h="100%">
      <Stack gap="md" h="100%">
        <Stack gap={4}>
          <Title order={2} size="h4" id="remove-licences-heading">
            Remove free licences
          </Title>
          <Text size="sm" c="dimmed">
            Stop paying for licences nobody uses. The rest of this month is credited on the next invoice.
          </Text>
        </Stack>
        <Text size="sm">
          {pool.free === 0
            ? 'No licence is free right now: every licence is assigned to a user or reserved for an invitation.'
            : `${pool.free} of ${pool.purchased} ${pool.purchased === 1 ? 'licence' : 'licences'} ${pool.free === 1 ? 'is' : 'are'} free.`}
        </Text>
        <Text size="sm" c="dimmed">
          Licences assigned to users or reserved for open invitations stay: the pool never drops below them.
        </Text>
        <Group justify="flex-end" mt="auto">
          <Button variant="default" color="red" leftSection={<IconTrash size={16} aria-hidden="true" />} onClick={() => setOpen(true)}>
            Remove free licences
          </Button>
        </Group>
      </Stack>
      <RemoveLicencesDialog
        opened={open}
        onClose={() => setOpen(false)}
        billing={organisationBilling(orgId)}
        pool={pool}
        renderCredit={(quantity) => <OrganisationCredit quantity={quantity} />}
      />
    </Paper>
  );
}

/** A removal credits what buying the same licences today costs (R-LIC-4), so the bulk quote tells it. */
function OrganisationCredit({ quantity }: { quantity: number }) {
  const { orgId } = useConsole();
  const [debounced] = useDebouncedValue(quantity, 250);
  const credit = useQuote(orgId, debounced, true);
  const current = credit.data && credit.data.quantity === quantity && !credit.isPlaceholderData ? credit.data : undefined;
  if (!current) return null;
  return (
    <Text size="sm" data-testid="licence-credit">
      Removing {quantity === 1 ? 'one licence' : `${quantity} licences`} gives {describeCredit(current)}.
    </Text>
  );
}

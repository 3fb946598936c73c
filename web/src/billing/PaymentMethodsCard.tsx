import { Alert, Badge, Button, Code, Collapse, Grid, Group, Paper, SimpleGrid, Stack, Table, Text, TextInput, ThemeIcon, Title, UnstyledButton } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCreditCard, IconFlask, IconPlus } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { PaymentMethodView } from '../../../src/billing/schemas.ts';
import type { BillingMode } from '../../../src/organisations/schemas.ts';
import { errorMessage } from '../app/api.ts';
import { Dialog } from '../app/Dialog.tsx';
import { applyServerErrors } from '../app/forms.ts';
import { brandLabel, cardDigits, cardSchema, expiryText, formatCardNumber, fullYear, isExpired, TEST_CARDS, type CardValues } from './cards.ts';
import { cardRules, type BillingScope } from './billing.ts';
import { refreshBilling, usePaymentMethods } from './queries.ts';
import { ErrorBlock, LoadingBlock } from '../app/ui.tsx';

const MAX_METHODS = 2;

function cardName(method: PaymentMethodView): string {
  return `${brandLabel(method.brand)} ending ${method.last4}`;
}

interface PaymentMethodsCardProps {
  /** Whose cards: an organisation's (its owner) or the person's own subscription. */
  billing: BillingScope;
  billingMode: BillingMode;
}

/** R-LIC-7: the owner's cards: a primary one and an optional backup; one must stay while billed by card. */
export function PaymentMethodsCard({ billing, billingMode }: PaymentMethodsCardProps) {
  const methods = usePaymentMethods(billing);
  const list = methods.data ?? [];
  const [showForm, setShowForm] = useState(false);
  const [removing, setRemoving] = useState<PaymentMethodView | null>(null);
  const byCard = billingMode === 'card';
  const rules = cardRules(billing.kind);

  return (
    <Paper
      withBorder
      p={{ base: 'md', sm: 'lg' }}
      component="section"
      aria-labelledby="payment-methods-heading"
      id="payment-methods"
      tabIndex={-1}
      style={{ outline: 'none', scrollMarginTop: 76 }}
    >
      <Stack gap={4} mb="md">
        <Title order={2} size="h4" id="payment-methods-heading">
          Payment methods
        </Title>
        <Text size="sm" c="dimmed">
          {byCard
            ? 'Invoices are paid with the main card; the backup card is tried when the main one fails. Motus keeps only the brand, the last four digits and the expiry date.'
            : 'This organisation is billed manually, so no card is needed. You can still keep one on file.'}
        </Text>
      </Stack>
      {methods.isPending ? (
        <LoadingBlock label="Loading payment methods" />
      ) : methods.isError ? (
        <ErrorBlock error={methods.error} onRetry={() => void methods.refetch()} />
      ) : (
        <Stack gap="md">
          {list.length > 0 ? (
            <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Cards on file" data-testid="payment-methods">
              {list.map((method) => (
                <MethodRow key={method.id} method={method} onRemove={() => setRemoving(method)} />
              ))}
            </Stack>
          ) : (
            <Alert color={byCard ? 'orange' : 'gray'} variant="light" icon={<IconCreditCard size={18} aria-hidden="true" />}>
              {byCard ? rules.noCard : 'No card on file.'}
            </Alert>
          )}
          {list.length === 1 && byCard ? (
            <Text size="sm" c="dimmed">
              {rules.onlyCard}
            </Text>
          ) : null}
          {list.length >= MAX_METHODS ? (
            <Text size="sm" c="dimmed">
              {rules.limit}
            </Text>
          ) : list.length === 0 ? (
            <AddCardForm billing={billing} onAdded={() => undefined} />
          ) : (
            <>
              {!showForm ? (
                <Group>
                  <Button variant="light" leftSection={<IconPlus size={16} aria-hidden="true" />} onClick={() => setShowForm(true)} aria-expanded={showForm}>
                    Add a backup card
                  </Button>
                </Group>
              ) : null}
              <Collapse expanded={showForm}>
                {showForm ? <AddCardForm billing={billing} onAdded={() => setShowForm(false)} onCancel={() => setShowForm(false)} /> : null}
              </Collapse>
            </>
          )}
        </Stack>
      )}
      <RemoveCardDialog billing={billing} method={removing} onClose={() => setRemoving(null)} others={list.filter((m) => m.id !== removing?.id)} byCard={byCard} />
    </Paper>
  );
}

function MethodRow({ method, onRemove }: { method: PaymentMethodView; onRemove: () => void }) {
  const expired = isExpired(method.expMonth, method.expYear);
  return (
    <Group component="li" justify="space-between" gap="sm" p="sm" wrap="nowrap" style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 'var(--mantine-radius-md)' }} data-testid="payment-method">
      <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
        <ThemeIcon variant="light" color={method.role === 'primary' ? 'motus' : 'gray'} size={38} radius="md" aria-hidden="true">
          <IconCreditCard size={20} />
        </ThemeIcon>
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Group gap={6} wrap="wrap">
            <Text fw={600} size="sm">
              {brandLabel(method.brand)} <span aria-hidden="true">••••</span>
              <span className="visually-hidden">ending</span> {method.last4}
            </Text>
            <Badge size="sm" variant={method.role === 'primary' ? 'filled' : 'light'} color={method.role === 'primary' ? 'motus' : 'gray'}>
              {method.role === 'primary' ? 'Primary' : 'Backup'}
            </Badge>
            {expired ? (
              <Badge size="sm" color="red" variant="light">
                Expired
              </Badge>
            ) : null}
          </Group>
          <Text size="xs" c="dimmed">
            Expires {expiryText(method.expMonth, method.expYear)}
          </Text>
        </Stack>
      </Group>
      <Button variant="subtle" color="red" size="xs" onClick={onRemove} aria-label={`Remove ${cardName(method)}`}>
        Remove
      </Button>
    </Group>
  );
}

interface RemoveCardDialogProps {
  billing: BillingScope;
  method: PaymentMethodView | null;
  onClose: () => void;
  others: PaymentMethodView[];
  byCard: boolean;
}

function RemoveCardDialog({ billing, method, onClose, others, byCard }: RemoveCardDialogProps) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (id: string) => billing.requests.removeCard(id),
    onSuccess: async (paymentMethods) => {
      queryClient.setQueryData([...billing.key, 'payment-methods'], paymentMethods);
      await refreshBilling(queryClient, billing);
      notifications.show({ color: 'motus', message: `${method ? cardName(method) : 'The card'} was removed.` });
      onClose();
    },
  });
  const last = others.length === 0;
  const backup = others.find((m) => m.role === 'backup');
  return (
    <Dialog opened={method !== null} onClose={onClose} title={method ? `Remove ${cardName(method)}?` : 'Remove card'} size="md" onExitTransitionEnd={() => remove.reset()}>
      {method ? (
        <Stack gap="md">
          {last && byCard ? (
            <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} aria-hidden="true" />}>
              {cardRules(billing.kind).lastCard}
            </Alert>
          ) : method.role === 'primary' && backup ? (
            <Text size="sm">The backup card, {cardName(backup)}, becomes the main card.</Text>
          ) : (
            <Text size="sm">The card is no longer used for payments.</Text>
          )}
          {remove.isError ? (
            <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden="true" />}>
              {errorMessage(remove.error)}
            </Alert>
          ) : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => remove.mutate(method.id)}>
              Remove card
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Dialog>
  );
}

const CARD_FIELDS = ['number', 'expMonth', 'expYear', 'cvc'] as const;

function AddCardForm({ billing, onAdded, onCancel }: { billing: BillingScope; onAdded: () => void; onCancel?: () => void }) {
  const queryClient = useQueryClient();
  const schema = useMemo(() => cardSchema(), []);
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm<CardValues>({
    initialValues: { number: '', expMonth: '', expYear: '', cvc: '' },
    validate: schemaResolver(schema, { sync: true }),
  });

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      const added = await billing.requests.addCard({ number: cardDigits(values.number), expMonth: Number(values.expMonth), expYear: fullYear(values.expYear), cvc: values.cvc.trim() });
      form.reset();
      await refreshBilling(queryClient, billing);
      notifications.show({
        color: 'motus',
        title: 'Card added',
        message: `${cardName(added)} is now the ${added.role === 'primary' ? 'main' : 'backup'} card.`,
      });
      onAdded();
    } catch (error) {
      setProblem(applyServerErrors(form, error, CARD_FIELDS));
    }
  });

  const fillTestCard = (number: string) => {
    const next = new Date();
    form.setValues({ number, expMonth: '12', expYear: String(next.getFullYear() + 3), cvc: '123' });
    form.clearErrors();
  };

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <form onSubmit={submit} noValidate aria-label="Add a card">
          <Stack gap="md">
            <Title order={3} size="h5">
              Add a card
            </Title>
            {problem ? (
              <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden="true" />}>
                {problem}
              </Alert>
            ) : null}
            <TextInput
              label="Card number"
              inputMode="numeric"
              autoComplete="cc-number"
              placeholder="1234 5678 9012 3456"
              maxLength={23}
              {...form.getInputProps('number')}
              onChange={(event) => form.setFieldValue('number', formatCardNumber(event.currentTarget.value))}
            />
            <SimpleGrid cols={{ base: 2, xs: 3 }} spacing="sm">
              <TextInput label="Expiry month" inputMode="numeric" autoComplete="cc-exp-month" placeholder="MM" maxLength={2} {...form.getInputProps('expMonth')} />
              <TextInput label="Expiry year" inputMode="numeric" autoComplete="cc-exp-year" placeholder="YYYY" maxLength={4} {...form.getInputProps('expYear')} />
              <TextInput label="Security code" inputMode="numeric" autoComplete="cc-csc" placeholder="123" maxLength={4} {...form.getInputProps('cvc')} />
            </SimpleGrid>
            <Group justify="flex-end" gap="sm">
              {onCancel ? (
                <Button variant="default" onClick={onCancel}>
                  Cancel
                </Button>
              ) : null}
              <Button type="submit" loading={form.submitting} leftSection={<IconCreditCard size={16} aria-hidden="true" />}>
                Add card
              </Button>
            </Group>
          </Stack>
        </form>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <TestCards onUse={fillTestCard} />
      </Grid.Col>
    </Grid>
  );
}

/** The built-in test gateway accepts only its documented numbers (src/billing/gateway.ts). */
function TestCards({ onUse }: { onUse: (number: string) => void }) {
  return (
    <Paper bg="indigo.0" p="md" radius="md" data-testid="test-cards" component="aside" aria-labelledby="test-cards-heading">
      <Group gap="xs" mb={4} wrap="nowrap">
        <IconFlask size={18} aria-hidden="true" color="var(--mantine-color-indigo-7)" />
        <Text fw={600} size="sm" id="test-cards-heading">
          Test payment gateway
        </Text>
      </Group>
      <Text size="xs" c="dimmed" mb="xs">
        No real money moves. Use one of these numbers with any future expiry date and any three-digit security code.
      </Text>
      <Table verticalSpacing={4} horizontalSpacing={6} fz="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Card number</Table.Th>
            <Table.Th scope="col">What happens</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {TEST_CARDS.map((card) => (
            <Table.Tr key={card.number}>
              <Table.Td>
                <UnstyledButton onClick={() => onUse(card.number)} aria-label={`Use test card ${card.number}`} style={{ borderRadius: 4 }}>
                  <Code fz="xs" style={{ whiteSpace: 'nowrap' }}>
                    {card.number}
                  </Code>
                </UnstyledButton>
              </Table.Td>
              <Table.Td>
                {card.brand}: {card.outcome.toLowerCase()}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

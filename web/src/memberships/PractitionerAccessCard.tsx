import { Alert, Anchor, Button, CloseButton, Group, List, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useLocalStorage } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconChevronRight, IconShoppingCart, IconStethoscope, IconStethoscopeOff } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { membershipContracts, type MemberView, type MemberWithPurchase } from '../../../src/memberships/schemas.ts';
import { call, errorMessage, isApiError } from '../app/api.ts';
import { Dialog } from '../app/Dialog.tsx';
import { PaymentMethodMessage } from './AddUserDialog.tsx';
import { useConsole, usePoolCounts } from '../console/ConsoleLayout.tsx';
import { idempotencyKeeper } from '../app/idempotency.ts';
import { firstName } from './members.ts';
import { formatMoney } from '../billing/money.ts';
import { organisationKey } from '../app/queryKeys.ts';
import { refreshOrganisation } from '../organisations/queries.ts';
import { showChangedPrice } from '../licences/priceChanged.ts';
import { useQuote } from '../licences/queries.ts';
import { QuoteBox } from '../licences/QuoteBox.tsx';

type Open = 'give' | 'remove' | null;

/**
 * Practitioner access (a licence) for an active member, the owner included: an owner who treats
 * patients needs a licence too. Giving it uses a free licence or buys one at the price shown first
 * (R-LIC-2); taking it away frees the licence.
 */
export function PractitionerAccessCard({ member }: { member: MemberView }) {
  const { me } = useConsole();
  const [open, setOpen] = useState<Open>(null);
  if (member.status !== 'active') return null;
  const self = member.id === me.membershipId;
  const name = firstName(member.name);
  const has = member.roles.practitioner;

  let explanation: string;
  if (has) {
    explanation = self
      ? 'You hold a licence: you see patients and build exercise programmes here.'
      : `${name} holds a licence: they see patients and build exercise programmes here.`;
  } else if (self) {
    explanation = 'You have no practitioner access here. If you treat patients yourself, give it to yourself: it uses one licence.';
  } else {
    explanation = `${name} has no practitioner access${member.roles.admin ? ' and only uses the console' : ''}. Giving it uses one licence.`;
  }

  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="practitioner-access-heading" id="practitioner-access" tabIndex={-1} style={{ outline: 'none', scrollMarginTop: 76 }}>
      <Title order={2} size="h4" id="practitioner-access-heading" mb={4}>
        Practitioner access
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {explanation}
      </Text>
      {has ? (
        <Button variant="outline" color="red" fullWidth leftSection={<IconStethoscopeOff size={16} aria-hidden="true" />} onClick={() => setOpen('remove')}>
          Remove practitioner access
        </Button>
      ) : (
        <Button fullWidth leftSection={<IconStethoscope size={16} aria-hidden="true" />} onClick={() => setOpen('give')}>
          Give practitioner access
        </Button>
      )}
      <Dialog
        opened={open === 'give'}
        onClose={() => setOpen(null)}
        title={self ? 'Give yourself practitioner access?' : `Give ${member.name} practitioner access?`}
        size="md"
      >
        {open === 'give' ? <GiveForm member={member} self={self} onClose={() => setOpen(null)} /> : null}
      </Dialog>
      <Dialog
        opened={open === 'remove'}
        onClose={() => setOpen(null)}
        title={self ? 'Remove your practitioner access?' : `Remove ${member.name}'s practitioner access?`}
        size="md"
      >
        {open === 'remove' ? <RemoveForm member={member} self={self} onClose={() => setOpen(null)} /> : null}
      </Dialog>
    </Paper>
  );
}

function ProblemAlert({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden="true" />}>
      {children}
    </Alert>
  );
}

function usePractitionerMutation(member: MemberView, onDone: (answer: MemberWithPurchase, body: { enabled: boolean }) => void) {
  const { orgId } = useConsole();
  const queryClient = useQueryClient();
  const keeper = useMemo(() => idempotencyKeeper(), []);
  return useMutation({
    mutationFn: (body: { enabled: boolean; confirmedChargeMinor?: number }) =>
      call(membershipContracts.setPractitioner, { params: { orgId, memberId: member.id }, body }, { headers: { 'Idempotency-Key': keeper.keyFor(body) } }),
    onSuccess: async (answer, body) => {
      keeper.reset();
      await refreshOrganisation(queryClient, orgId);
      onDone(answer, body);
    },
  });
}

function GiveForm({ member, self, onClose }: { member: MemberView; self: boolean; onClose: () => void }) {
  const { orgId, me, organisation } = useConsole();
  const { currency } = usePoolCounts();
  const queryClient = useQueryClient();
  const quote = useQuote(orgId, 1, false);
  const [priceChanged, setPriceChanged] = useState(false);
  const [problem, setProblem] = useState<ReactNode>(null);
  const current = quote.data;
  const buying = (current?.quantity ?? 0) > 0;
  const blocked = buying && Boolean(current?.paymentMethodRequired);
  const name = firstName(member.name);

  const give = usePractitionerMutation(member, (answer) => {
    notifications.show({
      color: 'motus',
      title: self ? 'You have practitioner access' : `${member.name} has practitioner access`,
      message: answer.licenceBought
        ? `One licence was bought for ${formatMoney(answer.chargeMinor, currency)}; it goes on the next invoice.`
        : 'A free licence was used: nothing more is charged.',
    });
    onClose();
  });

  const confirm = () => {
    setProblem(null);
    give.mutate(buying && current ? { enabled: true, confirmedChargeMinor: current.amountMinor } : { enabled: true }, {
      onError: async (error) => {
        if (await showChangedPrice(error, queryClient, [...organisationKey(orgId), 'quote', 1, false], quote.refetch)) {
          setPriceChanged(true);
        } else if (isApiError(error, 'payment_method_required')) {
          await quote.refetch();
          setProblem(<PaymentMethodMessage error={error} isOwner={me.owner} ownerName={organisation.owner.name} orgId={orgId} />);
        } else {
          setProblem(errorMessage(error));
        }
      },
    });
  };

  return (
    <Stack gap="md">
      <Text size="sm">
        {self
          ? `You will see patients and build exercise programmes in ${organisation.name}, like its practitioners.`
          : `${name} will see patients and build exercise programmes in ${organisation.name}.`}
      </Text>
      <QuoteBox
        quote={current}
        loading={quote.isFetching}
        error={quote.error}
        onRetry={() => {
          setPriceChanged(false);
          void quote.refetch();
        }}
        doing={self ? 'Giving yourself practitioner access' : `Giving ${name} practitioner access`}
        billingMode={organisation.billingMode}
        orgId={orgId}
        isOwner={me.owner}
        ownerName={organisation.owner.name}
        notice={
          priceChanged ? (
            <Text size="sm" fw={600} c="orange.9">
              The licences changed meanwhile. Check the price again before confirming.
            </Text>
          ) : null
        }
      />
      <ProblemAlert>{problem}</ProblemAlert>
      <Group justify="flex-end" gap="sm" mt="xs">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button
          loading={give.isPending}
          disabled={blocked || !current}
          onClick={confirm}
          leftSection={buying ? <IconShoppingCart size={16} aria-hidden="true" /> : <IconStethoscope size={16} aria-hidden="true" />}
        >
          {buying ? 'Confirm and buy licence' : 'Give practitioner access'}
        </Button>
      </Group>
    </Stack>
  );
}

function RemoveForm({ member, self, onClose }: { member: MemberView; self: boolean; onClose: () => void }) {
  const { me, organisation } = useConsole();
  const name = firstName(member.name);
  const remove = usePractitionerMutation(member, () => {
    notifications.show({
      color: 'motus',
      title: self ? 'Your practitioner access was removed' : `${member.name}'s practitioner access was removed`,
      message: 'The licence is free for someone else.',
    });
    onClose();
  });
  const keepsConsole = member.roles.admin || member.roles.owner;
  return (
    <Stack gap="md">
      <List size="sm" spacing="xs">
        <List.Item>
          {self ? 'You' : name} no longer see{self ? '' : 's'} patients or build programmes in {organisation.name}, from the very next
          click.
        </List.Item>
        <List.Item>
          {self ? 'Your' : `${name}’s`} active programmes there are paused: patients can still read them. Giving practitioner access back
          resumes them.
        </List.Item>
        <List.Item>
          This frees the licence at once: it stays in the pool for someone else
          {me.owner ? ', and you keep paying for it until you remove it under Licences & billing' : ''}.
        </List.Item>
        <List.Item>
          {keepsConsole
            ? `${self ? 'You keep' : `${name} keeps`} ${member.roles.owner ? 'the organisation and its console' : 'console access'}.`
            : `${name} stays a member without any role. To stop them using the organisation altogether, use Remove access instead.`}
        </List.Item>
      </List>
      <ProblemAlert>{remove.isError ? errorMessage(remove.error) : null}</ProblemAlert>
      <Group justify="flex-end" gap="sm" mt="xs">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button color="red" loading={remove.isPending} onClick={() => remove.mutate({ enabled: false })} leftSection={<IconStethoscopeOff size={16} aria-hidden="true" />}>
          Remove practitioner access
        </Button>
      </Group>
    </Stack>
  );
}

/**
 * For the owner of an organisation who holds no licence there: a practice owner often treats
 * patients too. Shown on the console's landing page until dismissed.
 */
export function OwnerPractitionerSuggestion() {
  const { orgId, me, organisation } = useConsole();
  const [dismissed, setDismissed] = useLocalStorage<boolean>({ key: `motus.owner-practitioner-hint.${orgId}`, defaultValue: false, getInitialValueInEffect: false });
  if (!me.owner || me.practitioner || dismissed) return null;
  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} mb="lg" component="section" aria-labelledby="owner-practitioner-heading" data-testid="owner-practitioner-suggestion" className="suggestion-card">
      <Group align="flex-start" wrap="nowrap" gap="md">
        <ThemeIcon size={40} radius="xl" variant="light" aria-hidden="true" visibleFrom="xs">
          <IconStethoscope size={22} />
        </ThemeIcon>
        <Stack gap={6} style={{ flex: 1, minWidth: 0 }}>
          <Title order={2} size="h4" id="owner-practitioner-heading">
            Do you treat patients yourself?
          </Title>
          <Text size="sm" c="dimmed">
            As the owner you run {organisation.name}'s console. To see patients and build exercise programmes too, give
            yourself practitioner access: it uses one licence, like any practitioner.
          </Text>
          <Anchor component={Link} to={`/console/${orgId}/users/${me.membershipId}#practitioner-access`} size="sm" fw={600} w="fit-content">
            <Group gap={2} component="span">
              Set up my practitioner access
              <IconChevronRight size={14} aria-hidden="true" />
            </Group>
          </Anchor>
        </Stack>
        <CloseButton aria-label="Dismiss the practitioner access suggestion" onClick={() => setDismissed(true)} />
      </Group>
    </Paper>
  );
}

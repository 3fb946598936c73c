import { Alert, Button, Checkbox, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconAlertTriangle,
  IconCrown,
  IconDoorExit,
  IconMailForward,
  IconMailOff,
  IconShoppingCart,
  IconTransfer,
  IconUserCheck,
  IconUserOff,
} from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { api, errorMessage, isApiError } from '../app/api.ts';
import { Dialog } from '../app/Dialog.tsx';
import { formatDateTime } from '../app/format.ts';
import { PaymentMethodMessage } from './AddUserDialog.tsx';
import { useConsole } from './ConsoleLayout.tsx';
import { idempotencyKeeper } from './idempotency.ts';
import { firstName, memberActions } from './members.ts';
import { describeCredit, formatMoney } from './money.ts';
import { plural } from './clinical.ts';
import { orgPath, organisationKey, refreshOrganisation, useProgrammeCounts, useQuote } from './queries.ts';
import { QuoteBox } from './QuoteBox.tsx';
import { TransferDialog } from './TransferDialog.tsx';
import type { Member, ProgrammeCounts, Purchase, Quote } from './types.ts';

type DialogName = 'remove-access' | 'grant-access' | 'remove' | 'revoke' | 'make-owner' | 'transfer' | null;

/** The actions a member's state allows (R-PRA-2, -3, -5, -6; R-ORG-2). */
export function MemberActionsCard({ member }: { member: Member }) {
  const { orgId, me } = useConsole();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<DialogName>(null);
  // The dialog that offered the transfer ("Transfer patients first"), opened again after it.
  const [transferFrom, setTransferFrom] = useState<DialogName>(null);
  const actions = memberActions(member, me);
  const canTransfer = (member.status === 'active' || member.status === 'access_removed') && member.accountId !== null;
  const openTransfer = (from: DialogName) => {
    setTransferFrom(from);
    setOpen('transfer');
  };
  const name = firstName(member.name);

  const resend = useMutation({
    mutationFn: () => api<{ member: Member }>(orgPath(orgId, `/invitations/${member.id}/resend`), { method: 'POST' }),
    onSuccess: async (answer) => {
      await refreshOrganisation(queryClient, orgId);
      notifications.show({
        color: 'motus',
        title: 'Invitation sent again',
        message: `${answer.member.email} has a new link, open until ${formatDateTime(answer.member.invitationExpiresAt)}. The earlier link no longer works.`,
      });
    },
    onError: (error) => notifications.show({ color: 'red', title: 'The invitation was not sent', message: errorMessage(error) }),
  });

  const any = actions.resend || actions.revoke || actions.removeAccess || actions.grantAccess || actions.removeFromOrganisation || actions.makeOwner || canTransfer;

  let explanation: ReactNode;
  if (member.status === 'unconfirmed') {
    explanation = member.roles.practitioner
      ? `${name} has not accepted yet. A licence is reserved until they do; revoking frees it.`
      : `${name} has not accepted yet.`;
  } else if (member.status === 'active') {
    explanation = actions.accessLockedReason ?? `${name} can use Motus in this organisation.`;
  } else if (member.status === 'access_removed') {
    explanation = `${name} can no longer use Motus here, but stays listed. Granting access again restores their previous roles${member.roles.practitioner ? ' and needs a licence' : ''}.`;
  } else if (member.status === 'removed') {
    explanation = `${name} is no longer a member. Their account is kept; invite them again to add them back.`;
  } else {
    explanation = 'This invitation is closed. Invite the person again to add them.';
  }

  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="member-actions-heading">
      <Title order={2} size="h4" id="member-actions-heading" mb={4}>
        Access
      </Title>
      <Text size="sm" c="dimmed" mb={any ? 'md' : 0}>
        {explanation}
      </Text>
      {any ? (
        <Stack gap="xs" align="stretch">
          {actions.resend ? (
            <Button variant="default" leftSection={<IconMailForward size={16} aria-hidden="true" />} loading={resend.isPending} onClick={() => resend.mutate()}>
              Re-send invitation
            </Button>
          ) : null}
          {actions.revoke ? (
            <Button variant="default" color="red" leftSection={<IconMailOff size={16} aria-hidden="true" />} onClick={() => setOpen('revoke')}>
              Revoke invitation
            </Button>
          ) : null}
          {actions.grantAccess ? (
            <Button leftSection={<IconUserCheck size={16} aria-hidden="true" />} onClick={() => setOpen('grant-access')}>
              Grant access again
            </Button>
          ) : null}
          {canTransfer ? (
            <Button variant="default" leftSection={<IconTransfer size={16} aria-hidden="true" />} onClick={() => openTransfer(null)}>
              Transfer patients and content
            </Button>
          ) : null}
          {actions.removeAccess ? (
            <Button variant="light" color="red" leftSection={<IconUserOff size={16} aria-hidden="true" />} onClick={() => setOpen('remove-access')}>
              Remove access
            </Button>
          ) : null}
          {actions.removeFromOrganisation ? (
            <Button variant="subtle" color="red" leftSection={<IconDoorExit size={16} aria-hidden="true" />} onClick={() => setOpen('remove')}>
              Remove from organisation
            </Button>
          ) : null}
          {actions.makeOwner ? (
            <Button variant="subtle" color="indigo" leftSection={<IconCrown size={16} aria-hidden="true" />} onClick={() => setOpen('make-owner')}>
              Make owner
            </Button>
          ) : null}
        </Stack>
      ) : null}

      <RevokeDialog member={member} opened={open === 'revoke'} onClose={() => setOpen(null)} />
      <RemoveAccessDialog member={member} opened={open === 'remove-access'} onClose={() => setOpen(null)} onTransfer={() => openTransfer('remove-access')} />
      <GrantAccessDialog member={member} opened={open === 'grant-access'} onClose={() => setOpen(null)} />
      <RemoveMemberDialog member={member} opened={open === 'remove'} onClose={() => setOpen(null)} onTransfer={() => openTransfer('remove')} />
      <TransferDialog member={member} opened={open === 'transfer'} onClose={() => setOpen(transferFrom)} />
      <MakeOwnerDialog member={member} opened={open === 'make-owner'} onClose={() => setOpen(null)} />
    </Paper>
  );
}

interface MemberDialogProps {
  member: Member;
  opened: boolean;
  onClose: () => void;
}

/** A dialog that offers the transfer dialog before its own action (R-PRA-3, R-PRA-6). */
interface OffersTransfer {
  onTransfer: () => void;
}

function ProblemAlert({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden="true" />}>
      {children}
    </Alert>
  );
}

function DialogButtons({ children, onCancel }: { children: ReactNode; onCancel: () => void }) {
  return (
    <Group justify="flex-end" gap="sm" mt="xs">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      {children}
    </Group>
  );
}

function RevokeDialog({ member, opened, onClose }: MemberDialogProps) {
  const { orgId } = useConsole();
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => api<{ member: Member }>(orgPath(orgId, `/invitations/${member.id}/revoke`), { method: 'POST' }),
    onSuccess: async () => {
      await refreshOrganisation(queryClient, orgId);
      notifications.show({ color: 'motus', message: `The invitation to ${member.email} was revoked.` });
      onClose();
    },
  });
  return (
    <Dialog opened={opened} onClose={onClose} title={`Revoke the invitation to ${member.name}?`} size="md" onExitTransitionEnd={() => revoke.reset()}>
      <Stack gap="md">
        <Text size="sm">
          The link in their email stops working at once{member.roles.practitioner ? ', and the licence reserved for them becomes free' : ''}.
          You can invite them again later.
        </Text>
        <ProblemAlert>{revoke.isError ? errorMessage(revoke.error) : null}</ProblemAlert>
        <DialogButtons onCancel={onClose}>
          <Button color="red" loading={revoke.isPending} onClick={() => revoke.mutate()}>
            Revoke invitation
          </Button>
        </DialogButtons>
      </Stack>
    </Dialog>
  );
}

function RemoveAccessDialog({ member, opened, onClose, onTransfer }: MemberDialogProps & OffersTransfer) {
  return (
    <Dialog opened={opened} onClose={onClose} title={`Remove ${member.name}'s access?`} size="md">
      {opened ? <RemoveAccessForm member={member} onClose={onClose} onTransfer={onTransfer} /> : null}
    </Dialog>
  );
}

function RemoveAccessForm({ member, onClose, onTransfer }: { member: Member; onClose: () => void } & OffersTransfer) {
  const { orgId, me, organisation } = useConsole();
  const queryClient = useQueryClient();
  const name = firstName(member.name);
  const counts = useProgrammeCounts(orgId, member.id);
  const remove = useMutation({
    mutationFn: () => api<{ member: Member }>(orgPath(orgId, `/members/${member.id}/remove-access`), { method: 'POST' }),
    onSuccess: async () => {
      await refreshOrganisation(queryClient, orgId);
      const paused = counts.data?.activeProgrammes ?? 0;
      notifications.show({
        color: 'motus',
        title: `${member.name}'s access was removed`,
        message: [
          member.roles.practitioner ? 'Their licence is free for someone else.' : 'They can no longer use the organisation.',
          paused > 0 ? `${plural(paused, 'programme was', 'programmes were')} paused.` : '',
        ].join(' ').trim(),
      });
      onClose();
    },
  });
  return (
    <Stack gap="md">
      <List size="sm" spacing="xs">
        <List.Item>{name} can no longer use Motus in {organisation.name}, from their very next click.</List.Item>
        {member.roles.practitioner ? (
          <List.Item>
            This frees the licence at once: it stays in the pool for someone else
            {me.owner ? ', and you keep paying for it until you remove it under Licences & billing' : ''}.
          </List.Item>
        ) : null}
        <List.Item>{name} stays listed here with their roles, and you can grant access again later.</List.Item>
      </List>
      <ProgrammeImpact counts={counts}>
        {(data) => (
          <Stack gap={6} align="flex-start">
            <Text size="sm" fw={600} data-testid="paused-programmes">
              {data.activeProgrammes === 0
                ? 'No active programmes will be paused.'
                : `${plural(data.activeProgrammes, 'active programme', 'active programmes')} will be paused.`}
            </Text>
            {data.activeProgrammes > 0 ? (
              <Text size="sm" c="dimmed">
                Their patients see them read-only with a notice to contact the practice. Patients transferred to a colleague
                first keep their programmes running.
              </Text>
            ) : null}
            {data.patients > 0 ? (
              <Button size="xs" variant="default" leftSection={<IconTransfer size={14} aria-hidden="true" />} onClick={onTransfer}>
                Transfer patients first
              </Button>
            ) : null}
          </Stack>
        )}
      </ProgrammeImpact>
      <ProblemAlert>{remove.isError ? errorMessage(remove.error) : null}</ProblemAlert>
      <DialogButtons onCancel={onClose}>
        <Button color="red" loading={remove.isPending} disabled={counts.isPending} onClick={() => remove.mutate()}>
          Remove access
        </Button>
      </DialogButtons>
    </Stack>
  );
}

/** The member's programme counts in a dialog (R-PAT-2: counts only), or why they could not be read. */
function ProgrammeImpact({ counts, children }: { counts: ReturnType<typeof useProgrammeCounts>; children: (data: ProgrammeCounts) => ReactNode }) {
  if (counts.isPending) {
    return (
      <Text size="sm" c="dimmed" role="status">
        Counting their programmes…
      </Text>
    );
  }
  if (counts.isError) {
    return (
      <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} aria-hidden="true" />}>
        Their programmes could not be counted: {errorMessage(counts.error)}
      </Alert>
    );
  }
  return (
    <Paper withBorder p="sm" radius="md" bg="gray.0">
      {children(counts.data)}
    </Paper>
  );
}

function GrantAccessDialog({ member, opened, onClose }: MemberDialogProps) {
  return (
    <Dialog opened={opened} onClose={onClose} title={`Grant ${member.name} access again?`} size="md">
      {opened ? <GrantAccessForm member={member} onClose={onClose} /> : null}
    </Dialog>
  );
}

function GrantAccessForm({ member, onClose }: { member: Member; onClose: () => void }) {
  const { orgId, me, organisation } = useConsole();
  const queryClient = useQueryClient();
  const keeper = useMemo(() => idempotencyKeeper(), []);
  const needsLicence = member.roles.practitioner;
  const quote = useQuote(orgId, 1, false, needsLicence);
  const [priceChanged, setPriceChanged] = useState(false);
  const [problem, setProblem] = useState<ReactNode>(null);
  const current = needsLicence ? quote.data : undefined;
  const buying = (current?.quantity ?? 0) > 0;
  const blocked = buying && Boolean(current?.paymentMethodRequired);
  const counts = useProgrammeCounts(orgId, member.id);
  const paused = counts.data?.disabledByRemoval ?? 0;
  const [reactivate, setReactivate] = useState(true);

  const grant = useMutation({
    mutationFn: (body: { confirmedChargeMinor?: number; reactivateProgrammes: boolean }) =>
      api<{ member: Member } & Purchase>(orgPath(orgId, `/members/${member.id}/grant-access`), {
        method: 'POST',
        body,
        headers: { 'Idempotency-Key': keeper.keyFor(body) },
      }),
    onSuccess: async (answer, body) => {
      keeper.reset();
      await refreshOrganisation(queryClient, orgId);
      const reactivated = body.reactivateProgrammes && paused > 0 ? ` ${plural(paused, 'paused programme is', 'paused programmes are')} active again.` : '';
      notifications.show({
        color: 'motus',
        title: `${member.name} has access again`,
        message:
          (answer.licenceBought
            ? `One licence was bought for ${formatMoney(answer.chargeMinor, organisation.licences.currency)}. Their previous roles are back.`
            : 'Their previous roles are back.') + reactivated,
      });
      onClose();
    },
    onError: async (error) => {
      if (isApiError(error, 'charge_not_confirmed')) {
        const fresh = (error.details as { quote?: Quote } | undefined)?.quote;
        if (fresh) queryClient.setQueryData([...organisationKey(orgId), 'quote', 1, false], fresh);
        else await quote.refetch();
        setPriceChanged(true);
        setProblem(null);
      } else if (isApiError(error, 'payment_method_required')) {
        await quote.refetch();
        setProblem(<PaymentMethodMessage error={error} isOwner={me.owner} ownerName={organisation.owner.name} orgId={orgId} />);
      } else {
        setProblem(errorMessage(error));
      }
    },
  });

  const confirm = () => {
    setProblem(null);
    const reactivateProgrammes = paused > 0 && reactivate;
    grant.mutate(buying && current ? { confirmedChargeMinor: current.amountMinor, reactivateProgrammes } : { reactivateProgrammes });
  };

  return (
    <Stack gap="md">
      <Text size="sm">
        {firstName(member.name)} can use Motus in {organisation.name} again, with the roles they had before.
      </Text>
      <QuoteBox
        quote={current}
        loading={quote.isFetching}
        error={quote.error}
        onRetry={() => {
          setPriceChanged(false);
          void quote.refetch();
        }}
        doing={`Granting ${firstName(member.name)} access again`}
        billingMode={organisation.billingMode}
        orgId={orgId}
        isOwner={me.owner}
        ownerName={organisation.owner.name}
        noLicenceNeeded={needsLicence ? undefined : 'No licence is needed: they have no practitioner access.'}
        notice={
          priceChanged ? (
            <Text size="sm" fw={600} c="orange.9">
              The licences changed meanwhile. Check the price again before confirming.
            </Text>
          ) : null
        }
      />
      {paused > 0 ? (
        <Checkbox
          checked={reactivate}
          onChange={(event) => setReactivate(event.currentTarget.checked)}
          label={`Re-activate the ${plural(paused, 'programme', 'programmes')} paused when access was removed`}
          description="Their patients can follow them again at once, with the same codes. Left unticked, they stay paused."
        />
      ) : null}
      <ProblemAlert>{problem}</ProblemAlert>
      <DialogButtons onCancel={onClose}>
        <Button
          loading={grant.isPending}
          disabled={blocked || (needsLicence && !current) || counts.isPending}
          onClick={confirm}
          leftSection={buying ? <IconShoppingCart size={16} aria-hidden="true" /> : <IconUserCheck size={16} aria-hidden="true" />}
        >
          {buying ? 'Confirm and buy licence' : 'Grant access again'}
        </Button>
      </DialogButtons>
    </Stack>
  );
}

function RemoveMemberDialog({ member, opened, onClose, onTransfer }: MemberDialogProps & OffersTransfer) {
  return (
    <Dialog opened={opened} onClose={onClose} title={`Remove ${member.name} from the organisation?`} size="md">
      {opened ? <RemoveMemberForm member={member} onClose={onClose} onTransfer={onTransfer} /> : null}
    </Dialog>
  );
}

function RemoveMemberForm({ member, onClose, onTransfer }: { member: Member; onClose: () => void } & OffersTransfer) {
  const { orgId, me, organisation } = useConsole();
  const queryClient = useQueryClient();
  const keeper = useMemo(() => idempotencyKeeper(), []);
  const [removeLicence, setRemoveLicence] = useState(false);
  const name = firstName(member.name);
  // After the removal a licence is free when this member held one or one was free already.
  const licenceCanGo = me.owner && (member.licence === 'assigned' || organisation.licences.free > 0);
  const credit = useQuote(orgId, 1, true, licenceCanGo);

  const remove = useMutation({
    mutationFn: (body: { removeLicence: boolean }) =>
      api<{ member: Member; creditMinor: number }>(orgPath(orgId, `/members/${member.id}/remove`), {
        method: 'POST',
        body,
        headers: { 'Idempotency-Key': keeper.keyFor(body) },
      }),
    onSuccess: async (answer) => {
      keeper.reset();
      await refreshOrganisation(queryClient, orgId);
      notifications.show({
        color: 'motus',
        title: `${member.name} was removed from ${organisation.name}`,
        message:
          answer.creditMinor > 0
            ? `One licence was removed: ${formatMoney(answer.creditMinor, organisation.licences.currency)} is credited on the next invoice.`
            : 'Their account is kept. Any licence they held is free for someone else.',
      });
      onClose();
    },
  });

  return (
    <Stack gap="md">
      <List size="sm" spacing="xs">
        <List.Item>
          {name} leaves {organisation.name}: they no longer see what colleagues shared, and colleagues no longer see what
          they shared.
        </List.Item>
        <List.Item>Their Motus account is not deleted. They keep their own patients and can carry on with their own subscription.</List.Item>
        {member.licence === 'assigned' ? <List.Item>The licence they hold becomes free.</List.Item> : null}
      </List>
      {member.accountId !== null ? (
        <Paper withBorder p="sm" radius="md" bg="gray.0">
          <Stack gap={6} align="flex-start">
            <Text size="sm">Before they leave, you can hand any of their patients, custom exercises and templates to a colleague.</Text>
            <Button size="xs" variant="default" leftSection={<IconTransfer size={14} aria-hidden="true" />} onClick={onTransfer}>
              Transfer patients and content first
            </Button>
          </Stack>
        </Paper>
      ) : null}
      {licenceCanGo ? (
        <Checkbox
          checked={removeLicence}
          onChange={(event) => setRemoveLicence(event.currentTarget.checked)}
          label="Also remove the licence (stop paying for it)"
          description={
            credit.data
              ? `One licence leaves the pool: ${describeCredit(credit.data)}.`
              : 'One licence leaves the pool, with a prorated credit for the rest of the month.'
          }
        />
      ) : null}
      <ProblemAlert>{remove.isError ? errorMessage(remove.error) : null}</ProblemAlert>
      <DialogButtons onCancel={onClose}>
        <Button color="red" loading={remove.isPending} onClick={() => remove.mutate({ removeLicence: licenceCanGo && removeLicence })}>
          Remove from organisation
        </Button>
      </DialogButtons>
    </Stack>
  );
}

function MakeOwnerDialog({ member, opened, onClose }: MemberDialogProps) {
  const { orgId, organisation } = useConsole();
  const name = firstName(member.name);
  const offer = useMutation({
    mutationFn: () => api<{ transferId: string }>(orgPath(orgId, '/ownership-transfers'), { method: 'POST', body: { membershipId: member.id } }),
    onSuccess: () => {
      notifications.show({
        color: 'motus',
        title: 'Ownership offered',
        message: `${member.name} becomes the owner once they accept. They see the offer in Motus and got an email.`,
      });
      onClose();
    },
  });
  return (
    <Dialog opened={opened} onClose={onClose} title={`Make ${member.name} the owner?`} size="md" onExitTransitionEnd={() => offer.reset()}>
      <Stack gap="md">
        <List size="sm" spacing="xs">
          <List.Item>{name} is asked to accept; nothing changes until they do.</List.Item>
          <List.Item>
            Once they accept, {name} manages payments and billing of {organisation.name}. You stay a member and an admin
            with every section, and they can change that.
          </List.Item>
          <List.Item>An earlier offer that is still open is withdrawn.</List.Item>
        </List>
        <ProblemAlert>{offer.isError ? errorMessage(offer.error) : null}</ProblemAlert>
        <DialogButtons onCancel={onClose}>
          <Button color="indigo" loading={offer.isPending} onClick={() => offer.mutate()} leftSection={<IconCrown size={16} aria-hidden="true" />}>
            Send ownership offer
          </Button>
        </DialogButtons>
      </Stack>
    </Dialog>
  );
}

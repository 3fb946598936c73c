import { Button, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCrown, IconDoorExit, IconMailForward, IconMailOff, IconTransfer, IconUserCheck, IconUserOff } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { membershipContracts, type MemberView } from '../../../src/memberships/schemas.ts';
import { call, errorMessage } from '../app/api.ts';
import { formatDateTime } from '../app/format.ts';
import { useConsole } from '../console/ConsoleLayout.tsx';
import { GrantAccessDialog } from './GrantAccessDialog.tsx';
import { MakeOwnerDialog } from './MakeOwnerDialog.tsx';
import { firstName, memberActions } from './members.ts';
import { refreshOrganisation } from '../organisations/queries.ts';
import { RemoveAccessDialog } from './RemoveAccessDialog.tsx';
import { RemoveMemberDialog } from './RemoveMemberDialog.tsx';
import { RevokeInvitationDialog } from './RevokeInvitationDialog.tsx';
import { TransferDialog } from '../transfers/TransferDialog.tsx';

type DialogName = 'remove-access' | 'grant-access' | 'remove' | 'revoke' | 'make-owner' | 'transfer' | null;

/** The actions a member's state allows (R-PRA-2, -3, -5, -6; R-ORG-2). */
export function MemberActionsCard({ member }: { member: MemberView }) {
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
    mutationFn: () => call(membershipContracts.resend, { params: { orgId, memberId: member.id } }),
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

      <RevokeInvitationDialog member={member} opened={open === 'revoke'} onClose={() => setOpen(null)} />
      <RemoveAccessDialog member={member} opened={open === 'remove-access'} onClose={() => setOpen(null)} onTransfer={() => openTransfer('remove-access')} />
      <GrantAccessDialog member={member} opened={open === 'grant-access'} onClose={() => setOpen(null)} />
      <RemoveMemberDialog member={member} opened={open === 'remove'} onClose={() => setOpen(null)} onTransfer={() => openTransfer('remove')} />
      <TransferDialog member={member} opened={open === 'transfer'} onClose={() => setOpen(transferFrom)} />
      <MakeOwnerDialog member={member} opened={open === 'make-owner'} onClose={() => setOpen(null)} />
    </Paper>
  );
}

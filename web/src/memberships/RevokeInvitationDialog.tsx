import { Button, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { membershipContracts } from '../../../src/memberships/schemas.ts';
import { call, errorMessage } from '../app/api.ts';
import { Dialog } from '../app/Dialog.tsx';
import { useConsole } from '../console/ConsoleLayout.tsx';
import { DialogButtons, ProblemAlert, type MemberDialogProps } from './MemberDialogParts.tsx';
import { refreshOrganisation } from '../organisations/queries.ts';

/** R-PRA-2: revoking an open invitation; its link stops working and its reserved licence is freed. */
export function RevokeInvitationDialog({ member, opened, onClose }: MemberDialogProps) {
  const { orgId } = useConsole();
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => call(membershipContracts.revoke, { params: { orgId, memberId: member.id } }),
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

import { Button, List, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconTransfer } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { membershipContracts, type MemberView } from '../../../src/memberships/schemas.ts';
import { call, errorMessage } from '../app/api.ts';
import { Dialog } from '../app/Dialog.tsx';
import { plural } from '../app/format.ts';
import { useConsole } from '../console/ConsoleLayout.tsx';
import { DialogButtons, ProblemAlert, ProgrammeImpact, type MemberDialogProps, type OffersTransfer } from './MemberDialogParts.tsx';
import { firstName } from './members.ts';
import { refreshOrganisation } from '../organisations/queries.ts';
import { useProgrammeCounts } from '../programmes/queries.ts';

/** R-PRA-3: removing a member's access frees their licence at once and pauses their programmes. */
export function RemoveAccessDialog({ member, opened, onClose, onTransfer }: MemberDialogProps & OffersTransfer) {
  return (
    <Dialog opened={opened} onClose={onClose} title={`Remove ${member.name}'s access?`} size="md">
      {opened ? <RemoveAccessForm member={member} onClose={onClose} onTransfer={onTransfer} /> : null}
    </Dialog>
  );
}

function RemoveAccessForm({ member, onClose, onTransfer }: { member: MemberView; onClose: () => void } & OffersTransfer) {
  const { orgId, me, organisation } = useConsole();
  const queryClient = useQueryClient();
  const name = firstName(member.name);
  const counts = useProgrammeCounts(orgId, member.id);
  const remove = useMutation({
    mutationFn: () => call(membershipContracts.removeAccess, { params: { orgId, memberId: member.id } }),
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

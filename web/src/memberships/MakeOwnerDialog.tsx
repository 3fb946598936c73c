import { Button, List, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCrown } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { organisationContracts } from '../../../src/organisations/schemas.ts';
import { call, errorMessage } from '../app/api.ts';
import { Dialog } from '../app/Dialog.tsx';
import { useConsole } from '../console/ConsoleLayout.tsx';
import { DialogButtons, ProblemAlert, type MemberDialogProps } from './MemberDialogParts.tsx';
import { firstName } from './members.ts';

/** R-ORG-2: the owner offers ownership to an active member, who becomes owner once they accept. */
export function MakeOwnerDialog({ member, opened, onClose }: MemberDialogProps) {
  const { orgId, organisation } = useConsole();
  const name = firstName(member.name);
  const offer = useMutation({
    mutationFn: () => call(organisationContracts.offerOwnership, { params: { orgId }, body: { membershipId: member.id } }),
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

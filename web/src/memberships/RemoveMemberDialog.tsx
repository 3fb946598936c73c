import { Button, Checkbox, List, Paper, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconTransfer } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { membershipContracts, type MemberView } from '../../../src/memberships/schemas.ts';
import { call, errorMessage } from '../app/api.ts';
import { Dialog } from '../app/Dialog.tsx';
import { useConsole, usePoolCounts } from '../console/ConsoleLayout.tsx';
import { idempotencyKeeper } from '../app/idempotency.ts';
import { DialogButtons, ProblemAlert, type MemberDialogProps, type OffersTransfer } from './MemberDialogParts.tsx';
import { firstName } from './members.ts';
import { describeCredit, formatMoney } from '../billing/money.ts';
import { refreshOrganisation } from '../organisations/queries.ts';
import { useQuote } from '../licences/queries.ts';

/** R-PRA-6: removing a member from the organisation keeps their account; the owner may remove the licence with them. */
export function RemoveMemberDialog({ member, opened, onClose, onTransfer }: MemberDialogProps & OffersTransfer) {
  return (
    <Dialog opened={opened} onClose={onClose} title={`Remove ${member.name} from the organisation?`} size="md">
      {opened ? <RemoveMemberForm member={member} onClose={onClose} onTransfer={onTransfer} /> : null}
    </Dialog>
  );
}

function RemoveMemberForm({ member, onClose, onTransfer }: { member: MemberView; onClose: () => void } & OffersTransfer) {
  const { orgId, me, organisation } = useConsole();
  const pool = usePoolCounts();
  const queryClient = useQueryClient();
  const keeper = useMemo(() => idempotencyKeeper(), []);
  const [removeLicence, setRemoveLicence] = useState(false);
  const name = firstName(member.name);
  // After the removal a licence is free when this member held one or one was free already.
  const licenceCanGo = me.owner && (member.licence === 'assigned' || pool.free > 0);
  const credit = useQuote(orgId, 1, true, licenceCanGo);

  const remove = useMutation({
    mutationFn: (body: { removeLicence: boolean }) =>
      call(membershipContracts.remove, { params: { orgId, memberId: member.id }, body }, { headers: { 'Idempotency-Key': keeper.keyFor(body) } }),
    onSuccess: async (answer) => {
      keeper.reset();
      await refreshOrganisation(queryClient, orgId);
      notifications.show({
        color: 'motus',
        title: `${member.name} was removed from ${organisation.name}`,
        message:
          answer.creditMinor > 0
            ? `One licence was removed: ${formatMoney(answer.creditMinor, pool.currency)} is credited on the next invoice.`
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

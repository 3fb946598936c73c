import { Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconSend, IconUserMinus, IconUserPlus, IconUsers } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { MemberView } from '../../../src/memberships/schemas.ts';
import { subscriptionContracts, type SubscriptionView } from '../../../src/subscriptions/schemas.ts';
import { call, errorMessage } from '../app/api.ts';
import { ConfirmDialog } from '../app/ConfirmDialog.tsx';
import { EmptyState, ErrorBlock, LoadingBlock } from '../app/ui.tsx';
import { StatusBadge } from '../memberships/StatusBadge.tsx';
import { AddColleagueDialog } from './AddColleagueDialog.tsx';
import { useColleagues, useRefreshSubscription } from './queries.ts';

/** Colleagues whose licence the subscription pays for (R-SUB-2): open invitations and active colleagues. */
export function ColleaguesCard({ subscription }: { subscription: SubscriptionView }) {
  const colleagues = useColleagues();
  const isNarrow = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false }) ?? false;
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<MemberView | null>(null);
  const ended = subscription.state === 'ended';
  const list = (colleagues.data ?? []).filter((m) => m.status === 'unconfirmed' || m.status === 'active' || m.status === 'access_removed');

  return (
    <Paper withBorder p={0} component="section" aria-labelledby="colleagues-heading" style={{ overflow: 'hidden' }}>
      <Group justify="space-between" align="flex-start" gap="sm" p={{ base: 'md', sm: 'lg' }} pb="sm">
        <Stack gap={2} style={{ flex: '1 1 320px' }}>
          <Title order={2} size="h4" id="colleagues-heading">
            Colleagues
          </Title>
          <Text size="sm" c="dimmed">
            {ended
              ? 'Restart your subscription to add colleagues again.'
              : 'Colleagues keep their own accounts; their licences are on your bill. Only you can change them.'}
          </Text>
        </Stack>
        <Button onClick={() => setAdding(true)} disabled={ended} leftSection={<IconUserPlus size={16} aria-hidden="true" />}>
          Add colleague
        </Button>
      </Group>
      {colleagues.isPending ? (
        <LoadingBlock label="Loading your colleagues" />
      ) : colleagues.isError ? (
        <ErrorBlock m="md" error={colleagues.error} onRetry={() => void colleagues.refetch()} />
      ) : list.length === 0 ? (
        <EmptyState icon={IconUsers} title="No colleagues yet">
          Add a colleague by email: each one adds a licence to your monthly bill.
        </EmptyState>
      ) : isNarrow ? (
        <Stack gap={0} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Colleagues" data-testid="colleague-list">
          {list.map((member) => (
            <Stack component="li" key={member.id} gap={6} p="md" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }} data-testid="colleague-row">
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Stack gap={0} style={{ minWidth: 0 }}>
                  <Text fw={600} size="sm">
                    {member.name}
                  </Text>
                  <Text size="sm" c="dimmed" className="break-anywhere">
                    {member.email}
                  </Text>
                </Stack>
                <StatusBadge status={member.status} />
              </Group>
              <ColleagueActions member={member} onRemove={() => setRemoving(member)} />
            </Stack>
          ))}
        </Stack>
      ) : (
        <Table.ScrollContainer minWidth={600}>
          <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="colleague-table">
            <Table.Caption className="visually-hidden">Colleagues on your subscription</Table.Caption>
            <Table.Thead bg="gray.0">
              <Table.Tr>
                <Table.Th scope="col">Name</Table.Th>
                <Table.Th scope="col">Email</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">
                  <span className="visually-hidden">Actions</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((member) => (
                <Table.Tr key={member.id} data-testid="colleague-row">
                  <Table.Td>
                    <Text fw={600} size="sm">
                      {member.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" className="break-anywhere">
                      {member.email}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={member.status} />
                  </Table.Td>
                  <Table.Td>
                    <ColleagueActions member={member} onRemove={() => setRemoving(member)} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <AddColleagueDialog opened={adding} onClose={() => setAdding(false)} subscription={subscription} />
      <RemoveColleagueDialog member={removing} onClose={() => setRemoving(null)} />
    </Paper>
  );
}

function ColleagueActions({ member, onRemove }: { member: MemberView; onRemove: () => void }) {
  const refresh = useRefreshSubscription();
  const resend = useMutation({
    mutationFn: () => call(subscriptionContracts.resendInvitation, { params: { memberId: member.id } }),
    onSuccess: async () => {
      await refresh();
      notifications.show({ color: 'motus', message: `The invitation was sent to ${member.email} again.` });
    },
    onError: (error) => notifications.show({ color: 'red', title: 'The invitation was not re-sent', message: errorMessage(error) }),
  });
  return (
    <Group gap="xs" justify="flex-end" wrap="nowrap">
      {member.status === 'unconfirmed' ? (
        <Button size="xs" variant="default" loading={resend.isPending} onClick={() => resend.mutate()} leftSection={<IconSend size={14} aria-hidden="true" />} aria-label={`Re-send invitation to ${member.name}`}>
          Re-send invitation
        </Button>
      ) : null}
      <Button size="xs" variant="subtle" color="red" onClick={onRemove} leftSection={<IconUserMinus size={14} aria-hidden="true" />} aria-label={`Remove ${member.name}`}>
        Remove
      </Button>
    </Group>
  );
}

/** R-SUB-2: removing a colleague (or revoking their invitation) frees the licence but keeps the count. */
function RemoveColleagueDialog({ member, onClose }: { member: MemberView | null; onClose: () => void }) {
  const refresh = useRefreshSubscription();
  return (
    <ConfirmDialog
      opened={member !== null}
      onClose={onClose}
      title={member ? `Remove ${member.name}?` : 'Remove colleague'}
      confirmLabel="Remove colleague"
      onConfirm={async () => {
        if (!member) return;
        await call(subscriptionContracts.removeColleague, { params: { memberId: member.id } });
        await refresh();
        notifications.show({ color: 'motus', message: `${member.name} was removed. The licence stays on your subscription, free for someone else.` });
      }}
    >
      {member ? (
        <>
          <Text size="sm">
            {member.status === 'unconfirmed'
              ? `The invitation to ${member.email} is revoked.`
              : `${member.name} can no longer use Motus through your subscription. Their account stays theirs.`}
          </Text>
          <Text size="sm">
            Their licence stays on your subscription, and on your bill, free for another colleague. To stop paying for it,
            remove free licences afterwards.
          </Text>
        </>
      ) : null}
    </ConfirmDialog>
  );
}

import { Anchor, Badge, Button, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconShieldCheck, IconUsers } from '@tabler/icons-react';
import { Link } from 'react-router';
import { PageHeader, EmptyState, ErrorBlock, LoadingBlock } from '../app/ui.tsx';
import { useConsole } from '../console/ConsoleLayout.tsx';
import { adminSummary } from './members.ts';
import { useMembers } from './queries.ts';
import type { MemberView } from '../../../src/memberships/schemas.ts';
import { StatusBadge } from './StatusBadge.tsx';

const LIMIT = 200;

/** Who helps run the console, with which sections (R-ORG-3). Rights are changed on each user's page. */
export function AdminsPage() {
  const { orgId, organisation } = useConsole();
  const members = useMembers(orgId, { search: '', status: '', limit: LIMIT, offset: 0 });
  const isNarrow = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false }) ?? false;
  const admins = (members.data?.members ?? [])
    .filter((m) => m.roles.admin || m.roles.owner)
    .sort((a, b) => Number(b.roles.owner) - Number(a.roles.owner) || a.name.localeCompare(b.name));

  return (
    <>
      <PageHeader
        title="Admins"
        description={`The owner and the assistant admins of ${organisation.name}, with the console sections each holds.`}
        actions={
          <Button component={Link} to={`/console/${orgId}/users`} variant="default" leftSection={<IconUsers size={16} aria-hidden="true" />}>
            All users
          </Button>
        }
      />
      <Paper withBorder p={0} style={{ overflow: 'hidden' }}>
        {members.isPending ? (
          <LoadingBlock label="Loading admins" />
        ) : members.isError ? (
          <ErrorBlock m="md" error={members.error} onRetry={() => void members.refetch()} />
        ) : admins.length === 0 ? (
          <EmptyState icon={IconShieldCheck} title="No admins yet" />
        ) : isNarrow ? (
          <Stack gap={0} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Admins" data-testid="admins-list">
            {admins.map((member, index) => (
              <Stack component="li" key={member.id} gap={4} p="md" data-testid="admin-row" style={index === 0 ? undefined : { borderTop: '1px solid var(--mantine-color-gray-2)' }}>
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <Stack gap={0} style={{ minWidth: 0 }}>
                    <Anchor component={Link} to={`/console/${orgId}/users/${member.id}`} className="member-link">
                      {member.name}
                    </Anchor>
                    <Text size="sm" c="dimmed" className="break-anywhere">
                      {member.email}
                    </Text>
                  </Stack>
                  <RoleBadge member={member} />
                </Group>
                <Text size="sm">{adminSummary(member.roles)}</Text>
                {member.status !== 'active' ? <StatusBadge status={member.status} testId="admin-status" /> : null}
              </Stack>
            ))}
          </Stack>
        ) : (
          <Table.ScrollContainer minWidth={680}>
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover data-testid="admins-table">
              <Table.Caption className="visually-hidden">Admins of the organisation</Table.Caption>
              <Table.Thead bg="gray.0">
                <Table.Tr>
                  <Table.Th scope="col">Name</Table.Th>
                  <Table.Th scope="col">Role</Table.Th>
                  <Table.Th scope="col">Sections</Table.Th>
                  <Table.Th scope="col">Status</Table.Th>
                  <Table.Th scope="col">
                    <span className="visually-hidden">Change</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {admins.map((member) => (
                  <Table.Tr key={member.id} data-testid="admin-row">
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {member.name}
                      </Text>
                      <Text size="xs" c="dimmed" className="break-anywhere">
                        {member.email}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <RoleBadge member={member} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{adminSummary(member.roles)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge status={member.status} testId="admin-status" />
                    </Table.Td>
                    <Table.Td ta="right">
                      <Anchor component={Link} to={`/console/${orgId}/users/${member.id}`} size="sm" aria-label={`Change ${member.name}'s rights`}>
                        {member.roles.owner ? 'View' : 'Change'}
                      </Anchor>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      <Text size="sm" c="dimmed" mt="md">
        To make someone an admin, open them under Users and turn on Console admin. Admins can only give the sections they
        hold themselves; Payments &amp; billing stay with the owner.
      </Text>
    </>
  );
}

function RoleBadge({ member }: { member: MemberView }) {
  return member.roles.owner ? (
    <Badge color="indigo" variant="light">
      Owner
    </Badge>
  ) : (
    <Badge color="grape" variant="light">
      Admin
    </Badge>
  );
}

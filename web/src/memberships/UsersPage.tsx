import {
  Anchor,
  Badge,
  Button,
  Group,
  List,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconSearch, IconUserPlus, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useListParams } from '../app/listParams.ts';
import { Pager } from '../app/Pager.tsx';
import { PageHeader, EmptyState, ErrorBlock, LoadingBlock } from '../app/ui.tsx';
import { AddUserDialog } from './AddUserDialog.tsx';
import type { MemberStatusFilter, MemberView } from '../../../src/memberships/schemas.ts';
import type { ConsoleOrganisationView } from '../../../src/organisations/schemas.ts';
import { useConsole, usePoolCounts } from '../console/ConsoleLayout.tsx';
import { OrganisationEngagementCard } from '../engagement/practitioner/OrganisationEngagementCard.tsx';
import { adminSummary, licenceDescription, licenceLabel, roleNames } from './members.ts';
import { OwnerPractitionerSuggestion } from './PractitionerAccessCard.tsx';
import { useMembers } from './queries.ts';
import { StatusBadge } from './StatusBadge.tsx';

export const PAGE_SIZE = 20;

const STATUS_FILTERS: { value: MemberStatusFilter; label: string }[] = [
  { value: 'current', label: 'Current users' },
  { value: 'active', label: 'Active' },
  { value: 'unconfirmed', label: 'Unconfirmed' },
  { value: 'access_removed', label: 'Access removed' },
  { value: 'removed', label: 'Removed' },
  { value: 'expired', label: 'Expired invitations' },
  { value: 'declined', label: 'Declined invitations' },
  { value: 'revoked', label: 'Revoked invitations' },
];

/** The Users page (R-ORG-5): every member with status, licence and roles; search, filter and pages. */
export function UsersPage() {
  const { orgId, organisation, me } = useConsole();
  const { params, search, page, typed, setTyped, update } = useListParams();
  const status = STATUS_FILTERS.find((f) => f.value === params.get('status'))?.value ?? 'current';
  const pool = usePoolCounts();
  const [adding, setAdding] = useState(false);
  const isNarrow = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false }) ?? false;

  const members = useMembers(orgId, { search, status: status === 'current' ? '' : status, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const total = members.data?.total ?? 0;
  const rows = members.data?.members ?? [];
  const filtered = search !== '' || status !== 'current';

  return (
    <>
      <PageHeader
        title="Users"
        description={`Everyone in ${organisation.name}, with their status, licence and roles.`}
        actions={
          <Button leftSection={<IconUserPlus size={18} aria-hidden="true" />} onClick={() => setAdding(true)}>
            Add user
          </Button>
        }
      />
      <OwnerPractitionerSuggestion />
      <Stack gap="md">
        <LicenceSummary organisation={organisation} owner={me.owner} />
        <Paper withBorder p={0} style={{ overflow: 'hidden' }}>
          <Group p="md" gap="sm" align="flex-end" style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
            <TextInput
              label="Search users"
              placeholder="Name or email"
              leftSection={<IconSearch size={16} aria-hidden="true" />}
              value={typed}
              onChange={(event) => setTyped(event.currentTarget.value)}
              type="search"
              style={{ flex: '1 1 240px' }}
            />
            <NativeSelect
              label="Show"
              data={STATUS_FILTERS}
              value={status}
              onChange={(event) => update({ status: event.currentTarget.value === 'current' ? null : event.currentTarget.value, page: null })}
              style={{ flex: '1 1 180px', maxWidth: 260 }}
            />
          </Group>
          {members.isPending ? (
            <LoadingBlock label="Loading users" />
          ) : members.isError ? (
            <ErrorBlock m="md" error={members.error} onRetry={() => void members.refetch()} />
          ) : rows.length === 0 ? (
            filtered ? (
              <EmptyState icon={IconSearch} title="No users match">
                Try another name or email, or show all current users.
              </EmptyState>
            ) : (
              <EmptyState icon={IconUsers} title="No users yet">
                Add your colleagues with <strong>Add user</strong>. Each gets an email with a link to join.
              </EmptyState>
            )
          ) : isNarrow ? (
            <MemberCards orgId={orgId} members={rows} />
          ) : (
            <MemberTable orgId={orgId} members={rows} />
          )}
          <Pager
            total={total}
            page={page}
            pageSize={PAGE_SIZE}
            noun={['user', 'users']}
            onChange={(value) => update({ page: value === 1 ? null : String(value) })}
            countTestId="members-count"
          />
        </Paper>
        {pool.purchased === 0 && me.owner && total <= 1 && !filtered ? <GettingStarted organisation={organisation} /> : null}
        <OrganisationEngagementCard orgId={orgId} />
      </Stack>
      <AddUserDialog opened={adding} onClose={() => setAdding(false)} organisation={organisation} me={me} />
    </>
  );
}

function LicenceSummary({ organisation, owner }: { organisation: ConsoleOrganisationView; owner: boolean }) {
  const l = usePoolCounts();
  return (
    <Group gap="xs" wrap="wrap" aria-label="Licences" role="group">
      <Badge variant="light" color="gray" size="lg" radius="sm" tt="none" fw={500}>
        {l.purchased} {l.purchased === 1 ? 'licence' : 'licences'}
      </Badge>
      <Badge variant="light" color="green" size="lg" radius="sm" tt="none" fw={500}>
        {l.assigned} assigned
      </Badge>
      <Badge variant="light" color="yellow" size="lg" radius="sm" tt="none" fw={500}>
        {l.reserved} reserved
      </Badge>
      <Badge variant="light" color={l.free > 0 ? 'motus' : 'orange'} size="lg" radius="sm" tt="none" fw={500}>
        {l.free} free
      </Badge>
      {owner ? (
        <Anchor component={Link} to={`/console/${organisation.id}/billing`} size="sm" ml={4}>
          Licences &amp; billing
        </Anchor>
      ) : null}
    </Group>
  );
}

function Roles({ member }: { member: MemberView }) {
  const names = roleNames(member.roles);
  const admin = member.roles.admin && !member.roles.owner ? adminSummary(member.roles) : null;
  if (names.length === 0) return <Text size="sm" c="dimmed">—</Text>;
  return (
    <Stack gap={2}>
      <Group gap={4}>
        {names.map((name) => (
          <Badge key={name} variant="outline" color={name === 'Owner' ? 'indigo' : name === 'Admin' ? 'grape' : 'gray'} size="sm">
            {name}
          </Badge>
        ))}
      </Group>
      {admin ? (
        <Text size="xs" c="dimmed">
          {admin}
        </Text>
      ) : null}
    </Stack>
  );
}

function MemberTable({ orgId, members }: { orgId: string; members: MemberView[] }) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover data-testid="members-table">
        <Table.Caption className="visually-hidden">Users of the organisation</Table.Caption>
        <Table.Thead bg="gray.0">
          <Table.Tr>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">Email</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Licence</Table.Th>
            <Table.Th scope="col">Roles</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {members.map((member) => (
            <Table.Tr key={member.id} data-testid="member-row">
              <Table.Td>
                <Anchor component={Link} to={`/console/${orgId}/users/${member.id}`} className="member-link" size="sm">
                  {member.name}
                </Anchor>
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
                <Text size="sm" title={licenceDescription(member.licence)} data-testid="member-licence">
                  {licenceLabel(member.licence)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Roles member={member} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function MemberCards({ orgId, members }: { orgId: string; members: MemberView[] }) {
  return (
    <Stack gap={0} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Users" data-testid="members-list">
      {members.map((member, index) => (
        <Stack
          component="li"
          key={member.id}
          gap={6}
          p="md"
          data-testid="member-row"
          style={index === 0 ? undefined : { borderTop: '1px solid var(--mantine-color-gray-2)' }}
        >
          <Group justify="space-between" wrap="nowrap" align="flex-start" gap="sm">
            <Stack gap={0} style={{ minWidth: 0 }}>
              <Anchor component={Link} to={`/console/${orgId}/users/${member.id}`} className="member-link">
                {member.name}
              </Anchor>
              <Text size="sm" c="dimmed" className="break-anywhere">
                {member.email}
              </Text>
            </Stack>
            <StatusBadge status={member.status} />
          </Group>
          <Group gap="md" align="flex-start">
            <Text size="sm">
              <Text span c="dimmed" size="sm">
                Licence:{' '}
              </Text>
              <span data-testid="member-licence">{licenceLabel(member.licence)}</span>
            </Text>
            <Roles member={member} />
          </Group>
        </Stack>
      ))}
    </Stack>
  );
}

function GettingStarted({ organisation }: { organisation: ConsoleOrganisationView }) {
  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="getting-started-heading">
      <Title order={2} size="h4" id="getting-started-heading" mb="xs">
        Get {organisation.name} ready
      </Title>
      <List type="ordered" spacing="xs" size="sm">
        {organisation.billingMode === 'card' ? (
          <List.Item>
            Add a card under{' '}
            <Anchor component={Link} to={`/console/${organisation.id}/billing#payment-methods`} inherit fw={600}>
              Licences &amp; billing
            </Anchor>
            . Licences are bought with it.
          </List.Item>
        ) : null}
        <List.Item>
          Add your colleagues with <strong>Add user</strong>. When no licence is free, one is bought for each practitioner,
          and you see the exact price before confirming.
        </List.Item>
        <List.Item>
          Set the{' '}
          <Anchor component={Link} to={`/console/${organisation.id}/defaults`} inherit fw={600}>
            practice defaults
          </Anchor>{' '}
          every practitioner starts with.
        </List.Item>
      </List>
    </Paper>
  );
}

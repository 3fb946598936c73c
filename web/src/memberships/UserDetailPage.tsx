import { Anchor, Badge, Grid, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconUserQuestion } from '@tabler/icons-react';
import { useEffect } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { isApiError } from '../app/api.ts';
import { formatDate, formatDateTime } from '../app/format.ts';
import { PageHeader, usePageTitle, ErrorBlock, Facts, LoadingBlock } from '../app/ui.tsx';
import { AccessLogCard } from './AccessLogCard.tsx';
import { useConsole } from '../console/ConsoleLayout.tsx';
import { MemberActionsCard } from './MemberActions.tsx';
import { PractitionerAccessCard } from './PractitionerAccessCard.tsx';
import { licenceDescription, licenceLabel, roleNames } from './members.ts';
import { useMember } from './queries.ts';
import { RolesCard } from './RolesCard.tsx';
import type { AccessLogItemView, MemberView } from '../../../src/memberships/schemas.ts';
import { StatusBadge } from './StatusBadge.tsx';

/** One user of the organisation: status, licence, roles, the actions their state allows, and their access log (R-ORG-5). */
export function UserDetailPage() {
  const { memberId = '' } = useParams();
  const { orgId } = useConsole();
  const detail = useMember(orgId, memberId);

  return (
    <Stack gap="md">
      <Anchor component={Link} to={`/console/${orgId}/users`} size="sm" w="fit-content">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} aria-hidden="true" />
          All users
        </Group>
      </Anchor>
      {detail.isPending ? (
        <LoadingBlock label="Loading the user" />
      ) : detail.isError ? (
        isApiError(detail.error, 'not_found') || isApiError(detail.error, 'validation_failed') ? (
          <MemberNotFound />
        ) : (
          <ErrorBlock error={detail.error} onRetry={() => void detail.refetch()} />
        )
      ) : (
        <MemberDetail member={detail.data.member} accessLog={detail.data.accessLog} />
      )}
    </Stack>
  );
}

function MemberNotFound() {
  usePageTitle('User not found');
  return (
    <Paper withBorder p="xl">
      <Stack gap="xs" align="flex-start">
        <IconUserQuestion size={28} aria-hidden="true" color="var(--mantine-color-gray-6)" />
        <Title order={1} size="h3">
          User not found
        </Title>
        <Text c="dimmed">This user is not part of the organisation. Check the link, or find them in the list of users.</Text>
      </Stack>
    </Paper>
  );
}

function MemberDetail({ member, accessLog }: { member: MemberView; accessLog: AccessLogItemView[] }) {
  const roles = roleNames(member.roles);
  const { hash } = useLocation();

  // Links such as "Set up my practitioner access" point at a section of this page.
  useEffect(() => {
    if (!hash) return;
    const target = document.getElementById(hash.slice(1));
    if (target) {
      target.scrollIntoView({ block: 'start' });
      target.focus({ preventScroll: true });
    }
  }, [hash]);
  return (
    <>
      <PageHeader
        title={member.name}
        description={<span className="break-anywhere">{member.email}</span>}
        actions={
          <Group gap="xs">
            {roles.map((name) => (
              <Badge key={name} variant="outline" color={name === 'Owner' ? 'indigo' : name === 'Admin' ? 'grape' : 'gray'}>
                {name}
              </Badge>
            ))}
          </Group>
        }
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="lg">
            <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="member-status-heading">
              <Title order={2} size="h4" id="member-status-heading" mb="md">
                Status and licence
              </Title>
              <Facts
                items={[
                  { term: 'Status', value: <StatusBadge status={member.status} /> },
                  { term: 'Licence', value: <span title={licenceDescription(member.licence)}>{licenceLabel(member.licence) === '—' ? 'None' : licenceLabel(member.licence)}</span>, testId: 'member-licence' },
                  { term: 'Practitioner access', value: member.roles.practitioner ? 'Yes' : 'No' },
                  { term: 'Invited', value: formatDate(member.invitedAt) },
                  ...(member.joinedAt ? [{ term: 'Joined', value: formatDate(member.joinedAt) }] : []),
                  ...(member.status === 'unconfirmed' && member.invitationExpiresAt
                    ? [{ term: 'Invitation open until', value: formatDateTime(member.invitationExpiresAt) }]
                    : []),
                  ...(member.accessRemovedAt ? [{ term: 'Access removed', value: formatDateTime(member.accessRemovedAt) }] : []),
                ]}
              />
            </Paper>
            <PractitionerAccessCard member={member} />
            <MemberActionsCard member={member} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <RolesCard member={member} />
        </Grid.Col>
      </Grid>
      <AccessLogCard items={accessLog} member={member} />
    </>
  );
}

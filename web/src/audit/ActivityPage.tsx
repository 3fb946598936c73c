import { Alert, Badge, Button, Center, Code, Group, Loader, Paper, Stack, Table, Text, ThemeIcon } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconAlertTriangle, IconHistory, IconRefresh } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { accountContracts } from '../../../src/accounts/schemas.ts';
import { call, errorMessage } from '../app/api.ts';
import { describeUserAgent, formatDateTime } from '../app/format.ts';
import { PageHeader } from '../app/ui.tsx';
import { actionLabel, outcomeLabel } from './actions.ts';

const ACTIVITY_LIMIT = 50;

export function ActivityPage() {
  const isNarrow = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false }) ?? false;
  const activity = useQuery({
    queryKey: ['account', 'activity', ACTIVITY_LIMIT],
    queryFn: () => call(accountContracts.activity, { query: { limit: ACTIVITY_LIMIT } }),
    staleTime: 0,
  });
  const items = activity.data?.items ?? [];

  return (
    <>
      <PageHeader
        title="Activity"
        description={`Sign-ins and changes made with your account, newest first (the last ${ACTIVITY_LIMIT}).`}
        actions={
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} aria-hidden="true" />}
            onClick={() => void activity.refetch()}
            loading={activity.isFetching && !activity.isPending}
          >
            Refresh
          </Button>
        }
      />
      <Paper withBorder p={0} style={{ overflow: 'hidden' }}>
        {activity.isPending ? (
          <Center py="xl" role="status">
            <Group gap="sm">
              <Loader size="sm" aria-hidden="true" />
              <Text c="dimmed">Loading activity…</Text>
            </Group>
          </Center>
        ) : activity.isError ? (
          <Alert m="md" color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden="true" />}>
            {errorMessage(activity.error)}
          </Alert>
        ) : items.length === 0 ? (
          <Center py={48} px="md">
            <Stack align="center" gap="xs">
              <ThemeIcon size={44} radius="xl" variant="light" aria-hidden="true">
                <IconHistory size={24} />
              </ThemeIcon>
              <Text fw={600}>No activity yet</Text>
              <Text size="sm" c="dimmed" ta="center">
                Sign-ins and changes to your account will be listed here.
              </Text>
            </Stack>
          </Center>
        ) : isNarrow ? (
          <Stack gap={0} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Activity" data-testid="activity-list">
            {items.map((item, index) => {
              const outcome = outcomeLabel(item.outcome);
              return (
                <Stack
                  component="li"
                  key={item.id}
                  gap={4}
                  p="md"
                  style={index === 0 ? undefined : { borderTop: '1px solid var(--mantine-color-gray-2)' }}
                >
                  <Group justify="space-between" wrap="nowrap" align="flex-start">
                    <Text fw={600}>{actionLabel(item.action, item.outcome)}</Text>
                    <Badge color={outcome.color} variant="light" style={{ flexShrink: 0 }}>
                      {outcome.label}
                    </Badge>
                  </Group>
                  <Text size="sm" c="dimmed">
                    {formatDateTime(item.at)}
                  </Text>
                  <Text size="sm" c="dimmed" className="break-anywhere">
                    {item.apiKeyPrefix ? `API key ${item.apiKeyPrefix}` : describeUserAgent(item.userAgent)} · {item.ip ?? 'Unknown IP'}
                  </Text>
                </Stack>
              );
            })}
          </Stack>
        ) : (
          <Table.ScrollContainer minWidth={680}>
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover data-testid="activity-table">
              <Table.Caption style={{ captionSide: 'top', textAlign: 'start' }} className="visually-hidden">
                Your account activity
              </Table.Caption>
              <Table.Thead bg="gray.0">
                <Table.Tr>
                  <Table.Th scope="col">When</Table.Th>
                  <Table.Th scope="col">Activity</Table.Th>
                  <Table.Th scope="col">Result</Table.Th>
                  <Table.Th scope="col">Browser</Table.Th>
                  <Table.Th scope="col">IP address</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((item) => {
                  const outcome = outcomeLabel(item.outcome);
                  return (
                    <Table.Tr key={item.id}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(item.at)}</Table.Td>
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          {actionLabel(item.action, item.outcome)}
                        </Text>
                        <Code fz={11} c="dimmed" bg="transparent" p={0}>
                          {item.action}
                        </Code>
                      </Table.Td>
                      <Table.Td>
                        <Badge color={outcome.color} variant="light">
                          {outcome.label}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" title={item.userAgent ?? undefined}>
                          {item.apiKeyPrefix ? `API key ${item.apiKeyPrefix}` : describeUserAgent(item.userAgent)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" ff="monospace" className="break-anywhere">
                          {item.ip ?? '—'}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
    </>
  );
}

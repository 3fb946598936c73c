import { Badge, Code, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconHistory } from '@tabler/icons-react';
import { outcomeLabel } from '../audit/actions.ts';
import { describeUserAgent, formatDateTime } from '../app/format.ts';
import { accessLogLabel, actorPhrase } from './members.ts';
import type { AccessLogItemView, MemberView } from '../../../src/memberships/schemas.ts';
import { EmptyState } from '../app/ui.tsx';

/** R-ORG-5: the member's sign-ins, sign-outs, replaced sessions and actions in this organisation. */
export function AccessLogCard({ items, member }: { items: AccessLogItemView[]; member: MemberView }) {
  const isNarrow = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false }) ?? false;
  return (
    <Paper withBorder p={0} component="section" aria-labelledby="access-log-heading" style={{ overflow: 'hidden' }}>
      <Stack gap={2} p={{ base: 'md', sm: 'lg' }} pb="sm">
        <Title order={2} size="h4" id="access-log-heading">
          Access log
        </Title>
        <Text size="sm" c="dimmed">
          Their sign-ins, sign-outs and replaced sessions, what they did in this organisation, and changes to their
          access, newest first, each with who acted. Browser and IP address are those of whoever acted.
        </Text>
      </Stack>
      {items.length === 0 ? (
        <EmptyState icon={IconHistory} title="Nothing recorded yet">
          Activity will be listed here.
        </EmptyState>
      ) : isNarrow ? (
        <Stack gap={0} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Access log" data-testid="access-log-list">
          {items.map((item) => {
            const outcome = outcomeLabel(item.outcome);
            return (
              <Stack component="li" key={item.id} gap={4} p="md" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <Stack gap={0} style={{ minWidth: 0 }}>
                    <Text fw={600} size="sm">
                      {accessLogLabel(item, member.id)}
                    </Text>
                    <Text size="sm" data-testid="access-log-actor">
                      {actorPhrase(item.actorName)}
                    </Text>
                  </Stack>
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
          <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover data-testid="access-log-table">
            <Table.Caption className="visually-hidden">Access log of {member.name}</Table.Caption>
            <Table.Thead bg="gray.0">
              <Table.Tr>
                <Table.Th scope="col">When</Table.Th>
                <Table.Th scope="col">Action</Table.Th>
                <Table.Th scope="col">Result</Table.Th>
                <Table.Th scope="col">IP address</Table.Th>
                <Table.Th scope="col">Browser</Table.Th>
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
                        {accessLogLabel(item, member.id)}{' '}
                        <Text span size="sm" fw={400} c="dimmed" data-testid="access-log-actor">
                          {actorPhrase(item.actorName)}
                        </Text>
                      </Text>
                      <Code fz={11} c="dimmed" bg="transparent" p={0}>
                        {item.action}
                      </Code>
                    </Table.Td>
                    <Table.Td style={{ minWidth: 112 }}>
                      <Badge color={outcome.color} variant="light">
                        {outcome.label}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace" className="break-anywhere">
                        {item.ip ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" title={item.userAgent ?? undefined}>
                        {item.apiKeyPrefix ? `API key ${item.apiKeyPrefix}` : describeUserAgent(item.userAgent)}
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
  );
}

import { Anchor, Badge, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconActivityHeartbeat, IconChevronRight, IconMessage2, IconMoodCheck, IconTrendingUp, IconZzz, type Icon } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { AttentionItemView } from '../../../../src/engagement/schemas.ts';
import { formatWhen } from '../../app/format.ts';
import { ErrorBlock, LoadingBlock } from '../../app/ui.tsx';
import { useAttention } from '../queries.ts';
import { ATTENTION_LABELS, attentionInOrder, attentionLink } from './engagement.ts';

const ICONS: Record<AttentionItemView['kind'], Icon> = {
  pain_high: IconActivityHeartbeat,
  pain_rising: IconTrendingUp,
  inactive: IconZzz,
  message: IconMessage2,
};

/**
 * R-ENG-6: the home page's "Needs attention": pain alerts, patients who stopped recording and
 * unread messages of the practitioner's patients, each a link to the patient. Kept fresh every
 * minute and when the person comes back to the tab.
 */
export function AttentionList() {
  const attention = useAttention(true);
  const items = attention.data ? attentionInOrder(attention.data) : [];
  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="attention-heading" data-testid="attention-list">
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Title order={2} size="h4" id="attention-heading">
          Needs attention
        </Title>
        {attention.data && items.length > 0 ? (
          <Badge variant="light" color="red" data-testid="attention-count">
            {items.length}
          </Badge>
        ) : null}
      </Group>
      {attention.isPending ? (
        <LoadingBlock label="Checking your patients" />
      ) : attention.isError ? (
        <ErrorBlock error={attention.error} onRetry={() => void attention.refetch()} />
      ) : items.length === 0 ? (
        <Group gap="sm" wrap="nowrap" py="md" data-testid="attention-empty">
          <ThemeIcon color="green" variant="light" radius="xl" size={36} aria-hidden="true">
            <IconMoodCheck size={20} />
          </ThemeIcon>
          <Text size="sm" c="dimmed">
            Nothing needs your attention. Pain alerts, patients who stop recording and new messages show up here.
          </Text>
        </Group>
      ) : (
        <Stack gap={0} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {items.map((item, index) => (
            <AttentionRow key={`${item.kind}-${item.alertId ?? item.programme.id}`} item={item} last={index === items.length - 1} />
          ))}
        </Stack>
      )}
    </Paper>
  );
}

function AttentionRow({ item, last }: { item: AttentionItemView; last: boolean }) {
  const kind = ATTENTION_LABELS[item.kind];
  const KindIcon = ICONS[item.kind];
  const name = `${item.patient.firstName} ${item.patient.lastName}`.trim();
  return (
    <Group
      component="li"
      wrap="nowrap"
      align="flex-start"
      gap="md"
      py="sm"
      style={last ? undefined : { borderBottom: '1px solid var(--mantine-color-gray-2)' }}
      data-testid="attention-item"
      data-kind={item.kind}
    >
      <ThemeIcon color={kind.color} variant="light" radius="xl" size={36} aria-hidden="true">
        <KindIcon size={20} />
      </ThemeIcon>
      <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
        <Group gap="xs" wrap="wrap">
          <Anchor component={Link} to={attentionLink(item)} fw={600} className="break-anywhere">
            <Group gap={2} component="span" wrap="nowrap">
              {name}
              <IconChevronRight size={14} aria-hidden="true" />
            </Group>
          </Anchor>
          <Badge size="sm" variant="light" color={kind.color} tt="none">
            {kind.label}
          </Badge>
        </Group>
        <Text size="sm" className="break-anywhere">
          {item.detail}
        </Text>
        <Text size="xs" c="dimmed" className="break-anywhere">
          {item.programme.title} · {formatWhen(item.at)}
        </Text>
      </Stack>
    </Group>
  );
}

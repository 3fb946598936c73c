import { Alert, Badge, Button, Center, Group, Loader, Paper, SimpleGrid, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconAlertTriangle, IconRefresh, type Icon } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { errorMessage } from '../app/api.ts';
import { statusLabel } from './members.ts';
import { formatMoney } from './money.ts';
import type { PoolSummaryView as PoolSummary } from '../../../src/organisations/schemas.ts';

export function StatusBadge({ status, testId = 'member-status' }: { status: string; testId?: string }) {
  const { label, color } = statusLabel(status);
  return (
    <Badge color={color} variant="light" data-testid={testId} style={{ flexShrink: 0 }}>
      {label}
    </Badge>
  );
}

export function LoadingBlock({ label }: { label: string }) {
  return (
    <Center py="xl" role="status">
      <Group gap="sm">
        <Loader size="sm" aria-hidden="true" />
        <Text c="dimmed">{label}…</Text>
      </Group>
    </Center>
  );
}

export function ErrorBlock({ error, onRetry, m }: { error: unknown; onRetry?: () => void; m?: string }) {
  return (
    <Alert m={m} color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden="true" />}>
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{errorMessage(error)}</Text>
        {onRetry ? (
          <Button size="xs" variant="white" color="red" leftSection={<IconRefresh size={14} aria-hidden="true" />} onClick={onRetry}>
            Try again
          </Button>
        ) : null}
      </Stack>
    </Alert>
  );
}

export function EmptyState({ icon: IconComponent, title, children }: { icon: Icon; title: string; children?: ReactNode }) {
  return (
    <Center py={48} px="md">
      <Stack align="center" gap="xs" maw={420}>
        <ThemeIcon size={44} radius="xl" variant="light" aria-hidden="true">
          <IconComponent size={24} />
        </ThemeIcon>
        <Text fw={600} ta="center">
          {title}
        </Text>
        {children ? (
          <Text size="sm" c="dimmed" ta="center" component="div">
            {children}
          </Text>
        ) : null}
      </Stack>
    </Center>
  );
}

/** A labelled figure, like "Free licences: 3". */
export function Stat({ label, value, hint, testId, tone }: { label: string; value: ReactNode; hint?: ReactNode; testId?: string; tone?: string }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={28} fw={700} lh={1.2} mt={4} c={tone} data-testid={testId}>
        {value}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed" mt={2}>
          {hint}
        </Text>
      ) : null}
    </Paper>
  );
}

/** Rows of "term: value", as a description list. */
export function Facts({ items }: { items: { term: string; value: ReactNode; testId?: string }[] }) {
  return (
    <Stack component="dl" gap="sm" m={0}>
      {items.map((item) => (
        <Group key={item.term} component="div" justify="space-between" align="flex-start" gap="md" wrap="nowrap">
          <Text component="dt" size="sm" c="dimmed" style={{ flexShrink: 0 }}>
            {item.term}
          </Text>
          <Text component="dd" m={0} size="sm" fw={500} ta="right" className="break-anywhere" data-testid={item.testId}>
            {item.value}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}

/** The four counts of a licence pool (R-LIC-1), each with what it means where it is shown. */
export function PoolCounts({ pool, purchasedLabel, hints }: { pool: PoolSummary; purchasedLabel: string; hints: { purchased: string; assigned: string; reserved: string; free: string } }) {
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
      <Stat label={purchasedLabel} value={pool.purchased} testId="pool-purchased" hint={hints.purchased} />
      <Stat label="Assigned" value={pool.assigned} testId="pool-assigned" hint={hints.assigned} />
      <Stat label="Reserved" value={pool.reserved} testId="pool-reserved" hint={hints.reserved} />
      <Stat label="Free" value={pool.free} testId="pool-free" hint={hints.free} tone={pool.free > 0 ? 'motus.8' : undefined} />
    </SimpleGrid>
  );
}

/** A pool's price per licence and monthly total, with an optional word after the total. */
export function PoolPrices({ pool, totalNote }: { pool: PoolSummary; totalNote?: ReactNode }) {
  return (
    <>
      <Text size="sm">
        <Text span c="dimmed" size="sm">
          Price per licence:{' '}
        </Text>
        <strong data-testid="pool-unit-price">{formatMoney(pool.unitPriceMinor, pool.currency)}</strong> a month
      </Text>
      <Text size="sm">
        <Text span c="dimmed" size="sm">
          Monthly total:{' '}
        </Text>
        <strong data-testid="pool-monthly-total">{formatMoney(pool.monthlyTotalMinor, pool.currency)}</strong>
        {totalNote}
      </Text>
    </>
  );
}

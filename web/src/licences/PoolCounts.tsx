import { Paper, SimpleGrid, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { formatMoney } from '../billing/money.ts';
import type { PoolSummaryView as PoolSummary } from '../../../src/organisations/schemas.ts';

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

import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconCheck, IconCircleDashed } from '@tabler/icons-react';
import { describeFlexible, dayMonth, itemToday, summariseWeek, weekdayName, type LocalEntry, type PatientItem } from './plan.ts';
import type { DayPlanView } from '../../../../src/engagement/schemas.ts';

/** The week at a glance (R-ENG-1): which days have which exercises, and what was done. */
export function WeekOverview({ week, entries, today, items }: { week: DayPlanView[]; entries: LocalEntry[]; today: string; items: PatientItem[] }) {
  const days = summariseWeek(week, entries, today);
  // Exercises of "any N days a week" are listed once, with the days done so far, and on the days they were done.
  const flexible = items
    .map((item, itemIndex) => ({ item, itemIndex, status: itemToday(item, itemIndex, week, entries, today) }))
    .filter((f) => f.status.flexible !== null);
  return (
    <Stack gap="sm" component="section" aria-labelledby="week-heading" data-testid="patient-week">
      <Title order={2} id="week-heading">
        This week
      </Title>
      {flexible.map(({ item, itemIndex, status }) => (
        <Text key={itemIndex} data-testid="patient-week-flexible">
          {itemIndex + 1}. {item.exercise?.name ?? 'Exercise'}: {describeFlexible(status.flexible!.target, status.flexible!.daysDone)}
        </Text>
      ))}
      <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
        {days.map((day) => {
          const past = day.day < today;
          const shown = day.items.filter((i) => !i.flexible || i.done > 0 || day.isToday);
          return (
            <Paper component="li" key={day.day} withBorder p="sm" radius="md" className="patient-week-day" data-testid="patient-week-day" data-day={day.day} data-today={day.isToday || undefined}>
              <Stack gap={4}>
                <Text fw={700}>
                  {day.isToday ? 'Today, ' : ''}
                  {weekdayName(day.day)} {dayMonth(day.day)}
                </Text>
                {shown.length === 0 && !day.wholeSession ? <Text size="sm">{day.items.length === 0 ? 'No exercises planned.' : 'Only the any-day exercises, if you like.'}</Text> : null}
                {day.wholeSession ? (
                  <Text size="sm" fw={600} c="green.9">
                    <IconCheck size={18} aria-hidden="true" style={{ verticalAlign: '-3px' }} /> Whole session done
                  </Text>
                ) : null}
                {shown.map((i) => {
                  const name = items[i.itemIndex]?.exercise?.name ?? 'Exercise';
                  const complete = i.done >= i.times;
                  const counted = i.times > 1 ? ` (${Math.min(i.done, i.times)} of ${i.times})` : '';
                  return (
                    <Group key={i.itemIndex} gap={6} wrap="nowrap" align="flex-start" data-testid="patient-week-item" data-done={complete || undefined}>
                      {complete ? (
                        <IconCheck size={20} color="var(--mantine-color-green-8)" aria-hidden="true" style={{ flexShrink: 0, marginTop: 3 }} />
                      ) : (
                        <IconCircleDashed size={20} color="var(--mantine-color-gray-7)" aria-hidden="true" style={{ flexShrink: 0, marginTop: 3 }} />
                      )}
                      <Text size="sm">
                        {i.itemIndex + 1}. {name}
                        {i.flexible ? ' (any day)' : ''}
                        {counted}
                        {' — '}
                        {complete ? 'done' : i.done > 0 ? 'partly done' : past ? 'not done' : day.isToday ? 'to do today' : 'to do'}
                      </Text>
                    </Group>
                  );
                })}
                {day.extra > 0 ? <Text size="sm">Also done: {day.extra} other {day.extra === 1 ? 'exercise' : 'exercises'}</Text> : null}
              </Stack>
            </Paper>
          );
        })}
      </Stack>
    </Stack>
  );
}

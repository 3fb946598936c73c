import { BarChart, LineChart } from '@mantine/charts';
import { Alert, Badge, Button, Group, Paper, Progress, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCheck, IconMessage2, IconStretching } from '@tabler/icons-react';
import { useId, useState } from 'react';
import type { EngagementView } from '../../../../src/engagement/schemas.ts';
import type { ProgrammeView } from '../../../../src/programmes/schemas.ts';
import { errorMessage } from '../../app/api.ts';
import { formatLocalDate, formatWhen } from '../../app/format.ts';
import { EmptyState, ErrorBlock, LoadingBlock } from '../../app/ui.tsx';
import { useEngagement, useResolveAlert } from '../queries.ts';
import { ChartBlock } from './ChartBlock.tsx';
import {
  adherenceSummary,
  alertLabel,
  commentsNewestFirst,
  DEFAULT_PERIOD,
  DIFFICULTY_LABELS,
  difficultyChartData,
  difficultySummary,
  ENGAGEMENT_PERIODS,
  exercisesByShare,
  hasEntries,
  lastActivityText,
  painChartData,
  painSummary,
  percent,
  weekChartData,
  weeksSummary,
  type EngagementPeriod,
} from './engagement.ts';

const CHART_HEIGHT = 180;

/**
 * R-ENG-6: how the patient is getting on with one programme: adherence overall, per week and per
 * exercise, pain and difficulty over time, comments, last activity and the open alerts.
 */
export function EngagementPanel({ programme }: { programme: ProgrammeView }) {
  const [days, setDays] = useState<EngagementPeriod>(DEFAULT_PERIOD);
  const periodLabelId = useId();
  const engagement = useEngagement(programme.patientId, programme.id, days);

  return (
    <Stack gap="md" data-testid="engagement-panel">
      <Group justify="space-between" gap="sm" align="center">
        <Text size="sm" fw={500} id={periodLabelId}>
          Period
        </Text>
        <SegmentedControl
          aria-labelledby={periodLabelId}
          size="xs"
          value={String(days)}
          onChange={(value) => setDays(ENGAGEMENT_PERIODS.find((p) => String(p) === value) ?? DEFAULT_PERIOD)}
          data={ENGAGEMENT_PERIODS.map((p) => ({ value: String(p), label: `${p} days` }))}
          data-testid="engagement-period"
        />
      </Group>
      {engagement.isPending ? (
        <LoadingBlock label="Loading progress" />
      ) : engagement.isError ? (
        <ErrorBlock error={engagement.error} onRetry={() => void engagement.refetch()} />
      ) : (
        <EngagementContent view={engagement.data} programme={programme} />
      )}
    </Stack>
  );
}

function EngagementContent({ view, programme }: { view: EngagementView; programme: ProgrammeView }) {
  const now = new Date();
  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <Paper withBorder p="sm" radius="md" data-testid="engagement-adherence">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Adherence
          </Text>
          <Text size="xl" fw={700}>
            {percent(view.adherence.share)}
          </Text>
          <Text size="sm" c="dimmed">
            {adherenceSummary(view.adherence)}
          </Text>
        </Paper>
        <Paper withBorder p="sm" radius="md">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Last activity
          </Text>
          <Text size="lg" fw={600} data-testid="engagement-last-activity" title={view.lastActivityAt ? formatWhen(view.lastActivityAt) : undefined}>
            {lastActivityText(view.lastActivityAt, now)}
          </Text>
          <Text size="sm" c="dimmed">
            From {formatLocalDate(view.from)} to {formatLocalDate(view.to)}
          </Text>
        </Paper>
      </SimpleGrid>

      <OpenAlerts view={view} programme={programme} />

      {!hasEntries(view) ? (
        <Paper withBorder radius="md" data-testid="engagement-empty">
          <EmptyState icon={IconStretching} title="No entries yet">
            The patient records sessions on their phone. Their progress shows here as soon as they do.
          </EmptyState>
        </Paper>
      ) : (
        <>
          <WeeksChart view={view} />
          <ExerciseList view={view} />
          {view.trackPain ? <PainChart view={view} /> : null}
          <DifficultyChart view={view} />
          <Comments view={view} />
        </>
      )}
    </Stack>
  );
}

function OpenAlerts({ view, programme }: { view: EngagementView; programme: ProgrammeView }) {
  const resolve = useResolveAlert(programme.patientId, programme.id);
  if (view.alerts.length === 0) return null;
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} aria-hidden="true" />} title="Needs your attention" data-testid="engagement-alerts">
      <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
        {view.alerts.map((alert) => (
          <Group key={alert.id} component="li" justify="space-between" gap="sm" wrap="wrap" data-testid="engagement-alert" data-kind={alert.kind}>
            <Stack gap={0}>
              <Text size="sm" fw={600}>
                {alertLabel(alert.kind, view)}
              </Text>
              <Text size="xs" c="dimmed">
                Raised {formatWhen(alert.raisedAt)}
              </Text>
            </Stack>
            <Button
              size="xs"
              variant="white"
              color="dark"
              leftSection={<IconCheck size={14} aria-hidden="true" />}
              loading={resolve.isPending && resolve.variables === alert.id}
              onClick={() =>
                resolve.mutate(alert.id, {
                  onError: (error) => notifications.show({ color: 'red', title: 'The alert was not marked as seen', message: errorMessage(error) }),
                })
              }
            >
              Mark as seen
            </Button>
          </Group>
        ))}
      </Stack>
    </Alert>
  );
}

function WeeksChart({ view }: { view: EngagementView }) {
  const data = weekChartData(view.weeks);
  if (data.length === 0) return null;
  return (
    <ChartBlock
      title="Adherence per week"
      summary={weeksSummary(view.weeks)}
      testId="adherence-chart"
      table={{
        caption: 'Sessions done per week',
        columns: ['Week of', 'Done', 'Prescribed', 'Share'],
        rows: data.map((w) => [formatLocalDate(w.weekStart), w.done, w.prescribed, w.percent === null ? '—' : `${w.percent}%`]),
      }}
    >
      <BarChart
        h={CHART_HEIGHT}
        data={data}
        dataKey="week"
        series={[{ name: 'percent', label: 'Done', color: 'motus.6' }]}
        yAxisProps={{ domain: [0, 100], width: 40 }}
        valueFormatter={(value) => `${value}%`}
        accessibilityLayer={false}
        maxBarWidth={36}
      />
    </ChartBlock>
  );
}

function ExerciseList({ view }: { view: EngagementView }) {
  const headingId = useId();
  const exercises = exercisesByShare(view.exercises);
  if (exercises.length === 0) return null;
  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId} data-testid="exercise-adherence">
      <Title order={4} size="h6" id={headingId}>
        Adherence per exercise
      </Title>
      <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
        {exercises.map((exercise) => (
          <Stack key={exercise.itemIndex} gap={4} component="li" data-testid="exercise-adherence-row">
            <Group justify="space-between" gap="xs" wrap="nowrap">
              <Text size="sm" fw={500} className="break-anywhere">
                {exercise.name}
              </Text>
              <Text size="sm" c="dimmed" style={{ flexShrink: 0 }}>
                {exercise.prescribed === 0 ? `${exercise.done} done` : `${exercise.done} of ${exercise.prescribed} · ${percent(exercise.share)}`}
              </Text>
            </Group>
            <Progress
              value={exercise.share === null ? 0 : Math.min(100, exercise.share * 100)}
              size="sm"
              radius="xl"
              color={exercise.share !== null && exercise.share < 0.5 ? 'orange' : 'motus'}
              aria-label={`${exercise.name}: ${exercise.done} of ${exercise.prescribed} sessions done`}
            />
          </Stack>
        ))}
      </Stack>
    </Stack>
  );
}

function PainChart({ view }: { view: EngagementView }) {
  const data = painChartData(view.days);
  return (
    <ChartBlock
      title="Pain over time"
      summary={painSummary(data, view.painAlertAt)}
      testId="pain-chart"
      table={{ caption: 'Highest pain of each day, 0 to 10', columns: ['Day', 'Pain (0–10)'], rows: data.map((p) => [formatLocalDate(p.day), p.pain]) }}
    >
      {data.length === 0 ? null : (
        <LineChart
          h={CHART_HEIGHT}
          data={data}
          dataKey="label"
          series={[{ name: 'pain', label: 'Pain', color: 'red.6' }]}
          yAxisProps={{ domain: [0, 10], ticks: [0, 2, 4, 6, 8, 10], width: 32 }}
          referenceLines={[{ y: view.painAlertAt, label: `Alert at ${view.painAlertAt}`, color: 'red.3' }]}
          curveType="linear"
          accessibilityLayer={false}
        />
      )}
    </ChartBlock>
  );
}

function DifficultyChart({ view }: { view: EngagementView }) {
  const data = difficultyChartData(view.days);
  if (data.length === 0 && !view.trackPain) return null;
  return (
    <ChartBlock
      title="Difficulty over time"
      summary={difficultySummary(data)}
      testId="difficulty-chart"
      table={{
        caption: 'How hard the exercises felt, ratings per day',
        columns: ['Day', DIFFICULTY_LABELS.tooEasy, DIFFICULTY_LABELS.aboutRight, DIFFICULTY_LABELS.tooHard],
        rows: data.map((d) => [formatLocalDate(d.day), d.tooEasy, d.aboutRight, d.tooHard]),
      }}
    >
      {data.length === 0 ? null : (
        <BarChart
          h={CHART_HEIGHT}
          data={data}
          dataKey="label"
          type="stacked"
          withLegend
          series={[
            { name: 'tooEasy', label: DIFFICULTY_LABELS.tooEasy, color: 'blue.4' },
            { name: 'aboutRight', label: DIFFICULTY_LABELS.aboutRight, color: 'green.6' },
            { name: 'tooHard', label: DIFFICULTY_LABELS.tooHard, color: 'orange.6' },
          ]}
          yAxisProps={{ allowDecimals: false, width: 32 }}
          accessibilityLayer={false}
          maxBarWidth={36}
        />
      )}
    </ChartBlock>
  );
}

function Comments({ view }: { view: EngagementView }) {
  const headingId = useId();
  const comments = commentsNewestFirst(view.comments);
  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId} data-testid="engagement-comments">
      <Title order={4} size="h6" id={headingId}>
        The patient&apos;s comments
      </Title>
      {comments.length === 0 ? (
        <Text size="sm" c="dimmed">
          No comments in this period.
        </Text>
      ) : (
        <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {comments.map((comment, index) => (
            <Paper key={`${comment.recordedAt}-${index}`} component="li" withBorder p="sm" radius="md" data-testid="engagement-comment">
              <Group gap={6} mb={4} wrap="wrap">
                <IconMessage2 size={14} aria-hidden="true" color="var(--mantine-color-dimmed)" />
                <Text size="xs" c="dimmed">
                  {formatLocalDate(comment.day)}
                </Text>
                {comment.exerciseName ? (
                  <Badge size="xs" variant="light" color="gray" tt="none">
                    {comment.exerciseName}
                  </Badge>
                ) : (
                  <Badge size="xs" variant="light" color="gray" tt="none">
                    Whole session
                  </Badge>
                )}
              </Group>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} className="break-anywhere">
                {comment.text}
              </Text>
            </Paper>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

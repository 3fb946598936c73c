import { Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { ErrorBlock, LoadingBlock } from '../../app/ui.tsx';
import { useOrganisationEngagement } from '../queries.ts';
import { organisationSummary, percent } from './engagement.ts';

/** R-ENG-7: the organisation's engagement in the console: counts only, never who or what. */
export function OrganisationEngagementCard({ orgId }: { orgId: string }) {
  const counts = useOrganisationEngagement(orgId);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="org-engagement-heading" data-testid="organisation-engagement">
      <Title order={2} size="h5" id="org-engagement-heading" mb="xs">
        Patient engagement
      </Title>
      {counts.isPending ? (
        <LoadingBlock label="Loading engagement" />
      ) : counts.isError ? (
        <ErrorBlock error={counts.error} onRetry={() => void counts.refetch()} />
      ) : (
        <Stack gap="xs">
          <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm" component="dl" m={0}>
            <Count term="Active programmes" value={String(counts.data.activeProgrammes)} testId="org-active-programmes" />
            <Count term="Patients with an active programme" value={String(counts.data.patientsWithActiveProgramme)} testId="org-patients-active-programme" />
            <Count term="Active this week" value={percent(counts.data.shareActiveThisWeek)} testId="org-share-active-week" />
          </SimpleGrid>
          <Text size="sm" c="dimmed">
            {organisationSummary(counts.data)} Counts only: what patients record is seen by their practitioners.
          </Text>
        </Stack>
      )}
    </Paper>
  );
}

function Count({ term, value, testId }: { term: string; value: string; testId: string }) {
  return (
    <div>
      <Text component="dt" size="xs" c="dimmed">
        {term}
      </Text>
      <Text component="dd" m={0} size="xl" fw={700} data-testid={testId}>
        {value}
      </Text>
    </div>
  );
}

/** /console/:orgId/integrations: PMS links (R-INT-1) and API keys (R-INT-3), for the owner and admins holding Users. */
import { Stack } from '@mantine/core';
import { PageHeader } from '../app/ui.tsx';
import { useConsole } from '../console/ConsoleLayout.tsx';
import { ApiKeysOrgCard } from './ApiKeysOrgCard.tsx';
import { PmsLinksCard } from './PmsLinksCard.tsx';

export function IntegrationsPage() {
  const { orgId, organisation } = useConsole();
  return (
    <>
      <PageHeader title="Integrations" description={`Connect ${organisation.name} to other systems.`} />
      <Stack gap="lg">
        <PmsLinksCard orgId={orgId} organisationName={organisation.name} />
        <ApiKeysOrgCard orgId={orgId} organisationName={organisation.name} />
      </Stack>
    </>
  );
}

/** /console/:orgId/integrations: PMS links (R-INT-1), API keys (R-INT-3) and webhooks (R-INT-4), for the owner and admins holding Users. */
import { Stack } from '@mantine/core';
import { PageHeader } from '../app/ui.tsx';
import { useConsole } from '../console/ConsoleLayout.tsx';
import { ApiKeysOrgCard } from './ApiKeysOrgCard.tsx';
import { PmsLinksCard } from './PmsLinksCard.tsx';
import { OrgWebhooksCard } from './WebhooksPage.tsx';

export function IntegrationsPage() {
  const { orgId, organisation } = useConsole();
  return (
    <>
      <PageHeader title="Integrations" description={`Connect ${organisation.name} to other systems.`} />
      <Stack gap="lg">
        <PmsLinksCard orgId={orgId} organisationName={organisation.name} />
        <ApiKeysOrgCard orgId={orgId} organisationName={organisation.name} />
        <OrgWebhooksCard orgId={orgId} organisationName={organisation.name} />
      </Stack>
    </>
  );
}

/**
 * Webhooks (R-INT-4) where they are managed: /webhooks and /webhooks/:endpointId for a
 * practitioner's own endpoints (events about their patients), and the organisation's endpoints on
 * the console's Integrations page and /console/:orgId/integrations/webhooks/:endpointId.
 */
import { Alert, Stack } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { PageHeader } from '../app/ui.tsx';
import { useConsole } from '../console/ConsoleLayout.tsx';
import { useWorkspace } from '../organisations/workspace.ts';
import { WebhookEndpointPage } from './WebhookEndpointPage.tsx';
import { WebhooksCard } from './WebhooksCard.tsx';
import type { WebhookOwner } from './webhooks.ts';

const OWN: WebhookOwner = { kind: 'own' };
const OWN_EVENTS_HINT = 'Events about your own patients, in every practice where you work.';
const NO_LICENCE = 'Endpoints can be added, changed and sent to while you hold a licence to work in Motus. You can still read their logs and delete them.';

/** Adding, changing and sending need a licence that lets the practitioner work now (the server checks the same). */
function useOwnCanChange(): { canChange: boolean; known: boolean } {
  const workspace = useWorkspace();
  return { canChange: workspace.data?.licence.canWork ?? false, known: workspace.isSuccess };
}

export function WebhooksPage() {
  const { canChange, known } = useOwnCanChange();
  return (
    <>
      <PageHeader title="Webhooks" description="Let other systems, such as your practice management system, hear at once when something happens in Motus." />
      <Stack gap="lg">
        {known && !canChange ? (
          <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} aria-hidden="true" />} data-testid="webhooks-no-licence">
            {NO_LICENCE}
          </Alert>
        ) : null}
        <WebhooksCard
          owner={OWN}
          title="Your endpoints"
          description="Motus sends each endpoint the events you choose about your own patients, as signed requests it can check."
          eventsHint={OWN_EVENTS_HINT}
          canAdd={canChange}
          emptyText={canChange ? <>Add one with <strong>Add endpoint</strong> when a system should hear about your patients' programmes, sessions and messages.</> : null}
        />
      </Stack>
    </>
  );
}

export function OwnWebhookEndpointPage() {
  const { canChange } = useOwnCanChange();
  return <WebhookEndpointPage owner={OWN} backLabel="All webhooks" canChange={canChange} cannotChangeReason={NO_LICENCE} eventsHint={OWN_EVENTS_HINT} />;
}

function orgEventsHint(organisationName: string): string {
  return `Events of the whole practice: the patients of every practitioner in ${organisationName}.`;
}

/** The console's endpoints, for the owner and admins holding Users (the page's guard). */
export function OrgWebhooksCard({ orgId, organisationName }: { orgId: string; organisationName: string }) {
  return (
    <WebhooksCard
      owner={{ kind: 'org', orgId }}
      title="Webhooks"
      description={`Motus sends each endpoint the events you choose in ${organisationName}, as signed requests it can check.`}
      eventsHint={orgEventsHint(organisationName)}
      canAdd
      emptyText={<>Add one with <strong>Add endpoint</strong> when a system should hear at once about the practice's patients and practitioners.</>}
    />
  );
}

export function OrgWebhookEndpointPage() {
  const { orgId, organisation } = useConsole();
  return <WebhookEndpointPage owner={{ kind: 'org', orgId }} backLabel="Integrations" canChange eventsHint={orgEventsHint(organisation.name)} />;
}

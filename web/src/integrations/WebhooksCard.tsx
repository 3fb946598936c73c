/** The list of one owner's webhook endpoints (R-INT-4) with "Add endpoint": on /webhooks and on the console's Integrations page. */
import { Anchor, Box, Button, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconChevronRight, IconPlus, IconWebhook } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { EndpointView } from '../../../src/webhooks/schemas.ts';
import { Dialog } from '../app/Dialog.tsx';
import { formatDateTime } from '../app/format.ts';
import { EmptyState, ErrorBlock, LoadingBlock, useScrollToHash } from '../app/ui.tsx';
import { KeysCard } from './ApiKeysParts.tsx';
import { describeEndpointState, endpointName, eventTypesFor, webhookPaths } from './webhooks.ts';
import { EndpointForm, EndpointStatusBadge, eventLabel, refreshWebhooks, SecretOnce, useEndpoints, useWebhooksKey, webhookApi, type WebhookOwner } from './WebhooksParts.tsx';

interface WebhooksCardProps {
  owner: WebhookOwner;
  title: string;
  description: ReactNode;
  /** Whose events an endpoint receives, in plain words, under the event checkboxes. */
  eventsHint: string;
  /** Whether endpoints can be added here now (a practitioner needs a licence that lets them work). */
  canAdd: boolean;
  emptyText: ReactNode;
}

export function WebhooksCard({ owner, title, description, eventsHint, canAdd, emptyText }: WebhooksCardProps) {
  const endpoints = useEndpoints(owner);
  const [adding, setAdding] = useState(false);
  // An endpoint's page links back to …/integrations#webhooks.
  useScrollToHash(!endpoints.isPending);
  return (
    <Box id="webhooks" tabIndex={-1} style={{ outline: 'none', scrollMarginTop: 76 }}>
      <KeysCard
        headingId="webhooks-heading"
        title={title}
        testId="webhooks"
        description={description}
        action={
          canAdd ? (
            <Button onClick={() => setAdding(true)} leftSection={<IconPlus size={18} aria-hidden="true" />}>
              Add endpoint
            </Button>
          ) : null
        }
      >
        {endpoints.isPending ? (
          <LoadingBlock label="Loading the webhook endpoints" />
        ) : endpoints.isError ? (
          <ErrorBlock m="md" error={endpoints.error} onRetry={() => void endpoints.refetch()} />
        ) : endpoints.data.endpoints.length === 0 ? (
          <EmptyState icon={IconWebhook} title="No webhook endpoints yet">
            {emptyText}
          </EmptyState>
        ) : (
          <EndpointList owner={owner} endpoints={endpoints.data.endpoints} />
        )}
        <AddEndpointDialog owner={owner} opened={adding} onClose={() => setAdding(false)} eventsHint={eventsHint} />
      </KeysCard>
    </Box>
  );
}

/** Endpoints as cards (one layout from phone to desktop): address, description, events, state; each opens its own page. */
function EndpointList({ owner, endpoints }: { owner: WebhookOwner; endpoints: EndpointView[] }) {
  const paths = webhookPaths(owner);
  return (
    <Stack gap={0} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Webhook endpoints" data-testid="webhook-list">
      {endpoints.map((endpoint) => (
        <Stack component="li" key={endpoint.id} gap="sm" p={{ base: 'md', sm: 'lg' }} data-testid="webhook-row" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
          <Group justify="space-between" align="flex-start" gap="sm">
            <Stack gap={4} style={{ minWidth: 0, flex: '1 1 240px' }}>
              <Anchor component={Link} to={paths.endpoint(endpoint.id)} fw={600} className="break-anywhere" data-testid="webhook-name">
                {endpointName(endpoint)}
              </Anchor>
              <Text size="sm" c="dimmed" ff="monospace" className="break-anywhere" data-testid="webhook-url">
                {endpoint.url}
              </Text>
            </Stack>
            <Group gap="sm" wrap="nowrap">
              <EndpointStatusBadge endpoint={endpoint} />
              <Button
                component={Link}
                to={paths.endpoint(endpoint.id)}
                variant="default"
                rightSection={<IconChevronRight size={16} aria-hidden="true" />}
                aria-label={`Open ${endpointName(endpoint)}`}
              >
                Open
              </Button>
            </Group>
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="md" verticalSpacing="xs">
            <Fact term="Events">
              <Stack gap={0} component="span" data-testid="webhook-events">
                {endpoint.events.map((type) => (
                  <span key={type}>{eventLabel(type)}</span>
                ))}
              </Stack>
            </Fact>
            <Fact term="State" testId="webhook-state">
              {describeEndpointState(endpoint)}
            </Fact>
            <Fact term="Added">{formatDateTime(endpoint.createdAt)}</Fact>
          </SimpleGrid>
        </Stack>
      ))}
    </Stack>
  );
}

export function Fact({ term, children, testId }: { term: string; children: ReactNode; testId?: string }) {
  return (
    <Stack gap={0} component="dl" m={0} style={{ minWidth: 0 }}>
      <Text component="dt" size="xs" c="dimmed" tt="uppercase" fw={600}>
        {term}
      </Text>
      <Text component="dd" m={0} size="sm" className="break-anywhere" data-testid={testId}>
        {children}
      </Text>
    </Stack>
  );
}

/** "Add endpoint": the form, then (once added) its signing secret, which closing hides for good. */
function AddEndpointDialog({ owner, opened, onClose, eventsHint }: { owner: WebhookOwner; opened: boolean; onClose: () => void; eventsHint: string }) {
  const queryClient = useQueryClient();
  const key = useWebhooksKey(owner);
  const [secret, setSecret] = useState<string | null>(null);
  const close = () => {
    setSecret(null);
    onClose();
  };
  const add = async (body: { url: string; description: string; events: EndpointView['events'] }) => {
    const answer = await webhookApi(owner).create(body);
    await refreshWebhooks(queryClient, key);
    setSecret(answer.secret);
  };
  return (
    <Dialog opened={opened} onClose={close} title={secret ? 'The signing secret of the endpoint' : 'Add a webhook endpoint'} size="lg" closeOnClickOutside={secret === null}>
      {!opened ? null : secret ? (
        <SecretOnce secret={secret} rotated={false} onDone={close} />
      ) : (
        <EndpointForm submitLabel="Add endpoint" eventsHint={eventsHint} eventTypes={eventTypesFor(owner)} onSubmit={add} onCancel={close} />
      )}
    </Dialog>
  );
}

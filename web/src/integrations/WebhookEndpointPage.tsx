/**
 * One webhook endpoint (R-INT-4), for its practitioner (/webhooks/:endpointId) or its organisation
 * (/console/:orgId/integrations/webhooks/:endpointId): its state, address, description and events;
 * change them, switch it off and on, rotate its secret, send a test event, delete it; and its
 * delivery log, paged, with Resend on each event.
 */
import { Alert, Anchor, Badge, Button, Code, Collapse, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconAlertTriangle,
  IconArrowLeft,
  IconChevronDown,
  IconChevronUp,
  IconInfoCircle,
  IconKey,
  IconPencil,
  IconPlayerPause,
  IconPlayerPlay,
  IconRefresh,
  IconSend,
  IconTrash,
  IconWebhook,
  IconWebhookOff,
} from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { DeliveryView, EndpointView } from '../../../src/webhooks/schemas.ts';
import { errorMessage, isApiError } from '../app/api.ts';
import { ConfirmDialog } from '../app/ConfirmDialog.tsx';
import { Dialog } from '../app/Dialog.tsx';
import { formatWhen } from '../app/format.ts';
import { Pager } from '../app/Pager.tsx';
import { EmptyState, ErrorBlock, LoadingBlock, PageHeader, usePageTitle } from '../app/ui.tsx';
import {
  describeEndpointState,
  describeLastAnswer,
  describeNextAttempt,
  describeSecret,
  endpointName,
  eventTypesFor,
  PREVIOUS_SECRET_WORDS,
  webhookPaths,
} from './webhooks.ts';
import { Fact } from './WebhooksCard.tsx';
import {
  DeliveryStateBadge,
  EndpointForm,
  EndpointStatusBadge,
  eventLabel,
  refreshWebhooks,
  SecretOnce,
  useDeliveries,
  useEndpoint,
  useWebhooksKey,
  webhookApi,
  type WebhookOwner,
} from './WebhooksParts.tsx';

/** Events in one page of the log. */
const LOG_PAGE = 20;
/** How long the log is asked for often after a test event or a resend, for its attempt to show. */
const WATCH_FOR_MS = 20_000;

interface WebhookEndpointPageProps {
  owner: WebhookOwner;
  /** The words of the link back to the list. */
  backLabel: string;
  /** Whether the endpoint can be changed and sent to now; deleting it is always possible. */
  canChange: boolean;
  /** Why it cannot, when it cannot. */
  cannotChangeReason?: string;
  eventsHint: string;
}

/** True for a while after `start()`: the log and the endpoint are then asked for every 1.5 seconds. */
function useWatch(): [boolean, () => void] {
  const [until, setUntil] = useState(0);
  useEffect(() => {
    if (until === 0) return;
    const timer = setTimeout(() => setUntil(0), Math.max(0, until - Date.now()));
    return () => clearTimeout(timer);
  }, [until]);
  return [until !== 0, () => setUntil(Date.now() + WATCH_FOR_MS)];
}

export function WebhookEndpointPage({ owner, backLabel, canChange, cannotChangeReason, eventsHint }: WebhookEndpointPageProps) {
  const { endpointId = '' } = useParams();
  const [watching, watch] = useWatch();
  const endpoint = useEndpoint(owner, endpointId, { watch: watching });
  const paths = webhookPaths(owner);
  return (
    <Stack gap="md">
      <Anchor component={Link} to={paths.list} size="sm" w="fit-content">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} aria-hidden="true" />
          {backLabel}
        </Group>
      </Anchor>
      {endpoint.isPending ? (
        <LoadingBlock label="Loading the webhook endpoint" />
      ) : endpoint.isError ? (
        isApiError(endpoint.error, 'not_found') || isApiError(endpoint.error, 'validation_failed') ? (
          <EndpointNotFound />
        ) : (
          <ErrorBlock error={endpoint.error} onRetry={() => void endpoint.refetch()} />
        )
      ) : (
        <EndpointDetail
          owner={owner}
          endpoint={endpoint.data.endpoint}
          canChange={canChange}
          cannotChangeReason={cannotChangeReason}
          eventsHint={eventsHint}
          watching={watching}
          onSent={watch}
        />
      )}
    </Stack>
  );
}

function EndpointNotFound() {
  usePageTitle('Webhook endpoint not found');
  return (
    <Paper withBorder p="xl">
      <Stack gap="xs" align="flex-start">
        <IconWebhookOff size={28} aria-hidden="true" color="var(--mantine-color-gray-6)" />
        <Title order={1} size="h3">
          Webhook endpoint not found
        </Title>
        <Text c="dimmed">It may have been deleted. Check the link, or find the endpoint in the list.</Text>
      </Stack>
    </Paper>
  );
}

interface EndpointDetailProps {
  owner: WebhookOwner;
  endpoint: EndpointView;
  canChange: boolean;
  cannotChangeReason: string | undefined;
  eventsHint: string;
  watching: boolean;
  onSent: () => void;
}

type Dialogs = 'edit' | 'switch-off' | 'rotate' | 'delete' | null;

function EndpointDetail({ owner, endpoint, canChange, cannotChangeReason, eventsHint, watching, onSent }: EndpointDetailProps) {
  const queryClient = useQueryClient();
  const key = useWebhooksKey(owner);
  const navigate = useNavigate();
  const paths = webhookPaths(owner);
  const name = endpointName(endpoint);
  const [dialog, setDialog] = useState<Dialogs>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const api = webhookApi(owner);
  const refresh = () => refreshWebhooks(queryClient, key);
  const close = () => setDialog(null);

  const test = useMutation({
    mutationFn: () => api.test(endpoint.id),
    onSuccess: async () => {
      setPage(1);
      onSent();
      await refresh();
      notifications.show({ color: 'motus', message: 'A test event is on its way. Its delivery shows in the log below.' });
    },
    onError: (error) => notifications.show({ color: 'red', title: 'The test event was not sent', message: errorMessage(error) }),
  });
  const switchOn = useMutation({
    mutationFn: () => api.update(endpoint.id, { enabled: true }),
    onSuccess: async () => {
      await refresh();
      notifications.show({ color: 'motus', message: `${name} is switched on. Motus sends it the chosen events again.` });
    },
    onError: (error) => notifications.show({ color: 'red', title: 'The endpoint was not switched on', message: errorMessage(error) }),
  });

  const save = async (body: { url: string; description: string; events: EndpointView['events'] }) => {
    await api.update(endpoint.id, body);
    await refresh();
    close();
    notifications.show({ color: 'motus', message: 'The endpoint was saved.' });
  };
  const switchOff = async () => {
    await api.update(endpoint.id, { enabled: false });
    await refresh();
    notifications.show({ color: 'motus', message: `${name} is switched off. Nothing is sent to it.` });
  };
  const rotate = async () => {
    const answer = await api.rotate(endpoint.id);
    await refresh();
    setSecret(answer.secret);
  };
  const remove = async () => {
    await api.remove(endpoint.id);
    notifications.show({ color: 'motus', message: `${name} was deleted. Nothing more is sent to it.` });
    // Only the list is asked for again: this endpoint's own queries would answer 404 before the page leaves.
    void navigate(paths.list);
    await queryClient.invalidateQueries({ queryKey: [...key, 'list'] });
  };

  return (
    <>
      <PageHeader title={name} description={<span className="break-anywhere">{endpoint.url}</span>} />
      <Stack gap="lg">
        <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="endpoint-heading" data-testid="webhook-endpoint">
          <Stack gap="md">
            <Group justify="space-between" align="flex-start" gap="sm">
              <Title order={2} size="h4" id="endpoint-heading">
                Endpoint
              </Title>
              <EndpointStatusBadge endpoint={endpoint} />
            </Group>
            <Alert
              color={!endpoint.enabled ? (endpoint.disabledReason === 'failing' ? 'red' : 'gray') : endpoint.failingSince ? 'orange' : 'green'}
              variant="light"
              icon={endpoint.enabled && !endpoint.failingSince ? <IconWebhook size={18} aria-hidden="true" /> : <IconAlertTriangle size={18} aria-hidden="true" />}
            >
              <Text size="sm" data-testid="webhook-state">
                {describeEndpointState(endpoint)}
              </Text>
            </Alert>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
              <Fact term="Address" testId="webhook-url">
                <Text span size="sm" ff="monospace">
                  {endpoint.url}
                </Text>
              </Fact>
              <Fact term="Description" testId="webhook-description">
                {endpoint.description || 'None'}
              </Fact>
              <Fact term="Events">
                <Stack gap={0} component="span" data-testid="webhook-events">
                  {endpoint.events.map((type) => (
                    <span key={type}>{eventLabel(type)}</span>
                  ))}
                </Stack>
              </Fact>
              <Fact term="Signing secret" testId="webhook-secret-state">
                {describeSecret(endpoint)}
              </Fact>
            </SimpleGrid>
            {!canChange && cannotChangeReason ? (
              <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} aria-hidden="true" />} data-testid="webhook-cannot-change">
                {cannotChangeReason}
              </Alert>
            ) : null}
            <Group gap="sm">
              {canChange ? (
                <>
                  <Button onClick={() => test.mutate()} loading={test.isPending} disabled={!endpoint.enabled} leftSection={<IconSend size={18} aria-hidden="true" />}>
                    Send test event
                  </Button>
                  <Button variant="default" onClick={() => setDialog('edit')} leftSection={<IconPencil size={18} aria-hidden="true" />}>
                    Edit
                  </Button>
                  {endpoint.enabled ? (
                    <Button variant="default" onClick={() => setDialog('switch-off')} leftSection={<IconPlayerPause size={18} aria-hidden="true" />}>
                      Switch off
                    </Button>
                  ) : (
                    <Button variant="default" onClick={() => switchOn.mutate()} loading={switchOn.isPending} leftSection={<IconPlayerPlay size={18} aria-hidden="true" />}>
                      Switch on
                    </Button>
                  )}
                  <Button variant="default" onClick={() => setDialog('rotate')} leftSection={<IconKey size={18} aria-hidden="true" />}>
                    Rotate secret
                  </Button>
                </>
              ) : null}
              <Button variant="default" color="red" onClick={() => setDialog('delete')} leftSection={<IconTrash size={18} aria-hidden="true" />}>
                Delete
              </Button>
            </Group>
            {canChange && !endpoint.enabled ? (
              <Text size="sm" c="dimmed">
                Switch the endpoint on to send it a test event or to send events again.
              </Text>
            ) : null}
          </Stack>
        </Paper>
        <DeliveryLog owner={owner} endpoint={endpoint} canResend={canChange && endpoint.enabled} watching={watching} onSent={onSent} page={page} onPage={setPage} />
      </Stack>

      <Dialog opened={dialog === 'edit'} onClose={close} title="Change the endpoint" size="lg">
        {dialog === 'edit' ? <EndpointForm initial={endpoint} submitLabel="Save endpoint" eventsHint={eventsHint} eventTypes={eventTypesFor(owner)} onSubmit={save} onCancel={close} /> : null}
      </Dialog>
      <ConfirmDialog opened={dialog === 'switch-off'} onClose={close} title={`Switch off ${name}?`} confirmLabel="Switch off" color="orange" onConfirm={switchOff}>
        <Text size="sm">
          Motus sends it nothing while it is off: events that happen meanwhile are not sent to it, not even later, and retries of
          earlier events stop. Once it is on again, you can send earlier events again from its delivery log.
        </Text>
      </ConfirmDialog>
      <ConfirmDialog opened={dialog === 'rotate'} onClose={close} title="Make a new signing secret?" confirmLabel="Make new secret" color="motus" onConfirm={rotate}>
        <Text size="sm">Motus makes a new secret and shows it once.</Text>
        <Text size="sm">
          The old secret keeps working for a day: for the next {PREVIOUS_SECRET_WORDS} each request carries a signature with the
          new secret and one with the old, so the receiving system accepts them while you give it the new secret. After that,
          only the new one works.
        </Text>
      </ConfirmDialog>
      <Dialog opened={secret !== null} onClose={() => setSecret(null)} title="The new signing secret" size="lg" closeOnClickOutside={false}>
        {secret ? <SecretOnce secret={secret} rotated onDone={() => setSecret(null)} /> : null}
      </Dialog>
      <ConfirmDialog opened={dialog === 'delete'} onClose={close} title={`Delete ${name}?`} confirmLabel="Delete endpoint" onConfirm={remove}>
        <Text size="sm">Motus stops sending to it at once, and its delivery log is deleted with it. This cannot be undone.</Text>
      </ConfirmDialog>
    </>
  );
}

interface DeliveryLogProps {
  owner: WebhookOwner;
  endpoint: EndpointView;
  canResend: boolean;
  watching: boolean;
  onSent: () => void;
  page: number;
  onPage: (page: number) => void;
}

/** The delivery log (R-INT-4): events newest first, each with its state, last answer, attempts and next attempt. */
function DeliveryLog({ owner, endpoint, canResend, watching, onSent, page, onPage }: DeliveryLogProps) {
  const queryClient = useQueryClient();
  const key = useWebhooksKey(owner);
  const log = useDeliveries(owner, endpoint.id, { limit: LOG_PAGE, offset: (page - 1) * LOG_PAGE }, { watch: watching });
  const resend = useMutation({
    mutationFn: (delivery: DeliveryView) => webhookApi(owner).resend(endpoint.id, delivery.id),
    onSuccess: async (_, delivery) => {
      onSent();
      await refreshWebhooks(queryClient, key);
      notifications.show({ color: 'motus', message: `${eventLabel(delivery.eventType)} is being sent again. The attempt shows in the log.` });
    },
    onError: (error) => notifications.show({ color: 'red', title: 'The event was not sent again', message: errorMessage(error) }),
  });

  return (
    <Paper withBorder p={0} component="section" aria-labelledby="deliveries-heading" style={{ overflow: 'hidden' }} data-testid="webhook-deliveries">
      <Stack gap={2} p={{ base: 'md', sm: 'lg' }}>
        <Title order={2} size="h4" id="deliveries-heading">
          Delivery log
        </Title>
        <Text size="sm" c="dimmed">
          Every event sent to this endpoint, newest first. An event that is not accepted with a 2xx answer is tried again for up
          to three days; Resend sends it again now, with the same event id.
        </Text>
      </Stack>
      {log.isPending ? (
        <LoadingBlock label="Loading the delivery log" />
      ) : log.isError ? (
        <ErrorBlock m="md" error={log.error} onRetry={() => void log.refetch()} />
      ) : log.data.deliveries.length === 0 ? (
        <EmptyState icon={IconWebhook} title={log.data.total === 0 ? 'Nothing sent yet' : 'No events on this page'}>
          {log.data.total === 0 ? (
            <>
              Events show here once Motus sends one to this endpoint.
              {canResend ? (
                <>
                  {' '}
                  To try it now, use <strong>Send test event</strong>.
                </>
              ) : null}
            </>
          ) : (
            'Go back to the first page to see the latest events.'
          )}
        </EmptyState>
      ) : (
        <Stack gap={0} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Deliveries" data-testid="delivery-list">
          {log.data.deliveries.map((delivery) => (
            <DeliveryRow
              key={delivery.id}
              delivery={delivery}
              canResend={canResend}
              resending={resend.isPending && resend.variables?.id === delivery.id}
              onResend={() => resend.mutate(delivery)}
            />
          ))}
        </Stack>
      )}
      {log.isSuccess ? <Pager total={log.data.total} page={page} pageSize={LOG_PAGE} noun={['event', 'events']} onChange={onPage} countTestId="delivery-count" /> : null}
    </Paper>
  );
}

function DeliveryRow({ delivery, canResend, resending, onResend }: { delivery: DeliveryView; canResend: boolean; resending: boolean; onResend: () => void }) {
  const [open, setOpen] = useState(false);
  const answer = describeLastAnswer(delivery);
  const attemptsId = `attempts-${delivery.id}`;
  return (
    <Stack component="li" gap="sm" p={{ base: 'md', sm: 'lg' }} data-testid="delivery-row" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
      <Group justify="space-between" align="flex-start" gap="sm">
        <Stack gap={2} style={{ minWidth: 0, flex: '1 1 220px' }}>
          <Text fw={600} data-testid="delivery-event">
            {eventLabel(delivery.eventType)}
          </Text>
          <Code fz={12} c="dimmed" bg="transparent" p={0} className="break-anywhere" data-testid="delivery-event-type">
            {delivery.eventType}
          </Code>
        </Stack>
        <Group gap="sm" wrap="nowrap">
          <DeliveryStateBadge delivery={delivery} />
          {canResend ? (
            <Button variant="default" size="sm" onClick={onResend} loading={resending} leftSection={<IconRefresh size={16} aria-hidden="true" />} aria-label={`Resend event ${delivery.eventId}`}>
              Resend
            </Button>
          ) : null}
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="md" verticalSpacing="xs">
        <Fact term="Event id" testId="delivery-event-id">
          <Text span size="xs" ff="monospace">
            {delivery.eventId}
          </Text>
        </Fact>
        <Fact term="When">{formatWhen(delivery.createdAt)}</Fact>
        <Fact term="Last answer" testId="delivery-status-code">
          <Text span size="sm" fw={600} c={answer.ok === null ? 'dimmed' : answer.ok ? 'green.8' : 'red.8'}>
            {answer.text}
          </Text>
        </Fact>
        <Fact term="Attempts" testId="delivery-attempts">
          {delivery.attempts}
        </Fact>
        <Fact term="Last attempt">{delivery.lastAttemptAt ? formatWhen(delivery.lastAttemptAt) : 'None'}</Fact>
        <Fact term="Next attempt" testId="delivery-next-attempt">
          {describeNextAttempt(delivery)}
        </Fact>
      </SimpleGrid>
      {delivery.lastError ? (
        <Text size="sm" c="red.8" className="break-anywhere" data-testid="delivery-error">
          {delivery.lastError}
        </Text>
      ) : null}
      {delivery.log.length > 0 ? (
        <Stack gap="xs">
          <Button
            variant="subtle"
            size="compact-sm"
            w="fit-content"
            px={0}
            onClick={() => setOpen((o) => !o)}
            aria-expanded={open}
            aria-controls={attemptsId}
            rightSection={open ? <IconChevronUp size={14} aria-hidden="true" /> : <IconChevronDown size={14} aria-hidden="true" />}
          >
            {open ? 'Hide attempts' : 'Show attempts'}
          </Button>
          <Collapse expanded={open}>
            <Stack component="ol" gap={4} m={0} p={0} style={{ listStyle: 'none' }} id={attemptsId} aria-label="Attempts, newest first" data-testid="delivery-attempt-log">
              {delivery.log.map((attempt) => (
                <Group component="li" key={`${attempt.at}-${attempt.trigger}`} gap="xs" wrap="wrap" data-testid="delivery-attempt">
                  <Text size="sm">{formatWhen(attempt.at)}</Text>
                  <Badge variant="outline" color={attempt.trigger === 'resend' ? 'indigo' : 'gray'} size="sm" tt="none">
                    {attempt.trigger === 'resend' ? 'Resent' : 'Scheduled'}
                  </Badge>
                  <Text size="sm" fw={600} c={attempt.statusCode !== null && attempt.statusCode >= 200 && attempt.statusCode < 300 ? 'green.8' : 'red.8'}>
                    {attempt.statusCode ?? 'No answer'}
                  </Text>
                  <Text size="sm" c="dimmed" className="break-anywhere">
                    {attempt.error ? `${attempt.error} ` : ''}({attempt.durationMs} ms)
                  </Text>
                </Group>
              ))}
            </Stack>
          </Collapse>
        </Stack>
      ) : null}
    </Stack>
  );
}

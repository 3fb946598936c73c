/** Webhooks (R-INT-4): the calls for either owner, the queries, and the pieces both screens share. */
import { Alert, Badge, Button, Checkbox, Group, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useClipboard } from '@mantine/hooks';
import { IconCheck, IconCopy, IconKey, IconWebhook } from '@tabler/icons-react';
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import {
  TEST_EVENT_TYPE,
  WEBHOOK_EVENT_LABELS,
  WEBHOOK_EVENT_TYPES,
  webhookContracts as c,
  type DeliveryView,
  type EndpointView,
  type WebhookEventTypeName,
} from '../../../src/webhooks/schemas.ts';
import { call } from '../app/api.ts';
import { applyServerErrors } from '../app/forms.ts';
import { organisationKey } from '../app/queryKeys.ts';
import { FormError } from '../app/ui.tsx';
import { useAccount } from '../sessions/session.tsx';
import { awaitingFirstAttempt, type WebhookOwner } from './webhooks.ts';

export type { WebhookOwner };

type EndpointBody = { url: string; description: string; events: WebhookEventTypeName[] };
type EndpointChange = Partial<EndpointBody> & { enabled?: boolean };

export interface WebhookApi {
  list(): Promise<{ endpoints: EndpointView[] }>;
  get(endpointId: string): Promise<{ endpoint: EndpointView }>;
  create(body: EndpointBody): Promise<{ endpoint: EndpointView; secret: string }>;
  update(endpointId: string, body: EndpointChange): Promise<{ endpoint: EndpointView }>;
  remove(endpointId: string): Promise<unknown>;
  rotate(endpointId: string): Promise<{ endpoint: EndpointView; secret: string }>;
  test(endpointId: string): Promise<{ delivery: DeliveryView }>;
  deliveries(endpointId: string, page: { limit: number; offset: number }): Promise<{ deliveries: DeliveryView[]; total: number }>;
  resend(endpointId: string, deliveryId: string): Promise<{ delivery: DeliveryView }>;
}

/** The typed calls of one owner's endpoints. */
export function webhookApi(owner: WebhookOwner): WebhookApi {
  if (owner.kind === 'own') {
    return {
      list: () => call(c.own.list),
      get: (endpointId) => call(c.own.get, { params: { endpointId } }),
      create: (body) => call(c.own.create, { body }),
      update: (endpointId, body) => call(c.own.update, { params: { endpointId }, body }),
      remove: (endpointId) => call(c.own.remove, { params: { endpointId } }),
      rotate: (endpointId) => call(c.own.rotate, { params: { endpointId } }),
      test: (endpointId) => call(c.own.test, { params: { endpointId } }),
      deliveries: (endpointId, query) => call(c.own.deliveries, { params: { endpointId }, query }),
      resend: (endpointId, deliveryId) => call(c.own.resend, { params: { endpointId, deliveryId } }),
    };
  }
  const { orgId } = owner;
  return {
    list: () => call(c.org.list, { params: { orgId } }),
    get: (endpointId) => call(c.org.get, { params: { orgId, endpointId } }),
    create: (body) => call(c.org.create, { params: { orgId }, body }),
    update: (endpointId, body) => call(c.org.update, { params: { orgId, endpointId }, body }),
    remove: (endpointId) => call(c.org.remove, { params: { orgId, endpointId } }),
    rotate: (endpointId) => call(c.org.rotate, { params: { orgId, endpointId } }),
    test: (endpointId) => call(c.org.test, { params: { orgId, endpointId } }),
    deliveries: (endpointId, query) => call(c.org.deliveries, { params: { orgId, endpointId }, query }),
    resend: (endpointId, deliveryId) => call(c.org.resend, { params: { orgId, endpointId, deliveryId } }),
  };
}

/** The query key under which an owner's endpoints and logs are kept. */
export function useWebhooksKey(owner: WebhookOwner): readonly unknown[] {
  const account = useAccount();
  return owner.kind === 'own' ? (['webhooks', account.id] as const) : ([...organisationKey(owner.orgId), 'webhooks'] as const);
}

export function useEndpoints(owner: WebhookOwner) {
  const key = useWebhooksKey(owner);
  return useQuery({ queryKey: [...key, 'list'], queryFn: () => webhookApi(owner).list(), staleTime: 0 });
}

/** One endpoint; asked for again as often as its log, since deliveries change its state (failing, switched off). */
export function useEndpoint(owner: WebhookOwner, endpointId: string, { watch = false }: { watch?: boolean } = {}) {
  const key = useWebhooksKey(owner);
  return useQuery({
    queryKey: [...key, 'endpoint', endpointId],
    queryFn: () => webhookApi(owner).get(endpointId),
    staleTime: 0,
    refetchInterval: watch ? WATCH_MS : LOG_REFRESH_MS,
  });
}

/** How often an open log is asked for again as retries go on, and while an attempt is on its way. */
const LOG_REFRESH_MS = 15_000;
const WATCH_MS = 1_500;

/**
 * A page of the delivery log; asked for again every 15 seconds while open, and every 1.5 seconds
 * while `watch` (just after a test event or a resend) or while an event waits for its first attempt.
 */
export function useDeliveries(owner: WebhookOwner, endpointId: string, page: { limit: number; offset: number }, { watch = false }: { watch?: boolean } = {}) {
  const key = useWebhooksKey(owner);
  return useQuery({
    queryKey: [...key, 'deliveries', endpointId, page.limit, page.offset],
    queryFn: () => webhookApi(owner).deliveries(endpointId, page),
    staleTime: 0,
    refetchInterval: (query) => (watch || awaitingFirstAttempt(query.state.data?.deliveries ?? []) ? WATCH_MS : LOG_REFRESH_MS),
  });
}

export function refreshWebhooks(queryClient: QueryClient, key: readonly unknown[]): Promise<unknown> {
  return queryClient.invalidateQueries({ queryKey: key });
}

/** Plain words for an event type. */
export function eventLabel(type: string): string {
  if (type === TEST_EVENT_TYPE) return 'Test event';
  return WEBHOOK_EVENT_LABELS[type as WebhookEventTypeName] ?? type;
}

export function EndpointStatusBadge({ endpoint }: { endpoint: EndpointView }) {
  const [label, color] = endpoint.enabled
    ? endpoint.failingSince
      ? ['Failing', 'orange']
      : ['On', 'green']
    : endpoint.disabledReason === 'failing'
      ? ['Switched off after failures', 'red']
      : ['Off', 'gray'];
  return (
    <Badge color={color} variant="light" size="lg" radius="sm" tt="none" fw={600} data-testid="webhook-status" style={{ flexShrink: 0 }}>
      {label}
    </Badge>
  );
}

export function DeliveryStateBadge({ delivery }: { delivery: DeliveryView }) {
  const [label, color] =
    delivery.state === 'delivered' ? ['Delivered', 'green'] : delivery.state === 'failed' ? ['Failed', 'red'] : delivery.attempts === 0 ? ['Waiting', 'blue'] : ['Retrying', 'orange'];
  return (
    <Badge color={color} variant="light" radius="sm" tt="none" fw={600} data-testid="delivery-state">
      {label}
    </Badge>
  );
}

/**
 * The signing secret, shown once when an endpoint is added or its secret rotated: Motus keeps it
 * encrypted and never shows it again. The copy button falls back to selecting it.
 */
export function SecretOnce({ secret, rotated, onDone }: { secret: string; rotated: boolean; onDone: () => void }) {
  const clipboard = useClipboard({ timeout: 2_000 });
  const input = useRef<HTMLTextAreaElement>(null);
  const copy = () => {
    clipboard.copy(secret);
    input.current?.select();
  };
  return (
    <Stack gap="md" data-testid="webhook-secret-once">
      <Alert color="yellow" variant="light" icon={<IconKey size={18} aria-hidden="true" />} title="Copy the signing secret now. You will not see it again.">
        <Text size="sm">
          The receiving system checks each request's <code>webhook-signature</code> header with it, as the Standard Webhooks
          specification describes.
          {rotated ? ' For the next 24 hours requests are signed with the previous secret too, so you have a day to update the receiving system.' : ''}
        </Text>
      </Alert>
      <Textarea
        ref={input}
        label="Signing secret"
        value={secret}
        readOnly
        autosize
        minRows={1}
        size="md"
        onFocus={(event) => event.currentTarget.select()}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', wordBreak: 'break-all' } }}
        data-testid="webhook-secret"
        data-autofocus
      />
      {clipboard.error ? (
        <Text size="sm" c="red.8" role="alert">
          The secret could not be copied for you. It is selected above: copy it with Ctrl+C (⌘C on a Mac).
        </Text>
      ) : null}
      <Group justify="flex-end" gap="sm">
        <Button variant="light" onClick={copy} leftSection={clipboard.copied ? <IconCheck size={18} aria-hidden="true" /> : <IconCopy size={18} aria-hidden="true" />}>
          {clipboard.copied ? 'Copied' : 'Copy secret'}
        </Button>
        <Button onClick={onDone}>Done</Button>
      </Group>
      <span className="visually-hidden" aria-live="polite">
        {clipboard.copied ? 'The secret was copied.' : ''}
      </span>
    </Stack>
  );
}

interface EndpointFormValues {
  url: string;
  description: string;
  events: WebhookEventTypeName[];
}

const FIELDS = ['url', 'description', 'events'] as const;

/** Adding an endpoint, or changing one: its address, a description and the events it receives. */
export function EndpointForm({
  initial,
  submitLabel,
  eventsHint,
  eventTypes = WEBHOOK_EVENT_TYPES,
  onSubmit,
  onCancel,
}: {
  initial?: EndpointView;
  submitLabel: string;
  /** The events offered (all of them unless the owner cannot receive some). */
  eventTypes?: readonly WebhookEventTypeName[];
  /** Whose events these are, in plain words. */
  eventsHint: string;
  onSubmit: (values: EndpointBody) => Promise<void>;
  onCancel: () => void;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm<EndpointFormValues>({
    initialValues: { url: initial?.url ?? '', description: initial?.description ?? '', events: initial?.events ?? [] },
    validate: {
      url: (v) => (v.trim() === '' ? 'Enter the address Motus sends the events to.' : /^https?:\/\/\S+$/i.test(v.trim()) ? null : 'A full web address, starting with https://.'),
      description: (v) => (v.trim().length > 200 ? 'The description is at most 200 characters.' : null),
      events: (v) => (v.length === 0 ? 'Choose at least one event to send.' : null),
    },
  });
  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      await onSubmit({ url: values.url.trim(), description: values.description.trim(), events: WEBHOOK_EVENT_TYPES.filter((e) => values.events.includes(e)) });
    } catch (error) {
      setProblem(applyServerErrors(form, error, FIELDS));
    }
  });
  return (
    <form onSubmit={submit} noValidate aria-label={submitLabel}>
      <Stack gap="md">
        <FormError message={problem} />
        <TextInput
          label="Address"
          description="Motus sends each event to it as a signed POST request"
          placeholder="https://pms.example.com/motus/webhooks"
          type="url"
          size="md"
          autoComplete="off"
          required
          withAsterisk={false}
          data-autofocus
          {...form.getInputProps('url')}
        />
        <TextInput label="Description" description="So you know later what receives them" placeholder="e.g. Practice PMS" size="md" autoComplete="off" {...form.getInputProps('description')} />
        <Checkbox.Group label="Events to send" description={eventsHint} withAsterisk={false} {...form.getInputProps('events')}>
          <Stack gap="sm" mt="xs">
            {eventTypes.map((type) => (
              <Checkbox key={type} value={type} size="md" label={WEBHOOK_EVENT_LABELS[type]} description={<code>{type}</code>} />
            ))}
          </Stack>
        </Checkbox.Group>
        <Text size="sm" c="dimmed">
          Events carry ids and numbers only, never names or what patients wrote. An event that is not accepted with a 2xx answer
          is sent again for up to three days.
        </Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting} leftSection={<IconWebhook size={18} aria-hidden="true" />}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * How webhooks (R-INT-4) read on screen: where an owner's endpoints are managed, an endpoint's
 * state in plain words, and the facts of each delivery in its log.
 */
import { WEBHOOK_EVENT_TYPES, type DeliveryView, type EndpointView, type WebhookEventTypeName } from '../../../src/webhooks/schemas.ts';
import { DISABLE_AFTER_FAILING_MS, PREVIOUS_SECRET_MS } from '../../../src/webhooks/schedule.ts';
import { formatWhen } from '../app/format.ts';

/** Whose endpoints a screen shows: the signed-in practitioner's own, or an organisation's. */
export type WebhookOwner = { kind: 'own' } | { kind: 'org'; orgId: string };

/**
 * Where an owner's endpoints are listed and each one is managed. The server's emails link to the
 * same endpoint pages (src/webhooks/delivery.ts, endpointPage).
 */
export function webhookPaths(owner: WebhookOwner): { list: string; endpoint: (endpointId: string) => string } {
  if (owner.kind === 'own') return { list: '/webhooks', endpoint: (id) => `/webhooks/${id}` };
  const base = `/console/${owner.orgId}/integrations`;
  return { list: `${base}#webhooks`, endpoint: (id) => `${base}/webhooks/${id}` };
}

/**
 * The events an owner can receive. A practitioner's own endpoints get the events of their own
 * patients; a practitioner's access being removed is an event of the practice, sent to the
 * organisation's endpoints only.
 */
export function eventTypesFor(owner: WebhookOwner): readonly WebhookEventTypeName[] {
  return owner.kind === 'own' ? WEBHOOK_EVENT_TYPES.filter((type) => type !== 'practitioner.access_removed') : WEBHOOK_EVENT_TYPES;
}

/** The host of an endpoint's address ("pms.example.com"), or the address itself when it does not parse. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/** An endpoint's name on screen: its description, or its host when it has none. */
export function endpointName(endpoint: Pick<EndpointView, 'url' | 'description'>): string {
  return endpoint.description.trim() || hostOf(endpoint.url);
}

const HOUR = 60 * 60 * 1000;
/** "24 hours": how long a rotated secret goes on signing. */
export const PREVIOUS_SECRET_WORDS = `${Math.round(PREVIOUS_SECRET_MS / HOUR)} hours`;
const FAILING_DAYS = Math.round(DISABLE_AFTER_FAILING_MS / (24 * HOUR));

/** What an endpoint's state means, in a sentence, with when it began. */
export function describeEndpointState(endpoint: Pick<EndpointView, 'enabled' | 'disabledAt' | 'disabledReason' | 'failingSince'>, now: Date = new Date()): string {
  if (!endpoint.enabled) {
    if (endpoint.disabledReason === 'failing') {
      return `Switched off by Motus ${formatWhen(endpoint.disabledAt, now)}, because every delivery to it kept failing. Check that it answers with a 2xx status, then switch it on again.`;
    }
    return `Switched off ${formatWhen(endpoint.disabledAt, now)}. Nothing is sent to it until it is switched on again.`;
  }
  if (endpoint.failingSince) {
    return `Failing since ${formatWhen(endpoint.failingSince, now)}: no attempt since then was accepted. Motus keeps trying, and switches it off after ${FAILING_DAYS} days of failures.`;
  }
  return 'On: Motus sends it each chosen event as it happens.';
}

/** When the signing secret was last changed, and until when the one before it signs too. */
export function describeSecret(endpoint: Pick<EndpointView, 'secretRotatedAt' | 'previousSecretExpiresAt' | 'createdAt'>, now: Date = new Date()): string {
  if (!endpoint.secretRotatedAt) return `Made with the endpoint, ${formatWhen(endpoint.createdAt, now)}`;
  const rotated = `Changed ${formatWhen(endpoint.secretRotatedAt, now)}`;
  return endpoint.previousSecretExpiresAt ? `${rotated}; the previous one also signs until ${formatWhen(endpoint.previousSecretExpiresAt, now)}` : rotated;
}

/** The answer of a delivery's last attempt: its status code, "No answer", or "Not tried yet". */
export function describeLastAnswer(delivery: Pick<DeliveryView, 'attempts' | 'lastStatusCode'>): { text: string; ok: boolean | null } {
  if (delivery.lastStatusCode !== null) return { text: String(delivery.lastStatusCode), ok: delivery.lastStatusCode >= 200 && delivery.lastStatusCode < 300 };
  if (delivery.attempts === 0) return { text: 'Not tried yet', ok: null };
  return { text: 'No answer', ok: false };
}

/** When Motus tries a delivery again: a time, "Now" for one waiting for its first attempt, or "None". */
export function describeNextAttempt(delivery: Pick<DeliveryView, 'state' | 'attempts' | 'nextAttemptAt'>, now: Date = new Date()): string {
  if (delivery.state === 'pending' && delivery.nextAttemptAt) return formatWhen(delivery.nextAttemptAt, now);
  if (delivery.state === 'pending' && delivery.attempts === 0) return 'Now';
  return 'None';
}

/** Whether the log shows a delivery that is about to be tried (so it is asked for again soon). */
export function awaitingFirstAttempt(deliveries: readonly Pick<DeliveryView, 'state' | 'attempts'>[]): boolean {
  return deliveries.some((d) => d.state === 'pending' && d.attempts === 0);
}

import { enqueueJobs } from '../jobs/runner.ts';
import type { Clock } from '../platform/clock.ts';
import type { Tx } from '../platform/db/database.ts';
import type { WebhookEventType } from '../platform/db/schema.ts';
import { insertDeliveries, subscribedEndpoints, type NewDelivery } from './data.ts';
import { newMessageId } from './signing.ts';

export const DELIVER_JOB = 'webhook.deliver';
/** Job attempts for one delivery round; failures of the endpoint itself are retried by rounds, not by these. */
export const DELIVER_JOB_ATTEMPTS = 5;

/** The job of one scheduled attempt: its dedupe key makes each round exist once. */
export function roundJob(deliveryId: string, round: number, runAt: Date) {
  return { kind: DELIVER_JOB, payload: { deliveryId, round }, runAt, dedupeKey: `${DELIVER_JOB}:${deliveryId}:${round}`, maxAttempts: DELIVER_JOB_ATTEMPTS };
}

/**
 * Something that happened, for the endpoints subscribed to it. Data holds ids, numbers and fixed
 * words only: never names or clinical free text (R-AUD-2 applies to what leaves Motus too).
 */
export interface WebhookEvent {
  type: WebhookEventType;
  /** The practice it happened in: that organisation's endpoints receive it. */
  organisationId: string | null;
  /** The practitioners whose own endpoints receive it (the patient's practitioner; both sides of a transfer). */
  accountIds: string[];
  data: Record<string, string | number | boolean | null>;
}

/** The JSON body of an event, as the Standard Webhooks specification shapes it. */
export function eventBody(type: string, at: Date, data: Record<string, unknown>): string {
  return JSON.stringify({ type, timestamp: at.toISOString(), data });
}

/** `emitWebhookEvents` for one event. */
export async function emitWebhookEvent(tx: Tx, clock: Clock, event: WebhookEvent): Promise<void> {
  await emitWebhookEvents(tx, clock, [event]);
}

/**
 * R-INT-4: called inside the transaction of the change the events describe. Each subscribed,
 * enabled endpoint gets a delivery row and the job of its first attempt, in that transaction: a
 * change that rolls back sends nothing, and one that commits is sent after the commit. Nobody
 * subscribed costs one indexed query per event type.
 */
export async function emitWebhookEvents(tx: Tx, clock: Clock, events: WebhookEvent[]): Promise<void> {
  if (events.length === 0) return;
  const now = clock.now();
  const byType = new Map<WebhookEventType, WebhookEvent[]>();
  for (const e of events) byType.set(e.type, [...(byType.get(e.type) ?? []), e]);
  const deliveries: NewDelivery[] = [];
  for (const [type, list] of byType) {
    const organisationIds = [...new Set(list.map((e) => e.organisationId).filter((id): id is string => id !== null))];
    const accountIds = [...new Set(list.flatMap((e) => e.accountIds))];
    const endpoints = await subscribedEndpoints(tx, type, organisationIds, accountIds);
    if (endpoints.length === 0) continue;
    for (const event of list) {
      const to = endpoints.filter((ep) => (ep.organisation_id !== null && ep.organisation_id === event.organisationId) || (ep.account_id !== null && event.accountIds.includes(ep.account_id)));
      if (to.length === 0) continue;
      // One message id per event: an integrator receiving it at two endpoints can tell it is one event.
      const eventId = newMessageId();
      const body = eventBody(type, now, { ...event.data, organisationId: event.organisationId });
      for (const ep of to) deliveries.push({ endpointId: ep.id, eventId, eventType: type, body, createdAt: now });
    }
  }
  if (deliveries.length === 0) return;
  const added = await insertDeliveries(tx, deliveries);
  // 7 values a job: batches stay well under PostgreSQL's 65,535 parameters per statement.
  for (let i = 0; i < added.length; i += 5000) await enqueueJobs(tx, clock, added.slice(i, i + 5000).map((d) => roundJob(d.id, 1, now)));
}

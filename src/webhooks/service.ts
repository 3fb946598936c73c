import { recordAudit } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import { enqueueJob } from '../jobs/runner.ts';
import type { MembershipChanged, MembershipEvents } from '../memberships/events.ts';
import { membershipPractitioner } from '../memberships/data.ts';
import type { Clock } from '../platform/clock.ts';
import { decryptSecret, encryptSecret, newId } from '../platform/crypto.ts';
import { inTransaction, type Tx } from '../platform/db/database.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { auditActorOf, type OrgRequestContext, type SignedInContext } from '../platform/http/context.ts';
import {
  countEndpointsOf,
  deleteEndpoint,
  deliveryOf,
  deliveryPage,
  endpointOf,
  endpointsOf,
  insertDeliveries,
  insertEndpoint,
  latestAttempts,
  updateEndpoint,
  type AttemptRow,
  type DeliveryRow,
  type EndpointOwner,
  type EndpointRow,
} from './data.ts';
import { defineWebhookDelivery, hostOf, resendJob, secretContext } from './delivery.ts';
import { emitWebhookEvent, eventBody } from './emit.ts';
import { PREVIOUS_SECRET_MS } from './schedule.ts';
import { TEST_EVENT_TYPE, type CreateEndpointInput, type DeliveryView, type EndpointView, type UpdateEndpointInput } from './schemas.ts';
import { newMessageId, newSigningSecret } from './signing.ts';
import { checkTarget, TargetRefused } from './targets.ts';

/** Endpoints one practitioner or one organisation may have. */
export const MAX_ENDPOINTS = 20;
/** Attempts shown with each delivery in the log. */
const LOG_ATTEMPTS = 10;

export function toEndpointView(ep: EndpointRow, now: Date): EndpointView {
  const previousInForce = ep.previous_secret_expires_at !== null && ep.previous_secret_expires_at > now;
  return {
    id: ep.id,
    owner: ep.organisation_id ? 'organisation' : 'practitioner',
    url: ep.url,
    description: ep.description,
    events: ep.events,
    enabled: ep.enabled,
    disabledAt: ep.disabled_at?.toISOString() ?? null,
    disabledReason: ep.disabled_reason,
    failingSince: ep.failing_since?.toISOString() ?? null,
    secretRotatedAt: ep.secret_rotated_at?.toISOString() ?? null,
    previousSecretExpiresAt: previousInForce ? ep.previous_secret_expires_at!.toISOString() : null,
    createdAt: ep.created_at.toISOString(),
    updatedAt: ep.updated_at.toISOString(),
  };
}

export function toDeliveryView(d: DeliveryRow, attempts: AttemptRow[]): DeliveryView {
  return {
    id: d.id,
    eventId: d.event_id,
    eventType: d.event_type,
    state: d.state,
    attempts: d.attempts,
    lastStatusCode: d.last_status_code,
    lastError: d.last_error,
    lastAttemptAt: d.last_attempt_at?.toISOString() ?? null,
    nextAttemptAt: d.next_attempt_at?.toISOString() ?? null,
    deliveredAt: d.delivered_at?.toISOString() ?? null,
    createdAt: d.created_at.toISOString(),
    log: attempts.map((a) => ({ at: a.attempted_at.toISOString(), trigger: a.trigger, statusCode: a.status_code, error: a.error, durationMs: a.duration_ms })),
  };
}

/**
 * R-INT-4: removing a practitioner's access in an organisation (or turning their practitioner
 * access off, or removing them while they held it) is an event of that practice, sent to the
 * organisation's endpoints in the transaction of the change.
 */
export function webhooksOnMembershipChanged(clock: Clock) {
  return async function onMembershipChanged(tx: Tx, e: MembershipChanged): Promise<void> {
    if (!e.accountId || e.from !== 'active') return;
    let reason: 'access_removed' | 'removed_from_organisation' | 'practitioner_access_off';
    if (e.to === 'active' && e.practitioner === false) reason = 'practitioner_access_off';
    else if (e.to === 'access_removed' || e.to === 'removed') {
      // Only someone who held practitioner access loses it; an admin-only member had none.
      if (!(await membershipPractitioner(tx, e.membershipId)).practitioner) return;
      reason = e.to === 'removed' ? 'removed_from_organisation' : 'access_removed';
    } else return;
    await emitWebhookEvent(tx, clock, { type: 'practitioner.access_removed', organisationId: e.organisationId, accountIds: [], data: { membershipId: e.membershipId, accountId: e.accountId, reason } });
  };
}

/** A practitioner's own endpoints (events of their patients) and an organisation's (events of its practice). */
export function createWebhookService(deps: Deps, events: MembershipEvents) {
  const { db, clock, config, jobs } = deps;
  // Read at each use: the operator's switch holds for endpoints saved before it changed, too.
  const allowPrivate = () => config.webhooks.allowPrivateTargets;
  defineWebhookDelivery(deps);
  events.subscribe(webhooksOnMembershipChanged(clock));

  /** The address checked (outside any transaction: it may resolve a name), as it is stored. */
  async function checkedUrl(raw: string): Promise<string> {
    try {
      return (await checkTarget(raw, allowPrivate())).href;
    } catch (err) {
      if (err instanceof TargetRefused) throw ValidationError.field('body.url', err.code, err.message);
      throw err;
    }
  }

  async function found(tx: Tx, owner: EndpointOwner, endpointId: string, forUpdate = false): Promise<EndpointRow> {
    const ep = await endpointOf(tx, owner, endpointId, { forUpdate });
    if (!ep) throw new NotFoundError('webhook');
    return ep;
  }

  const ownerWord = (owner: EndpointOwner) => owner.kind;

  async function list(owner: EndpointOwner) {
    const now = clock.now();
    return { endpoints: (await endpointsOf(db, owner)).map((ep) => toEndpointView(ep, now)) };
  }

  async function get(owner: EndpointOwner, endpointId: string) {
    const ep = await endpointOf(db, owner, endpointId);
    if (!ep) throw new NotFoundError('webhook');
    return { endpoint: toEndpointView(ep, clock.now()) };
  }

  async function create(ctx: SignedInContext, owner: EndpointOwner, input: CreateEndpointInput) {
    const url = await checkedUrl(input.url);
    const secret = newSigningSecret();
    const id = newId();
    return inTransaction(db, async (tx) => {
      if ((await countEndpointsOf(tx, owner)) >= MAX_ENDPOINTS) {
        throw new ConflictError('webhook_limit', `At most ${MAX_ENDPOINTS} webhook endpoints can be added here. Delete one you no longer use.`, { rule: 'R-INT-4', limit: MAX_ENDPOINTS });
      }
      const now = clock.now();
      const ep = await insertEndpoint(tx, {
        id,
        account_id: owner.kind === 'practitioner' ? owner.accountId : null,
        organisation_id: owner.kind === 'organisation' ? owner.organisationId : null,
        url,
        description: input.description,
        events: input.events,
        secret_ciphertext: encryptSecret(config.dataEncryptionKey, secret, secretContext(id, 'current')),
        previous_secret_ciphertext: null,
        previous_secret_expires_at: null,
        secret_rotated_at: null,
        enabled: true,
        disabled_at: null,
        disabled_reason: null,
        failing_since: null,
        created_by: ctx.actor.accountId,
        created_at: now,
        updated_at: now,
      });
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'webhook.created', targetType: 'webhook_endpoint', targetId: id, details: { owner: ownerWord(owner), host: hostOf(url), events: input.events } });
      return { endpoint: toEndpointView(ep, now), secret };
    });
  }

  async function update(ctx: SignedInContext, owner: EndpointOwner, endpointId: string, input: UpdateEndpointInput) {
    const url = input.url === undefined ? undefined : await checkedUrl(input.url);
    return inTransaction(db, async (tx) => {
      const ep = await found(tx, owner, endpointId, true);
      const now = clock.now();
      const fields: string[] = [];
      const set: Parameters<typeof updateEndpoint>[2] = {};
      if (url !== undefined && url !== ep.url) {
        fields.push('url');
        set.url = url;
        // A new address starts its own record of failures.
        set.failing_since = null;
      }
      if (input.description !== undefined && input.description !== ep.description) {
        fields.push('description');
        set.description = input.description;
      }
      if (input.events !== undefined && [...input.events].sort().join() !== [...ep.events].sort().join()) {
        fields.push('events');
        set.events = input.events;
      }
      if (input.enabled !== undefined && input.enabled !== ep.enabled) {
        fields.push('enabled');
        set.enabled = input.enabled;
        set.disabled_at = input.enabled ? null : now;
        set.disabled_reason = input.enabled ? null : 'by_owner';
        // Switched on again: the days of failure before do not count towards switching it off.
        if (input.enabled) set.failing_since = null;
      }
      if (fields.length === 0) {
        await recordAudit(tx, clock, auditActorOf(ctx), { action: 'request.unchanged', targetType: 'webhook_endpoint', targetId: ep.id, details: { reason: 'same_settings' } });
        return { endpoint: toEndpointView(ep, now) };
      }
      const row = await updateEndpoint(tx, ep.id, { ...set, updated_at: now });
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'webhook.updated', targetType: 'webhook_endpoint', targetId: ep.id, details: { owner: ownerWord(owner), host: hostOf(row.url), fields, enabled: row.enabled } });
      return { endpoint: toEndpointView(row, now) };
    });
  }

  async function remove(ctx: SignedInContext, owner: EndpointOwner, endpointId: string): Promise<void> {
    await inTransaction(db, async (tx) => {
      const ep = await found(tx, owner, endpointId, true);
      await deleteEndpoint(tx, ep.id);
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'webhook.deleted', targetType: 'webhook_endpoint', targetId: ep.id, details: { owner: ownerWord(owner), host: hostOf(ep.url) } });
    });
  }

  /**
   * A new secret, answered once. The one it replaces keeps signing for 24 hours, so a receiver
   * that still verifies with it goes on accepting requests until it is given the new one.
   */
  async function rotate(ctx: SignedInContext, owner: EndpointOwner, endpointId: string) {
    const secret = newSigningSecret();
    return inTransaction(db, async (tx) => {
      const ep = await found(tx, owner, endpointId, true);
      const now = clock.now();
      const current = decryptSecret(config.dataEncryptionKey, ep.secret_ciphertext, secretContext(ep.id, 'current'));
      const row = await updateEndpoint(tx, ep.id, {
        secret_ciphertext: encryptSecret(config.dataEncryptionKey, secret, secretContext(ep.id, 'current')),
        previous_secret_ciphertext: encryptSecret(config.dataEncryptionKey, current, secretContext(ep.id, 'previous')),
        previous_secret_expires_at: new Date(now.getTime() + PREVIOUS_SECRET_MS),
        secret_rotated_at: now,
        updated_at: now,
      });
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'webhook.secret_rotated', targetType: 'webhook_endpoint', targetId: ep.id, details: { owner: ownerWord(owner), host: hostOf(ep.url) } });
      return { endpoint: toEndpointView(row, now), secret };
    });
  }

  const switchedOff = () => new ConflictError('webhook_disabled', 'This endpoint is switched off. Switch it on before sending to it.', { rule: 'R-INT-4' });

  async function deliveryAnswer(tx: Tx, d: DeliveryRow): Promise<{ delivery: DeliveryView }> {
    return { delivery: toDeliveryView(d, (await latestAttempts(tx, [d.id], LOG_ATTEMPTS)).get(d.id) ?? []) };
  }

  /** A webhook.test event for this endpoint alone: one attempt, now, with no retries. */
  async function test(ctx: SignedInContext, owner: EndpointOwner, endpointId: string) {
    const r = await inTransaction(db, async (tx) => {
      const ep = await found(tx, owner, endpointId);
      if (!ep.enabled) throw switchedOff();
      const now = clock.now();
      const eventId = newMessageId();
      const [added] = await insertDeliveries(tx, [{ endpointId: ep.id, eventId, eventType: TEST_EVENT_TYPE, body: eventBody(TEST_EVENT_TYPE, now, { endpointId: ep.id }), createdAt: now, nextAttemptAt: null }]);
      await enqueueJob(tx, clock, resendJob(added!.id, now));
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'webhook.test_sent', targetType: 'webhook_endpoint', targetId: ep.id, details: { owner: ownerWord(owner), deliveryId: added!.id, eventId, eventType: TEST_EVENT_TYPE } });
      return deliveryAnswer(tx, (await deliveryOf(tx, ep.id, added!.id))!);
    });
    jobs.kick();
    return r;
  }

  /** Sends an event again now, with the same webhook-id; its scheduled retries, if any, go on. */
  async function resend(ctx: SignedInContext, owner: EndpointOwner, endpointId: string, deliveryId: string) {
    const r = await inTransaction(db, async (tx) => {
      const ep = await found(tx, owner, endpointId);
      const d = await deliveryOf(tx, ep.id, deliveryId);
      if (!d) throw new NotFoundError('delivery');
      if (!ep.enabled) throw switchedOff();
      await enqueueJob(tx, clock, resendJob(d.id, clock.now()));
      await recordAudit(tx, clock, auditActorOf(ctx), { action: 'webhook.resent', targetType: 'webhook_endpoint', targetId: ep.id, details: { owner: ownerWord(owner), deliveryId: d.id, eventId: d.event_id, eventType: d.event_type } });
      return deliveryAnswer(tx, d);
    });
    jobs.kick();
    return r;
  }

  /** The delivery log: events newest first, each with its latest attempts and their status codes. */
  async function deliveries(owner: EndpointOwner, endpointId: string, page: { limit: number; offset: number }) {
    const ep = await endpointOf(db, owner, endpointId);
    if (!ep) throw new NotFoundError('webhook');
    const { rows, total } = await deliveryPage(db, ep.id, page.limit, page.offset);
    const attempts = await latestAttempts(db, rows.map((d) => d.id), LOG_ATTEMPTS);
    return { deliveries: rows.map((d) => toDeliveryView(d, attempts.get(d.id) ?? [])), total };
  }

  const own = (ctx: SignedInContext): EndpointOwner => ({ kind: 'practitioner', accountId: ctx.actor.accountId });
  const org = (ctx: OrgRequestContext): EndpointOwner => ({ kind: 'organisation', organisationId: ctx.org.organisationId });

  /** The same operations for each kind of owner, bound to the caller's own endpoints. */
  function bound<C extends SignedInContext>(ownerOf: (ctx: C) => EndpointOwner) {
    return {
      list: (ctx: C) => list(ownerOf(ctx)),
      get: (ctx: C, endpointId: string) => get(ownerOf(ctx), endpointId),
      create: (ctx: C, input: CreateEndpointInput) => create(ctx, ownerOf(ctx), input),
      update: (ctx: C, endpointId: string, input: UpdateEndpointInput) => update(ctx, ownerOf(ctx), endpointId, input),
      remove: (ctx: C, endpointId: string) => remove(ctx, ownerOf(ctx), endpointId),
      rotate: (ctx: C, endpointId: string) => rotate(ctx, ownerOf(ctx), endpointId),
      test: (ctx: C, endpointId: string) => test(ctx, ownerOf(ctx), endpointId),
      resend: (ctx: C, endpointId: string, deliveryId: string) => resend(ctx, ownerOf(ctx), endpointId, deliveryId),
      deliveries: (ctx: C, endpointId: string, page: { limit: number; offset: number }) => deliveries(ownerOf(ctx), endpointId, page),
    };
  }

  return { own: bound(own), org: bound(org) };
}

export type WebhookService = ReturnType<typeof createWebhookService>;

import { accountEmail } from '../accounts/data.ts';
import type { AuditActor } from '../audit/events.ts';
import { recordAudit } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import { enqueueJob } from '../jobs/runner.ts';
import { queueEmail } from '../mail/outbox.ts';
import { actionMessage } from '../mail/template.ts';
import { organisationOwner } from '../organisations/data.ts';
import { decryptSecret } from '../platform/crypto.ts';
import { inTransaction, type Tx } from '../platform/db/database.ts';
import { deliveryForSending, endpointById, firstScheduledAttemptAt, insertAttempt, clearFailing, lockDelivery, updateDelivery, updateEndpoint, type EndpointRow } from './data.ts';
import { DELIVER_JOB, DELIVER_JOB_ATTEMPTS, roundJob } from './emit.ts';
import { DAY, DISABLE_AFTER_FAILING_MS, nextAttemptAt } from './schedule.ts';
import { isDelivered, postWebhook, type SendOutcome } from './send.ts';
import { signedHeaders } from './signing.ts';

/** The additional data bound to an endpoint's encrypted secrets: a ciphertext moved to another row does not open. */
export const secretContext = (endpointId: string, which: 'current' | 'previous') => `webhook:${endpointId}:${which}`;

/** The host of an endpoint's address, as records and emails name it (the path may carry a token). */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/** Where its owner manages an endpoint in the web app. */
export function endpointPage(publicUrl: string, ep: Pick<EndpointRow, 'id' | 'organisation_id'>): string {
  return ep.organisation_id ? `${publicUrl}/console/${ep.organisation_id}/integrations/webhooks/${ep.id}` : `${publicUrl}/webhooks/${ep.id}`;
}

/** A resend's job: one attempt now, outside the schedule of retries. */
export function resendJob(deliveryId: string, runAt: Date) {
  return { kind: DELIVER_JOB, payload: { deliveryId, resend: true }, runAt, maxAttempts: DELIVER_JOB_ATTEMPTS };
}

/**
 * Delivers webhooks as jobs (R-INT-4). Each scheduled attempt is a job of its own ("round"),
 * queued in the transaction that recorded the attempt before it, so back-off follows the
 * Standard Webhooks schedule exactly and a crash repeats at most one attempt. A job for a round
 * that was recorded already, or for a delivered event, does nothing: one event is delivered once,
 * unless its owner resends it.
 */
export function defineWebhookDelivery(deps: Deps): void {
  const { db, clock, config, jobs } = deps;
  // Read at each use: the operator's switch holds for endpoints saved before it changed, too.
  const allowPrivate = () => config.webhooks.allowPrivateTargets;

  function secretsOf(d: { endpoint_id: string; secret_ciphertext: Buffer; previous_secret_ciphertext: Buffer | null; previous_secret_expires_at: Date | null }, at: Date): string[] {
    const secrets = [decryptSecret(config.dataEncryptionKey, d.secret_ciphertext, secretContext(d.endpoint_id, 'current'))];
    if (d.previous_secret_ciphertext && d.previous_secret_expires_at && d.previous_secret_expires_at > at) {
      secrets.push(decryptSecret(config.dataEncryptionKey, d.previous_secret_ciphertext, secretContext(d.endpoint_id, 'previous')));
    }
    return secrets;
  }

  async function deliver(deliveryId: string, round: number | null): Promise<void> {
    const d = await deliveryForSending(db, deliveryId);
    if (!d) return; // its endpoint was deleted
    if (round !== null && (d.state !== 'pending' || d.rounds !== round - 1)) return;
    if (!d.enabled) {
      // A switched-off endpoint is sent nothing; its owner can resend from the log once it is on again.
      if (round !== null) {
        await inTransaction(db, async (tx) => {
          const row = await lockDelivery(tx, deliveryId);
          if (row && row.state === 'pending' && row.rounds === round - 1) {
            await updateDelivery(tx, deliveryId, { state: 'failed', next_attempt_at: null, last_error: 'Not sent: the endpoint is switched off.' });
          }
        });
      }
      return;
    }
    const at = clock.now();
    const headers = signedHeaders(secretsOf(d, at), d.event_id, at, d.body);
    const started = performance.now();
    const outcome = await postWebhook(d.url, headers, d.body, { allowPrivate: allowPrivate() });
    const durationMs = Math.max(0, Math.round(performance.now() - started));
    await inTransaction(db, (tx) => recordOutcome(tx, deliveryId, round, at, outcome, durationMs));
    jobs.kick();
  }

  async function recordOutcome(tx: Tx, deliveryId: string, round: number | null, at: Date, outcome: SendOutcome, durationMs: number): Promise<void> {
    const row = await lockDelivery(tx, deliveryId);
    if (!row) return;
    // Another run of this round recorded it already (a job taken up again after a crash).
    if (round !== null && row.rounds !== round - 1) return;
    const delivered = isDelivered(outcome);
    // A failure may switch the endpoint off, so it locks the endpoint; a success only reads it, so
    // deliveries to one endpoint from several workers do not queue behind each other's commits.
    const endpoint = await endpointById(tx, row.endpoint_id, { forUpdate: !delivered });
    if (!endpoint) return;
    const now = clock.now();
    await insertAttempt(tx, { delivery_id: row.id, attempted_at: at, trigger: round === null ? 'resend' : 'scheduled', status_code: outcome.statusCode, error: outcome.error?.slice(0, 500) ?? null, duration_ms: durationMs });

    let state = row.state;
    let nextAt: Date | null = row.next_attempt_at;
    let gaveUp = false;
    if (delivered) {
      state = 'delivered';
      nextAt = null;
    } else if (round !== null) {
      nextAt = nextAttemptAt(row.created_at, round, now);
      if (nextAt) await enqueueJob(tx, clock, roundJob(row.id, round + 1, nextAt));
      else {
        gaveUp = true;
        if (state !== 'delivered') state = 'failed';
      }
    } else if (state === 'pending' && row.next_attempt_at === null) {
      // A failed resend of an event with no retry left to come.
      state = 'failed';
    }
    await updateDelivery(tx, row.id, {
      state,
      attempts: row.attempts + 1,
      ...(round !== null ? { rounds: round } : {}),
      last_attempt_at: at,
      last_status_code: outcome.statusCode,
      last_error: outcome.error?.slice(0, 500) ?? null,
      next_attempt_at: state === 'pending' ? nextAt : null,
      delivered_at: delivered ? (row.delivered_at ?? now) : row.delivered_at,
    });

    if (delivered) {
      if (endpoint.failing_since !== null) await clearFailing(tx, endpoint.id);
      return;
    }
    const failingSince = endpoint.failing_since ?? at;
    if (endpoint.failing_since === null) await updateEndpoint(tx, endpoint.id, { failing_since: failingSince });
    if (!endpoint.enabled) return;
    // Switched off after five days of nothing but failures, or when an event's last retry fails
    // three days in without the endpoint having accepted anything since that event's first attempt.
    const failingLong = now.getTime() - failingSince.getTime() >= DISABLE_AFTER_FAILING_MS;
    const firstAttempt = gaveUp ? await firstScheduledAttemptAt(tx, row.id) : null;
    const failedThrough = gaveUp && firstAttempt !== null && failingSince <= firstAttempt;
    if (failingLong || failedThrough) await disableFailing(tx, endpoint, failingSince, now);
  }

  async function disableFailing(tx: Tx, endpoint: EndpointRow, failingSince: Date, now: Date): Promise<void> {
    await updateEndpoint(tx, endpoint.id, { enabled: false, disabled_at: now, disabled_reason: 'failing', updated_at: now });
    const owner = endpoint.organisation_id ? await organisationOwner(tx, endpoint.organisation_id) : undefined;
    const actor: AuditActor = { accountId: null, sessionId: null, organisationId: endpoint.organisation_id, ip: null, userAgent: 'webhook delivery', requestId: null };
    const host = hostOf(endpoint.url);
    await recordAudit(tx, clock, actor, {
      action: 'webhook.disabled_failing',
      targetType: 'webhook_endpoint',
      targetId: endpoint.id,
      details: { owner: endpoint.organisation_id ? 'organisation' : 'practitioner', host, failingSince: failingSince.toISOString() },
    });
    const to = endpoint.account_id ?? owner?.owner_account_id;
    if (!to) return;
    const days = Math.max(1, Math.round((now.getTime() - failingSince.getTime()) / DAY));
    const whose = owner ? `${owner.name}'s webhook endpoint` : 'Your webhook endpoint';
    // R-INT-4, R-AUD-2: the email names the endpoint's host and nothing of the events it carried.
    await queueEmail(
      tx,
      clock,
      actionMessage(await accountEmail(tx, to), 'A webhook endpoint was switched off', [
        `${whose} at ${host} has not accepted any event for ${days === 1 ? 'a day' : `${days} days`}, so Motus has switched it off and sends it nothing more.`,
        'Check that it answers with a 2xx status, then switch it on again in Motus. Events it missed can be sent again from its delivery log.',
      ], { url: endpointPage(config.publicUrl, endpoint), label: 'Open the webhook' }),
    );
  }

  jobs.define(DELIVER_JOB, {
    maxAttempts: DELIVER_JOB_ATTEMPTS,
    // Only an error of Motus itself (the database) gets here; the endpoint's own failures are rounds.
    backoffMs: (attempts) => 30_000 * attempts,
    run: async (job) => {
      const round = job.payload.resend === true ? null : Number(job.payload.round);
      if (round !== null && !(Number.isInteger(round) && round >= 1)) return;
      await deliver(String(job.payload.deliveryId), round);
    },
  });
}

import { sql, type ExpressionBuilder, type Insertable, type Selectable, type Updateable } from 'kysely';
import { newId } from '../platform/crypto.ts';
import type { Queryable, Tx } from '../platform/db/database.ts';
import type { Database, WebhookAttemptsTable, WebhookDeliveriesTable, WebhookEndpointsTable, WebhookEventType } from '../platform/db/schema.ts';

/** The queries of the webhook tables (R-INT-4); only this module touches them. */

export type EndpointRow = Selectable<WebhookEndpointsTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
export type AttemptRow = Selectable<WebhookAttemptsTable>;

/** Whose endpoints: a practitioner's own, or an organisation's. */
export type EndpointOwner = { kind: 'practitioner'; accountId: string } | { kind: 'organisation'; organisationId: string };

/** The condition "owned by `owner`" on webhook_endpoints. */
function ownedBy(owner: EndpointOwner) {
  return (eb: ExpressionBuilder<Database, 'webhook_endpoints'>) =>
    owner.kind === 'practitioner' ? eb('webhook_endpoints.account_id', '=', owner.accountId) : eb('webhook_endpoints.organisation_id', '=', owner.organisationId);
}

export async function endpointsOf(q: Queryable, owner: EndpointOwner): Promise<EndpointRow[]> {
  return q.selectFrom('webhook_endpoints').selectAll().where(ownedBy(owner)).orderBy('created_at', 'desc').orderBy('id').execute();
}

export async function countEndpointsOf(q: Queryable, owner: EndpointOwner): Promise<number> {
  const row = await q.selectFrom('webhook_endpoints').select((eb) => eb.fn.countAll<number>().as('n')).where(ownedBy(owner)).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** An endpoint of this owner, or undefined (another owner's id is not found, never forbidden). */
export async function endpointOf(q: Queryable, owner: EndpointOwner, endpointId: string, opts: { forUpdate?: boolean } = {}): Promise<EndpointRow | undefined> {
  let qb = q.selectFrom('webhook_endpoints').selectAll().where('id', '=', endpointId).where(ownedBy(owner));
  if (opts.forUpdate) qb = qb.forUpdate();
  return qb.executeTakeFirst();
}

export async function endpointById(q: Queryable, endpointId: string, opts: { forUpdate?: boolean } = {}): Promise<EndpointRow | undefined> {
  let qb = q.selectFrom('webhook_endpoints').selectAll().where('id', '=', endpointId);
  if (opts.forUpdate) qb = qb.forUpdate();
  return qb.executeTakeFirst();
}

export async function insertEndpoint(tx: Tx, row: Insertable<WebhookEndpointsTable>): Promise<EndpointRow> {
  return tx.insertInto('webhook_endpoints').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateEndpoint(tx: Tx, endpointId: string, set: Omit<Updateable<WebhookEndpointsTable>, 'id' | 'account_id' | 'organisation_id' | 'created_at' | 'created_by'>): Promise<EndpointRow> {
  return tx.updateTable('webhook_endpoints').set(set).where('id', '=', endpointId).returningAll().executeTakeFirstOrThrow();
}

/** The endpoint accepted an event: it is failing no more (a no-op when another success cleared it first). */
export async function clearFailing(tx: Tx, endpointId: string): Promise<void> {
  await tx.updateTable('webhook_endpoints').set({ failing_since: null }).where('id', '=', endpointId).where('failing_since', 'is not', null).execute();
}

export async function deleteEndpoint(tx: Tx, endpointId: string): Promise<void> {
  await tx.deleteFrom('webhook_endpoints').where('id', '=', endpointId).execute();
}

/**
 * The enabled endpoints that take an event of `type`: the practitioners' own (by account) and the
 * practice's (by organisation). One indexed statement, so an event nobody subscribed to costs one
 * short query inside its change's transaction.
 */
export async function subscribedEndpoints(tx: Tx, type: WebhookEventType, organisationIds: string[], accountIds: string[]): Promise<Pick<EndpointRow, 'id' | 'account_id' | 'organisation_id'>[]> {
  if (organisationIds.length === 0 && accountIds.length === 0) return [];
  return tx
    .selectFrom('webhook_endpoints')
    .select(['id', 'account_id', 'organisation_id'])
    .where('enabled', '=', true)
    .where(sql<boolean>`${type} = any(events)`)
    .where((eb) =>
      eb.or([
        ...(organisationIds.length > 0 ? [eb('organisation_id', 'in', organisationIds)] : []),
        ...(accountIds.length > 0 ? [eb('account_id', 'in', accountIds)] : []),
      ]),
    )
    .execute();
}

export interface NewDelivery {
  endpointId: string;
  eventId: string;
  eventType: string;
  body: string;
  createdAt: Date;
  /** When its first attempt is due; null for an event sent once by hand (a test), with no retries. */
  nextAttemptAt?: Date | null;
}

/** Adds deliveries (one per endpoint and event id: a repeat is skipped); answers the ids of those added. */
export async function insertDeliveries(tx: Tx, deliveries: NewDelivery[]): Promise<{ id: string; endpoint_id: string; event_id: string }[]> {
  const out: { id: string; endpoint_id: string; event_id: string }[] = [];
  // 7 values a row: batches stay well under PostgreSQL's 65,535 parameters per statement.
  for (let i = 0; i < deliveries.length; i += 2000) {
    const rows = await tx
      .insertInto('webhook_deliveries')
      .values(
        deliveries.slice(i, i + 2000).map((d) => ({
          id: newId(),
          endpoint_id: d.endpointId,
          event_id: d.eventId,
          event_type: d.eventType,
          body: d.body,
          state: 'pending' as const,
          next_attempt_at: d.nextAttemptAt === undefined ? d.createdAt : d.nextAttemptAt,
          created_at: d.createdAt,
          last_attempt_at: null,
          last_status_code: null,
          last_error: null,
          delivered_at: null,
        })),
      )
      .onConflict((oc) => oc.columns(['endpoint_id', 'event_id']).doNothing())
      .returning(['id', 'endpoint_id', 'event_id'])
      .execute();
    out.push(...rows);
  }
  return out;
}

/** A delivery with what sending it needs from its endpoint. */
export async function deliveryForSending(q: Queryable, deliveryId: string) {
  return q
    .selectFrom('webhook_deliveries')
    .innerJoin('webhook_endpoints', 'webhook_endpoints.id', 'webhook_deliveries.endpoint_id')
    .select([
      'webhook_deliveries.id',
      'webhook_deliveries.endpoint_id',
      'webhook_deliveries.event_id',
      'webhook_deliveries.body',
      'webhook_deliveries.state',
      'webhook_deliveries.rounds',
      'webhook_endpoints.url',
      'webhook_endpoints.enabled',
      'webhook_endpoints.secret_ciphertext',
      'webhook_endpoints.previous_secret_ciphertext',
      'webhook_endpoints.previous_secret_expires_at',
    ])
    .where('webhook_deliveries.id', '=', deliveryId)
    .executeTakeFirst();
}

export async function lockDelivery(tx: Tx, deliveryId: string): Promise<DeliveryRow | undefined> {
  return tx.selectFrom('webhook_deliveries').selectAll().where('id', '=', deliveryId).forUpdate().executeTakeFirst();
}

export async function deliveryOf(q: Queryable, endpointId: string, deliveryId: string): Promise<DeliveryRow | undefined> {
  return q.selectFrom('webhook_deliveries').selectAll().where('id', '=', deliveryId).where('endpoint_id', '=', endpointId).executeTakeFirst();
}

export async function updateDelivery(tx: Tx, deliveryId: string, set: Omit<Updateable<WebhookDeliveriesTable>, 'id' | 'endpoint_id' | 'event_id' | 'body' | 'created_at'>): Promise<DeliveryRow> {
  return tx.updateTable('webhook_deliveries').set(set).where('id', '=', deliveryId).returningAll().executeTakeFirstOrThrow();
}

export async function insertAttempt(tx: Tx, attempt: Omit<WebhookAttemptsTable, 'id'>): Promise<void> {
  await tx.insertInto('webhook_attempts').values({ id: newId(), ...attempt }).execute();
}

/** A page of an endpoint's deliveries, newest first, with the total. */
export async function deliveryPage(q: Queryable, endpointId: string, limit: number, offset: number): Promise<{ rows: DeliveryRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    q.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
    q.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('endpoint_id', '=', endpointId).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** The latest `per` attempts of each delivery, newest first. */
export async function latestAttempts(q: Queryable, deliveryIds: string[], per: number): Promise<Map<string, AttemptRow[]>> {
  const out = new Map<string, AttemptRow[]>();
  if (deliveryIds.length === 0) return out;
  const { rows } = await sql<AttemptRow>`
    select id, delivery_id, attempted_at, trigger, status_code, error, duration_ms from (
      select a.*, row_number() over (partition by a.delivery_id order by a.attempted_at desc, a.id desc) as n
      from webhook_attempts a where a.delivery_id in (${sql.join(deliveryIds)})
    ) ranked where n <= ${per}
    order by delivery_id, attempted_at desc, id desc`.execute(q);
  for (const r of rows) {
    const list = out.get(r.delivery_id);
    if (list) list.push(r);
    else out.set(r.delivery_id, [r]);
  }
  return out;
}

/** When the first scheduled attempt of a delivery was made. */
export async function firstScheduledAttemptAt(q: Queryable, deliveryId: string): Promise<Date | null> {
  const row = await q
    .selectFrom('webhook_attempts')
    .select((eb) => eb.fn.min('attempted_at').as('first'))
    .where('delivery_id', '=', deliveryId)
    .where('trigger', '=', 'scheduled')
    .executeTakeFirst();
  return row?.first ? new Date(row.first as unknown as string | Date) : null;
}

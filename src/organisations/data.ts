import type { ExpressionBuilder, Insertable, Updateable } from 'kysely';
import type { Queryable, Tx } from '../platform/db/database.ts';
import type { Database, OrganisationsTable } from '../platform/db/schema.ts';

/** Adds an organisation or an individual subscription; the caller writes its memberships and audit. */
export async function insertOrganisationRow(tx: Tx, row: Insertable<OrganisationsTable>): Promise<void> {
  await tx.insertInto('organisations').values(row).execute();
}

/**
 * Locks the organisation row with what its licence pool and billing read: every change of its pool
 * and memberships queues behind this lock.
 */
export async function lockOrganisationRow(tx: Tx, organisationId: string) {
  return tx
    .selectFrom('organisations')
    .select(['id', 'name', 'owner_account_id', 'billing_mode', 'currency', 'licence_price_minor', 'billing_time_zone', 'licences_purchased', 'licences_assigned', 'licences_reserved', 'kind', 'trial_ends_at', 'paid_from', 'ends_on', 'end_reason'])
    .where('id', '=', organisationId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** The purchased licence count rises by `quantity` (R-LIC-2). */
export async function addPurchasedLicences(tx: Tx, organisationId: string, quantity: number, now: Date): Promise<void> {
  await tx.updateTable('organisations').set((eb) => ({ licences_purchased: eb('licences_purchased', '+', quantity), updated_at: now })).where('id', '=', organisationId).execute();
}

/** The purchased licence count drops by `quantity` (R-LIC-3). */
export async function removePurchasedLicences(tx: Tx, organisationId: string, quantity: number, now: Date): Promise<void> {
  await tx.updateTable('organisations').set((eb) => ({ licences_purchased: eb('licences_purchased', '-', quantity), updated_at: now })).where('id', '=', organisationId).execute();
}

/** The organisation's name and its owner's account (R-ORG-2: exactly one owner). */
export async function organisationOwner(q: Queryable, organisationId: string) {
  return q.selectFrom('organisations').select(['name', 'owner_account_id']).where('id', '=', organisationId).executeTakeFirst();
}

/** Whether the organisation is an organisation or an individual subscription. */
export async function organisationKind(tx: Tx, organisationId: string) {
  return tx.selectFrom('organisations').select('kind').where('id', '=', organisationId).executeTakeFirstOrThrow();
}

/** The organisation's payment standing (R-LIC-7). */
export async function organisationStatus(tx: Tx, organisationId: string) {
  return tx.selectFrom('organisations').select('status').where('id', '=', organisationId).executeTakeFirstOrThrow();
}

/** The organisation's payment standing, locked for the change that follows (R-LIC-7). */
export async function lockOrganisationStatus(tx: Tx, organisationId: string) {
  return tx.selectFrom('organisations').select('status').where('id', '=', organisationId).forUpdate().executeTakeFirstOrThrow();
}

/** Payment becomes required, or is restored (R-LIC-7). */
export async function setOrganisationStatus(tx: Tx, organisationId: string, status: 'active' | 'payment_required', now: Date): Promise<void> {
  await tx.updateTable('organisations').set({ status, updated_at: now }).where('id', '=', organisationId).execute();
}

/** The practice details of the organisation, the defaults of its practitioners (R-ORG-4). */
export async function practiceDefaults(tx: Tx, organisationId: string) {
  return tx.selectFrom('organisations').select('practice').where('id', '=', organisationId).executeTakeFirstOrThrow();
}

/** Every organisation's billing calendar: its time zone and when it was created. */
export async function billingCalendars(db: Queryable) {
  return db.selectFrom('organisations').select(['id', 'billing_time_zone', 'created_at']).execute();
}

/** The individual subscription the account owns, if it ever had one (R-SUB-3: at most one). */
export async function ownSubscription(q: Queryable, accountId: string) {
  return q.selectFrom('organisations').select('id').where('owner_account_id', '=', accountId).where('kind', '=', 'subscription').executeTakeFirst();
}

/** An individual subscription's row as its page shows it. */
export async function subscriptionRow(q: Queryable, organisationId: string) {
  return q
    .selectFrom('organisations')
    .select(['id', 'name', 'status', 'credit_minor', 'created_at', 'billing_mode', 'currency', 'licence_price_minor', 'billing_time_zone', 'licences_purchased', 'licences_assigned', 'licences_reserved', 'trial_ends_at', 'paid_from', 'ends_on', 'end_reason'])
    .where('id', '=', organisationId)
    .where('kind', '=', 'subscription')
    .executeTakeFirstOrThrow();
}

/** A subscription's paid period and end (R-SUB-1, R-SUB-3). */
export async function setSubscriptionDates(tx: Tx, organisationId: string, dates: Pick<Updateable<OrganisationsTable>, 'paid_from' | 'ends_on' | 'end_reason' | 'updated_at'>): Promise<void> {
  await tx.updateTable('organisations').set(dates).where('id', '=', organisationId).execute();
}

/** The content account of the organisation is cleared when it is `accountId`, who is leaving (R-SHR-2). */
export async function clearContentAccount(tx: Tx, organisationId: string, accountId: string): Promise<void> {
  await tx.updateTable('organisations').set({ content_account_id: null }).where('id', '=', organisationId).where('content_account_id', '=', accountId).execute();
}

/**
 * The organisations where payment is required (R-LIC-7): nobody works on their patients. A subquery,
 * built on the caller's query (the patient rule R-PAT-2).
 */
export function unpaidOrganisations(eb: ExpressionBuilder<Database, 'patients'>) {
  return eb.selectFrom('organisations as unpaid').select('unpaid.id').where('unpaid.status', '=', 'payment_required');
}

import type { Insertable, UpdateObject } from 'kysely';
import type { Queryable, Tx } from '../platform/db/database.ts';
import type { Database, PatientsTable } from '../platform/db/schema.ts';

/**
 * The ids of an account's own patients treated in one practice, as a subquery for a statement of
 * the caller (`patient_id in (…)`).
 */
export function ownedPatientIds(q: Queryable, ownerAccountId: string, organisationId: string) {
  return q.selectFrom('patients').select('id').where('owner_account_id', '=', ownerAccountId).where('organisation_id', '=', organisationId);
}

/** How many patients an account owns in one practice (R-PAT-2: a count, never who they are). */
export async function countOwnedPatients(q: Queryable, ownerAccountId: string, organisationId: string): Promise<number> {
  const r = await q.selectFrom('patients').select((eb) => eb.fn.countAll<number>().as('n')).where('owner_account_id', '=', ownerAccountId).where('organisation_id', '=', organisationId).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** An account's patients of one practice by name and year of birth only (R-PAT-2), for a transfer. */
export function patientsOwnedIn(tx: Tx, ownerAccountId: string, organisationId: string) {
  return tx
    .selectFrom('patients')
    .select(['id', 'first_name', 'last_name', 'year_of_birth'])
    .where('owner_account_id', '=', ownerAccountId)
    .where('organisation_id', '=', organisationId)
    .orderBy('last_name')
    .orderBy('first_name')
    .orderBy('id')
    .limit(20_000)
    .execute();
}

/** Of `externalIds`, those an account's patients of one practice carry (unique there, R-PAT-1). */
export function patientsByExternalId(tx: Tx, ownerAccountId: string, organisationId: string, externalIds: string[]): Promise<Array<{ id: string; external_id: string | null }>> {
  return tx.selectFrom('patients').select(['id', 'external_id']).where('owner_account_id', '=', ownerAccountId).where('organisation_id', '=', organisationId).where('external_id', 'in', externalIds).execute();
}

/** Up to five of `externalIds` that an account's patients of one practice already carry (R-PAT-1). */
export function takenExternalIds(tx: Tx, ownerAccountId: string, organisationId: string, externalIds: string[]): Promise<Array<{ external_id: string | null }>> {
  return tx.selectFrom('patients').select('external_id').where('owner_account_id', '=', ownerAccountId).where('organisation_id', '=', organisationId).where('external_id', 'in', externalIds).limit(5).execute();
}

export async function updatePatient(tx: Tx, patientId: string, values: UpdateObject<Database, 'patients'>): Promise<void> {
  await tx.updateTable('patients').set(values).where('id', '=', patientId).execute();
}

/** Inserts the rows in one statement: the caller keeps each batch within the parameter limit. */
export async function insertPatients(tx: Tx, rows: Array<Insertable<PatientsTable>>): Promise<void> {
  await tx.insertInto('patients').values(rows).execute();
}

/**
 * Locks `ids` among an account's patients (of one practice, when `onlyInOrganisation` is given) for
 * a transfer (R-TRF-1); answers those found, so the caller can tell whether every one was.
 */
export function lockPatientsForTransfer(tx: Tx, ids: string[], ownerAccountId: string, onlyInOrganisation: string | null): Promise<Array<{ id: string; external_id: string | null }>> {
  let q = tx.selectFrom('patients').select(['id', 'external_id']).where('id', 'in', ids).where('owner_account_id', '=', ownerAccountId);
  if (onlyInOrganisation !== null) q = q.where('organisation_id', '=', onlyInOrganisation);
  return q.forUpdate().execute();
}

/** R-TRF-1: gives patients `ids` of one account to another, treated in `organisationId` afterwards. */
export async function movePatients(tx: Tx, ids: string[], fromAccountId: string, toAccountId: string, organisationId: string, now: Date): Promise<void> {
  await tx.updateTable('patients').set({ owner_account_id: toAccountId, organisation_id: organisationId, updated_at: now }).where('id', 'in', ids).where('owner_account_id', '=', fromAccountId).execute();
}

/** Who treats a patient, and where: what a patient's device acts under (R-PRG-2, R-ENG-7). */
export function patientPractice(q: Queryable, patientId: string): Promise<{ organisation_id: string | null; owner_account_id: string; first_name: string; email: string | null } | undefined> {
  return q.selectFrom('patients').select(['organisation_id', 'owner_account_id', 'first_name', 'email']).where('id', '=', patientId).executeTakeFirst();
}

/** Names of patients the caller may see (checked by the caller), for lists that name them. */
export function patientNames(q: Queryable, ids: string[]): Promise<Array<{ id: string; first_name: string; last_name: string }>> {
  if (ids.length === 0) return Promise.resolve([]);
  return q.selectFrom('patients').select(['id', 'first_name', 'last_name']).where('id', 'in', ids).execute();
}

/** The ids of the patients treated in one practice, as a subquery (counts for the console, R-PAT-2). */
export function patientIdsTreatedIn(q: Queryable, organisationId: string) {
  return q.selectFrom('patients').select('patients.id').where('patients.organisation_id', '=', organisationId);
}

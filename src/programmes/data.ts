import { sql, type Selectable, type SelectQueryBuilder } from 'kysely';
import type { Queryable, Tx } from '../platform/db/database.ts';
import type { Database, ProgrammesTable } from '../platform/db/schema.ts';

/** Deletes a patient's programmes, with the patient (R-PAT-2). */
export async function deleteProgrammesOfPatient(tx: Tx, patientId: string): Promise<void> {
  await tx.deleteFrom('programmes').where('patient_id', '=', patientId).execute();
}

/**
 * Programmes of `patientIds` paused because their owner's access was removed (R-PRA-3) go on: the
 * patients' new practitioner holds practitioner access (R-TRF-1). Answers those resumed.
 */
export function resumeProgrammesPausedByRemoval(tx: Tx, patientIds: string[], now: Date): Promise<Array<{ id: string; patient_id: string }>> {
  return tx
    .updateTable('programmes')
    .set({ state: 'active', disabled_reason: null, disabled_by_membership_id: null, updated_at: now })
    .where('patient_id', 'in', patientIds)
    .where('state', '=', 'disabled')
    .where('disabled_reason', '=', 'access_removed')
    .returning(['id', 'patient_id'])
    .execute();
}

/** An account's templates by title, for a transfer (R-TRF-1). */
export function templatesOwnedBy(tx: Tx, accountId: string): Promise<Array<{ id: string; title: string }>> {
  return tx.selectFrom('programme_templates').select(['id', 'title']).where('owner_account_id', '=', accountId).orderBy('title').execute();
}

/** R-TRF-1: gives templates `ids` of one account to another; answers how many moved. */
export async function moveTemplates(tx: Tx, ids: string[], fromAccountId: string, toAccountId: string, now: Date): Promise<number> {
  const r = await tx.updateTable('programme_templates').set({ owner_account_id: toAccountId, updated_at: now }).where('id', 'in', ids).where('owner_account_id', '=', fromAccountId).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** One programme as stored, for the engagement of its patient's device (R-ENG-1..3). */
export function programmeRow(q: Queryable, programmeId: string, opts: { forShare?: boolean } = {}): Promise<Selectable<ProgrammesTable> | undefined> {
  let query = q.selectFrom('programmes').selectAll().where('id', '=', programmeId);
  if (opts.forShare) query = query.forShare();
  return query.executeTakeFirst();
}

/** Titles and patients of programmes, for lists that name them (the caller has checked visibility). */
export function programmeSummaries(q: Queryable, ids: string[]): Promise<Array<{ id: string; title: string; patient_id: string; pain_alert_at: number; inactivity_alert_days: number | null }>> {
  if (ids.length === 0) return Promise.resolve([]);
  return q.selectFrom('programmes').select(['id', 'title', 'patient_id', 'pain_alert_at', 'inactivity_alert_days']).where('id', 'in', ids).execute();
}

/** How many of the programmes a subquery names there are, and how many patients they belong to. */
export async function countProgrammes(q: Queryable, programmeIds: SelectQueryBuilder<Database, keyof Database, { id: string }>): Promise<{ programmes: number; patients: number }> {
  const r = await q
    .selectFrom('programmes')
    .select((eb) => [eb.fn.countAll<number>().as('programmes'), eb.fn.count<number>('patient_id').distinct().as('patients')])
    .where('id', 'in', programmeIds)
    .executeTakeFirstOrThrow();
  return { programmes: Number(r.programmes), patients: Number(r.patients) };
}

/** The programmes of the patients a subquery names, as a subquery of programme ids. */
export function programmeIdsOfPatients(q: Queryable, patientIds: SelectQueryBuilder<Database, keyof Database, { id: string }>) {
  return q.selectFrom('programmes').select('programmes.id').where('programmes.patient_id', 'in', patientIds);
}

/** Live programmes (active, within their dates) of the patients a subquery names, as a subquery of programme ids. */
export function activeProgrammeIdsOfPatients(q: Queryable, patientIds: SelectQueryBuilder<Database, keyof Database, { id: string }>, today: string) {
  return programmeIdsOfPatients(q, patientIds)
    .where('programmes.state', '=', 'active')
    .where((eb) => eb.or([eb('programmes.end_date', 'is', null), eb('programmes.end_date', '>=', today)]));
}

/** Active programmes that alert after days without activity (R-ENG-6), a page at a time in id order. */
export function programmesWatchedForInactivity(q: Queryable, today: string, afterId: string | null, limit: number) {
  let query = q
    .selectFrom('programmes')
    .select(['id', 'patient_id', 'inactivity_alert_days', 'start_date', 'assigned_at'])
    .where('state', '=', 'active')
    .where('inactivity_alert_days', 'is not', null)
    .where('start_date', '<=', today)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', today)]));
  if (afterId) query = query.where('id', '>', afterId);
  return query.orderBy('id').limit(limit).execute();
}

/** PostgreSQL's own text of a programme's change time (microseconds, UTC), for a page cursor that skips and repeats nothing. */
const changedAtText = sql<string>`to_char(programmes.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * The FHIR interface's CarePlan search and read (R-INT-5): programmes of the patients a subquery
 * names (only the one asked for, on a read), changed within the window; one page in order of change then id after the cursor's place, and
 * the count of all matches.
 */
export function programmeSearchQueries(
  q: Queryable,
  patientIds: SelectQueryBuilder<Database, keyof Database, { id: string }>,
  f: { programmeId?: string; changedFrom: Date | null; changedBefore: Date | null; after: { at: string; id: string } | null; limit: number },
) {
  let query = q.selectFrom('programmes').where('programmes.patient_id', 'in', patientIds);
  if (f.programmeId) query = query.where('programmes.id', '=', f.programmeId);
  if (f.changedFrom) query = query.where('programmes.updated_at', '>=', f.changedFrom);
  if (f.changedBefore) query = query.where('programmes.updated_at', '<', f.changedBefore);
  let page = query.selectAll().select(changedAtText.as('changed_at'));
  if (f.after) {
    const at = sql<Date>`${f.after.at}::timestamptz`;
    const id = f.after.id;
    page = page.where((eb) => eb.or([eb('programmes.updated_at', '>', at), eb.and([eb('programmes.updated_at', '=', at), eb('programmes.id', '>', id)])]));
  }
  return {
    page: page.orderBy('programmes.updated_at').orderBy('programmes.id').limit(f.limit),
    count: query.select((eb) => eb.fn.countAll<number>().as('n')),
  };
}

/** Programmes as stored, by id (the caller has checked that their patients are visible). */
export function programmeRows(q: Queryable, ids: string[]): Promise<Array<Selectable<ProgrammesTable>>> {
  if (ids.length === 0) return Promise.resolve([]);
  return q.selectFrom('programmes').selectAll().where('id', 'in', ids).execute();
}

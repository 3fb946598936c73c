import { sql, type Selectable, type SelectQueryBuilder } from 'kysely';
import { newId } from '../platform/crypto.ts';
import type { Queryable, Tx } from '../platform/db/database.ts';
import type { AlertKind, Database, ProgrammeEntriesTable, ProgrammeMessagesTable } from '../platform/db/schema.ts';
import type { EntryView } from './schemas.ts';

export type EntryRow = Selectable<ProgrammeEntriesTable>;
export type MessageRow = Selectable<ProgrammeMessagesTable>;

/** The engagement tables' queries (R-ENG-1..7); every one names its programme. */

export function toEntryView(e: EntryRow): EntryView {
  return {
    clientId: e.client_id,
    day: e.day,
    itemIndex: e.item_index,
    setsDone: e.sets_done,
    pain: e.pain,
    difficulty: e.difficulty,
    comment: e.comment,
    recordedAt: e.created_at.toISOString(),
    updatedAt: e.updated_at.toISOString(),
  };
}

export type EntryValues = Pick<EntryRow, 'day' | 'item_index' | 'exercise_id' | 'sets_done' | 'pain' | 'difficulty' | 'comment'>;

/**
 * R-ENG-2: stores an entry once per client id. Concurrent sends of one client id meet at the unique
 * key: one inserts, the others find it. Answers the row and whether this call created it.
 */
export async function insertEntryOnce(tx: Tx, programmeId: string, clientId: string, deviceId: string, values: EntryValues, now: Date): Promise<{ row: EntryRow; created: boolean }> {
  const inserted = await tx
    .insertInto('programme_entries')
    .values({ id: newId(), programme_id: programmeId, client_id: clientId, device_id: deviceId, ...values, created_at: now, updated_at: now, deleted_at: null })
    .onConflict((oc) => oc.columns(['programme_id', 'client_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { row: inserted, created: true };
  const existing = await tx.selectFrom('programme_entries').selectAll().where('programme_id', '=', programmeId).where('client_id', '=', clientId).forUpdate().executeTakeFirstOrThrow();
  return { row: existing, created: false };
}

export async function updateEntry(tx: Tx, id: string, values: EntryValues, now: Date): Promise<EntryRow> {
  return tx.updateTable('programme_entries').set({ ...values, updated_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export function entryByClientId(tx: Tx, programmeId: string, clientId: string, forUpdate = false) {
  let q = tx.selectFrom('programme_entries').selectAll().where('programme_id', '=', programmeId).where('client_id', '=', clientId);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Takes an entry back; its row stays as a tombstone of its client id (R-ENG-2). */
export async function deleteEntry(tx: Tx, id: string, now: Date): Promise<void> {
  await tx.updateTable('programme_entries').set({ deleted_at: now, updated_at: now }).where('id', '=', id).execute();
}

/** A programme's entries (not taken back) of the days `from`…`to`, in the order they were recorded. */
function entriesOfDays(q: Queryable, programmeId: string, from: string, to: string) {
  return q
    .selectFrom('programme_entries')
    .where('programme_id', '=', programmeId)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .where('deleted_at', 'is', null)
    .orderBy('day')
    .orderBy('created_at')
    .orderBy('id');
}

export function entriesBetween(q: Queryable, programmeId: string, from: string, to: string): Promise<EntryRow[]> {
  return entriesOfDays(q, programmeId, from, to).selectAll().execute();
}

/** What the practitioner's charts read of the same entries: only the columns they use. */
export function chartEntriesBetween(q: Queryable, programmeId: string, from: string, to: string) {
  return entriesOfDays(q, programmeId, from, to).select(['day', 'item_index', 'exercise_id', 'sets_done', 'pain', 'difficulty', 'comment', 'created_at']).execute();
}

/** The last `n` pain ratings of a programme, oldest first. */
export async function lastPainRatings(tx: Tx, programmeId: string, n: number): Promise<number[]> {
  const rows = await tx
    .selectFrom('programme_entries')
    .select('pain')
    .where('programme_id', '=', programmeId)
    .where('pain', 'is not', null)
    .where('deleted_at', 'is', null)
    .orderBy('day', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(n)
    .execute();
  return rows.map((r) => r.pain!).reverse();
}

export async function lastActivity(q: Queryable, programmeId: string): Promise<Date | null> {
  const r = await q.selectFrom('programme_entries').select((eb) => eb.fn.max('updated_at').as('at')).where('programme_id', '=', programmeId).where('deleted_at', 'is', null).executeTakeFirst();
  return (r?.at as Date | null | undefined) ?? null;
}

/** The latest entry time of each of `programmeIds` (those without entries are absent). */
export async function lastActivities(q: Queryable, programmeIds: string[]): Promise<Map<string, Date>> {
  if (programmeIds.length === 0) return new Map();
  const rows = await q
    .selectFrom('programme_entries')
    .select(['programme_id', (eb) => eb.fn.max('updated_at').as('at')])
    .where('programme_id', 'in', programmeIds)
    .where('deleted_at', 'is', null)
    .groupBy('programme_id')
    .execute();
  return new Map(rows.map((r) => [r.programme_id, r.at as Date]));
}

/** When each of `programmeIds` last had a "no activity" alert raised or seen to (the next one counts from then). */
export async function lastInactivityAlerts(q: Queryable, programmeIds: string[]): Promise<Map<string, Date>> {
  if (programmeIds.length === 0) return new Map();
  const rows = await q
    .selectFrom('engagement_alerts')
    .select(['programme_id', (eb) => eb.fn.max(eb.fn.coalesce('resolved_at', 'raised_at')).as('at')])
    .where('programme_id', 'in', programmeIds)
    .where('kind', '=', 'inactive')
    .groupBy('programme_id')
    .execute();
  return new Map(rows.map((r) => [r.programme_id, r.at as Date]));
}

/** Raises an alert unless one of its kind is open; answers the new alert's id. */
export async function raiseAlert(tx: Tx, programmeId: string, kind: AlertKind, now: Date): Promise<string | null> {
  const r = await tx
    .insertInto('engagement_alerts')
    .values({ id: newId(), programme_id: programmeId, kind, raised_at: now, resolved_at: null, resolved_by: null })
    .onConflict((oc) => oc.columns(['programme_id', 'kind']).where('resolved_at', 'is', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  return r?.id ?? null;
}

/** Resolves open alerts of a programme (of one kind, or the one named); answers those resolved. */
export async function resolveAlerts(tx: Tx, programmeId: string, which: { kind: AlertKind } | { alertId: string }, by: string | null, now: Date): Promise<string[]> {
  let q = tx.updateTable('engagement_alerts').set({ resolved_at: now, resolved_by: by }).where('programme_id', '=', programmeId).where('resolved_at', 'is', null);
  q = 'kind' in which ? q.where('kind', '=', which.kind) : q.where('id', '=', which.alertId);
  const rows = await q.returning('id').execute();
  return rows.map((r) => r.id);
}

export function openAlerts(q: Queryable, programmeId: string) {
  return q.selectFrom('engagement_alerts').select(['id', 'kind', 'raised_at']).where('programme_id', '=', programmeId).where('resolved_at', 'is', null).orderBy('raised_at', 'desc').execute();
}

type ProgrammeIds = SelectQueryBuilder<Database, keyof Database, { id: string }>;

/** Open alerts of the programmes a subquery names, newest first. */
export function openAlertsOf(q: Queryable, programmeIds: ProgrammeIds, limit: number) {
  return q
    .selectFrom('engagement_alerts')
    .select(['id', 'programme_id', 'kind', 'raised_at'])
    .where('resolved_at', 'is', null)
    .where('programme_id', 'in', programmeIds)
    .orderBy('raised_at', 'desc')
    .limit(limit)
    .execute();
}

/** Unread patient messages of the programmes a subquery names: how many and the latest, per programme. */
export function unreadFromPatientsOf(q: Queryable, programmeIds: ProgrammeIds, limit: number) {
  return q
    .selectFrom('programme_messages')
    .select(['programme_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('created_at').as('at')])
    .where('author', '=', 'patient')
    .where('read_at', 'is', null)
    .where('programme_id', 'in', programmeIds)
    .groupBy('programme_id')
    .orderBy((eb) => eb.fn.max('created_at'), 'desc')
    .limit(limit)
    .execute();
}

export async function insertMessageOnce(
  tx: Tx,
  programmeId: string,
  clientId: string,
  values: Pick<MessageRow, 'author' | 'author_account_id' | 'device_id' | 'body'>,
  now: Date,
): Promise<{ row: MessageRow; created: boolean }> {
  const inserted = await tx
    .insertInto('programme_messages')
    .values({ id: newId(), programme_id: programmeId, client_id: clientId, ...values, created_at: now, read_at: null })
    .onConflict((oc) => oc.columns(['programme_id', 'client_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { row: inserted, created: true };
  const existing = await tx.selectFrom('programme_messages').selectAll().where('programme_id', '=', programmeId).where('client_id', '=', clientId).executeTakeFirstOrThrow();
  return { row: existing, created: false };
}

/** The thread, oldest first (the latest 500). */
export async function thread(q: Queryable, programmeId: string): Promise<MessageRow[]> {
  const rows = await q.selectFrom('programme_messages').selectAll().where('programme_id', '=', programmeId).orderBy('seq', 'desc').limit(500).execute();
  return rows.reverse();
}

/** Marks the other side's messages read; answers how many were unread. */
export async function markRead(tx: Tx, programmeId: string, author: 'patient' | 'practice', now: Date): Promise<number> {
  const r = await tx.updateTable('programme_messages').set({ read_at: now }).where('programme_id', '=', programmeId).where('author', '=', author).where('read_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function countUnread(q: Queryable, programmeId: string, author: 'patient' | 'practice'): Promise<number> {
  const r = await q.selectFrom('programme_messages').select((eb) => eb.fn.countAll<number>().as('n')).where('programme_id', '=', programmeId).where('author', '=', author).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return Number(r.n);
}

export function reminderOf(q: Queryable, programmeId: string) {
  return q.selectFrom('programme_reminders').select(['weekdays', 'at_time', 'time_zone', 'email', 'next_at']).where('programme_id', '=', programmeId).executeTakeFirst();
}

/** Programmes with an entry on or after `since`, as a subquery of programme ids. */
export function programmeIdsActiveSince(q: Queryable, since: string) {
  return q.selectFrom('programme_entries').select('programme_entries.programme_id as id').where('programme_entries.day', '>=', since).where('programme_entries.deleted_at', 'is', null);
}

export function alertOfProgramme(q: Queryable, programmeId: string, alertId: string) {
  return q.selectFrom('engagement_alerts').select(['id', 'resolved_at']).where('programme_id', '=', programmeId).where('id', '=', alertId).executeTakeFirst();
}

/** A page of the thread, oldest first, after the message numbered `afterSeq` (the public API's cursor). */
export function threadPage(q: Queryable, programmeId: string, afterSeq: number, limit: number): Promise<MessageRow[]> {
  return q.selectFrom('programme_messages').selectAll().where('programme_id', '=', programmeId).where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}

/** A window of change times and the place after which a page starts (the FHIR interface, R-INT-5). */
export interface ChangePage {
  changedFrom: Date | null;
  changedBefore: Date | null;
  /** The last row of the page before: PostgreSQL's text of its change time, and its key. */
  after: { at: string; key: string } | null;
  limit: number;
}

/** What the FHIR interface reads as Observations: a pain rating, or a programme's day with exercises done (R-ENG-1). */
export interface ObservationRow {
  kind: 'pain' | 'session';
  /** The Observation's id: pain-<entry id>, or session-<programme id>-<YYYYMMDD>. */
  key: string;
  entry_id: string | null;
  programme_id: string;
  day: string;
  at: Date;
  at_text: string;
  pain: number | null;
  recorded_at: Date | null;
  /** Taken back by the patient: the entry (pain), or every exercise done that day (session). */
  taken_back: boolean;
  /** Different exercises done that day, not counting an entry for the whole session. */
  exercises_done: number;
  /** The patient recorded the whole session that day. */
  whole_session: boolean;
}

/**
 * Pain ratings and days with exercises done, of the programmes a subquery names, one page in order
 * of change then key and the count of all matches (the FHIR interface, R-INT-5). Entries taken back
 * stay in (marked), so that a system copying them learns of it. A day's change time is its latest
 * entry's; "done" is any entry but one of no sets (R-ENG-1).
 */
export function observationQueries(
  q: Queryable,
  programmeIds: ProgrammeIds,
  f: ChangePage & { pain: boolean; sessions: boolean; entryId?: string; programmeId?: string; dayFrom: string | null; dayTo: string | null },
) {
  const narrowed = <T extends SelectQueryBuilder<Database, 'programme_entries', object>>(query: T): T => {
    let out = query.where('programme_entries.programme_id', 'in', programmeIds) as T;
    if (f.programmeId) out = out.where('programme_entries.programme_id', '=', f.programmeId) as T;
    if (f.dayFrom) out = out.where('programme_entries.day', '>=', f.dayFrom) as T;
    if (f.dayTo) out = out.where('programme_entries.day', '<=', f.dayTo) as T;
    return out;
  };
  let pain = narrowed(q.selectFrom('programme_entries'))
    .where('programme_entries.pain', 'is not', null)
    .select([
      sql<'pain' | 'session'>`'pain'`.as('kind'),
      sql<string>`'pain-' || programme_entries.id::text`.as('key'),
      sql<string | null>`programme_entries.id::text`.as('entry_id'),
      'programme_entries.programme_id',
      'programme_entries.day',
      sql<Date>`programme_entries.updated_at`.as('at'),
      sql<number | null>`programme_entries.pain::int`.as('pain'),
      sql<Date | null>`programme_entries.created_at`.as('recorded_at'),
      sql<boolean>`programme_entries.deleted_at is not null`.as('taken_back'),
      sql<number>`0`.as('exercises_done'),
      sql<boolean>`false`.as('whole_session'),
    ]);
  if (f.entryId) pain = pain.where('programme_entries.id', '=', f.entryId);
  const done = sql<boolean>`programme_entries.sets_done is distinct from 0`;
  const sessions = narrowed(q.selectFrom('programme_entries'))
    .where(done)
    .groupBy(['programme_entries.programme_id', 'programme_entries.day'])
    .select([
      sql<'pain' | 'session'>`'session'`.as('kind'),
      sql<string>`'session-' || programme_entries.programme_id::text || '-' || to_char(programme_entries.day, 'YYYYMMDD')`.as('key'),
      sql<string | null>`null::text`.as('entry_id'),
      'programme_entries.programme_id',
      'programme_entries.day',
      sql<Date>`max(programme_entries.updated_at)`.as('at'),
      sql<number | null>`null::int`.as('pain'),
      sql<Date | null>`null::timestamptz`.as('recorded_at'),
      sql<boolean>`not bool_or(programme_entries.deleted_at is null)`.as('taken_back'),
      sql<number>`(count(distinct programme_entries.exercise_id) filter (where programme_entries.deleted_at is null and programme_entries.item_index is not null))::int`.as('exercises_done'),
      sql<boolean>`coalesce(bool_or(programme_entries.deleted_at is null and programme_entries.item_index is null), false)`.as('whole_session'),
    ]);
  const union = f.pain && f.sessions && !f.entryId ? pain.unionAll(sessions) : f.pain ? pain : sessions;
  let all = q.selectFrom(union.as('o'));
  if (f.changedFrom) all = all.where('o.at', '>=', f.changedFrom);
  if (f.changedBefore) all = all.where('o.at', '<', f.changedBefore);
  let page = all.selectAll().select(sql<string>`to_char(o.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('at_text'));
  if (f.after) {
    const at = sql<Date>`${f.after.at}::timestamptz`;
    const key = f.after.key;
    page = page.where((eb) => eb.or([eb('o.at', '>', at), eb.and([eb('o.at', '=', at), eb('o.key', '>', key)])]));
  }
  return {
    page: page.orderBy('o.at').orderBy('o.key').limit(f.limit),
    count: all.select((eb) => eb.fn.countAll<number>().as('n')),
  };
}

/**
 * Messages of the programmes a subquery names (only the one asked for, on a read), one page in
 * order of sending then id and the count of all matches (the FHIR interface, R-INT-5). A message
 * never changes once sent: its change time is its sending time.
 */
export function messageSearchQueries(q: Queryable, programmeIds: ProgrammeIds, f: ChangePage & { messageId?: string }) {
  let all = q.selectFrom('programme_messages').where('programme_messages.programme_id', 'in', programmeIds);
  if (f.messageId) all = all.where('programme_messages.id', '=', f.messageId);
  if (f.changedFrom) all = all.where('programme_messages.created_at', '>=', f.changedFrom);
  if (f.changedBefore) all = all.where('programme_messages.created_at', '<', f.changedBefore);
  let page = all.selectAll().select(sql<string>`to_char(programme_messages.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('at_text'));
  if (f.after) {
    const at = sql<Date>`${f.after.at}::timestamptz`;
    const key = f.after.key;
    page = page.where((eb) => eb.or([eb('programme_messages.created_at', '>', at), eb.and([eb('programme_messages.created_at', '=', at), eb('programme_messages.id', '>', key)])]));
  }
  return {
    page: page.orderBy('programme_messages.created_at').orderBy('programme_messages.id').limit(f.limit),
    count: all.select((eb) => eb.fn.countAll<number>().as('n')),
  };
}

import { expressionBuilder, sql, type Expression, type Insertable, type SelectQueryBuilder } from 'kysely';
import type { Db, Queryable, Tx } from '../platform/db/database.ts';
import type { AccountsTable, Database, PracticeDetails } from '../platform/db/schema.ts';

// The accounts table as other capabilities reach it (ENGINEERING §3: only the owner queries its
// tables). A caller inside a transaction passes it, so reads and locks stay in that transaction.

/**
 * Locks one person's account row until commit. Writers of a practitioner's own lists (patients and
 * their external ids, R-PAT-1; a trial per account, R-SUB-1; the one live session) serialise on it.
 */
export async function lockAccount(tx: Tx, accountId: string): Promise<void> {
  await tx.selectFrom('accounts').select('id').where('id', '=', accountId).forUpdate().executeTakeFirstOrThrow();
}

/** Locks several accounts in id order, the order every multi-account writer takes, so none deadlock. */
export async function lockAccounts(tx: Tx, accountIds: string[]): Promise<void> {
  await tx.selectFrom('accounts').select('id').where('id', 'in', accountIds).orderBy('id').forUpdate().execute();
}

/** The id of the account registered with `email`, if there is one. */
export async function accountIdByEmail(q: Queryable, email: string): Promise<string | undefined> {
  const row = await q.selectFrom('accounts').select('id').where('email', '=', email).executeTakeFirst();
  return row?.id;
}

export async function accountByEmail(q: Queryable, email: string): Promise<{ id: string; email: string; name: string } | undefined> {
  return q.selectFrom('accounts').select(['id', 'email', 'name']).where('email', '=', email).executeTakeFirst();
}

export async function accountEmail(q: Queryable, accountId: string): Promise<string> {
  return (await q.selectFrom('accounts').select('email').where('id', '=', accountId).executeTakeFirstOrThrow()).email;
}

export async function accountName(q: Queryable, accountId: string): Promise<string> {
  return (await q.selectFrom('accounts').select('name').where('id', '=', accountId).executeTakeFirstOrThrow()).name;
}

/** The person's own practice details (R-ORG-4). */
export async function accountPractice(q: Queryable, accountId: string): Promise<PracticeDetails> {
  return (await q.selectFrom('accounts').select('practice').where('id', '=', accountId).executeTakeFirstOrThrow()).practice;
}

/** The person's own practice logo (R-ACC-1), as stored: PNG, JPEG or WebP; null without one. */
export async function accountLogo(q: Queryable, accountId: string): Promise<{ mimeType: string; data: Buffer } | null> {
  const row = await q.selectFrom('account_logos').select(['mime_type', 'data']).where('account_id', '=', accountId).executeTakeFirst();
  // PGlite answers bytea as a Uint8Array, pg as a Buffer: callers get a Buffer either way (no copy).
  return row ? { mimeType: row.mime_type, data: Buffer.from(row.data.buffer, row.data.byteOffset, row.data.byteLength) } : null;
}

export async function setAccountPractice(q: Queryable, accountId: string, practice: PracticeDetails, now: Date): Promise<void> {
  await q.updateTable('accounts').set({ practice: JSON.stringify(practice), updated_at: now }).where('id', '=', accountId).execute();
}

/**
 * R-ORG-4: a change of practice defaults applies to every listed account; only the fields `set`
 * names are overwritten, each person's other fields stay.
 */
export async function mergeAccountsPractice(q: Queryable, accountIds: string[], set: PracticeDetails, now: Date): Promise<void> {
  await q
    .updateTable('accounts')
    .set({ practice: sql<PracticeDetails>`practice || ${JSON.stringify(set)}::jsonb`, updated_at: now })
    .where('id', 'in', accountIds)
    .execute();
}

/** Marks the address confirmed unless it was already (R-ACC-3); whether this call confirmed it. */
export async function confirmAccountEmail(q: Queryable, accountId: string, now: Date): Promise<boolean> {
  const confirmed = await q.updateTable('accounts').set({ email_verified_at: now }).where('id', '=', accountId).where('email_verified_at', 'is', null).executeTakeFirst();
  return Number(confirmed.numUpdatedRows) > 0;
}

export async function setAccountContact(q: Queryable, accountId: string, contact: { profession: string | null; phone: string | null }): Promise<void> {
  await q.updateTable('accounts').set(contact).where('id', '=', accountId).execute();
}

export async function insertAccountRow(q: Queryable, row: Insertable<AccountsTable>): Promise<void> {
  await q.insertInto('accounts').values(row).execute();
}

export async function countAccounts(db: Db): Promise<number> {
  return Number((await db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

/** The operator tool's account list, oldest first. */
export async function listAccounts(db: Db, limit: number) {
  return db.selectFrom('accounts').select(['id', 'email', 'name', 'email_verified_at', 'is_operator', 'created_at']).orderBy('created_at').limit(limit).execute();
}

/**
 * The name of the account `accountId` refers to (a column of the caller's query, `eb.ref(...)`), as a
 * correlated subquery the caller selects in its own statement: `accountNameOf(eb.ref('t.owner_id')).as('owner_name')`.
 */
export function accountNameOf(accountId: Expression<string | null>) {
  return expressionBuilder<Database, never>().selectFrom('accounts').select('accounts.name').where('accounts.id', '=', accountId);
}

/** Joins the account that acted (as `actor`, absent for the public and the system) to audit records, for its name. */
export function joinActingAccount<O>(qb: SelectQueryBuilder<Database, 'audit_log', O>) {
  return qb.leftJoin('accounts as actor', 'actor.id', 'audit_log.account_id');
}

/** What a request acting as the account needs to know of it (an API key's owner, R-INT-3). */
export async function actorAccount(q: Queryable, accountId: string) {
  return q.selectFrom('accounts').select(['email', 'name', 'is_operator', 'email_verified_at']).where('id', '=', accountId).executeTakeFirst();
}

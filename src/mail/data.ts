import type { Db } from '../platform/db/database.ts';

/** The newest messages of the outbox, whatever their status, for the operator tool's listing. */
export async function latestOutboxEmails(db: Db, limit: number) {
  return db.selectFrom('outbox_emails').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
}

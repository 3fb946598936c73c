import { sql, type Kysely } from 'kysely';

// Mail throttling: how many messages of one kind went to one recipient, or from one organisation,
// within the last window. One row per key, locked by the transaction that queues a message, so the
// count is exact however many requests arrive at once, and rolls back with a refused change.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table mail_throttle (
      -- What is counted, e.g. "invitation:to:<sha-256 of the address>" or "invitation:org:<id>";
      -- addresses are kept only as their hash.
      key text primary key check (length(key) between 1 and 200),
      -- Send times (epoch milliseconds) inside the window, oldest first: never more than the limit.
      sent jsonb not null default '[]'::jsonb check (jsonb_typeof(sent) = 'array'),
      updated_at timestamptz not null
    )`.execute(db);
}

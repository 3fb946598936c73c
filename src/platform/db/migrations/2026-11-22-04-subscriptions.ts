import { sql, type Kysely } from 'kysely';

// Individual subscriptions (SPEC section 7). A subscription is a billing account of its own kind:
// its subscriber is the owner, colleagues are members, and it shares the licence pool, ledger,
// invoices and collection of organisations. Its life is read from dates, so that it needs no
// sweep to be right: a trial lapses at trial_ends_at, a cancellation takes effect on ends_on.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table organisations add column kind text not null default 'organisation' check (kind in ('organisation', 'subscription'))`.execute(db);
  // The instant the free trial lapses (R-SUB-1); kept after the trial for the record.
  await sql`alter table organisations add column trial_ends_at timestamptz`.execute(db);
  // The local date from which the current paid period runs; null while in trial (R-SUB-1, R-SUB-3).
  await sql`alter table organisations add column paid_from date`.execute(db);
  // The first local date no longer covered: the 1st of next month once cancelled (R-SUB-3), the
  // day of joining an organisation (R-PRA-7).
  await sql`alter table organisations add column ends_on date`.execute(db);
  await sql`alter table organisations add column end_reason text check (end_reason in ('cancelled', 'joined_organisation'))`.execute(db);
  await sql`
    alter table organisations add constraint organisations_subscription_fields check (
      kind = 'subscription' or (trial_ends_at is null and paid_from is null and ends_on is null and end_reason is null)
    )`.execute(db);
  await sql`alter table organisations add constraint organisations_end_has_reason check ((ends_on is null) = (end_reason is null))`.execute(db);
  // One subscription per account: an ended one is restarted, not replaced (R-SUB-3).
  await sql`create unique index organisations_one_subscription on organisations (owner_account_id) where kind = 'subscription'`.execute(db);

  // A paid period starting (trial turned paid, restart) charges licences already counted in the pool.
  await sql`alter table licence_ledger drop constraint licence_ledger_cause_check`.execute(db);
  await sql`
    alter table licence_ledger add constraint licence_ledger_cause_check check (
      cause in ('invitation', 'access_granted', 'bulk_purchase', 'licences_removed', 'subscription_started', 'subscription_credit')
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted');
}

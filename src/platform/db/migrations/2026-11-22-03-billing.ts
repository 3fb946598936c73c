import { sql, type Kysely } from 'kysely';

// The durable job queue, invoices with their lines and numbers, payment attempts, and the test
// gateway's memory of charges (SPEC R-LIC-5..7).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table jobs (
      id uuid primary key,
      kind text not null,
      payload jsonb not null default '{}'::jsonb,
      dedupe_key text,
      run_at timestamptz not null,
      attempts integer not null default 0,
      max_attempts integer not null default 10,
      locked_by text,
      locked_until timestamptz,
      last_error text,
      state text not null default 'pending' check (state in ('pending', 'done', 'failed')),
      created_at timestamptz not null,
      finished_at timestamptz
    )`.execute(db);
  await sql`create unique index jobs_dedupe on jobs (dedupe_key) where dedupe_key is not null`.execute(db);
  await sql`create index jobs_due on jobs (run_at) where state = 'pending'`.execute(db);

  await sql`alter table organisations add column credit_minor integer not null default 0 check (credit_minor >= 0)`.execute(db);

  // Invoice numbers come from one counter row, advanced in the invoice's own transaction: a number
  // is used exactly when its invoice commits, so numbers are never skipped nor reused (R-LIC-6).
  await sql`create table invoice_counter (id boolean primary key default true check (id), next_number bigint not null)`.execute(db);
  await sql`insert into invoice_counter (id, next_number) values (true, 1)`.execute(db);

  await sql`
    create table invoices (
      id uuid primary key,
      organisation_id uuid not null references organisations(id),
      number bigint not null unique,
      kind text not null check (kind in ('monthly', 'interim')),
      period text check (period ~ '^[0-9]{4}-[0-9]{2}$'),
      issued_at timestamptz not null,
      local_date date not null,
      currency text not null,
      subtotal_minor integer not null,
      credit_applied_minor integer not null check (credit_applied_minor >= 0),
      total_minor integer not null check (total_minor >= 0),
      credit_carried_minor integer not null check (credit_carried_minor >= 0),
      collection text not null check (collection in ('card', 'manual')),
      status text not null check (status in ('due', 'paid', 'failed', 'nothing_due')),
      paid_at timestamptz,
      constraint invoices_monthly_has_period check ((kind = 'monthly') = (period is not null))
    )`.execute(db);
  // One monthly invoice per organisation and period, whatever runs the job (R-LIC-5).
  await sql`create unique index invoices_one_per_period on invoices (organisation_id, period) where kind = 'monthly'`.execute(db);
  await sql`create index invoices_org_issued on invoices (organisation_id, issued_at desc)`.execute(db);

  await sql`
    create table invoice_lines (
      id uuid primary key,
      invoice_id uuid not null references invoices(id),
      position integer not null,
      kind text not null check (kind in ('licences', 'charge', 'credit', 'credit_applied')),
      description text not null,
      quantity integer,
      unit_price_minor integer,
      amount_minor integer not null,
      local_date date,
      ledger_id uuid references licence_ledger(id),
      unique (invoice_id, position)
    )`.execute(db);
  await sql`create unique index invoice_lines_ledger_once on invoice_lines (ledger_id) where ledger_id is not null`.execute(db);

  await sql`
    create table payment_attempts (
      id uuid primary key,
      invoice_id uuid not null references invoices(id),
      attempt integer not null check (attempt >= 1),
      -- The scheduled round (1 on issue, then days 1, 3 and 7); null for "retry now" from the console.
      round integer check (round between 1 and 4),
      reference text not null unique,
      payment_method_id uuid references payment_methods(id),
      amount_minor integer not null,
      status text not null check (status in ('started', 'succeeded', 'failed')),
      failure_reason text,
      created_at timestamptz not null,
      finished_at timestamptz,
      unique (invoice_id, attempt)
    )`.execute(db);
  await sql`create unique index payment_attempts_one_per_round on payment_attempts (invoice_id, round) where round is not null`.execute(db);

  // The built-in test gateway keeps its charges, so that a repeated reference is answered with the
  // first result instead of charging again (as real gateways do with idempotency keys).
  await sql`
    create table test_gateway_charges (
      reference text primary key,
      token text not null,
      amount_minor integer not null,
      currency text not null,
      outcome text not null,
      created_at timestamptz not null
    )`.execute(db);

  await sql`alter table licence_ledger drop constraint licence_ledger_cause_check`.execute(db);
  await sql`alter table licence_ledger add constraint licence_ledger_cause_check check (cause in ('invitation', 'access_granted', 'bulk_purchase', 'licences_removed', 'subscription_credit'))`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted');
}

import { sql, type Kysely } from 'kysely';

// Accounts, sessions, one-time tokens, drafts, throttling, the mail outbox and the audit trail.
// Migrations never import application code: they are frozen at the moment they land.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table accounts (
      id uuid primary key,
      email text not null,
      name text not null check (length(name) between 1 and 200),
      profession text check (length(profession) <= 200),
      phone text check (phone ~ '^\\+[1-9][0-9]{6,14}$'),
      practice jsonb not null default '{}'::jsonb,
      password_hash text not null,
      email_verified_at timestamptz,
      password_reset_required boolean not null default false,
      is_operator boolean not null default false,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      constraint accounts_email_normalised check (email = lower(btrim(email)) and length(email) between 3 and 254)
    )`.execute(db);
  await sql`create unique index accounts_email_unique on accounts (email)`.execute(db);

  await sql`
    create table account_logos (
      account_id uuid primary key references accounts(id) on delete cascade,
      mime_type text not null check (mime_type in ('image/png', 'image/jpeg', 'image/webp')),
      data bytea not null check (octet_length(data) <= 2097152),
      updated_at timestamptz not null
    )`.execute(db);

  await sql`
    create table sessions (
      id uuid primary key,
      account_id uuid not null references accounts(id) on delete cascade,
      token_hash bytea not null,
      csrf_token text not null,
      created_at timestamptz not null,
      last_seen_at timestamptz not null,
      expires_at timestamptz not null,
      ip text,
      user_agent text,
      ended_at timestamptz,
      end_reason text check (end_reason in ('signed_out', 'replaced', 'expired', 'password_reset', 'password_changed', 'reported_not_me')),
      replaced_by uuid references sessions(id),
      constraint sessions_end_consistent check ((ended_at is null) = (end_reason is null))
    )`.execute(db);
  await sql`create unique index sessions_token_hash_unique on sessions (token_hash)`.execute(db);
  // R-SES-1: at most one session per account is not ended, whatever the concurrency.
  await sql`create unique index sessions_one_live_per_account on sessions (account_id) where ended_at is null`.execute(db);
  await sql`create index sessions_account_created on sessions (account_id, created_at desc)`.execute(db);

  await sql`
    create table account_tokens (
      id uuid primary key,
      account_id uuid not null references accounts(id) on delete cascade,
      purpose text not null check (purpose in ('verify_email', 'reset_password')),
      token_hash bytea not null unique,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz
    )`.execute(db);
  await sql`create index account_tokens_account on account_tokens (account_id, purpose) where used_at is null`.execute(db);

  await sql`
    create table drafts (
      account_id uuid not null references accounts(id) on delete cascade,
      editor text not null check (editor ~ '^[a-z][a-z0-9-]{0,39}$'),
      object_key text not null check (object_key ~ '^[A-Za-z0-9_-]{1,64}$'),
      data jsonb not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      primary key (account_id, editor, object_key)
    )`.execute(db);

  await sql`
    create table throttle_counters (
      key text primary key,
      window_start timestamptz not null,
      count integer not null check (count >= 0)
    )`.execute(db);

  await sql`
    create table outbox_emails (
      id uuid primary key,
      to_address text not null,
      subject text not null,
      text_body text not null,
      html_body text,
      created_at timestamptz not null,
      status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
      attempts integer not null default 0,
      last_error text,
      sent_at timestamptz
    )`.execute(db);
  await sql`create index outbox_emails_pending on outbox_emails (created_at) where status = 'pending'`.execute(db);

  // R-AUD-2/3: one row per attributable act, chained per tenant by hash. Rows are append-only.
  await sql`
    create table audit_log (
      id bigint generated always as identity primary key,
      chain text not null,
      chain_seq bigint not null,
      at timestamptz not null,
      account_id uuid,
      session_id uuid,
      organisation_id uuid,
      action text not null,
      target_type text,
      target_id text,
      outcome text not null check (outcome in ('success', 'failure', 'denied')),
      ip text,
      user_agent text,
      request_id text,
      details jsonb not null default '{}'::jsonb,
      prev_hash text not null,
      hash text not null,
      unique (chain, chain_seq)
    )`.execute(db);
  await sql`create index audit_log_account_at on audit_log (account_id, at desc)`.execute(db);
  await sql`create index audit_log_organisation_at on audit_log (organisation_id, at desc) where organisation_id is not null`.execute(db);
  await sql`
    create table audit_chain_heads (
      chain text primary key,
      seq bigint not null,
      hash text not null
    )`.execute(db);
  await sql`
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only: % is not allowed', tg_op using errcode = '42501';
    end $$`.execute(db);
  await sql`
    create trigger audit_log_no_update_delete before update or delete on audit_log
    for each row execute function audit_log_append_only()`.execute(db);
  await sql`
    create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_append_only()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The foundation migration cannot be reverted');
}

import { sql, type Kysely } from 'kysely';

// Webhooks (R-INT-4): endpoints of a practitioner or an organisation, the events sent to each
// (one delivery per endpoint and event id), and every attempt to send one, as the delivery log.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table webhook_endpoints (
      id uuid primary key,
      -- Exactly one owner: a practitioner's own endpoint, or an organisation's.
      account_id uuid references accounts(id) on delete cascade,
      organisation_id uuid references organisations(id) on delete cascade,
      url text not null check (length(url) between 8 and 2000),
      description text not null default '' check (length(description) <= 200),
      events text[] not null check (cardinality(events) between 1 and 6
        and events <@ array['programme.assigned', 'session.recorded', 'pain.reported', 'message.received', 'patient.transferred', 'practitioner.access_removed']),
      -- The signing secret, encrypted with the operator's key (AES-256-GCM); shown once, when made.
      secret_ciphertext bytea not null,
      -- After a rotation the previous secret still signs for a while, so receivers can switch over.
      previous_secret_ciphertext bytea,
      previous_secret_expires_at timestamptz,
      secret_rotated_at timestamptz,
      enabled boolean not null default true,
      disabled_at timestamptz,
      disabled_reason text check (disabled_reason in ('by_owner', 'failing')),
      -- Since when every attempt has failed (null: the last attempt succeeded, or none was made).
      failing_since timestamptz,
      created_by uuid references accounts(id) on delete set null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      constraint webhook_endpoints_one_owner check ((account_id is null) <> (organisation_id is null)),
      constraint webhook_endpoints_previous_secret check ((previous_secret_ciphertext is null) = (previous_secret_expires_at is null)),
      constraint webhook_endpoints_disabled check (enabled = (disabled_at is null) and (disabled_at is null) = (disabled_reason is null))
    )`.execute(db);
  await sql`create index webhook_endpoints_account on webhook_endpoints (account_id, created_at desc) where account_id is not null`.execute(db);
  await sql`create index webhook_endpoints_organisation on webhook_endpoints (organisation_id, created_at desc) where organisation_id is not null`.execute(db);

  await sql`
    create table webhook_deliveries (
      id uuid primary key,
      endpoint_id uuid not null references webhook_endpoints(id) on delete cascade,
      -- The Standard Webhooks message id (webhook-id header): the same for every attempt.
      event_id text not null check (event_id ~ '^msg_[0-9a-f]{32}$'),
      event_type text not null check (length(event_type) between 1 and 64),
      -- The exact JSON body sent, so that every attempt and resend is byte for byte the same.
      body text not null,
      state text not null check (state in ('pending', 'delivered', 'failed')),
      attempts integer not null default 0 check (attempts >= 0),
      -- Scheduled attempts made (the back-off's position); resends do not count here.
      rounds integer not null default 0 check (rounds >= 0),
      last_attempt_at timestamptz,
      last_status_code integer,
      last_error text,
      next_attempt_at timestamptz,
      delivered_at timestamptz,
      created_at timestamptz not null,
      constraint webhook_deliveries_once unique (endpoint_id, event_id)
    )`.execute(db);
  await sql`create index webhook_deliveries_log on webhook_deliveries (endpoint_id, created_at desc, id)`.execute(db);

  await sql`
    create table webhook_attempts (
      id uuid primary key,
      delivery_id uuid not null references webhook_deliveries(id) on delete cascade,
      attempted_at timestamptz not null,
      trigger text not null check (trigger in ('scheduled', 'resend')),
      status_code integer,
      error text check (length(error) <= 500),
      duration_ms integer not null check (duration_ms >= 0)
    )`.execute(db);
  await sql`create index webhook_attempts_delivery on webhook_attempts (delivery_id, attempted_at desc)`.execute(db);
}

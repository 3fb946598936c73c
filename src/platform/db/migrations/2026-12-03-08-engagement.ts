import { sql, type Kysely } from 'kysely';

// Patient engagement (SPEC section 9a). Everything here belongs to a programme and so to its
// patient: it moves with a transfer and goes when the patient is erased (R-ENG-7). At scale the
// entries table grows by millions of rows a day; every query reads it by programme, so it
// partitions by hash of programme_id (docs/SCALING.md), which keeps the client-id key local.
export async function up(db: Kysely<unknown>): Promise<void> {
  // R-ENG-6: each programme's alert settings.
  await sql`alter table programmes add column pain_alert_at smallint not null default 7 check (pain_alert_at between 0 and 10)`.execute(db);
  await sql`alter table programmes add column inactivity_alert_days smallint check (inactivity_alert_days between 1 and 60)`.execute(db);
  await sql`update programmes set inactivity_alert_days = 3`.execute(db);
  await sql`alter table programmes alter column inactivity_alert_days set default 3`.execute(db);

  // R-PRG-2: a device that opened the programme holds its own token (stored only hashed).
  await sql`
    create table programme_devices (
      id uuid primary key,
      programme_id uuid not null references programmes(id) on delete cascade,
      -- A programme never changes patient: the device names both, so that one read resolves it.
      patient_id uuid not null references patients(id) on delete cascade,
      token_hash bytea not null unique,
      -- R-ENG-4: the device's calendar feed, revoked with the device.
      feed_hash bytea unique,
      label text not null check (length(label) <= 200),
      created_at timestamptz not null,
      last_seen_at timestamptz not null,
      revoked_at timestamptz,
      revoked_reason text check (revoked_reason in ('signed_out', 'practitioner')),
      constraint programme_devices_revoked check ((revoked_at is null) = (revoked_reason is null))
    )`.execute(db);
  await sql`create index programme_devices_programme on programme_devices (programme_id, created_at desc)`.execute(db);

  // R-ENG-1, R-ENG-2: what the patient recorded, stored once per client id however often it is sent.
  await sql`
    create table programme_entries (
      id uuid primary key,
      programme_id uuid not null references programmes(id) on delete cascade,
      client_id uuid not null,
      day date not null,
      -- The exercise's place in the programme; null for the whole session.
      item_index smallint check (item_index between 0 and 99),
      exercise_id uuid,
      sets_done smallint check (sets_done between 0 and 50),
      pain smallint check (pain between 0 and 10),
      difficulty text check (difficulty in ('too_easy', 'about_right', 'too_hard')),
      comment text check (length(comment) <= 1000),
      device_id uuid references programme_devices(id) on delete set null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      -- Taken back by the patient: kept, so that a late resend of the client id does not bring it back.
      deleted_at timestamptz,
      constraint programme_entries_client unique (programme_id, client_id)
    )`.execute(db);
  await sql`create index programme_entries_day on programme_entries (programme_id, day)`.execute(db);

  // R-ENG-5: one thread per programme.
  await sql`
    create table programme_messages (
      id uuid primary key,
      -- The order of the thread: one clock tick can hold two messages.
      seq bigint generated always as identity,
      programme_id uuid not null references programmes(id) on delete cascade,
      client_id uuid not null,
      author text not null check (author in ('patient', 'practice')),
      author_account_id uuid references accounts(id),
      device_id uuid references programme_devices(id) on delete set null,
      body text not null check (length(body) between 1 and 2000),
      created_at timestamptz not null,
      read_at timestamptz,
      constraint programme_messages_client unique (programme_id, client_id),
      constraint programme_messages_author check ((author = 'practice') = (author_account_id is not null))
    )`.execute(db);
  await sql`create index programme_messages_thread on programme_messages (programme_id, seq)`.execute(db);

  // R-ENG-4: the patient's reminder, one per programme.
  await sql`
    create table programme_reminders (
      programme_id uuid primary key references programmes(id) on delete cascade,
      weekdays smallint[] not null,
      at_time text not null check (at_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
      time_zone text not null check (length(time_zone) <= 64),
      email text not null check (length(email) <= 254),
      unsubscribe_hash bytea not null unique,
      next_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index programme_reminders_due on programme_reminders (next_at) where next_at is not null`.execute(db);

  // R-ENG-6: what needs the practitioner's attention; one open alert of each kind per programme.
  await sql`
    create table engagement_alerts (
      id uuid primary key,
      programme_id uuid not null references programmes(id) on delete cascade,
      kind text not null check (kind in ('pain_high', 'pain_rising', 'inactive')),
      raised_at timestamptz not null,
      resolved_at timestamptz,
      resolved_by uuid references accounts(id)
    )`.execute(db);
  await sql`create unique index engagement_alerts_open on engagement_alerts (programme_id, kind) where resolved_at is null`.execute(db);

  // Mail headers (List-Unsubscribe for reminders, R-ENG-4).
  await sql`alter table outbox_emails add column headers jsonb`.execute(db);

  // R-ORG-4, R-ENG-8: the organisation's logo, set in Practice defaults; printed on the handouts
  // and shown on the patient's page of every patient treated in the organisation.
  await sql`
    create table organisation_logos (
      organisation_id uuid primary key references organisations(id) on delete cascade,
      mime_type text not null check (mime_type in ('image/png', 'image/jpeg', 'image/webp')),
      data bytea not null check (octet_length(data) <= 2097152),
      updated_at timestamptz not null
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted');
}

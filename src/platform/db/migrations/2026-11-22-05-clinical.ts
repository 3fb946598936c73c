import { sql, type Kysely } from 'kysely';

// Patients, the exercise library and programmes (SPEC section 8). A patient belongs to one
// practitioner account; programmes belong to their patient and move with it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table patients (
      id uuid primary key,
      owner_account_id uuid not null references accounts(id),
      first_name text not null check (length(first_name) between 1 and 200),
      last_name text not null check (length(last_name) between 1 and 200),
      year_of_birth integer not null check (year_of_birth between 1900 and 2100),
      gender text check (gender in ('female', 'male', 'diverse', 'unknown')),
      email text check (email = lower(btrim(email)) and length(email) between 3 and 254),
      mobile text check (mobile ~ '^\\+[1-9][0-9]{6,14}$'),
      external_id text check (length(external_id) between 1 and 100),
      diagnosis_code text check (length(diagnosis_code) between 1 and 50),
      patient_group text check (length(patient_group) between 1 and 100),
      archived_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  // R-PAT-1: the PMS's patient id is unique per practitioner.
  await sql`create unique index patients_external_id on patients (owner_account_id, external_id) where external_id is not null`.execute(db);
  await sql`create index patients_owner_name on patients (owner_account_id, lower(last_name), lower(first_name), id)`.execute(db);

  await sql`
    create table exercises (
      id uuid primary key,
      -- Stock exercises ship with Motus (their slug never changes); custom ones belong to a practitioner.
      slug text unique,
      owner_account_id uuid references accounts(id),
      name text not null check (length(name) between 1 and 200),
      body_region text not null,
      equipment text[] not null default '{}',
      kind text not null,
      description text not null check (length(description) <= 10000),
      steps text[] not null default '{}',
      defaults jsonb not null default '{}'::jsonb,
      image_mime text check (image_mime in ('image/png', 'image/jpeg', 'image/webp')),
      image bytea check (octet_length(image) <= 2097152),
      archived_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      constraint exercises_stock_or_custom check ((slug is null) <> (owner_account_id is null))
    )`.execute(db);
  await sql`create index exercises_owner on exercises (owner_account_id) where owner_account_id is not null`.execute(db);

  await sql`
    create table programmes (
      id uuid primary key,
      patient_id uuid not null references patients(id) on delete cascade,
      title text not null check (length(title) between 1 and 200),
      -- R-PRG-3: ended by the practitioner, or by its end date (read as ended from that day on).
      state text not null check (state in ('active', 'disabled', 'ended')),
      disabled_reason text check (disabled_reason in ('access_removed')),
      -- The removal that disabled it, so that granting access again re-activates exactly those (R-PRA-5).
      disabled_by_membership_id uuid,
      code text not null check (code ~ '^[a-z]{8}$'),
      start_date date not null,
      end_date date,
      track_adherence boolean not null default false,
      track_pain boolean not null default false,
      items jsonb not null,
      assigned_by uuid references accounts(id),
      assigned_at timestamptz not null,
      ended_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      constraint programmes_dates check (end_date is null or end_date >= start_date),
      constraint programmes_disabled_reason check ((state = 'disabled') = (disabled_reason is not null))
    )`.execute(db);
  // R-PRG-2: a code is unique among live programmes (an ended programme's code may come back).
  await sql`create unique index programmes_live_code on programmes (code) where state <> 'ended'`.execute(db);
  await sql`create index programmes_patient on programmes (patient_id, created_at desc)`.execute(db);

  await sql`
    create table programme_templates (
      id uuid primary key,
      owner_account_id uuid not null references accounts(id),
      title text not null check (length(title) between 1 and 200),
      track_adherence boolean not null default false,
      track_pain boolean not null default false,
      items jsonb not null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index programme_templates_owner on programme_templates (owner_account_id, lower(title))`.execute(db);

  // R-SHR-3: one patient shared by its owner with a colleague of the same organisation or subscription.
  await sql`
    create table patient_shares (
      id uuid primary key,
      patient_id uuid not null references patients(id) on delete cascade,
      from_account_id uuid not null references accounts(id),
      to_account_id uuid not null references accounts(id),
      organisation_id uuid not null references organisations(id),
      created_at timestamptz not null,
      ended_at timestamptz,
      end_reason text check (end_reason in ('ended', 'left_organisation', 'transferred')),
      constraint patient_shares_not_self check (from_account_id <> to_account_id),
      constraint patient_shares_end check ((ended_at is null) = (end_reason is null))
    )`.execute(db);
  await sql`create unique index patient_shares_one_open on patient_shares (patient_id, to_account_id) where ended_at is null`.execute(db);
  await sql`create index patient_shares_to on patient_shares (to_account_id) where ended_at is null`.execute(db);

  // R-SHR-1: the organisation's share group; R-SHR-2: its content account and who receives it.
  await sql`alter table organisations add column share_patients boolean not null default false`.execute(db);
  await sql`alter table organisations add column share_content boolean not null default false`.execute(db);
  await sql`alter table organisations add column content_account_id uuid references accounts(id)`.execute(db);
  await sql`alter table memberships add column in_share_group boolean not null default false`.execute(db);
  await sql`alter table memberships add column receives_content boolean not null default false`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted');
}

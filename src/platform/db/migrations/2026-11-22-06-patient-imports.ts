import { sql, type Kysely } from 'kysely';

// The console's Patient import: a CSV file run as a job into one practitioner's list (SPEC §8).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table patient_imports (
      id uuid primary key,
      organisation_id uuid not null references organisations(id),
      requested_by uuid not null references accounts(id),
      target_membership_id uuid not null references memberships(id),
      file_name text check (length(file_name) <= 200),
      csv text not null check (octet_length(csv) <= 1048576),
      status text not null check (status in ('pending', 'done', 'failed')),
      rows_total integer,
      created_count integer,
      updated_count integer,
      rejected jsonb,
      created_at timestamptz not null,
      finished_at timestamptz
    )`.execute(db);
  await sql`create index patient_imports_org on patient_imports (organisation_id, created_at desc)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted');
}

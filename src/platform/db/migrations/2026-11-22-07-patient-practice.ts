import { sql, type Kysely } from 'kysely';

// The practice (organisation or individual subscription) a patient is treated in: an
// organisation's admins import into, list and transfer only the patients of their own practice,
// never those a practitioner keeps elsewhere (R-PAT-2, R-TRF-1).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table patients add column organisation_id uuid references organisations(id)`.execute(db);
  await sql`create index patients_practice on patients (organisation_id, owner_account_id) where organisation_id is not null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted');
}

import { sql, type Kysely } from 'kysely';

// The practice (organisation or individual subscription) a patient is treated in: an
// organisation's admins import into, list and transfer only the patients of their own practice,
// never those a practitioner keeps elsewhere (R-PAT-2, R-TRF-1).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table patients add column organisation_id uuid references organisations(id)`.execute(db);
  await sql`create index patients_practice on patients (organisation_id, owner_account_id) where organisation_id is not null`.execute(db);
  // Patient reads leave out practices where payment is required: few at any time (R-LIC-7).
  await sql`create index organisations_payment_required on organisations (id) where status = 'payment_required'`.execute(db);
  // A PMS's patient ids belong to its practice: two practices may both number a patient 1001, and
  // one practice must not learn which ids a practitioner uses in another (R-PAT-1, SPEC section 2).
  await sql`drop index patients_external_id`.execute(db);
  await sql`create unique index patients_external_id on patients (owner_account_id, organisation_id, external_id) nulls not distinct where external_id is not null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted');
}

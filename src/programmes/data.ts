import type { Tx } from '../platform/db/database.ts';

/** Deletes a patient's programmes, with the patient (R-PAT-2). */
export async function deleteProgrammesOfPatient(tx: Tx, patientId: string): Promise<void> {
  await tx.deleteFrom('programmes').where('patient_id', '=', patientId).execute();
}

/**
 * Programmes of `patientIds` paused because their owner's access was removed (R-PRA-3) go on: the
 * patients' new practitioner holds practitioner access (R-TRF-1). Answers those resumed.
 */
export function resumeProgrammesPausedByRemoval(tx: Tx, patientIds: string[], now: Date): Promise<Array<{ id: string; patient_id: string }>> {
  return tx
    .updateTable('programmes')
    .set({ state: 'active', disabled_reason: null, disabled_by_membership_id: null, updated_at: now })
    .where('patient_id', 'in', patientIds)
    .where('state', '=', 'disabled')
    .where('disabled_reason', '=', 'access_removed')
    .returning(['id', 'patient_id'])
    .execute();
}

/** An account's templates by title, for a transfer (R-TRF-1). */
export function templatesOwnedBy(tx: Tx, accountId: string): Promise<Array<{ id: string; title: string }>> {
  return tx.selectFrom('programme_templates').select(['id', 'title']).where('owner_account_id', '=', accountId).orderBy('title').execute();
}

/** R-TRF-1: gives templates `ids` of one account to another; answers how many moved. */
export async function moveTemplates(tx: Tx, ids: string[], fromAccountId: string, toAccountId: string, now: Date): Promise<number> {
  const r = await tx.updateTable('programme_templates').set({ owner_account_id: toAccountId, updated_at: now }).where('id', 'in', ids).where('owner_account_id', '=', fromAccountId).executeTakeFirst();
  return Number(r.numUpdatedRows);
}
